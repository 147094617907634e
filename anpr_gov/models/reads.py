"""The read store, hotlists of vehicles of interest, and hits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Read(SQLModel, table=True):
    """One plate read, tied to its camera and the justification in force when it was captured."""

    __table_args__ = (
        Index("ix_read_vrm_captured", "vrm", "captured_at"),
        Index("ix_read_camera_captured", "camera_id", "captured_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    read_key: str = Field(max_length=96, unique=True)  # idempotency key: retries never duplicate
    vrm: str = Field(max_length=16)
    raw_text: str = Field(max_length=32)
    confidence: float
    plate_format: str | None = Field(default=None, max_length=24)
    captured_at: datetime = Field(index=True)
    camera_id: int = Field(foreign_key="camera.id")
    proposal_id: int = Field(foreign_key="locationproposal.id")
    worker_id: str = Field(max_length=64)
    plate_image_path: str | None = Field(default=None, max_length=255)
    overview_image_path: str | None = Field(default=None, max_length=255)
    stored_at: datetime


class HotlistEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    vrm: str = Field(max_length=16, index=True)
    category: str = Field(max_length=32)
    action: str = Field(max_length=16)  # stop | monitor | report_only
    source: str = Field(max_length=80)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    added_by_id: int | None = Field(default=None, foreign_key="user.id")
    added_at: datetime
    expires_at: datetime | None = None
    removed_at: datetime | None = None


class Hit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("read_id", "entry_id", name="uq_hit_read_entry"),)

    id: int | None = Field(default=None, primary_key=True)
    read_id: int = Field(foreign_key="read.id", index=True)
    entry_id: int = Field(foreign_key="hotlistentry.id", index=True)
    status: str = Field(default="new", max_length=24, index=True)
    created_at: datetime
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    outcome: str = Field(default="", max_length=24)
    outcome_notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime
