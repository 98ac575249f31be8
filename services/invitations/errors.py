"""Why an invitation could not be issued or redeemed: English msgids, translated by handlers."""

from __future__ import annotations

from services.errors import DomainError
from services.i18n_marks import N_


class InvitationUnknown(DomainError):
    message = N_(
        "This invitation link or code is not valid. Check it, or ask the liaison office "
        "for a new invitation."
    )


class InvitationUsed(DomainError):
    message = N_("This invitation has already been used. Ask the liaison office for a new one.")


class InvitationExpired(DomainError):
    message = N_("This invitation expired on {date}. Ask the liaison office for a new one.")


class InvitationRevoked(DomainError):
    message = N_(
        "This invitation was withdrawn, usually because a newer one was issued. "
        "Use the newest invitation, or ask the liaison office for one."
    )


class PersonAlreadyBound(DomainError):
    """The roster entry is linked to another Telegram account (redeemer's view)."""

    message = N_(
        "This invitation belongs to someone already linked to another Telegram account. "
        "If you changed accounts, ask the liaison office to move the link to this one."
    )


class AccountAlreadyBound(DomainError):
    message = N_(
        "Your Telegram account is already linked to {name}. One account can be linked to one "
        "roster entry only; ask the liaison office if this is wrong."
    )


class CodeLocked(DomainError):
    message = N_(
        "Too many wrong codes. Try again in {minutes} min, or open the invitation link instead."
    )


class PersonNotInScope(DomainError):
    message = N_("That person is not in the delegations you look after.")


class PersonLinked(DomainError):
    """Staff asked for an invitation for someone already linked (staff's view)."""

    message = N_(
        "{name} is already linked to a Telegram account. To move them to another account, "
        "use /rebind."
    )


class PersonNotLinked(DomainError):
    message = N_(
        "{name} is not linked to a Telegram account, so there is nothing to unlink. "
        "To send them an invitation, use /invite."
    )


class NothingToRevoke(DomainError):
    message = N_("{name} has no unused invitation, so there is nothing to revoke.")


class SelfUnlink(DomainError):
    message = N_(
        "You cannot unlink your own Telegram account. Ask another administrator if it must move."
    )


class MandateOutsideScope(DomainError):
    message = N_(
        "{name} also holds a mandate in a delegation you do not look after; only an "
        "administrator can invite or unlink them."
    )


class ButtonUsed(DomainError):
    message = N_("This button has already been used.")
