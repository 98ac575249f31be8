"""The text form of an issue → ``ParsedIssue``. Pure: numbered lines in, an issue or an error out.

The format (README, "Bulletin issues"), in the order printed: the masthead (代表工作), the number
(第 4 期, or 2024 年第 4 期), the issuing body, the date (2024 年 3 月 21 日), series lines, the
editor's note (编者按：…), the contents (one `* ` item each), then the articles, each opened by a
heading (`# …` or `## …`; in a file without any, a line matching a contents entry), its
paragraphs and its source line (（…供稿）), and last the distribution lines (送：, 发：, …印发 共印
50 份), usually after a `---` rule. Paragraphs are separated by blank lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.bulletins import text as fmt
from services.bulletins.blocks import Block, blocks_of
from services.bulletins.errors import IssueFileError
from services.bulletins.model import (
    MAX_ARTICLE_CHARS,
    MAX_ARTICLES,
    MAX_NOTE_CHARS,
    Line,
    ParsedArticle,
    ParsedIssue,
)
from services.i18n_marks import N_
from storage.bulletin_models import HEADING_LIMIT, LINE_LIMIT

# Longer than any congress committee's name: a paragraph, not the issuing body.
ISSUING_BODY_MAX = 120


@dataclass
class _Reader:
    """The state of one pass over the blocks."""

    marked_headings: bool
    issue: ParsedIssue = field(default_factory=lambda: ParsedIssue(0, 0, date.min))
    has_number: bool = False
    has_date: bool = False
    in_contents: bool = False
    after_note: bool = False
    footer: bool = False
    series: list[str] = field(default_factory=list)

    def feed(self, block: Block) -> None:
        text = block.text
        if block.rule:
            self.footer = self.footer or bool(self.issue.articles)
        elif self.footer or (self.issue.articles and fmt.DISTRIBUTION.match(text)):
            if block.heading:
                self.footer = False
                self._start_article(block)
            else:
                self.footer = True
                self._distribution(block)
        elif not self.has_number:
            self._before_number(block, text)
        elif not self.has_date:
            self._before_date(block, text)
        elif self._is_heading(block, text):
            self._start_article(block)
        elif self.issue.articles:
            self._paragraph(block, text)
        else:
            self._header(block, text)

    def _before_number(self, block: Block, text: str) -> None:
        found = fmt.NUMBER.match(fmt.folded(text))
        if found:
            if not found["number"].isdigit() or not 0 < int(found["number"]) < 10_000:
                raise _at(
                    block,
                    N_("Line {line}: {text} — write the issue number in digits, as in 第 4 期."),
                    text,
                )
            self.issue.number = int(found["number"])
            self.issue.year = int(found["year"] or 0)
            self.has_number = True
        elif not self.issue.title and len(block.lines) == 1:
            self.issue.title = _fit(block, fmt.unbreak(text), LINE_LIMIT)
        else:
            raise _at(
                block,
                N_(
                    "Line {line}: {text} — expected the issue number (a line such as 第 4 期) "
                    "after the masthead."
                ),
                text,
            )

    def _before_date(self, block: Block, text: str) -> None:
        found = fmt.DATE.match(fmt.folded(text))
        if found is None:
            if block.heading or len(text) > ISSUING_BODY_MAX:
                raise _at(
                    block,
                    N_(
                        "Line {line}: {text} — expected the issuing body and the date "
                        "(a line such as 2024 年 3 月 21 日) after the issue number."
                    ),
                    text,
                )
            joined = fmt.join(self.issue.issuing_body, text)
            self.issue.issuing_body = _fit(block, joined, LINE_LIMIT)
            return
        try:
            self.issue.issued_on = date(int(found["y"]), int(found["m"]), int(found["d"]))
        except ValueError:
            raise _at(block, N_("Line {line}: {text} is not a date."), text) from None
        before = found["before"].strip()
        if before:
            joined = fmt.join(self.issue.issuing_body, before)
            self.issue.issuing_body = _fit(block, joined, LINE_LIMIT)
        self.issue.year = self.issue.year or self.issue.issued_on.year
        self.has_date = True

    def _header(self, block: Block, text: str) -> None:
        note = fmt.NOTE.match(text)
        if note and not self.issue.editors_note:
            self.issue.editors_note = _fit(block, note["text"].strip(), MAX_NOTE_CHARS)
            self.after_note = True
        elif fmt.CONTENTS_TITLE.match(text):
            self.in_contents = True
        elif block.bullet or (self.in_contents and len(block.lines) == 1):
            self.issue.contents.append(_fit(block, fmt.unbreak(text), LINE_LIMIT))
            self.after_note = False
        elif self.after_note and fmt.continues(self.issue.editors_note):
            joined = fmt.join(self.issue.editors_note, text)
            self.issue.editors_note = _fit(block, joined, MAX_NOTE_CHARS)
        elif not self.issue.editors_note and not self.issue.contents:
            self.series.append(_fit(block, fmt.unbreak(text), LINE_LIMIT))
        else:
            raise _at(
                block,
                N_(
                    "Line {line}: {text} — text before the first article. Start each article "
                    "with a heading line (# 标题), or list it in the contents."
                ),
                text,
            )

    def _is_heading(self, block: Block, text: str) -> bool:
        if block.heading:
            return True
        if self.marked_headings or len(block.lines) != 1:
            return False
        return fmt.key(text) in {fmt.key(entry) for entry in self.issue.contents}

    def _start_article(self, block: Block) -> None:
        self._close_article()
        if len(self.issue.articles) >= MAX_ARTICLES:
            raise _at(
                block,
                N_("Line {line}: {text} — an issue may hold at most {limit} articles."),
                block.text,
                limit=MAX_ARTICLES,
            )
        heading = _fit(block, fmt.unbreak(block.text), HEADING_LIMIT)
        place = fmt.place_of(heading) or self._place_from_contents(heading)
        self.issue.articles.append(ParsedArticle(heading=heading, line=block.line, place=place))

    def _place_from_contents(self, heading: str) -> str | None:
        for entry in self.issue.contents:
            if fmt.key(entry) == fmt.key(heading):
                return fmt.place_of(entry)
        return None

    def _paragraph(self, block: Block, text: str) -> None:
        article = self.issue.articles[-1]
        if article.paragraphs and fmt.continues(article.paragraphs[-1]):
            article.paragraphs[-1] = fmt.join(article.paragraphs[-1], text)
        else:
            article.paragraphs.append(text)
        if article.size > MAX_ARTICLE_CHARS:
            raise IssueFileError(
                N_(
                    "Line {line}: the article {text} is longer than {limit} characters; "
                    "split it into several articles."
                ),
                line=article.line,
                text=fmt.excerpt(article.heading),
                limit=MAX_ARTICLE_CHARS,
            )

    def _distribution(self, block: Block) -> None:
        self._close_article()
        for line in block.lines:
            self.issue.distribution.append(_fit(block, line, LINE_LIMIT))
            copies = fmt.COPIES.search(fmt.folded(line))
            if copies:
                self.issue.copies = int(copies.group(1))

    def _close_article(self) -> None:
        if not self.issue.articles or self.issue.articles[-1].source is not None:
            return
        article = self.issue.articles[-1]
        if article.paragraphs and fmt.SOURCE.match(article.paragraphs[-1]):
            article.source = article.paragraphs.pop()
        if not article.paragraphs:
            raise IssueFileError(
                N_("Line {line}: the article {text} has no text."),
                line=article.line,
                text=fmt.excerpt(article.heading),
            )

    def finish(self, last_line: int) -> ParsedIssue:
        self._close_article()
        if not self.has_number:
            raise IssueFileError(
                N_("No issue number was found: add a line such as 第 4 期 under the masthead.")
            )
        if not self.has_date:
            raise IssueFileError(
                N_("No date was found: add a line such as 2024 年 3 月 21 日 after the number.")
            )
        if not self.issue.articles:
            raise IssueFileError(
                N_(
                    "The file holds no article (read to line {line}): start each article with "
                    "a heading line (# 标题)."
                ),
                line=last_line,
            )
        self.issue.series = fmt.unbreak(" ".join(self.series))
        return self.issue


def parse_issue(lines: Sequence[Line]) -> ParsedIssue:
    """The issue in ``lines``; raises ``IssueFileError`` naming the line at fault."""
    blocks = blocks_of(lines)
    if not blocks:
        raise IssueFileError(N_("The file is empty."))
    # The masthead may be the only Markdown heading; any other means headings are marked.
    marked = sum(block.heading for block in blocks[1:]) > 0
    reader = _Reader(marked_headings=marked)
    for block in blocks:
        reader.feed(block)
    return reader.finish(lines[-1].number if lines else 0)


def _fit(block: Block, value: str, limit: int) -> str:
    if len(value) > limit:
        raise IssueFileError(
            N_("Line {line}: {text} — longer than the {limit} characters such a line may hold."),
            line=block.line,
            text=fmt.excerpt(value),
            limit=limit,
        )
    return value


def _at(block: Block, message: str, text: str, **params: object) -> IssueFileError:
    return IssueFileError(message, line=block.line, text=fmt.excerpt(text), **params)
