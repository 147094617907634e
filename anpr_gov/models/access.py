"""Who may look at reads (authorisations) and the tamper-evident record of every look (audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class AccessAuthorisation(SQLModel, table=True):
    """A senior officer's grant of access to reads older than 90 days (never past 12 months)."""

    id: int | None = Field(default=None, primary_key=True)
    grantee_id: int = Field(foreign_key="user.id", index=True)
    granted_by_id: int = Field(foreign_key="user.id")
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    case_reference: str = Field(max_length=64)
    scope_vrms: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # None: all VRMs
    window_days: int
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id")
    revocation_reason: str = Field(default="", max_length=255)


class AuditEvent(SQLModel, table=True):
    """Append-only and hash-chained: ``hash`` = SHA-256 over this event's content and ``prev_hash``."""

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    occurred_at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    actor_name: str = Field(max_length=64)
    action: str = Field(max_length=48, index=True)
    outcome: str = Field(default="ok", max_length=16)  # ok | refused | failed
    purpose: str = Field(default="", max_length=255)
    target_type: str = Field(default="", max_length=48)
    target_id: str = Field(default="", max_length=64)
    query: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    result_count: int | None = None
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's latest sequence number and hash; catches deletion of the newest events."""

    id: int = Field(default=1, primary_key=True)
    seq: int
    hash: str = Field(max_length=64)
