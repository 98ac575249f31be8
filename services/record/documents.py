"""The two files of a duty record, built off the event loop, and their names."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.record.access import RecordTarget
from services.record.collect import collect_record
from services.record.model import DutyRecord
from services.record.wording import Wording, wording_for
from services.record.xlsx import record_xlsx


@dataclass(frozen=True)
class RecordFiles:
    record: DutyRecord
    xlsx: bytes
    pdf: bytes
    stem: str  # the file name without its extension


async def build_documents(
    *,
    session: AsyncSession,
    target: RecordTarget,
    locale: str,
    translate: Callable[[str], str],
    tz: ZoneInfo,
    with_id: bool = False,
) -> RecordFiles:
    """`translate`: the chat's gettext in `locale`, for the names the chat also shows."""
    words = wording_for(locale, translate)
    record = await collect_record(
        session=session,
        person_id=target.person_id,
        year=target.year,
        tz=tz,
        delegation_ids=target.delegation_ids,
    )
    # Seconds of CPU for a busy year: in threads, so the bot goes on answering everyone else.
    xlsx, pdf = await asyncio.gather(
        asyncio.to_thread(record_xlsx, record, locale, words),
        asyncio.to_thread(record_pdf, record, locale, words),
    )
    return RecordFiles(record, xlsx, pdf, file_stem(record, locale, with_id=with_id))


def record_pdf(record: DutyRecord, locale: str, words: Wording | None = None) -> bytes:
    """The printable A4 PDF (services.record.pdf). CPU work: run it off the event loop.

    ReportLab, and the imaging library it loads, are imported on the first record drawn, so
    that starting the bot does not load them.
    """
    from services.record.pdf import record_pdf as draw

    return draw(record, locale, words)


def file_stem(record: DutyRecord, locale: str, *, with_id: bool = False) -> str:
    """``履职档案_2024_王建国`` (``_17`` with the person id): safe on every file system."""
    parts = [wording_for(locale).file_prefix, str(record.year), safe_name(record.name)]
    if with_id:
        parts.append(str(record.person_id))
    return "_".join(parts)


def safe_name(name: str) -> str:
    # Letters and digits of any script stay (Chinese names too); path separators, dots that
    # could climb out of a folder, and characters Windows forbids become "_".
    return re.sub(r"[^\w-]+", "_", name).strip("_-")[:64] or "person"
