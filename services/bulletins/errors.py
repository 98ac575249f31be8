"""Why an issue file was refused: each a message for the user, most naming the line."""

from __future__ import annotations

from services.errors import BadInput, DomainError, NotFound
from services.i18n_marks import N_


class IssueFileError(BadInput):
    """The file cannot become an issue; ``params`` hold the line number and the text at fault."""


class IssueExists(BadInput):
    """An issue with this (year, number) is stored already; replacing it must be asked for."""

    message = N_("Issue {number} of {year} is stored already.")


class ArticlesDropped(BadInput):
    """A published issue replaced by a file without some of its articles: the cards delivered
    open articles by id, kept only where the heading stays the same."""

    message = N_(
        "Issue {number} of {year} has been published, and representatives open its articles "
        "from the card they received. A corrected file must keep every article under the same "
        "heading; missing: {headings}. Correct the text under the same headings, or publish "
        "the change as a new issue."
    )


class IssueNotFound(NotFound):
    # One answer for "no such issue", "not published" and "not delivered to you".
    message = N_("That bulletin issue does not exist or is not available to you.")


class NoOriginalFile(NotFound):
    # The reader may read the issue; it has no file sent through Telegram (imported from the
    # command line, or replaced there since its card went out).
    message = N_("This issue has no original file to send; its articles hold its whole text.")


class NotInRoster(DomainError):
    message = N_("Read receipts are kept for people in the roster; you are not in it.")


class BadQuery(BadInput):
    message = N_("Send /search with the words to look for, for example: /search 代表小组")
    too_long = N_("The search is longer than {limit} characters; use fewer words.")
