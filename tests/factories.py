"""Rows that other features' tests need, made directly (the assessment workflow has its own tests)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.models import Camera, Force, LocationProposal, User


def make_camera(reference: str = "CAM-T-001", *, status: str = "active", commissioned_at: datetime | None = None,
                next_review_due: date | None = None, decommissioned_at: datetime | None = None, name: str = "") -> int:
    """A commissioned camera with its approved proposal, in force NVL (demo data must be loaded)."""
    now = clock.now()
    commissioned_at = commissioned_at or now - timedelta(days=200)
    with unit_of_work() as session:
        force = session.exec(select(Force).where(Force.code == "NVL")).one()
        manager = session.exec(select(User).where(User.username == "manager")).one()
        proposal = LocationProposal(
            reference=f"P-{reference}", title=f"Site of {reference}", force_id=force.id, deployment="fixed",
            latitude=53.4, longitude=-1.5, road="A61 Secret Road", site_description="Gantry by the junction",
            categories=["local_crime"], status="commissioned", proposed_by_id=manager.id,
            created_at=commissioned_at - timedelta(days=60), updated_at=commissioned_at,
        )
        session.add(proposal)
        session.flush()
        camera = Camera(reference=reference, name=name or f"Camera {reference}", force_id=force.id, deployment="fixed",
                        status=status, proposal_id=proposal.id, commissioned_at=commissioned_at,
                        next_review_due=next_review_due or (now + timedelta(days=165)).date(),
                        decommissioned_at=decommissioned_at)
        session.add(camera)
        session.flush()
        return camera.id


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
