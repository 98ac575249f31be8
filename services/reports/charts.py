"""The report's charts as PNG images (matplotlib, Agg backend, figure objects only: no pyplot
state, so two charts may be drawn at once in two threads). Drawing is CPU work: callers run
``render_charts`` off the event loop. A chart with nothing to show is not drawn at all."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.reports.chart_meetings import draw_meetings
from services.reports.font import chart_font
from services.reports.model import Report
from services.reports.wording import ReportWords

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH, HEIGHT, DPI = 10.0, 6.0, 100  # 1000 x 600 pixels
BINS = 20
MAX_GROUPS = 12  # more groups than this: the rest are summed as one bar
MONTHS_FLAT = 12  # more months than this: their labels are slanted to fit


@dataclass(frozen=True)
class Chart:
    name: str  # file name stem
    title: str
    png: bytes


def render_charts(report: Report, w: ReportWords) -> list[Chart]:
    """Every chart the report has data for, as PNG; none for an empty report."""
    charts = []
    for name, title, figure in chart_figures(report, w):
        buffer = io.BytesIO()
        # A figure made without pyplot prints PNG through the Agg canvas.
        figure.savefig(buffer, format="png")
        charts.append(Chart(name, title, buffer.getvalue()))
    return charts


def chart_figures(report: Report, w: ReportWords) -> list[tuple[str, str, Figure]]:
    """(file name stem, title, figure) of each chart the report has data for."""
    if report.empty:
        return []
    drawers: list[tuple[str, str, bool, Callable[[Axes], None]]] = [
        ("activities_by_month", w["chart_months"], bool(report.group_months),
         lambda ax: _months(ax, report, w)),
        ("points", w["chart_points"], any(r.count for r in report.people),
         lambda ax: _points(ax, report, w)),
        ("meetings", w["chart_meetings"], report.meetings_held > 0,
         lambda ax: draw_meetings(ax, report, w)),
        ("concerns", w["chart_pipeline"], report.concerns.received > 0,
         lambda ax: _pipeline(ax, report, w)),
        ("read_rates", w["chart_reads"], bool(report.reads), lambda ax: _reads(ax, report, w)),
    ]  # fmt: skip
    return [
        (name, title, _figure(title, draw)) for name, title, has_data, draw in drawers if has_data
    ]


def _figure(title: str, draw: Callable[[Axes], None]) -> Figure:
    from matplotlib.figure import Figure

    chart_font()
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    axes = figure.add_subplot()
    draw(axes)
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    return figure


def _colour(index: int) -> Any:
    from matplotlib import colormaps

    # tab20 pairs a dark and a light shade of each hue: the ten dark ones first, then the light.
    return colormaps["tab20"]((2 * index) % 20 + (index // 10) % 2)


def _whole(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    # Counts are whole numbers: no 0.25 steps on a count axis.
    axis.set_major_locator(MaxNLocator(integer=True))


def _months(ax: Axes, report: Report, w: ReportWords) -> None:
    months = sorted({(r.year, r.month) for r in report.group_months})
    totals: dict[str, int] = {}
    for row in report.group_months:
        totals[w.group(row.group)] = totals.get(w.group(row.group), 0) + row.count
    # The busiest groups first; past MAX_GROUPS the rest share one bar.
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    named = ranked if len(ranked) <= MAX_GROUPS else ranked[: MAX_GROUPS - 1]
    counts = {name: [0] * len(months) for name in named}
    for row in report.group_months:
        name = w.group(row.group)
        key = name if name in counts else w["other_groups"]
        counts.setdefault(key, [0] * len(months))[months.index((row.year, row.month))] += row.count
    # Twelve groups need more than the default ten colours.
    colours = [_colour(index) for index in range(len(counts))]
    width = 0.8 / len(counts)
    for index, (name, values) in enumerate(counts.items()):
        if len(months) > MONTHS_FLAT:
            # A long period: a line per group reads better than bars a pixel wide.
            ax.plot(range(len(months)), values, marker=".", color=colours[index], label=name)
            ax.set_ylim(bottom=0)
            continue
        positions = [m + index * width - 0.4 + width / 2 for m in range(len(months))]
        ax.bar(positions, values, width=width, color=colours[index], label=name)
    ax.set_xticks(range(len(months)), [f"{year}-{month:02d}" for year, month in months])
    if len(months) > MONTHS_FLAT:
        ax.tick_params(axis="x", labelrotation=60)
    ax.set_xlabel(w["month"])
    ax.set_ylabel(w["activities"])
    _whole(ax.yaxis)
    # Beside the plot, never over its bars.
    ax.legend(title=w["group"], fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))


def _points(ax: Axes, report: Report, w: ReportWords) -> None:
    points = [row.points for row in report.people]
    # Whole-point bins, at most BINS of them, each labelled with how many fall in it.
    step = max(1, -(-(max(points) + 1) // BINS))
    edges = list(range(0, max(points) + step + 1, step))
    counts = [0] * (len(edges) - 1)
    for value in points:
        counts[value // step] += 1
    bars = ax.bar(edges[:-1], counts, width=step, align="edge", color="#c0392b", edgecolor="white")
    ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=3)
    ax.margins(y=0.12)
    _whole(ax.xaxis)
    _whole(ax.yaxis)
    ax.set_xlabel(w["chart_points_x"])
    ax.set_ylabel(w["chart_points_y"])


def _pipeline(ax: Axes, report: Report, w: ReportWords) -> None:
    labels = list(w.states.values())
    values = [report.concerns.by_state.get(state, 0) for state in w.states]
    bars = ax.barh(labels, values, color="#2e86c1")
    ax.bar_label(bars, padding=3)
    ax.invert_yaxis()
    ax.set_xlabel(w["count"])
    _whole(ax.xaxis)


def _reads(ax: Axes, report: Report, w: ReportWords) -> None:
    labels = [w.issue(row.number) for row in report.reads]
    rates = [round(100 * row.rate, 1) for row in report.reads]
    bars = ax.bar(labels, rates, width=0.5, color="#27ae60")
    # A lone issue keeps a bar's width rather than filling the chart.
    ax.set_xlim(-0.75, max(len(labels), 3) - 0.25)
    ax.bar_label(bars, labels=[f"{row.read}/{row.audience}" for row in report.reads], padding=3)
    ax.set_ylim(0, 110)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(w["rate"])
