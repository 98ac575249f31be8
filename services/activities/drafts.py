"""An activity being logged: what has been answered so far, kept in the dialog's data.

The draft is plain JSON (dates as ISO strings), so the database-backed dialog storage holds it
and a restart of the bot resumes the same step with everything already answered.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from services.dates import normalize
from services.errors import BadInput
from services.i18n_marks import N_
from storage.duty_models import ATTACHMENT_LIMIT, PLACE_LIMIT, AttachmentKind

BULLETIN_NOTE_LIMIT = 500

__all__ = [
    "ATTACHMENT_LIMIT",
    "BULLETIN_NOTE_LIMIT",
    "PLACE_LIMIT",
    "AttachmentKind",
    "Draft",
    "DraftAttachment",
    "Step",
]


class Step(StrEnum):
    """The questions of the guided flow, in the order they are asked."""

    mandate = "mandate"
    type = "type"
    day = "day"
    place = "place"
    summary = "summary"
    attachments = "attachments"


class DraftAttachment(BaseModel):
    kind: AttachmentKind
    file_id: str
    file_unique_id: str | None = None
    file_name: str | None = None


class Draft(BaseModel):
    # Set when the draft edits a saved activity rather than logging a new one, with the type and
    # points it was saved with: it keeps those points unless its type changes.
    activity_id: int | None = None
    saved_type_id: int | None = None
    saved_points: int | None = None
    mandate_id: int | None = None
    type_id: int | None = None
    day: date | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    summary: str | None = None
    attachments: list[DraftAttachment] = Field(default_factory=list)
    for_bulletin: bool = False
    bulletin_note: str | None = None
    # Steps answered or skipped; the flow asks the first one not here, then shows the card.
    done: list[Step] = Field(default_factory=list)
    # Whether the person has more than one mandate: the card then says which one it counts for.
    several_mandates: bool = False

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> Draft:
        return cls.model_validate(data or {})

    def points_with(self, type_points: int) -> int:
        """The points saving will store, given the chosen type's current points."""
        if self.saved_points is not None and self.type_id == self.saved_type_id:
            return self.saved_points
        return type_points

    def started(self) -> bool:
        """Whether the person has given anything that would be lost by starting again: an edit of
        a saved activity, an attachment, or any answer but the mandate (often taken unasked)."""
        return (
            self.activity_id is not None
            or bool(self.attachments)
            or any(step is not Step.mandate for step in self.done)
        )

    def next_step(self) -> Step | None:
        return next((step for step in Step if step not in self.done), None)

    def mark(self, step: Step) -> None:
        if step not in self.done:
            self.done.append(step)

    def reopen(self, step: Step) -> None:
        """Asks `step` again (an edit from the card); the rest stays answered."""
        self.done = [done for done in self.done if done != step]


def clean_text(text: str) -> str:
    """Whitespace at the ends dropped; inner line breaks kept, as the person wrote them."""
    return text.strip()


def set_place(draft: Draft, text: str) -> None:
    # NFKC and single spaces, as a concern's place and a quick entry's: one place, one spelling.
    place = normalize(text)
    if not place:
        raise BadInput(N_("Please type the place, share a location, or press Skip."))
    if len(place) > PLACE_LIMIT:
        raise BadInput(
            N_("A place can be at most {limit} characters; yours has {length}."),
            limit=PLACE_LIMIT,
            length=len(place),
        )
    draft.place, draft.latitude, draft.longitude = place, None, None


def set_location(draft: Draft, latitude: float, longitude: float) -> None:
    draft.place = f"📍 {latitude:.5f}, {longitude:.5f}"
    draft.latitude, draft.longitude = latitude, longitude


def set_summary(draft: Draft, text: str) -> None:
    summary = clean_text(text)
    if not summary:
        raise BadInput(N_("The summary cannot be empty. Describe briefly what you did."))
    draft.summary = summary


def add_attachment(draft: Draft, attachment: DraftAttachment) -> int:
    """Adds one file (an album arrives one message per file); returns how many there are."""
    if len(draft.attachments) >= ATTACHMENT_LIMIT:
        raise BadInput(
            N_(
                "An activity can have at most {limit} photos and documents; this one was not added."
            ),
            limit=ATTACHMENT_LIMIT,
        )
    draft.attachments.append(attachment)
    return len(draft.attachments)


def set_bulletin_note(draft: Draft, text: str) -> None:
    note = clean_text(text)
    if not note:
        raise BadInput(N_("Please write a short note for the bulletin."))
    if len(note) > BULLETIN_NOTE_LIMIT:
        raise BadInput(
            N_("The note for the bulletin can be at most {limit} characters; yours has {length}."),
            limit=BULLETIN_NOTE_LIMIT,
            length=len(note),
        )
    draft.for_bulletin, draft.bulletin_note = True, note
