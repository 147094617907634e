"""Disclosure and oversight: FOI requests, complaints, and the daily NADC submissions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class FOIRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True, index=True)
    requester: str = Field(max_length=160)
    received_on: date
    due_on: date
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    exemptions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=16)
    pdf_path: str | None = Field(default=None, max_length=255)
    handled_by_id: int | None = Field(default=None, foreign_key="user.id")
    responded_at: datetime | None = None
    created_at: datetime


class Complaint(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True, index=True)
    received_on: date
    complainant: str = Field(max_length=160)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    camera_id: int | None = Field(default=None, foreign_key="camera.id")
    subject_user_id: int | None = Field(default=None, foreign_key="user.id")
    audit_event_id: int | None = Field(default=None, foreign_key="auditevent.id")
    status: str = Field(default="open", max_length=16)
    findings: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    handled_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime
    closed_at: datetime | None = None


class NADCSubmission(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True, index=True)
    read_count: int = 0
    checksum: str = Field(default="", max_length=64)
    file_path: str | None = Field(default=None, max_length=255)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str = Field(default="", max_length=255)
    submitted_at: datetime | None = None
    created_at: datetime
