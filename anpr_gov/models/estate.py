"""The camera estate: location proposals, their assessments and consultations, cameras and reviews."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class LocationProposal(SQLModel, table=True):
    """A proposed camera location and its justification. Location fields are restricted data."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True, index=True)
    title: str = Field(max_length=160)
    force_id: int = Field(foreign_key="force.id", index=True)
    deployment: str = Field(max_length=16)  # fixed | mobile
    latitude: float | None = None
    longitude: float | None = None
    road: str = Field(default="", max_length=160)
    site_description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    vehicle: str = Field(default="", max_length=80)  # mobile: the vehicle carrying the camera
    patrol_area: str = Field(default="", max_length=160)  # mobile: the area it patrols
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    evidence_of_need: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    incidents_count: int | None = None
    incidents_period_months: int | None = None
    status: str = Field(default="draft", max_length=24, index=True)
    proposed_by_id: int = Field(foreign_key="user.id")
    submitted_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime
    updated_at: datetime


class PrivacyImpactAssessment(SQLModel, table=True):
    """A PIA for a proposal; a new version is opened at each periodic review."""

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="locationproposal.id", index=True)
    review_id: int | None = Field(default=None, foreign_key="locationreview.id")
    version: int = 1
    processing_description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    necessity: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    proportionality: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    mitigations: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    residual_risk: str = Field(default="", max_length=16)  # low | medium | high
    dpo_advice: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    signed_off_by_id: int | None = Field(default=None, foreign_key="user.id")
    signed_off_at: datetime | None = None
    sign_off_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime
    updated_at: datetime


class PIARisk(SQLModel, table=True):
    """One line of a PIA's risk register; its score is likelihood x severity (policy.risk_score)."""

    id: int | None = Field(default=None, primary_key=True)
    pia_id: int = Field(foreign_key="privacyimpactassessment.id", index=True)
    description: str = Field(sa_column=Column(Text, nullable=False))
    likelihood: int
    severity: int
    mitigation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Consultation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="locationproposal.id", index=True)
    consultee_type: str = Field(max_length=32)
    consultee_name: str = Field(max_length=160)
    method: str = Field(max_length=16)
    held_on: date
    response_summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    concerns: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    force_response: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    recorded_by_id: int = Field(foreign_key="user.id")
    created_at: datetime


class Camera(SQLModel, table=True):
    """A commissioned camera. Its location is that of its current approved proposal (restricted)."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=120)
    force_id: int = Field(foreign_key="force.id", index=True)
    deployment: str = Field(max_length=16)
    status: str = Field(default="active", max_length=24, index=True)
    proposal_id: int = Field(foreign_key="locationproposal.id")
    commissioned_at: datetime
    next_review_due: date
    decommissioned_at: datetime | None = None
    refused_reads: int = 0
    last_refusal_at: datetime | None = None
    last_refusal_reason: str = Field(default="", max_length=80)  # policy.read_refusal_reason's words


class LocationReview(SQLModel, table=True):
    """A periodic review of a camera's necessity and privacy impact."""

    id: int | None = Field(default=None, primary_key=True)
    camera_id: int = Field(foreign_key="camera.id", index=True)
    status: str = Field(default="open", max_length=16)  # open | completed
    period_start: datetime
    period_end: datetime | None = None
    reads_count: int = 0
    hits_count: int = 0
    hits_by_category: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hit_outcomes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    necessity_findings: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    privacy_findings: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decision: str = Field(default="", max_length=16)  # retain | relocate | decommission
    next_due: date | None = None
    relocation_proposal_id: int | None = Field(default=None, foreign_key="locationproposal.id")  # decision: relocate
    opened_by_id: int = Field(foreign_key="user.id")
    completed_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime
    completed_at: datetime | None = None
