"""The draft bulletin article naming the shortlisted, in the seed bulletin's style ("对丁一等56名
在2023年度履职表现突出的市人大代表予以表彰"): a heading, paragraphs and a source line, the
structure bulletin assembly takes an article in."""

from __future__ import annotations

from dataclasses import dataclass

from services.evaluation.model import Evaluation
from services.evaluation.wording import EvaluationWords


@dataclass(frozen=True)
class Article:
    heading: str
    paragraphs: list[str]
    source: str


def draft_article(evaluation: Evaluation, w: EvaluationWords) -> Article | None:
    """None when nobody is shortlisted (no one scored above 0)."""
    chosen = evaluation.shortlist
    if not chosen:
        return None
    year = w.year(evaluation.year)
    delegation = evaluation.delegation
    first = chosen[0].name
    if len(chosen) == 1:
        lead = w["lead_one"].format(delegation=delegation, first=first, year=year)
    else:
        lead = w["lead"].format(delegation=delegation, first=first, count=len(chosen), year=year)
    criteria = w.names([w.criteria[criterion] for criterion in evaluation.criteria])
    return Article(
        heading=w["heading"].format(year=year),
        paragraphs=[
            lead,
            w["names"].format(names=w.names([standing.name for standing in chosen])),
            w["basis"].format(criteria=criteria),
            w["call"],
        ],
        source=w["source"].format(delegation=delegation),
    )
