"""The score post's figures against the hand-computed roster of tests/report_kit.py, its text
in both languages and its image (a valid PNG, drawn with the CJK font)."""

from __future__ import annotations

import io

from fontTools.ttLib import TTCollection
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import build_i18n
from services.config import Settings
from services.reports.font import FAMILY
from services.score_post import Member, draw_image, score_figures
from services.score_post.image import score_figure
from services.score_post.text import post_text
from storage.models import Group
from tests.report_kit import build_world


async def test_members_totals_and_rank_of_a_quarter(session: AsyncSession) -> None:
    world = await build_world(session)
    one = await score_figures(session=session, group=world.group_one, year=2024, quarter=1)
    # 一组: 王建国 inspection 3 + reception 2 + research 3 (the December and April ones lie
    # outside the quarter), 李红梅 one inspection (her deleted one does not count).
    assert one.members == (Member("王建国", 3, 8), Member("李红梅", 1, 3))
    assert (one.count, one.points, one.rank, one.groups) == (4, 11, 1, 2)
    two = await score_figures(session=session, group=world.group_two, year=2024, quarter=1)
    assert two.members == (Member("张伟", 1, 5), Member("赵敏", 0, 0))
    assert (two.count, two.points, two.rank, two.groups) == (1, 5, 2, 2)
    # Nanyang's group ranks among Nanyang's groups only.
    ny = await score_figures(session=session, group=world.group_ny, year=2024, quarter=1)
    assert (ny.count, ny.rank, ny.groups) == (1, 1, 1)
    empty = await score_figures(session=session, group=world.group_one, year=2024, quarter=3)
    assert empty.empty
    assert (empty.rank, empty.members[0].count) == (1, 0)


async def test_text_in_both_languages_escapes_names(
    session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    group = Group(id=world.group_one.id, name="<一组>", delegation_id=world.luoyang.id or 0)
    figures = await score_figures(session=session, group=group, year=2024, quarter=1)
    i18n = build_i18n(settings)
    with i18n.context(), i18n.use_locale("zh"):
        zh = post_text(figures, "各位<代表>辛苦了", "zh")
    assert zh.split("\n") == [
        "<b>&lt;一组&gt;</b> 2024年第一季度亮分",
        "各位&lt;代表&gt;辛苦了",
        "",
        "本组合计：履职活动 4 次，积分 11；在本代表团 2 个小组中排名第 1。",
        "• 王建国：3 次，8 分",
        "• 李红梅：1 次，3 分",
    ]
    with i18n.context(), i18n.use_locale("en"):
        en = post_text(figures, None, "en")
    assert en.split("\n")[1] == (
        "Thank you all for your work this quarter. Here is our group's score."
    )
    assert "rank 1 of 2 groups" in en


async def test_image_is_a_png_table_of_the_members(session: AsyncSession) -> None:
    world = await build_world(session)
    figures = await score_figures(session=session, group=world.group_one, year=2024, quarter=1)
    png = draw_image(figures)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (800, int((1.6 + 0.4 * 2) * 100))


async def test_every_label_of_the_image_has_its_characters_in_the_font(
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    figures = await score_figures(session=session, group=world.group_one, year=2024, quarter=1)
    figure = score_figure(figures)
    figure.savefig(io.BytesIO(), format="png")  # lays out every label, as sent
    drawn = set()
    for text in figure.findobj(Text):
        label = text.get_text()
        if not label or not text.get_visible():
            continue
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert FAMILY in {e.name for e in font_manager.fontManager.ttflist if e.fname == path}
        cmap = TTCollection(path).fonts[0].getBestCmap()
        assert not {c for c in label if not c.isspace() and ord(c) not in cmap}, label
        drawn.add(label)
    assert {"王建国", "李红梅", "8（3次）", "积分 Points"} <= drawn
    assert "一组 2024Q1 亮分 · 合计 4次 11分 · 第1/2名" in drawn
