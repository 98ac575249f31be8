"""Everything an evaluation is sent as: the ranking text, the workbook and the draft article."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.evaluation.article import Article, draft_article
from services.evaluation.model import Evaluation
from services.evaluation.wording import EvaluationWords
from services.evaluation.workbook import evaluation_xlsx


@dataclass(frozen=True)
class EvaluationFiles:
    xlsx: bytes
    article: Article | None
    stem: str  # for file names: evaluation-3-2024


async def evaluation_files(evaluation: Evaluation, words: EvaluationWords) -> EvaluationFiles:
    """The workbook is CPU work: written in a thread, off the event loop."""
    xlsx = await asyncio.to_thread(evaluation_xlsx, evaluation, words)
    stem = f"evaluation-{evaluation.delegation_id}-{evaluation.year}"
    return EvaluationFiles(xlsx, draft_article(evaluation, words), stem)
