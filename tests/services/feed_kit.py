"""What the feed watch's tests share: feeds written as text, a recording importer, admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.bulletin_feed.model import FeedItem
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Person, StaffMember, StaffRole

SEED = (Path(__file__).resolve().parent.parent / "data" / "000_a1bcc203f270e66c.txt").read_bytes()
START = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
# A DOCX is a ZIP: what the file check looks at first.
DOCX_BYTES = b"PK\x03\x04" + b"\x00" * 200


def rss(*items: tuple[str, str], title: str = "代表工作") -> str:
    """An RSS 2.0 feed of (guid, file address) items, each file an enclosure."""
    entries = "".join(
        f"<item><title>{escape(title)} {escape(guid)}</title><guid>{escape(guid)}</guid>"
        f"<link>https://example.org/page/{escape(guid)}</link>"
        f"<pubDate>Thu, 21 Mar 2024 09:00:00 +0800</pubDate>"
        f'<enclosure url="{escape(url)}" type="text/plain" length="1"/></item>'
        for guid, url in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>代表工作</title><link>https://example.org/</link>{entries}</channel></rss>"
    )


def atom(*entries: tuple[str, str]) -> str:
    """An Atom feed of (id, file address) entries, each file an enclosure link."""
    body = "".join(
        f"<entry><id>{escape(entry_id)}</id><title>第{escape(entry_id)}期</title>"
        f"<updated>2024-03-21T09:00:00+08:00</updated>"
        f'<link rel="enclosure" href="{escape(url)}" type="text/plain"/></entry>'
        for entry_id, url in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>代表工作</title><id>urn:feed</id><updated>2024-03-21T09:00:00Z</updated>{body}</feed>"
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><rss version="2.0"><channel><item><title>&lol9;</title><guid>x</guid></item>'
    "</channel></rss>"
)


@dataclass
class Importer:
    """Records each item handed over; raises `fail` (once per call) when set."""

    calls: list[tuple[str, bytes, str]] = field(default_factory=list)
    fail: Exception | None = None

    async def __call__(self, item: FeedItem, content: bytes, filename: str) -> None:
        self.calls.append((item.id, content, filename))
        if self.fail is not None:
            raise self.fail

    @property
    def ids(self) -> list[str]:
        return [call[0] for call in self.calls]


async def add_admins(session: AsyncSession, admin_telegram_id: int) -> dict[str, Person]:
    """An admin by ADMIN_IDS (Chinese), one by role (English), and a staff member who is not."""
    people = {
        "by_setting": Person(name="李主任", telegram_id=admin_telegram_id, language="zh"),
        "by_role": Person(name="Admin Two", telegram_id=700_002, language="en"),
        "staff": Person(name="张干事", telegram_id=700_003, language="zh"),
        "nobody": Person(name="代表甲", telegram_id=700_004, language="zh"),
    }
    session.add_all(people.values())
    await session.flush()
    session.add(StaffMember(person_id=people["by_role"].id, role=StaffRole.admin))
    session.add(StaffMember(telegram_id=700_003, role=StaffRole.staff, all_delegations=True))
    await session.commit()
    return people


async def notices(session: AsyncSession) -> dict[str, list[int]]:
    """The feed's deliveries by dedupe key, with the people each goes to."""
    found = await session.scalars(
        select(Delivery).where(col(Delivery.dedupe_key).like("feed-%")).order_by(col(Delivery.id))
    )
    result: dict[str, list[int]] = {}
    for delivery in found.all():
        rows = await session.scalars(
            select(DeliveryRecipient.person_id).where(
                col(DeliveryRecipient.delivery_id) == delivery.id
            )
        )
        result[delivery.dedupe_key] = sorted(rows.all())
    return result
