"""The quarterly score post (季度亮分): per group and quarter, each member's activities and
points, the group's total and rank, as text and an image; staff preview, edit the intro and
approve, and the delivery engine sends it to the group's members once."""

from services.score_post.drafts import (
    AlreadyApproved,
    BadIntro,
    DraftList,
    DraftNotFound,
    approve,
    draft_figures,
    may_post,
    post_key,
    prepare_drafts,
    previous_quarter,
    reach_chart,
    reach_draft,
    set_intro,
)
from services.score_post.figures import Member, ScoreFigures, score_figures
from services.score_post.image import draw_image, score_image

__all__ = [
    "AlreadyApproved",
    "BadIntro",
    "DraftList",
    "DraftNotFound",
    "Member",
    "ScoreFigures",
    "approve",
    "draft_figures",
    "draw_image",
    "may_post",
    "post_key",
    "prepare_drafts",
    "previous_quarter",
    "reach_chart",
    "reach_draft",
    "score_figures",
    "score_image",
    "set_intro",
]
