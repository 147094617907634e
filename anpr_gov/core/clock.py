"""The one source of "now": timezone-aware UTC. Tests and demo data may freeze the clock."""

from __future__ import annotations

from datetime import datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, aware, in UTC (SQLModel stores aware datetimes as UTC and returns them in UTC)."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def today():
    return now().date()


def freeze(at: datetime | None) -> None:
    """Freeze the clock at ``at`` (naive values are taken as UTC), or unfreeze with None."""
    global _frozen
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    _frozen = at.astimezone(timezone.utc) if at is not None else None
