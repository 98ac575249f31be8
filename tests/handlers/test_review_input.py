"""Forgiving input: full-width text and quick entries whose words could name a type."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.handlers.log_support import activities, seed_rep
from tests.harness import Harness


async def test_a_type_run_into_the_first_word_is_not_overridden_by_a_later_word(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: in `/log 视察洛阳博物馆 2024-03-15 文旅 调研` the entry begins with 视察 (run
    into the place, which the quick entry accepts), but the later word 调研 in the summary
    wins and the card offers the activity as a research visit (调研). services/activities/
    quick.py _find_type tries exact words anywhere before the run-together name at the start;
    the offer of free text (first_only) already reads the same text as 视察."""
    rep = await seed_rep(session, language="zh")

    card = await tg.send(rep.user, "/log 视察洛阳博物馆 2024-03-15 文旅 调研")

    assert "类型：视察" in card


async def test_a_full_width_place_is_stored_normalised_as_in_a_concern(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: the place typed at the /log place step is stored as typed (full-width letters,
    digits and the ideographic space kept), while the same place typed into /concern, and
    every place taken from a quick entry, is NFKC-normalised. The issue asks for every typed
    value to be normalised first; services/activities/drafts.py set_place only strips it."""
    rep = await seed_rep(session, language="zh")
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "视察")
    await tg.press_label(rep.user, "今天")
    await tg.send(rep.user, "洛阳市　西工区　ＡＢＣ大厦１２号")
    await tg.send(rep.user, "走访")
    await tg.press_label(rep.user, "跳过")
    await tg.press_label(rep.user, "保存")

    [row] = await activities(session, rep.person_id)
    assert row.place == "洛阳市 西工区 ABC大厦12号"
