"""The /assemble dialog's states, its data and its buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from handlers.cancel import cancel_button
from services.bulletins.assembly import PAGE_SIZE, CandidatePage, Piece
from services.bulletins.text import excerpt
from services.people import ROW_ID_MAX

DATA = "assembly"
LABEL_CHARS = 36


class AssemblyFlow(StatesGroup):
    # The checklist of candidates.
    pick = State()
    # The order card: move, edit, remove, the editor's note, draft.
    order = State()
    # Waiting for a piece's new text, then for the editor's note.
    edit = State()
    note = State()


# The dialog's buttons work in any of its states (a press while a text is awaited included).
IN_DIALOG = StateFilter(AssemblyFlow)


class Press(StrEnum):
    toggle = "t"
    page = "p"
    order = "o"
    up = "u"
    down = "d"
    edit = "e"
    remove = "r"
    note = "n"
    no_note = "nn"
    back = "b"
    draft = "dr"
    replace_draft = "re"


class AssemblyPress(CallbackData, prefix="asm"):
    press: Press
    # An activity id (toggle, up, down, edit, remove), a page number, or 0.
    item: int = Field(default=0, ge=0, le=ROW_ID_MAX)


@dataclass
class Dialog:
    """What the dialog keeps: the picked activities in order, pieces rewritten by staff, the
    editor's note, the checklist page, and the piece whose new text is awaited."""

    picked: list[int] = field(default_factory=list)
    edits: dict[int, Piece] = field(default_factory=dict)
    note: str = ""
    page: int = 0
    editing: int = 0

    def to_data(self) -> dict[str, Any]:
        return {
            "picked": self.picked,
            "edits": {str(key): piece.model_dump() for key, piece in self.edits.items()},
            "note": self.note,
            "page": self.page,
            "editing": self.editing,
        }


async def load(state: FSMContext) -> Dialog:
    data = (await state.get_data()).get(DATA) or {}
    edits = {int(key): Piece.model_validate(value) for key, value in data.get("edits", {}).items()}
    return Dialog(
        picked=[int(item) for item in data.get("picked", [])],
        edits=edits,
        note=str(data.get("note", "")),
        page=int(data.get("page", 0)),
        editing=int(data.get("editing", 0)),
    )


async def save(state: FSMContext, dialog: Dialog) -> None:
    await state.update_data({DATA: dialog.to_data()})


def _button(text: str, press: Press, item: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=AssemblyPress(press=press, item=item).pack()
    )


def pick_keyboard(page: CandidatePage, picked: list[int]) -> InlineKeyboardMarkup:
    rows = []
    for number, item in enumerate(page.items, page.page * PAGE_SIZE + 1):
        mark = "✅" if item.activity_id in picked else "▫️"
        label = excerpt(f"{mark} {number}. {item.person}：{item.summary}", LABEL_CHARS)
        rows.append([_button(label, Press.toggle, item.activity_id)])
    moves = []
    if page.page > 0:
        moves.append(_button("◀", Press.page, page.page - 1))
    if page.page < page.pages - 1:
        moves.append(_button("▶", Press.page, page.page + 1))
    if moves:
        rows.append(moves)
    rows.append([_button(_("Order and edit ({count})").format(count=len(picked)), Press.order)])
    rows.append([cancel_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def order_keyboard(pieces: list[Piece]) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(f"{number} ↑", Press.up, piece.activity_id),
            _button(f"{number} ↓", Press.down, piece.activity_id),
            _button(f"{number} ✏️", Press.edit, piece.activity_id),
            _button(f"{number} ✖", Press.remove, piece.activity_id),
        ]
        for number, piece in enumerate(pieces, 1)
    ]
    rows.append([_button(_("Editor's note"), Press.note), _button(_("Pick more"), Press.back)])
    rows.append([_button(_("Draft the issue"), Press.draft)])
    rows.append([cancel_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def note_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("No editor's note"), Press.no_note)], [cancel_button()]]
    )


def replace_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("Replace the draft"), Press.replace_draft), cancel_button()]]
    )
