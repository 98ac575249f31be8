"""/search: issues and articles that hold every word of the query, with the sentence that matches.

Chinese is matched as a substring (关键词 finds 关键词语), so no word segmentation is needed;
words separated by spaces must all occur, in any order, case-insensitively (Deputy home finds
“deputy HOME”). Only issues the reader may read (access.readable_by) are searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.access import readable_by
from services.bulletins.errors import BadQuery
from storage.bulletin_models import BulletinArticle, BulletinIssue, IssueState
from storage.bulletins import search_articles, search_issues

MAX_TERMS = 5
MAX_QUERY_CHARS = 100
MAX_HITS = 10
SENTENCE_CUT = 160
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


@dataclass(frozen=True)
class SearchHit:
    issue: BulletinIssue
    # None: the issue itself matched (its title, series line or editor's note).
    article: BulletinArticle | None
    sentence: str


@dataclass(frozen=True)
class SearchResult:
    terms: list[str]
    hits: list[SearchHit]
    # Articles found in all, of which at most MAX_HITS are shown.
    total: int


def terms_of(query: str) -> list[str]:
    """The words of a query, lower-cased and without repeats; raises ``BadQuery`` if none."""
    query = query.strip()
    if not query:
        raise BadQuery()
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(BadQuery.too_long, limit=MAX_QUERY_CHARS)
    terms = list(dict.fromkeys(word.casefold() for word in query.split()))
    return terms[:MAX_TERMS]


async def search(*, session: AsyncSession, actor: Actor, query: str) -> SearchResult:
    """Hits among the issues the actor may read, filtered in the query itself: an issue
    delivered elsewhere neither takes a place among the hits nor counts in the total."""
    terms = terms_of(query)
    published, where = IssueState.published, readable_by(actor)
    issues = await search_issues(
        session=session, terms=terms, state=published, limit=MAX_HITS, where=where
    )
    rows, total = await search_articles(
        session=session, terms=terms, state=published, limit=MAX_HITS, where=where
    )
    hits: list[SearchHit] = []
    for issue in issues:
        text = "\n".join((issue.title, issue.series, issue.editors_note))
        hits.append(SearchHit(issue=issue, article=None, sentence=matching_sentence(text, terms)))
    for article, issue in rows:
        text = article.heading + "\n" + article.body
        hits.append(
            SearchHit(issue=issue, article=article, sentence=matching_sentence(text, terms))
        )
    return SearchResult(terms=terms, hits=hits[:MAX_HITS], total=total + len(issues))


def matching_sentence(text: str, terms: list[str]) -> str:
    """The sentence holding the most of the terms (the first such), cut around the first term."""
    best, best_count = "", -1
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        folded = sentence.casefold()
        count = sum(term in folded for term in terms)
        if count > best_count:
            best, best_count = sentence, count
        if count == len(terms):
            break
    return _around(best, terms)


def _around(sentence: str, terms: list[str]) -> str:
    if len(sentence) <= SENTENCE_CUT:
        return sentence
    folded = sentence.casefold()
    at = min((folded.find(t) for t in terms if t in folded), default=0)
    start = max(0, min(at - SENTENCE_CUT // 3, len(sentence) - SENTENCE_CUT))
    cut = sentence[start : start + SENTENCE_CUT]
    return ("…" if start > 0 else "") + cut + ("…" if start + SENTENCE_CUT < len(sentence) else "")
