"""/evaluation's messages: the ranking's top lines with the breakdown, and the shortlist.
Names come from the roster: every one is escaped."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from services.evaluation import Evaluation, EvaluationWords, Standing
from services.text import esc

TOP = 10


def _breakdown(standing: Standing, evaluation: Evaluation, w: EvaluationWords) -> str:
    parts = [
        _("{criterion} {figure} ({points})").format(
            criterion=w.criteria[criterion],
            figure=w.figure(standing.figures[criterion]),
            points=f"{standing.points[criterion]:.1f}",
        )
        for criterion in evaluation.criteria
    ]
    return _("; ").join(parts)


def ranking_lines(evaluation: Evaluation, w: EvaluationWords) -> list[str]:
    year, delegation = w.year(evaluation.year), esc(evaluation.delegation)
    if not evaluation.standings:
        return [
            _("Evaluation {year}, {delegation}: no representatives.").format(
                year=year, delegation=delegation
            )
        ]
    lines = [
        _(
            "<b>Evaluation {year} · {delegation}</b>: {count} representatives, scores out of 100."
        ).format(year=year, delegation=delegation, count=len(evaluation.standings))
    ]
    for standing in evaluation.standings[:TOP]:
        lines.append(
            _("{rank}. {name} ({group}) {score}").format(
                rank=standing.rank,
                name=esc(standing.name),
                group=esc(standing.group or w["no_group"]),
                score=f"{standing.score:.1f}",
            )
        )
        lines.append("   " + esc(_breakdown(standing, evaluation, w)))
    if len(evaluation.standings) > TOP:
        more = len(evaluation.standings) - TOP
        lines.append(_("…and {count} more in the workbook.").format(count=more))
    return lines


def shortlist_lines(evaluation: Evaluation, w: EvaluationWords) -> list[str]:
    if not evaluation.shortlist:
        return [_("Shortlist: nobody scored above 0 this year.")]
    names = w.names([esc(s.name) for s in evaluation.shortlist])
    return [
        _("Shortlist for commendation ({count}): {names}").format(
            count=len(evaluation.shortlist), names=names
        )
    ]
