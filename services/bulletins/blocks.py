"""An issue file's lines grouped as the parser reads them: paragraphs (lines between blank
lines), with a Markdown heading, a rule (---) and a list item each a block of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.bulletins import text as fmt
from services.bulletins.model import Line


@dataclass
class Block:
    """Lines between blank lines; a heading, a rule and a list item each make a block alone."""

    line: int
    lines: list[str]
    heading: bool = False
    rule: bool = False
    bullet: bool = False

    @property
    def text(self) -> str:
        joined = ""
        for piece in self.lines:
            joined = fmt.join(joined, piece)
        return joined


def blocks_of(lines: Sequence[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            current = None
            continue
        heading, bullet = fmt.HEADING.match(stripped), fmt.BULLET.match(stripped)
        if fmt.RULE.match(stripped):
            blocks.append(Block(line.number, [], rule=True))
        elif heading:
            blocks.append(Block(line.number, [fmt.clean(heading["text"])], heading=True))
        elif bullet:
            blocks.append(Block(line.number, [fmt.clean(bullet["text"])], bullet=True))
        elif current is not None:
            current.lines.append(fmt.clean(stripped))
            continue
        else:
            current = Block(line.number, [fmt.clean(stripped)])
            blocks.append(current)
            continue
        current = None
    return blocks
