"""The /assemble dialog's texts: the checklist page, the order card, the prompts."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from services.bulletins.assembly import PAGE_SIZE, CandidatePage, Piece
from services.bulletins.assembly_text import as_text
from services.bulletins.text import excerpt
from services.dates import format_date
from services.labels import is_zh
from services.text import TELEGRAM_TEXT_LIMIT, esc, split_text

SUMMARY_CHARS = 120
# The order card lists each piece with its first paragraph while it fits one message.
PARAGRAPH_CHARS = 80


def pick_text(page: CandidatePage, picked: list[int], locale: str) -> str:
    head = _(
        "Pick the activities for the next bulletin issue ({total} marked for the bulletin in "
        "your delegations, newest first). Picked: {count}. Page {page} of {pages}."
    ).format(total=page.total, count=len(picked), page=page.page + 1, pages=page.pages)
    lines = [head]
    for number, item in enumerate(page.items, 1 + page.page * PAGE_SIZE):
        kind = item.type_zh if is_zh(locale) else item.type_en
        mark = "✅ " if item.activity_id in picked else ""
        day = format_date(item.happened_on, locale)
        who = f"{esc(item.person)}（{esc(item.delegation)}）"
        summary = esc(excerpt(item.summary, SUMMARY_CHARS))
        lines.append(f"\n{mark}<b>{number}.</b> {day} · {esc(kind)} · {who}\n{summary}")
        if item.note:
            lines.append(_("For the bulletin: {note}").format(note=esc(excerpt(item.note, 80))))
    return "\n".join(lines)


def order_text(pieces: list[Piece], note: str) -> str:
    head = _(
        "The issue being assembled, in this order (articles: {count}). ↑ ↓ move an article, "
        "✏️ rewrites it, ✖ leaves it out."
    ).format(count=len(pieces))
    blocks = [head]
    for number, piece in enumerate(pieces, 1):
        first = piece.paragraphs[0] if piece.paragraphs else ""
        blocks.append(
            f"<b>{number}. {esc(piece.heading)}</b>\n{esc(excerpt(first, PARAGRAPH_CHARS))}\n"
            f"{esc(piece.source or '')}"
        )
    shown_note = esc(excerpt(note, 300)) if note else _("none yet")
    blocks.append(_("Editor's note: {note}").format(note=shown_note))
    text = "\n\n".join(blocks)
    if len(text) <= TELEGRAM_TEXT_LIMIT:
        return text
    headings = [f"{number}. {esc(excerpt(p.heading, 60))}" for number, p in enumerate(pieces, 1)]
    return "\n\n".join([head, "\n".join(headings), blocks[-1]])


def edit_prompt(number: int, piece: Piece) -> list[str]:
    """The prompt, then the piece's text as it stands, to copy and change."""
    prompt = _(
        "Send the new text of article {number}: the first line is its heading, each further "
        "line a paragraph; a last line such as （…供稿） replaces the source line. /cancel stops "
        "the whole assembly. Its text now:"
    ).format(number=number)
    return [prompt, *split_text(esc(as_text(piece)))]


def note_prompt(note: str) -> str:
    text = _("Send the editor's note (编者按): one paragraph, printed above the contents.")
    if note:
        text += "\n\n" + _("The note now: {note}").format(note=esc(note))
    return split_text(text)[0]
