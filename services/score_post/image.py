"""The score post's image: a bar chart of each member's points, with the CJK font (matplotlib
Agg, figure objects only). Drawing is CPU work: `score_image` runs it in a thread. The labels
are in both languages, since one image (one Telegram file) goes to every member."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

from services.reports.font import chart_font
from services.score_post.figures import ScoreFigures

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH, DPI = 8.0, 100  # 800 pixels wide
ROW_INCHES, BASE_INCHES = 0.4, 1.6
MAX_BARS = 40  # more members than this: the rest are left out of the picture


def draw_image(figures: ScoreFigures) -> bytes:
    buffer = io.BytesIO()
    score_figure(figures).savefig(buffer, format="png")
    return buffer.getvalue()


def score_figure(figures: ScoreFigures) -> Figure:
    from matplotlib.figure import Figure

    chart_font()
    members = list(figures.members[:MAX_BARS])
    height = BASE_INCHES + ROW_INCHES * max(len(members), 1)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.add_subplot()
    names = [m.name for m in reversed(members)]
    points = [m.points for m in reversed(members)]
    bars = axes.barh(names, points, color="#c0392b")
    for bar, member in zip(bars, reversed(members), strict=True):
        axes.annotate(
            f"{member.points}（{member.count}次）",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
        )
    axes.set_xlabel("积分 Points")
    axes.set_xlim(0, max([*points, 1]) * 1.25)
    title = (
        f"{figures.group} {figures.year}Q{figures.quarter} 亮分 · "
        f"合计 {figures.count}次 {figures.points}分 · 第{figures.rank}/{figures.groups}名"
    )
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


async def score_image(figures: ScoreFigures) -> bytes:
    """The PNG, drawn off the event loop."""
    return await asyncio.to_thread(draw_image, figures)
