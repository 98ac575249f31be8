"""The clock the services and handlers read: timezone-aware UTC, as stored."""

from storage.types import utcnow

__all__ = ["utcnow"]
