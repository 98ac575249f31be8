"""The annual evaluation against the hand-computed roster (tests.evaluation_kit): each
criterion's figure, the scores, ties, the shortlist, the refusals, the workbook and the article."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.actors import Actor
from services.errors import PermissionDenied
from services.evaluation import (
    DEFAULT_WEIGHTS,
    BadYear,
    Criterion,
    Figure,
    FutureYear,
    NoWeights,
    build_evaluation,
    draft_article,
    evaluation_words,
    parse_weights,
    weights_from,
)
from services.evaluation.workbook import evaluation_xlsx
from services.reports import UnitNotFound
from storage.meeting_models import Meeting
from storage.models import Mandate
from tests.evaluation_kit import add_reply, build_evaluation_world
from tests.factories import add_representative
from tests.report_kit import NOW

TZ = ZoneInfo("Asia/Shanghai")
C = Criterion


def _staff(scope: frozenset[int] | None) -> Actor:
    return Actor(telegram_id=1, locale="zh", roles=frozenset({"staff"}), scope=scope)  # type: ignore[arg-type]


async def _evaluate(session: AsyncSession, delegation_id: int, **kwargs: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {
        "actor": None,
        "year": 2024,
        "weights": DEFAULT_WEIGHTS,
        "shortlist_percent": 5.0,
        "now": NOW,
        "tz": TZ,
    }
    options.update(kwargs)
    return await build_evaluation(session=session, delegation_id=delegation_id, **options)  # type: ignore[arg-type]


async def test_figures_scores_and_shortlist(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    result = await _evaluate(session, world.luoyang.id)
    assert [(s.name, s.rank, round(s.score, 3)) for s in result.standings] == [
        ("王建国", 1, 75.0),
        ("李红梅", 2, 36.667),
        ("张伟", 3, 35.0),
        ("赵敏", 4, 0.0),
    ]
    figures = {s.name: dict(s.figures) for s in result.standings}
    assert figures["王建国"] == {
        C.attendance: Figure(2, 2),
        C.inspections: Figure(3),
        C.receptions: Figure(2),
        C.suggestions: Figure(0),
        C.reports: Figure(0),
        C.duty: Figure(1, 1),
    }
    assert figures["李红梅"] == {
        C.attendance: Figure(1, 2),
        C.inspections: Figure(1),
        C.receptions: Figure(1),
        C.suggestions: Figure(0),
        C.reports: Figure(1),
        C.duty: Figure(0, 2),
    }
    assert figures["张伟"][C.attendance] == Figure(1, 1)
    assert figures["张伟"][C.suggestions] == Figure(2)
    assert figures["赵敏"][C.attendance] == Figure(0, 1)
    assert figures["赵敏"][C.duty] == Figure(0, 0)
    li = result.standings[1]
    assert round(li.points[C.inspections], 3) == 6.667
    assert li.normalised[C.receptions] == 0.5
    assert [s.name for s in result.shortlist] == ["王建国"]


async def test_attendance_counts_the_meetings_each_was_invited_to(session: AsyncSession) -> None:
    """赵敏 moved from 二组 to 一组 after their meetings: she keeps 二组's meeting she was asked to
    (0 of 1), and 一组's two before she came are not hers. A member without an account, told of
    nothing, who checks in anyway has one meeting of one."""
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    zhao = world.people["zhao"]
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == zhao.id))
    ).one()
    mandate.group_id = world.group_one.id
    session.add(mandate)
    newcomer = await add_representative(
        session, telegram_id=None, delegation=world.luoyang, name="钱进"
    )
    first_of_one = (
        select(Meeting)
        .where(col(Meeting.group_id) == world.group_one.id)
        .order_by(col(Meeting.starts_at))
    )
    meeting = (await session.scalars(first_of_one)).first()
    assert meeting is not None
    await add_reply(session, meeting, newcomer, checked_in=True, answer=None)
    await session.commit()
    result = await _evaluate(session, world.luoyang.id)
    figures = {s.name: s.figures[C.attendance] for s in result.standings}
    assert figures == {
        "王建国": Figure(2, 2),
        "李红梅": Figure(1, 2),
        "张伟": Figure(1, 1),
        "赵敏": Figure(0, 1),
        "钱进": Figure(1, 1),
    }


async def test_the_member_who_convened_a_meeting_attended_it(session: AsyncSession) -> None:
    """李红梅 convened 一组's March meeting and showed its code rather than checking in: it counts
    as attended (2 of 2, not 1 of 2). Convening a meeting of a group one was not asked to adds
    nothing: 张伟 is no member of 一组."""
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    meetings = (
        await session.scalars(
            select(Meeting)
            .where(col(Meeting.group_id) == world.group_one.id)
            .order_by(col(Meeting.starts_at))
        )
    ).all()
    march, cancelled = meetings[1], meetings[2]
    march.organiser_person_id = world.people["li"].id
    cancelled.organiser_person_id = world.people["li"].id
    meetings[0].organiser_person_id = world.people["zhang"].id
    session.add_all([march, cancelled, meetings[0]])
    await session.commit()
    result = await _evaluate(session, world.luoyang.id)
    figures = {s.name: s.figures[C.attendance] for s in result.standings}
    assert figures["李红梅"] == Figure(2, 2)
    assert figures["张伟"] == Figure(1, 1)
    assert figures["王建国"] == Figure(2, 2)


async def test_equal_scores_share_a_rank_in_name_order(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    weights = parse_weights("inspections=0,receptions=0,suggestions=0,reports=0,duty=0")
    result = await _evaluate(session, world.luoyang.id, weights=weights, shortlist_percent=50.0)
    assert [(s.name, s.rank, s.score) for s in result.standings] == [
        ("张伟", 1, 100.0),
        ("王建国", 1, 100.0),
        ("李红梅", 3, 50.0),
        ("赵敏", 4, 0.0),
    ]
    assert [s.name for s in result.shortlist] == ["张伟", "王建国"]
    assert result.criteria == [C.attendance]


async def test_refusals(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    assert world.nanyang.id is not None
    zero = weights_from(dict.fromkeys(Criterion, 0.0))
    with pytest.raises(NoWeights):
        await _evaluate(session, world.luoyang.id, weights=zero)
    with pytest.raises(FutureYear):
        await _evaluate(session, world.luoyang.id, year=2025)
    with pytest.raises(UnitNotFound):
        await _evaluate(session, world.nanyang.id, actor=_staff(frozenset({world.luoyang.id})))
    representative = Actor(telegram_id=2, locale="zh", roles=frozenset({"representative"}))  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await _evaluate(session, world.luoyang.id, actor=representative)


def test_weights_from_text() -> None:
    assert parse_weights("") == dict(DEFAULT_WEIGHTS)
    assert parse_weights("duty=0, attendance=2.5")[C.attendance] == 2.5
    for bad in ("duty", "meals=3", "duty=x", "duty=-1", "duty=1,duty=2", "duty=nan"):
        with pytest.raises(ValueError, match=r"\w"):
            parse_weights(bad)


async def test_workbook_and_article(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    assert world.luoyang.id is not None
    result = await _evaluate(session, world.luoyang.id, shortlist_percent=50.0)
    words = evaluation_words(lambda text: text, "en")
    book = load_workbook(io.BytesIO(evaluation_xlsx(result, words)))
    ranking = book["Ranking"]
    assert [c.value for c in ranking[1]][:6] == [
        "Rank",
        "Representative",
        "Group",
        "Score",
        "Group meetings attended: figure",
        "Group meetings attended: points",
    ]
    assert [c.value for c in ranking[3]][:6] == [2, "李红梅", "一组", 36.7, "1/2", 10]
    assert ranking.max_row == 5
    assert [[c.value for c in row] for row in book["Shortlist"].iter_rows(min_row=2)] == [
        [1, "王建国", "一组", 75],
        [2, "李红梅", "一组", 36.7],
    ]
    article = draft_article(result, words)
    assert article is not None
    assert article.heading == "Representatives commended for their performance in 2024"
    assert article.paragraphs[0] == (
        "驻洛省十四届人大代表 commends 2 representatives, 王建国 and others, for their "
        "outstanding performance of their duties in 2024."
    )
    assert article.paragraphs[1] == "Commended representatives (by score): 王建国, 李红梅."
    assert article.source == "(Contributed by 驻洛省十四届人大代表)"


def test_year_is_four_digits() -> None:
    from datetime import date

    from services.evaluation import parse_year

    today = date(2024, 4, 10)
    assert parse_year(" 2024 ", today=today) == 2024
    for bad in ("24", "２０２４", "1900", "year"):
        with pytest.raises(BadYear):
            parse_year(bad, today=today)
    with pytest.raises(FutureYear):
        parse_year("2025", today=today)


def test_settings_read_the_weights() -> None:
    from services.config import Settings

    settings = Settings(_env_file=None, evaluation_weights="duty=0,reports=5")
    weights = weights_from(settings.evaluation_weights)
    assert weights[C.duty] == 0
    assert weights[C.reports] == 5
    assert weights[C.attendance] == 20
    assert weights_from(Settings(_env_file=None).evaluation_weights) == dict(DEFAULT_WEIGHTS)
    with pytest.raises(ValueError, match="meals"):
        Settings(_env_file=None, evaluation_weights="meals=1")
