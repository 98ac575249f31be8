"""The report's group meetings chart (drawn by services.reports.charts, off the event loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.reports.model import Report
from services.reports.wording import ReportWords

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_GROUPS = 20  # groups that met shown apiece; past it the rest share one bar


def draw_meetings(ax: Axes, report: Report, w: ReportWords) -> None:
    """Per group that met, its invitations as a bar: attending, excused, no answer; the
    check-ins written at its end."""
    from matplotlib.ticker import MaxNLocator

    # The groups that met, most invitations first; past MAX_GROUPS the rest share one.
    met = sorted((r for r in report.meetings if r.held), key=lambda r: (-r.invited, r.group))
    shown = met if len(met) <= MAX_GROUPS else met[: MAX_GROUPS - 1]
    rest = met[len(shown) :]
    labels = [row.group for row in shown] + ([w["other_groups"]] if rest else [])

    def column(key: str) -> list[int]:
        values = [getattr(row, key) for row in shown]
        return values + ([sum(getattr(row, key) for row in rest)] if rest else [])

    # Positions, not names: two groups of one name stay two bars.
    positions = list(range(len(labels)))
    left = [0] * len(labels)
    for key, colour in (("attending", "#27ae60"), ("excused", "#f39c12"), ("no_answer", "#bdc3c7")):
        values = column(key)
        ax.barh(positions, values, left=left, color=colour, label=w[key])
        left = [a + b for a, b in zip(left, values, strict=True)]
    checked = column("checked_in")
    for position, (total, count) in enumerate(zip(left, checked, strict=True)):
        ax.annotate(
            w["chart_checked_in"].format(count=count),
            (total, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
        )
    ax.set_yticks(positions, labels)
    ax.margins(x=0.15)
    ax.invert_yaxis()
    ax.set_xlabel(w["invited"])
    # Counts are whole numbers: no 0.25 steps on a count axis.
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small", loc="lower right")
