"""Invitations: staff issue a one-time link and code per person; redeeming one binds the Telegram
account to that roster entry. Tokens and codes are stored only as SHA-256 hashes.

Errors are DomainError subclasses carrying English msgids, translated by the handlers.
"""

from bot.invitations.errors import (
    AccountAlreadyBound,
    CodeLocked,
    InvitationExpired,
    InvitationRevoked,
    InvitationUnknown,
    InvitationUsed,
    PersonAlreadyBound,
    PersonLinked,
    PersonNotInScope,
)
from bot.invitations.issue import IssuedInvitation, issue_for_unbound, issue_invitation
from bot.invitations.people import PersonMatch, ensure_person_in_scope, find_people
from bot.invitations.qr import qr_file_stems, qr_png
from bot.invitations.redeem import redeem_code, redeem_token
from bot.invitations.staff import rebind, revoke_invitations

__all__ = [
    "AccountAlreadyBound",
    "CodeLocked",
    "InvitationExpired",
    "InvitationRevoked",
    "InvitationUnknown",
    "InvitationUsed",
    "IssuedInvitation",
    "PersonAlreadyBound",
    "PersonLinked",
    "PersonMatch",
    "PersonNotInScope",
    "ensure_person_in_scope",
    "find_people",
    "issue_for_unbound",
    "issue_invitation",
    "qr_file_stems",
    "qr_png",
    "rebind",
    "redeem_code",
    "redeem_token",
    "revoke_invitations",
]
