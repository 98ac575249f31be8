"""The annual evaluation (年度表彰): representatives of a delegation ranked over a year by
weighted criteria, a shortlist for commendation, and a draft bulletin article naming them."""

from services.evaluation.article import Article, draft_article
from services.evaluation.build import (
    BadYear,
    FutureYear,
    build_evaluation,
    evaluable_delegations,
    may_evaluate,
    parse_year,
)
from services.evaluation.criteria import (
    DEFAULT_WEIGHTS,
    Criterion,
    NoWeights,
    parse_weights,
    require_weights,
    weights_from,
)
from services.evaluation.files import EvaluationFiles, evaluation_files
from services.evaluation.model import Evaluation, Figure, Standing
from services.evaluation.wording import EvaluationWords, evaluation_words

__all__ = [
    "DEFAULT_WEIGHTS",
    "Article",
    "BadYear",
    "Criterion",
    "Evaluation",
    "EvaluationFiles",
    "EvaluationWords",
    "Figure",
    "FutureYear",
    "NoWeights",
    "Standing",
    "build_evaluation",
    "draft_article",
    "evaluable_delegations",
    "evaluation_files",
    "evaluation_words",
    "may_evaluate",
    "parse_weights",
    "parse_year",
    "require_weights",
    "weights_from",
]
