"""Send times as staff type them; the audience choice, its scope and the Chosen audience."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.audience import (
    Choice,
    Kind,
    OutOfScope,
    audience_options,
    count_audience,
    resolve,
)
from services.broadcasts.when import SendTimeInPast, parse_send_time
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Chosen, TextContent
from services.errors import BadInput
from tests.handlers.broadcast_kit import INSIDE_CHATS, OUTSIDE_CHAT, recipients, seed

TZ = ZoneInfo("Asia/Shanghai")
# 10:00 in Shanghai, Thursday 3 December 2026.
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("18:30", datetime(2026, 12, 3, 18, 30)),
        ("１８：３０", datetime(2026, 12, 3, 18, 30)),
        ("tomorrow 9:00", datetime(2026, 12, 4, 9, 0)),
        ("明天 09:00", datetime(2026, 12, 4, 9, 0)),
        ("2026-12-05 08:15", datetime(2026, 12, 5, 8, 15)),
        ("2027年1月2日 7:05", datetime(2027, 1, 2, 7, 5)),
    ],
)
def test_send_times_are_read_in_the_deployments_time_zone(typed: str, local: datetime) -> None:
    assert parse_send_time(typed, now=NOW, tz=TZ) == local.replace(tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize("typed", ["9:59", "today 10:00", "2026-12-02 12:00"])
def test_a_time_already_passed_is_refused(typed: str) -> None:
    with pytest.raises(SendTimeInPast):
        parse_send_time(typed, now=NOW, tz=TZ)


@pytest.mark.parametrize("typed", ["", "soon", "25:00", "next week 9:00", "2026-02-30 9:00"])
def test_a_time_that_cannot_be_read_gets_the_usage(typed: str) -> None:
    with pytest.raises(BadInput):
        parse_send_time(typed, now=NOW, tz=TZ)


def test_a_choice_toggles_and_survives_the_dialog_data() -> None:
    choice = Choice().toggled(Kind.group, 4).toggled(Kind.station, 9)
    assert Choice.from_data(choice.to_data()) == choice
    assert choice.toggled(Kind.group, 4).group_ids == frozenset()
    everyone = choice.toggled(Kind.everyone, 0)
    assert everyone == Choice(everyone=True)
    assert everyone.toggled(Kind.delegation, 2) == Choice(delegation_ids=frozenset({2}))
    assert Choice().empty
    assert not everyone.empty


async def test_options_and_resolve_stay_within_scope(session: AsyncSession) -> None:
    ids = await seed(session)
    scope = frozenset({ids["inside"]})
    options = await audience_options(session=session, scope=scope)
    assert {(o.kind, o.id) for o in options} == {
        (Kind.delegation, ids["inside"]),
        (Kind.group, ids["group"]),
        (Kind.group, ids["empty_group"]),
        (Kind.station, ids["station"]),
    }
    everything = await audience_options(session=session, scope=None)
    assert (Kind.delegation, ids["outside"]) in {(o.kind, o.id) for o in everything}
    for forged in (
        Choice(delegation_ids=frozenset({ids["outside"]})),
        Choice(group_ids=frozenset({ids["far_group"]})),
        Choice(station_ids=frozenset({999})),
    ):
        with pytest.raises(OutOfScope):
            await resolve(session=session, scope=scope, choice=forged)
    everyone = await resolve(session=session, scope=scope, choice=Choice(everyone=True))
    count = await count_audience(session=session, audience=everyone)
    assert (count.reachable, count.without_account) == (3, 1)


async def test_a_chosen_audience_queues_the_union_within_scope(session: AsyncSession) -> None:
    ids = await seed(session)
    scope = frozenset({ids["inside"]})
    station_only = Chosen(scope=scope, station_ids=frozenset({ids["station"]}))
    delivery = await enqueue(
        session=session,
        dedupe_key="t:station",
        audience=station_only,
        content=TextContent("通知"),
        not_before=NOW,
    )
    assert set(await recipients(session, delivery)) == {INSIDE_CHATS[0]}
    # Without a scope the station reaches the other delegation's representative too.
    anywhere = Chosen(scope=None, station_ids=frozenset({ids["station"]}))
    delivery = await enqueue(
        session=session,
        dedupe_key="t:any",
        audience=anywhere,
        content=TextContent("通知"),
        not_before=NOW,
    )
    assert set(await recipients(session, delivery)) == {INSIDE_CHATS[0], OUTSIDE_CHAT}
    union = Chosen(
        scope=None,
        group_ids=frozenset({ids["far_group"]}),
        delegation_ids=frozenset({ids["inside"]}),
    )
    delivery = await enqueue(
        session=session,
        dedupe_key="t:union",
        audience=union,
        content=TextContent("通知"),
        not_before=NOW,
    )
    assert set(await recipients(session, delivery)) == {*INSIDE_CHATS, OUTSIDE_CHAT}
    assert delivery.skipped == 1
    assert delivery.audience["chosen"]["groups"] == [ids["far_group"]]
    nobody = Chosen(scope=scope)
    delivery = await enqueue(
        session=session,
        dedupe_key="t:none",
        audience=nobody,
        content=TextContent("通知"),
        not_before=NOW,
    )
    assert await recipients(session, delivery) == {}
