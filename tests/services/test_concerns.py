"""Rules of concerns: the transition table, typed input, ages, settings and the follow-up query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.concerns.followup import untouched_concerns
from services.concerns.inputs import clean_phone, clean_place, clean_summary
from services.concerns.listing import age_days
from services.concerns.transitions import IllegalTransition, check_transition
from services.config import Settings, SettingsError, load_settings
from services.errors import BadInput
from storage.duty_models import ConcernState as S
from tests.factories import add_concern, add_delegation, add_representative

LEGAL = {
    (S.received, S.forwarded),
    (S.received, S.closed),
    (S.forwarded, S.answered),
    (S.forwarded, S.closed),
    (S.answered, S.resolved),
    (S.answered, S.closed),
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_the_transition_table(current: S, target: S) -> None:
    if (current, target) in LEGAL:
        check_transition(current.value, target)
        return
    with pytest.raises(IllegalTransition) as refused:
        check_transition(current.value, target)
    assert refused.value.current is current
    assert set(refused.value.allowed) == {t for c, t in LEGAL if c is current}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13837900102", "13837900102"),
        ("+86 138-3790-0102", "+86 138-3790-0102"),
        ("０３７９－６３３２１２３４", "0379-63321234"),
        ("12345", "12345"),
        ("1" * 20, "1" * 20),
    ],
)
def test_phones_accepted(typed: str, kept: str) -> None:
    assert clean_phone(typed) == kept


@pytest.mark.parametrize(
    "typed", ["", "1234", "1" * 21, "138 3790 0102 ext 5", "++86 138", "13-8#3790", "１２３"]
)
def test_phones_refused(typed: str) -> None:
    with pytest.raises(BadInput):
        clean_phone(typed)


def test_a_summary_is_kept_as_written_and_an_empty_one_refused() -> None:
    written = "  第一行，全角标点！\n\n第二行  "
    assert clean_summary(written) == "第一行，全角标点！\n\n第二行"
    for empty in ("", "   ", "\u3000\n"):
        with pytest.raises(BadInput):
            clean_summary(empty)
    with pytest.raises(BadInput):
        clean_place("地" * 257)


def test_age_counts_calendar_days_in_the_office_time_zone() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    # 23:30 and 00:30 the next day in Shanghai: one day apart, although an hour.
    created = datetime(2024, 3, 14, 15, 30, tzinfo=UTC)
    assert age_days(created, datetime(2024, 3, 14, 16, 30, tzinfo=UTC), tz) == 1
    assert age_days(created, datetime(2024, 3, 14, 15, 59, tzinfo=UTC), tz) == 0


def test_categories_are_configurable() -> None:
    assert Settings(_env_file=None).concern_categories[0] == "livelihood"
    settings = load_settings(_env_file=None, concern_categories="traffic, Other")
    assert settings.concern_categories == ("traffic", "other")
    for bad in ("", "交通", "a,a"):
        with pytest.raises(SettingsError, match="CONCERN_CATEGORIES"):
            load_settings(_env_file=None, concern_categories=bad)
    assert Settings(_env_file=None).concern_followup_days == 14


async def test_untouched_concerns_are_the_open_ones_older_than_the_days(
    session: AsyncSession,
) -> None:
    now = datetime(2024, 6, 1, 4, 0, tzinfo=UTC)
    person = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session)
    )
    made = {}
    for name, age, state in (
        ("old_received", 20, "received"),
        ("old_answered", 15, "answered"),
        ("just_under", 13, "forwarded"),
        ("old_resolved", 30, "resolved"),
        ("old_closed", 30, "closed"),
    ):
        concern = await add_concern(session, person=person, state=state, created_at=now)
        concern.touched_at = now - timedelta(days=age)
        made[name] = concern.id
    edge = await add_concern(session, person=person, created_at=now)
    edge.touched_at = now - timedelta(days=14)
    edge_id = edge.id
    await session.commit()
    found = await untouched_concerns(session=session, now=now, days=14)
    assert [c.id for c in found] == [made["old_received"], made["old_answered"]]
    assert [c.id for c in await untouched_concerns(session=session, now=now, days=12)] == [
        made["old_received"],
        made["old_answered"],
        edge_id,
        made["just_under"],
    ]
