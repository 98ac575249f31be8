"""Who may do what: one declarative table that the handlers' permission check reads.

Keys: a command name, a callback-data prefix, or a named action (handlers without either, set as
the handler flag ``action``). A handler whose key is missing here is refused for everyone and
fails the permission test, so nothing becomes reachable by accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from services.i18n_marks import N_


class Role(StrEnum):
    stranger = "stranger"
    representative = "representative"
    group_leader = "group_leader"
    staff = "staff"
    admin = "admin"


class Check(StrEnum):
    """The record check a service applies on top of the role (documented here, enforced there)."""

    none = "none"
    owner = "owner"  # the record must belong to the actor
    scope = "scope"  # the record's delegation must lie in the staff member's scope


EVERYONE = frozenset(Role)
MEMBERS = frozenset({Role.representative, Role.group_leader, Role.staff, Role.admin})
REPRESENTATIVES = frozenset({Role.representative, Role.group_leader})
# Reports: staff within their scope, a group leader their own group (services.reports.units).
REPORTERS = frozenset({Role.group_leader, Role.staff, Role.admin})
STAFF = frozenset({Role.staff, Role.admin})
ADMINS = frozenset({Role.admin})
# Who may schedule a group meeting: staff (groups in scope) and group leaders (their group).
ORGANISERS = frozenset({Role.group_leader, Role.staff, Role.admin})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    check: Check = Check.none
    # Shown in /help and the command menu; None keeps a command out of both.
    description: str | None = None


COMMANDS: Mapping[str, Rule] = {
    "start": Rule(EVERYONE, description=N_("Start, or accept an invitation")),
    "help": Rule(EVERYONE, description=N_("What I can do for you")),
    "lang": Rule(EVERYONE, description=N_("Language: 中文 / English")),
    "me": Rule(MEMBERS, description=N_("My profile and mandates")),
    "cancel": Rule(EVERYONE),  # every flow says so in its questions
    "invite": Rule(STAFF, Check.scope, N_("Invitation link and code for a person")),
    "revoke": Rule(STAFF, Check.scope, N_("Cancel a person's unused invitations")),
    "rebind": Rule(STAFF, Check.scope, N_("Unlink a person's Telegram account and re-invite")),
    "pending": Rule(STAFF, Check.scope, N_("People not yet linked, and their invitations")),
    "duplicates": Rule(ADMINS, description=N_("Entries that may be one person")),
    "merge": Rule(ADMINS, description=N_("Merge two entries of one person")),
    "points": Rule(ADMINS, description=N_("Points per activity type")),
    "log": Rule(REPRESENTATIVES, description=N_("Log a duty activity")),
    "my": Rule(REPRESENTATIVES, Check.owner, N_("My duty activities")),
    "activities": Rule(STAFF, Check.scope, N_("A person's duty activities of a year")),
    # Representatives get their own (Check.owner); staff anyone's within scope (Check.scope).
    "record": Rule(MEMBERS, Check.owner, N_("Duty record of a year: spreadsheet and PDF")),
    "concern": Rule(REPRESENTATIVES, description=N_("Record a constituent's concern")),
    # Representatives: their open concerns; staff: those in scope (Check.scope in the service).
    "concerns": Rule(MEMBERS, Check.owner, N_("Constituents' concerns and their follow-up")),
    # Published issues; who may open which is services.bulletins.access.can_read.
    "bulletins": Rule(MEMBERS, description=N_("Bulletin issues (代表工作)")),
    "search": Rule(MEMBERS, description=N_("Search the bulletin issues")),
    # The audience is limited to the scope (services.audience), checked again at confirm.
    "publish": Rule(STAFF, Check.scope, N_("Publish a bulletin issue")),
    # Activities marked for the bulletin in the staff member's scope (services.bulletins.assembly).
    "assemble": Rule(STAFF, Check.scope, N_("Assemble a bulletin issue from logged activities")),
    "broadcast": Rule(STAFF, Check.scope, N_("Send a message to representatives")),
    "reminders": Rule(REPRESENTATIVES, description=N_("My reminders: on/off, times, quiet hours")),
    # Staff: a station of their delegations, its month and swaps; representatives: their duty.
    "duty": Rule(MEMBERS, Check.scope, N_("Representative day duty")),
    # Groups in the staff member's scope, or the group the leader leads (services.meetings).
    "meeting": Rule(ORGANISERS, Check.scope, N_("Group meetings: schedule, change, check-in")),
    "report": Rule(REPORTERS, Check.scope, N_("Reports: activities, duty, concerns, reads")),
    "evaluation": Rule(STAFF, Check.scope, N_("Annual evaluation: ranking and shortlist")),
    # Drafts of the groups in the staff member's scope (services.score_post).
    "scorepost": Rule(STAFF, Check.scope, N_("Quarterly score posts: preview and approve")),
}

CALLBACKS: Mapping[str, Rule] = {
    "lang": Rule(EVERYONE),
    "cancel": Rule(EVERYONE),
    # A choice among people who match a name, then the card confirming what would be lost.
    "inv": Rule(STAFF, Check.scope),
    "invok": Rule(STAFF, Check.scope),
    "pend": Rule(STAFF, Check.scope),
    "merge": Rule(ADMINS),
    "roster": Rule(STAFF, Check.scope),
    # /log: the steps' choices, the confirm card, the offer of a quick entry.
    "lmand": Rule(REPRESENTATIVES, Check.owner),
    "ltype": Rule(REPRESENTATIVES),
    "lrel": Rule(REPRESENTATIVES),
    "lstep": Rule(REPRESENTATIVES),
    "lcal": Rule(REPRESENTATIVES),
    "lday": Rule(REPRESENTATIVES),
    "lcard": Rule(REPRESENTATIVES),
    "lofr": Rule(REPRESENTATIVES),
    # /log sent again with a draft open: continue it, or start the new one.
    "lres": Rule(REPRESENTATIVES),
    # A saved activity of one's own opened to edit.
    "aedit": Rule(REPRESENTATIVES, Check.owner),
    # A choice among people who match the name given to /record.
    "rec": Rule(STAFF, Check.scope),
    # Recording a concern: from a saved reception (the presser's own), then each step's buttons.
    "cfrom": Rule(REPRESENTATIVES, Check.owner),
    "cmand": Rule(REPRESENTATIVES, Check.owner),
    "ccat": Rule(REPRESENTATIVES),
    "cskip": Rule(REPRESENTATIVES),
    "ccons": Rule(REPRESENTATIVES),
    "cedit": Rule(REPRESENTATIVES),
    "csave": Rule(REPRESENTATIVES, Check.owner),
    # A concern's card: its representative, or staff whose scope holds its delegation.
    "copen": Rule(MEMBERS, Check.owner),
    "cphoto": Rule(MEMBERS, Check.owner),
    "cmove": Rule(REPRESENTATIVES, Check.owner),
    "clist": Rule(MEMBERS, Check.owner),
    "cxlsx": Rule(STAFF, Check.scope),
    "cerase": Rule(STAFF, Check.scope),
    "cerok": Rule(STAFF, Check.scope),
    # /my: pages and filters, an entry, its deletion and the card confirming it.
    "my": Rule(REPRESENTATIVES, Check.owner),
    "myent": Rule(REPRESENTATIVES, Check.owner),
    "mydel": Rule(REPRESENTATIVES, Check.owner),
    "mydelok": Rule(REPRESENTATIVES, Check.owner),
    # /activities: a choice among namesakes, pages, an entry (read-only).
    "sact": Rule(STAFF, Check.scope),
    "sactp": Rule(STAFF, Check.scope),
    "sacte": Rule(STAFF, Check.scope),
    # The bulletin archive: pages, an issue, an article, 已阅, the original file; each opened
    # issue is checked by services.bulletins.access.can_read.
    "bul": Rule(MEMBERS),
    "bulo": Rule(MEMBERS),
    "bula": Rule(MEMBERS),
    "bulr": Rule(MEMBERS),
    "bulf": Rule(MEMBERS),
    # /publish: the preview's corrections, the audience, replacing a draft, the confirm card.
    "bpub": Rule(STAFF, Check.scope),
    # /assemble: pick, order, rewrite, draft; each activity checked against the scope again.
    "asm": Rule(STAFF, Check.scope),
    # An issue's unread list and the reminder to them: its audience within the staff scope.
    "bunr": Rule(STAFF, Check.scope),
    "brem": Rule(STAFF, Check.scope),
    # The audience chooser of any staff dialog (broadcasts, bulletins): ids checked against scope.
    "aud": Rule(STAFF, Check.scope),
    # /broadcast: the preview card (send now, later, confirm the time, cancel).
    "bcok": Rule(STAFF, Check.scope),
    # A broadcast's progress buttons and the card confirming a cancel: its author, an admin, or
    # staff whose scope holds every delegation it was sent within (services.broadcasts.access).
    "bcc": Rule(STAFF, Check.scope),
    "bccok": Rule(STAFF, Check.scope),
    # /reminders: the presser's own settings (the buttons carry no person).
    "rem": Rule(REPRESENTATIVES),
    # /duty: the stations in scope, a station's month, choosing and confirming a swap.
    "dsl": Rule(STAFF, Check.scope),
    "dst": Rule(STAFF, Check.scope),
    "dsw": Rule(STAFF, Check.scope),
    "dro": Rule(STAFF, Check.scope),
    # A station's location: asked under its month, shared from Telegram.
    "dloc": Rule(STAFF, Check.scope),
    # A duty reminder's button: /log as a reception, the presser's own duty only.
    "dlog": Rule(REPRESENTATIVES, Check.owner),
    # /meeting: a group, the new meeting's steps, a meeting's card and its confirmed changes;
    # each checked against the scope or the group led (services.meetings.access).
    "mgrp": Rule(ORGANISERS, Check.scope),
    "mstp": Rule(ORGANISERS, Check.scope),
    "mopen": Rule(ORGANISERS, Check.scope),
    "mcard": Rule(ORGANISERS, Check.scope),
    "mchg": Rule(ORGANISERS, Check.scope),
    # A meeting's buttons for members: answer, check in, log it, its calendar file; members of
    # the group only.
    "mrsvp": Rule(REPRESENTATIVES, Check.owner),
    "mchk": Rule(REPRESENTATIVES, Check.owner),
    "mlog": Rule(REPRESENTATIVES, Check.owner),
    "mics": Rule(REPRESENTATIVES, Check.owner),
    # /report: the period, the kind of unit, the unit; each checked again by services.reports.
    "rep": Rule(REPORTERS, Check.scope),
    "repk": Rule(REPORTERS, Check.scope),
    "repu": Rule(REPORTERS, Check.scope),
    # /evaluation's delegation button; the year and the scope checked by services.evaluation.
    "evd": Rule(STAFF, Check.scope),
    # The score post's drafts: preview, intro, approve one or all; checked again by the service.
    "score": Rule(STAFF, Check.scope),
    # The image of an approved score post: members of its group (staff within their scope).
    "scimg": Rule(MEMBERS, Check.owner),
}

ACTIONS: Mapping[str, Rule] = {
    # Any button nobody else understood: stale after a restart, or forged.
    "stale_button": Rule(EVERYONE),
    # A message no feature claimed: strangers get the invitation line, members a pointer to /help.
    "unknown_message": Rule(EVERYONE),
    # Someone typing their 8-character invitation code; a linked user gets /start CODE's answer.
    "invite_code": Rule(EVERYONE),
    # A roster spreadsheet sent as a document: preview, then confirm.
    "roster_file": Rule(STAFF, Check.scope),
    # Answers typed or sent in the /log dialog (text, a location, photos, anything unexpected).
    "log_step": Rule(REPRESENTATIVES),
    # A representative's free text starting with an activity type: offered as a quick entry.
    "quick_offer": Rule(REPRESENTATIVES),
    # An answer typed (or sent) at a step of recording or following up a concern.
    "concern_step": Rule(REPRESENTATIVES),
    # The issue file or text, then a corrected year, number or title, sent in /publish.
    "bulletin_publish_step": Rule(STAFF, Check.scope),
    # A piece's new text or the editor's note, typed in /assemble.
    "bulletin_assembly_step": Rule(STAFF, Check.scope),
    # The message, then the send time, typed or sent in the /broadcast dialog.
    "broadcast_step": Rule(STAFF, Check.scope),
    # A time, quiet hours or a date typed into /reminders.
    "reminders_step": Rule(REPRESENTATIVES),
    # A station's location shared after /duty's button (or something else sent instead).
    "duty_location_step": Rule(STAFF),
    # The steps of /meeting and of changing a meeting (text, a location).
    "meeting_step": Rule(ORGANISERS, Check.scope),
    # A member's reason for being excused, or a check-in code or location after "Check in".
    "meeting_reply_step": Rule(REPRESENTATIVES, Check.owner),
    # Four digits sent outside any dialog: a check-in code of a meeting open now (anyone on the
    # roster is told plainly when no meeting of theirs is open).
    "meeting_code": Rule(MEMBERS, Check.owner),
    # The custom period typed after /report's "Other period…".
    "report_step": Rule(REPORTERS, Check.scope),
    # The intro line typed for a score post's draft.
    "score_step": Rule(STAFF, Check.scope),
}


def is_allowed(rule: Rule, roles: frozenset[Role]) -> bool:
    return bool(rule.roles & roles)


def commands_for(roles: frozenset[Role]) -> list[tuple[str, str]]:
    """Commands the roles may use, in table order, with their description msgids."""
    return [
        (name, rule.description)
        for name, rule in COMMANDS.items()
        if rule.description is not None and is_allowed(rule, roles)
    ]
