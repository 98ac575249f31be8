"""The archive's services on the database: storing and replacing, can_read, 已阅, search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.access import can_read
from services.bulletins.archive import open_article, open_issue, published_page
from services.bulletins.errors import (
    ArticlesDropped,
    BadQuery,
    IssueExists,
    IssueNotFound,
    NotInRoster,
)
from services.bulletins.files import read_issue_file
from services.bulletins.importing import store_issue
from services.bulletins.model import ParsedIssue
from services.bulletins.reads import mark_read
from services.bulletins.search import matching_sentence, search, terms_of
from services.deliveries.model import Representatives
from services.permissions import Role
from storage.bulletin_models import BulletinIssue, IssueState
from storage.bulletins import list_articles, list_reads
from tests.bulletin_kit import publish_issue_to
from tests.factories import add_delegation, add_representative

NOW = datetime(2024, 6, 20, 2, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "data"


def parsed(name: str) -> ParsedIssue:
    return read_issue_file((DATA / name).read_bytes(), name).issue


async def stored(session: AsyncSession, name: str, *, publish: bool = True) -> BulletinIssue:
    result = await store_issue(
        session=session, parsed=parsed(name), original=None, replace=False, now=NOW
    )
    if publish:
        # To every representative of the roster so far: the issue's audience.
        await publish_issue_to(session, result.issue, Representatives(None), NOW)
    return result.issue


async def reader(session: AsyncSession, telegram_id: int = 501) -> Actor:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=telegram_id, delegation=delegation)
    return Actor(
        telegram_id=telegram_id,
        roles=frozenset({Role.representative}),
        locale="zh",
        person_id=person.id,
    )


ADMIN_ONLY = Actor(telegram_id=9, roles=frozenset({Role.admin}), locale="en", scope=None)
STRANGER = Actor(telegram_id=8, roles=frozenset({Role.stranger}), locale="en")


async def test_store_refuses_a_duplicate_and_replace_keeps_state_and_reads(
    session: AsyncSession,
) -> None:
    actor = await reader(session)
    issue = await stored(session, "000_a1bcc203f270e66c.txt")
    assert issue.id is not None
    assert await mark_read(session=session, actor=actor, issue_id=issue.id, now=NOW)
    with pytest.raises(IssueExists) as caught:
        await store_issue(
            session=session,
            parsed=parsed("000_a1bcc203f270e66c.txt"),
            original=None,
            replace=False,
            now=NOW,
        )
    assert caught.value.params == {"year": 2024, "number": 4, "state": IssueState.published}
    before = (await open_issue(session=session, actor=actor, issue_id=issue.id)).articles
    edited = parsed("000_a1bcc203f270e66c.txt")
    first, second = edited.articles
    # A correction: the second article's text, and the articles' order.
    second.paragraphs = ["更正后的第一段。", *second.paragraphs[1:]]
    edited.articles = [second, first]
    later = NOW + timedelta(days=1)
    result = await store_issue(
        session=session, parsed=edited, original=None, replace=True, now=later
    )
    assert result.replaced
    assert result.issue.id == issue.id
    assert result.issue.state == IssueState.published
    assert result.issue.published_at == NOW
    view = await open_issue(session=session, actor=actor, issue_id=issue.id)
    # Each article keeps its id (the delivered cards' buttons), in the new order.
    assert [(a.id, a.position) for a in view.articles] == [(before[1].id, 1), (before[0].id, 2)]
    assert view.articles[0].paragraphs[0] == "更正后的第一段。"
    assert view.read


async def test_a_published_issue_replaced_without_one_of_its_articles_is_refused(
    session: AsyncSession,
) -> None:
    actor = await reader(session)
    issue = await stored(session, "000_a1bcc203f270e66c.txt")
    assert issue.id is not None
    before = (await open_issue(session=session, actor=actor, issue_id=issue.id)).articles
    edited = parsed("000_a1bcc203f270e66c.txt")
    renamed = edited.articles[1]
    renamed.heading = "南阳市：召开现场会推进主题活动"
    with pytest.raises(ArticlesDropped) as caught:
        await store_issue(session=session, parsed=edited, original=None, replace=True, now=NOW)
    assert caught.value.params == {
        "year": 2024,
        "number": 4,
        "headings": "南阳市：召开专题现场会推进主题活动在全市迅速铺开",
    }
    after = (await open_issue(session=session, actor=actor, issue_id=issue.id)).articles
    assert [(a.id, a.heading, a.body) for a in after] == [(a.id, a.heading, a.body) for a in before]
    # A draft reached nobody: it may be rebuilt freely; the article that stays keeps its id.
    draft = await stored(session, "bulletin_2024_07.txt", publish=False)
    assert draft.id is not None
    kept = (await list_articles(session=session, issue_id=draft.id))[0]
    shorter = parsed("bulletin_2024_07.txt")
    shorter.articles = shorter.articles[:1]
    await store_issue(session=session, parsed=shorter, original=None, replace=True, now=NOW)
    assert [a.id for a in await list_articles(session=session, issue_id=draft.id)] == [kept.id]


async def test_can_read_published_issues_only_and_only_people_of_the_roster(
    session: AsyncSession,
) -> None:
    actor = await reader(session)
    published = await stored(session, "000_a1bcc203f270e66c.txt")
    draft = await stored(session, "bulletin_2024_07.txt", publish=False)
    assert await can_read(session=session, actor=actor, issue=published)
    assert not await can_read(session=session, actor=actor, issue=draft)
    assert await can_read(session=session, actor=ADMIN_ONLY, issue=published)
    assert not await can_read(session=session, actor=STRANGER, issue=published)
    assert draft.id is not None
    assert published.id is not None
    with pytest.raises(IssueNotFound):
        await open_issue(session=session, actor=actor, issue_id=draft.id)
    with pytest.raises(NotInRoster):
        await mark_read(session=session, actor=ADMIN_ONLY, issue_id=published.id, now=NOW)
    listing = await published_page(session=session, actor=actor, page=5)
    assert (listing.total, listing.page, [i.id for i in listing.issues]) == (1, 0, [published.id])


async def test_a_read_is_recorded_once_with_its_first_time(session: AsyncSession) -> None:
    actor = await reader(session)
    issue = await stored(session, "000_a1bcc203f270e66c.txt")
    assert issue.id is not None
    assert await mark_read(session=session, actor=actor, issue_id=issue.id, now=NOW)
    later = NOW + timedelta(hours=1)
    assert not await mark_read(session=session, actor=actor, issue_id=issue.id, now=later)
    reads = await list_reads(session=session, issue_id=issue.id)
    assert [(r.person_id, r.read_at) for r in reads] == [(actor.person_id, NOW)]


async def test_articles_know_their_neighbours(session: AsyncSession) -> None:
    actor = await reader(session)
    issue = await stored(session, "bulletin_2024_07.txt")
    assert issue.id is not None
    view = await open_issue(session=session, actor=actor, issue_id=issue.id)
    first, second, third = (a.id for a in view.articles)
    assert first is not None
    assert second is not None
    middle = await open_article(session=session, actor=actor, article_id=second)
    assert (middle.previous_id, middle.next_id, middle.count) == (first, third, 3)


async def test_search_chinese_substrings_and_english_words(session: AsyncSession) -> None:
    actor = await reader(session)
    await stored(session, "000_a1bcc203f270e66c.txt")
    await stored(session, "bulletin_2024_07.txt")
    found = await search(session=session, actor=actor, query="联络站")
    headings = [hit.article.heading[:3] for hit in found.hits if hit.article is not None]
    assert headings == ["许昌市", "南阳市"]  # newest issue first
    english = await search(session=session, actor=actor, query="HOME deputy")
    assert [hit.article.position for hit in english.hits if hit.article] == [1]
    assert "“Deputy Home”" in english.hits[0].sentence
    # Words must all occur; LIKE's wildcards are plain characters.
    assert (await search(session=session, actor=actor, query="deputy 许昌")).hits == []
    assert (await search(session=session, actor=actor, query="代%站")).hits == []
    assert (await search(session=session, actor=actor, query="代表_络")).hits == []
    percent = await search(session=session, actor=actor, query="97.3%")
    assert [hit.sentence[-11:] for hit in percent.hits] == ["满意率达到97.3%。"]
    note = await search(session=session, actor=actor, query="编发")
    assert [hit.article for hit in note.hits] == [None]
    assert note.hits[0].sentence.startswith("为进一步加强和改进代表工作，我们将收集整理")


def test_query_words_and_the_sentence_shown() -> None:
    assert terms_of("  Deputy   HOME deputy ") == ["deputy", "home"]
    with pytest.raises(BadQuery):
        terms_of("   ")
    with pytest.raises(BadQuery):
        terms_of("词" * 101)
    text = "第一句没有。第二句提到代表小组！第三句也有代表。"
    assert matching_sentence(text, ["代表小组"]) == "第二句提到代表小组！"
    long = "开头" * 200 + "关键词" + "结尾" * 200 + "。"
    shown = matching_sentence(long, ["关键词"])
    assert len(shown) <= 162
    assert "关键词" in shown
    assert shown.startswith("…")
    assert shown.endswith("…")
