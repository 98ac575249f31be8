"""What the parser makes of an issue file, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# An article longer than this is refused: about fifteen Telegram messages, ten times the longest
# article printed so far. A file far larger (a 2 MB article) is refused before it is parsed.
MAX_ARTICLE_CHARS = 60_000
# Each article gets a button on the issue card; Telegram allows 100 buttons to a keyboard.
MAX_ARTICLES = 40
# The editor's note shares the issue card with the date, the series line and the buttons.
MAX_NOTE_CHARS = 3_000


@dataclass(frozen=True)
class Line:
    """A line of the file with its number (1-based) as an editor would count it."""

    number: int
    text: str


@dataclass
class ParsedArticle:
    heading: str
    line: int
    place: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def size(self) -> int:
        return sum(len(paragraph) for paragraph in self.paragraphs)


@dataclass
class ParsedIssue:
    year: int
    number: int
    issued_on: date
    title: str = ""
    issuing_body: str = ""
    series: str = ""
    editors_note: str = ""
    contents: list[str] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    copies: int | None = None
