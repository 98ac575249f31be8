"""Applying a parsed roster to the database: ``import_roster``, for the chat and the command line.

Whom a file reaches: only people within the uploader's scope (services.roster.scope). Staff of a
delegation match, update and hear about the people of their delegations and no one else; an
administrator and the command line see the whole roster. Creating or changing a staff or admin
role through a file is for administrators only.

Who a row is:
- A representative row is one mandate. With a representative id (代表证号) it is the mandate with
  that ``Mandate.roster_id`` in the row's delegation at the row's level (each congress issues its
  own ids, so two delegations may share one); without one, the mandate of that name, level and
  delegation. A stored mandate without an id found by name takes the row's id.
- A new mandate belongs to a stored person in view with the same name and the same phone number,
  else to a new person. So one representative at two levels (a provincial representative in
  驻洛省十四届人大代表 who is also a city representative in 洛阳市人大代表) becomes one person
  with two mandates as long as both rows give the same phone. Ids cannot link the two rows: each
  congress issues its own. For staff of one delegation, someone outside it is never in view:
  the row makes a new person, and an administrator merges the two if they are one.
- A staff or admin row is a person with a staff role and no mandate, found by ``Person.staff_code``
  (the id column), else by name among the staff of the row's delegation, else by name and phone.
  The role is the file's; the row's delegation joins the staff member's scope, and an admin acts
  in every delegation. A roster never removes a delegation from a scope.

What an import does:
- It adds delegations (administrators only), groups (named per delegation) and stations as rows
  name them, and updates stored entries in place. Empty phone, term date and id cells keep what
  is stored; an empty group or station cell takes the representative out of it. Active
  representatives of the file's delegations whom no valid row names are listed in the report,
  never deleted or deactivated; a listed one who had been deactivated is active again.
- The name and phone of a person who is also staff, or who also holds a mandate outside the
  uploader's scope, are kept unless an administrator uploads: other staff rely on them.
- Any row with an error stops the whole import unless ``skip_bad``; then the valid rows are
  imported and the bad ones reported. ``dry_run`` reports the same and writes nothing.
- Everything is written in one savepoint, so that a failure leaves nothing behind even when the
  caller goes on to commit its session, plus one ``roster.import`` audit entry naming the actor
  and every row's change (field: old, new).
"""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError
from services.i18n_marks import N_
from services.roster.errors import RosterProblem
from services.roster.models import Role, RosterParseResult, RowError
from services.roster.notes import missing_names, same_name_warnings
from services.roster.plan import Plan
from services.roster.report import ImportReport, render_report
from services.roster.representatives import plan_representative
from services.roster.scope import Authority
from services.roster.staff import plan_staff
from storage.audit import record_audit
from storage.roster import RosterSnapshot, apply_writes, load_roster_snapshot

__all__ = ["ImportReport", "RosterChanged", "import_roster", "render_report"]

AUDIT_ACTION = "roster.import"


class RosterChanged(DomainError):
    """Another import or edit wrote the same entries between this import's reading and writing."""

    message = N_(
        "The roster was changed by someone else during the import; nothing was saved. "
        "Import the file again."
    )


async def import_roster(
    *,
    session: AsyncSession,
    parsed: RosterParseResult,
    scope: frozenset[int] | None,
    actor_telegram_id: int | None,
    dry_run: bool,
    skip_bad: bool,
    admin: bool | None = None,
) -> ImportReport:
    """``scope`` None is every delegation. ``admin`` allows staff and admin rows and new
    delegations; None grants it exactly when ``scope`` is None (the command line)."""
    authority = Authority(scope, scope is None if admin is None else admin)
    # All reads come first: on SQLite the write lock is only taken by the first write.
    snapshot = await load_roster_snapshot(session=session)
    # Planning is plain Python over every stored row and every file row (a second or more for a
    # large roster): in a thread, so that other users' updates keep being answered meanwhile.
    plan = await asyncio.to_thread(_plan, snapshot, parsed, authority)
    errors = sorted([*parsed.errors, *plan.errors], key=lambda error: error.row)
    apply = (
        not dry_run
        and (skip_bad or not errors)
        and plan.created + plan.updated + plan.unchanged > 0
    )
    report = ImportReport(
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        errors=errors,
        warnings=sorted([*parsed.warnings, *plan.warnings], key=lambda warning: warning.row),
        missing=missing_names(plan),
        applied=apply,
        dry_run=dry_run,
        skip_bad=skip_bad,
        people_created=len(plan.new_people),
        new_delegations=plan.new_delegations,
        new_groups=plan.new_groups,
        new_stations=plan.new_stations,
        changes=plan.changes,
    )
    if apply:
        await _apply(session, plan, report, actor_telegram_id, authority)
    # Freeing a large roster's hundreds of thousands of objects takes a while too: in a thread.
    held = [plan, snapshot]
    del plan, snapshot
    await asyncio.to_thread(held.clear)
    return report


def _plan(snapshot: RosterSnapshot, parsed: RosterParseResult, authority: Authority) -> Plan:
    plan = Plan(snapshot, authority)
    for row in parsed.rows:
        try:
            if row.role is Role.REPRESENTATIVE:
                plan_representative(plan, row)
            else:
                plan_staff(plan, row)
        except RosterProblem as problem:
            plan.errors.append(RowError(row.row_number, problem.message, problem.params))
    plan.warnings.extend(same_name_warnings(plan))
    return plan


async def _apply(
    session: AsyncSession,
    plan: Plan,
    report: ImportReport,
    actor_telegram_id: int | None,
    authority: Authority,
) -> None:
    try:
        async with session.begin_nested():
            await apply_writes(session=session, stages=plan.writes.stages)
            await record_audit(
                session=session,
                actor_telegram_id=actor_telegram_id,
                action=AUDIT_ACTION,
                details={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "bad_rows": len({error.row for error in report.errors}),
                    "missing": len(report.missing),
                    "new_delegations": report.new_delegations,
                    "scope": None if authority.scope is None else sorted(authority.scope),
                    "admin": authority.admin,
                    "changes": [change.audit() for change in report.changes],
                },
            )
    except IntegrityError as exc:
        # The plan was made from what was read before writing; a unique key taken since then
        # means someone else changed the roster meanwhile.
        raise RosterChanged() from exc
