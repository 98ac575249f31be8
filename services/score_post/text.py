"""The score post's text, rendered by the delivery engine for each member in their language
(and by the preview in the staff member's), and the staff's list of drafts.

Buttons carry callback data that handlers.score_post reads: staff's `score:<action>:<group>:
<year>:<quarter>` (action: view, intro, ok, all), and the post's `scimg:<group>:<year>:<quarter>`
that draws its image for the member who presses it; each press is checked again there."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from aiogram.utils.i18n import gettext as _

from services.dates import format_quarter
from services.deliveries.templates import Button, Recipient, Rendered, register
from services.score_post.figures import ScoreFigures
from services.text import esc

POST = "score.post"
DRAFTS = "score.drafts"
PREFIX = "score"
CHART_PREFIX = "scimg"


class ScoreAction(StrEnum):
    view = "view"
    intro = "intro"
    approve = "ok"
    approve_all = "all"


VIEW, INTRO = ScoreAction.view, ScoreAction.intro
APPROVE, APPROVE_ALL = ScoreAction.approve, ScoreAction.approve_all
# Members named in the post; the rest are counted (a group has a few dozen at most).
LISTED = 60
# Preview buttons on one list (Telegram takes 100 buttons a keyboard); "Approve all" and
# /scorepost reach the rest.
PREVIEWED = 40


def button_data(action: ScoreAction, group_id: int, year: int, quarter: int) -> str:
    return f"{PREFIX}:{action}:{group_id}:{year}:{quarter}"


def default_intro() -> str:
    return _("Thank you all for your work this quarter. Here is our group's score.")


def post_text(figures: ScoreFigures, intro: str | None, locale: str) -> str:
    period = format_quarter(figures.year, figures.quarter, locale)
    lines = [
        _("<b>{group}</b>: score for {period}").format(group=esc(figures.group), period=period),
        esc(intro) if intro else default_intro(),
        "",
    ]
    if figures.empty:
        lines.append(_("Nothing was logged in this group this quarter."))
        return "\n".join(lines)
    lines.append(
        _(
            "Together: {count} activities, {points} points; rank {rank} of {groups} groups "
            "in the delegation."
        ).format(
            count=figures.count, points=figures.points, rank=figures.rank, groups=figures.groups
        )
    )
    for member in figures.members[:LISTED]:
        lines.append(
            _("• {name}: {count} activities, {points} points").format(
                name=esc(member.name), count=member.count, points=member.points
            )
        )
    if len(figures.members) > LISTED:
        more = len(figures.members) - LISTED
        lines.append(_("… and {count} more").format(count=more))
    return "\n".join(lines)


def _render_post(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    figures = ScoreFigures.from_params(dict(params["figures"]))
    data = f"{CHART_PREFIX}:{figures.group_id}:{figures.year}:{figures.quarter}"
    chart = Button(_("📊 The chart"), callback_data=data)
    return Rendered(post_text(figures, params.get("intro"), recipient.locale), ((chart,),))


def drafts_text(
    year: int, quarter: int, pending: list[str], done: list[str], nothing: list[str], locale: str
) -> str:
    period = format_quarter(year, quarter, locale)
    lines = [_("Score posts of {period}: preview and approve.").format(period=period)]
    if pending:
        lines.append(_("Waiting for approval: {groups}").format(groups=esc("、".join(pending))))
    if done:
        lines.append(_("Sent: {groups}").format(groups=esc("、".join(done))))
    if nothing:
        lines.append(
            _("Nothing logged, so no post: {groups}").format(groups=esc("、".join(nothing)))
        )
    if not (pending or done):
        lines.append(_("There is no post to approve."))
    return "\n".join(lines)


def drafts_buttons(
    year: int, quarter: int, pending: list[tuple[int, str]]
) -> tuple[tuple[Button, ...], ...]:
    rows = [
        (Button(_("Preview {group}").format(group=name), button_data(VIEW, gid, year, quarter)),)
        for gid, name in pending[:PREVIEWED]
    ]
    if len(pending) > 1:
        rows.append((Button(_("Approve all"), button_data(APPROVE_ALL, 0, year, quarter)),))
    return tuple(rows)


def _render_drafts(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    year, quarter = int(params["year"]), int(params["quarter"])
    pending = [(int(g), str(n)) for g, n in params["pending"]]
    text = drafts_text(
        year,
        quarter,
        [n for _g, n in pending],
        list(params.get("done", [])),
        list(params.get("nothing", [])),
        recipient.locale,
    )
    return Rendered(text, drafts_buttons(year, quarter, pending))


register(POST, _render_post)
register(DRAFTS, _render_drafts)
