"""One item of an import report as a sentence in the current locale, in plain text.

Values from the file are put in verbatim: the caller escapes whole lines for the chat, after
cutting them to length, so that a cut never splits an HTML entity.
"""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from services.roster.changes import FIELD_LABELS, FieldChange, RowChange, Shown
from services.roster.models import FILE_LEVEL, Role, RowError, RowWarning

ROLE_LABELS = {Role.STAFF: "staff", Role.ADMIN: "admin"}


def problem_reason(item: RowError | RowWarning) -> str:
    return _(item.message).format(**item.params)


def problem_line(item: RowError | RowWarning) -> str:
    reason = problem_reason(item)
    if item.row == FILE_LEVEL:
        return reason
    return _("Row {row}: {reason}").format(row=item.row, reason=reason)


def value_text(value: Shown) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def field_text(change: FieldChange) -> str:
    old, new = value_text(change.old), value_text(change.new)
    if change.field == FIELD_LABELS["role"]:
        # Roles are stored as "staff" and "admin", which are also their msgids.
        old, new = _(old), _(new)
    return _("{field}: {old} → {new}").format(field=_(change.field), old=old, new=new)


def changes_text(change: RowChange) -> str:
    """What changes for one row, or the role a new row gives."""
    if change.created:
        return _(ROLE_LABELS[change.role]) if change.role in ROLE_LABELS else ""
    return _("; ").join(field_text(field) for field in change.fields)


def change_line(change: RowChange) -> str:
    who = _("{name} ({delegation})").format(name=change.name, delegation=change.delegation)
    details = changes_text(change)
    if change.created:
        who = _("+ {who}").format(who=who)
    return _("{who} — {changes}").format(who=who, changes=details) if details else who
