"""Invitations: staff issue a one-time link and code per person; redeeming one binds the Telegram
account to that roster entry. Tokens and codes are stored only as SHA-256 hashes.

Errors are DomainError subclasses carrying English msgids, translated by the handlers.
"""

from services.invitations.actions import ActionPlan, StaffAction, plan_staff_action
from services.invitations.errors import (
    AccountAlreadyBound,
    ButtonUsed,
    CodeLocked,
    InvitationExpired,
    InvitationRevoked,
    InvitationUnknown,
    InvitationUsed,
    MandateOutsideScope,
    NothingToRevoke,
    PersonAlreadyBound,
    PersonLinked,
    PersonNotInScope,
    PersonNotLinked,
    SelfUnlink,
)
from services.invitations.issue import IssuedInvitation, issue_for_unbound, issue_invitation
from services.invitations.people import (
    PersonMatch,
    ensure_person_in_scope,
    find_people,
    person_for_staff_action,
)
from services.invitations.qr import qr_file_stems, qr_png
from services.invitations.redeem import redeem_code, redeem_token
from services.invitations.staff import rebind, revoke_invitations

__all__ = [
    "AccountAlreadyBound",
    "ActionPlan",
    "ButtonUsed",
    "CodeLocked",
    "InvitationExpired",
    "InvitationRevoked",
    "InvitationUnknown",
    "InvitationUsed",
    "IssuedInvitation",
    "MandateOutsideScope",
    "NothingToRevoke",
    "PersonAlreadyBound",
    "PersonLinked",
    "PersonMatch",
    "PersonNotInScope",
    "PersonNotLinked",
    "SelfUnlink",
    "StaffAction",
    "ensure_person_in_scope",
    "find_people",
    "issue_for_unbound",
    "issue_invitation",
    "person_for_staff_action",
    "plan_staff_action",
    "qr_file_stems",
    "qr_png",
    "rebind",
    "redeem_code",
    "redeem_token",
    "revoke_invitations",
]
