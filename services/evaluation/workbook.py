"""The evaluation as an XLSX: the full ranking with each criterion's figure and points, the
shortlist, and the criteria with their weights; written by the safe writer (services.files)."""

from __future__ import annotations

from services.evaluation.model import Evaluation, Standing
from services.evaluation.wording import EvaluationWords
from services.files import Cell, Sheet, write_xlsx_sheets


def _row(standing: Standing, evaluation: Evaluation, w: EvaluationWords) -> list[Cell]:
    row: list[Cell] = [standing.rank, standing.name, standing.group or w["no_group"]]
    row.append(round(standing.score, 1))
    for criterion in evaluation.criteria:
        row.append(w.figure(standing.figures[criterion]))
        row.append(round(standing.points[criterion], 1))
    chosen = {s.person_id for s in evaluation.shortlist}
    row.append(w["yes"] if standing.person_id in chosen else "")
    return row


def evaluation_xlsx(evaluation: Evaluation, w: EvaluationWords) -> bytes:
    """CPU work: call it off the event loop (asyncio.to_thread)."""
    headers = [w["rank"], w["representative"], w["group"], w["score"]]
    for criterion in evaluation.criteria:
        label = w.criteria[criterion]
        headers += [w["raw"].format(criterion=label), w["points"].format(criterion=label)]
    headers.append(w["shortlisted"])
    widths = (6, 14, 16, 8, *([14, 10] * len(evaluation.criteria)))
    total = sum(evaluation.weights.values())
    return write_xlsx_sheets(
        [
            Sheet(
                w["sheet_ranking"],
                headers,
                [_row(standing, evaluation, w) for standing in evaluation.standings],
                widths,
            ),
            Sheet(
                w["sheet_shortlist"],
                [w["rank"], w["representative"], w["group"], w["score"]],
                [
                    [s.rank, s.name, s.group or w["no_group"], round(s.score, 1)]
                    for s in evaluation.shortlist
                ],
                (6, 14, 16, 8),
            ),
            Sheet(
                w["sheet_weights"],
                [w["criterion"], w["weight"]],
                _weight_rows(evaluation, w, total),
                (60, 10),
            ),
        ]
    )


def _weight_rows(evaluation: Evaluation, w: EvaluationWords, total: float) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[w.criteria[c], evaluation.weights[c]] for c in evaluation.criteria]
    rows.append([w["how"], round(total, 3)])
    return rows
