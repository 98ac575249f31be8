"""The fixed wording of the duty record documents, in each language.

The XLSX and the PDF are written off the event loop (a thread, another process, the command
line), where no chat's translation context exists; so, like the date formats in services.dates,
the documents' own fixed words live in this table rather than in the chat catalogues. Anything
not Chinese gets English. Names the chat also shows (levels, concern states and categories) come
from the catalogues, through the translation the caller hands to wording_for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from services.concerns.categories import CATEGORY_LABELS
from services.concerns.transitions import STATE_LABELS
from services.labels import LEVEL_LABELS, is_zh


@dataclass(frozen=True)
class Wording:
    title: str  # the document's name: 履职档案
    file_prefix: str
    heading: str  # "{title}", "{name}", "{year}"
    sheet_activities: str
    sheet_points: str
    sheet_concerns: str
    section_mandates: str
    section_points: str
    section_activities: str
    section_concerns: str
    activity_headers: tuple[str, str, str, str, str, str]
    points_type: str
    points_count: str
    points_total: str
    total_row: str
    concern_headers: tuple[str, str, str, str, str, str, str]
    mandate: str  # "{term}", "{level}", "{delegation}"
    group: str  # "{group}"
    leader: str
    term: str  # "{start}", "{end}"
    open_end: str
    yes: str
    no: str
    bulletin_mark: str
    none: str
    page: str  # "{page}"
    # Names of levels, concern states and categories: the chat's own, from the catalogues
    # (wording_for), so that a record and the chat never name one thing two ways.
    levels: Mapping[str, str] = field(default_factory=dict)
    states: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)


ZH = Wording(
    title="履职档案",
    file_prefix="履职档案",
    heading="《{title}》　{name}　{year}",
    sheet_activities="履职活动",
    sheet_points="积分",
    sheet_concerns="社情民意",
    section_mandates="代表职务",
    section_points="积分统计",
    section_activities="履职活动",
    section_concerns="社情民意",
    activity_headers=("日期", "活动类型", "地点", "内容摘要", "积分", "供简报"),
    points_type="活动类型",
    points_count="次数",
    points_total="合计",
    total_row="合计",
    concern_headers=("登记日期", "类别", "内容摘要", "地点", "状态", "转交部门", "最近变更"),
    mandate="第{term}届{level}人大代表：{delegation}",
    group="代表小组：{group}",
    leader="（组长）",
    term="任期：{start}至{end}",
    open_end="今",
    yes="是",
    no="否",
    bulletin_mark="〔供简报〕",
    none="无",
    page="第 {page} 页",
)

EN = Wording(
    title="Duty record",
    file_prefix="duty-record",
    heading="{title}: {name}, {year}",
    sheet_activities="Activities",
    sheet_points="Points",
    sheet_concerns="Concerns",
    section_mandates="Mandates",
    section_points="Points",
    section_activities="Activities",
    section_concerns="Concerns",
    activity_headers=("Date", "Type", "Place", "Summary", "Points", "For the bulletin"),
    points_type="Type",
    points_count="Count",
    points_total="Total",
    total_row="Total",
    concern_headers=(
        "Recorded",
        "Category",
        "Summary",
        "Place",
        "State",
        "Forwarded to",
        "Last change",
    ),
    mandate="Term {term}, {level}: {delegation}",
    group="Group: {group}",
    leader=" (group leader)",
    term="Term of office: {start} to {end}",
    open_end="now",
    yes="yes",
    no="no",
    bulletin_mark="[for the bulletin] ",
    none="None",
    page="Page {page}",
)


def wording_for(locale: str, translate: Callable[[str], str] | None = None) -> Wording:
    """The wording of `locale`; `translate` gives the catalogue's text of a msgid in that
    locale (the chat's gettext). Without it the names stay the English msgids."""
    base = ZH if is_zh(locale) else EN
    name = translate or (lambda msgid: msgid)
    return replace(
        base,
        levels={str(code): name(msgid) for code, msgid in LEVEL_LABELS.items()},
        states={str(code): name(msgid) for code, msgid in STATE_LABELS.items()},
        categories={code: name(msgid) for code, msgid in CATEGORY_LABELS.items()},
    )
