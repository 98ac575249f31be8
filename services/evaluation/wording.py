"""The evaluation's words in the reader's language, translated once by the caller's gettext, so
that the workbook can be written off the event loop (a thread, the command line)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.evaluation.criteria import CRITERION_LABELS, Criterion
from services.evaluation.model import Figure
from services.i18n_marks import N_
from services.labels import is_zh

_MSGIDS = {
    "rank": N_("Rank"),
    "representative": N_("Representative"),
    "group": N_("Group"),
    "score": N_("Score"),
    "weight": N_("Weight"),
    "criterion": N_("Criterion"),
    "raw": N_("{criterion}: figure"),
    "points": N_("{criterion}: points"),
    "shortlisted": N_("Shortlisted"),
    "yes": N_("yes"),
    "no_group": N_("(no group)"),
    "sheet_ranking": N_("Ranking"),
    "sheet_shortlist": N_("Shortlist"),
    "sheet_weights": N_("Criteria"),
    "how": N_(
        "Each figure is divided by the delegation's best, weighted, and the weighted shares "
        "add up to a score out of 100."
    ),
    "heading": N_("Representatives commended for their performance in {year}"),
    "lead": N_(
        "{delegation} commends {count} representatives, {first} and others, for their "
        "outstanding performance of their duties in {year}."
    ),
    "lead_one": N_(
        "{delegation} commends {first} for their outstanding performance of their duties in {year}."
    ),
    "names": N_("Commended representatives (by score): {names}."),
    "basis": N_(
        "The shortlist comes from each representative's record over the year: {criteria}, "
        "weighed into one score."
    ),
    "call": N_(
        "Representatives are encouraged to learn from them, stay close to the people and "
        "perform their duties well."
    ),
    "source": N_("(Contributed by {delegation})"),
    "separator": N_(", "),
}


@dataclass(frozen=True)
class EvaluationWords:
    words: Mapping[str, str]
    criteria: Mapping[Criterion, str]
    locale: str

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def figure(self, figure: Figure) -> str:
        return str(figure.value) if figure.of is None else f"{figure.value}/{figure.of}"

    def year(self, year: int) -> str:
        return f"{year}年度" if is_zh(self.locale) else str(year)

    def names(self, names: list[str]) -> str:
        return self.words["separator"].join(names)


def evaluation_words(gettext: Callable[[str], str], locale: str) -> EvaluationWords:
    return EvaluationWords(
        {key: gettext(msgid) for key, msgid in _MSGIDS.items()},
        {criterion: gettext(msgid) for criterion, msgid in CRITERION_LABELS.items()},
        locale,
    )
