"""`anpr demo-data`'s camera estate: every state present, built through the services, relative to today."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from anpr_gov.core.db import read_only
from anpr_gov.models import Camera, LocationProposal
from anpr_gov.services import audit, cameras, demo_estate


def test_demo_estate_has_every_state_and_an_in_date_fixed_camera_for_the_sample_feed(actors, frozen_clock):
    count = demo_estate.load()
    assert count >= 15
    assert demo_estate.load() == 0  # never twice
    with read_only() as session:
        cams = {c.reference: c for c in session.exec(select(Camera))}
        statuses = Counter(p.status for p in session.exec(select(LocationProposal)))
        assert audit.verify_chain(session).ok
    first = cams["CAM-NVL-001"]
    assert (first.status, first.deployment) == ("active", "fixed") and first.next_review_due > frozen_clock.date()
    assert {c.force_id for c in cams.values()} and len({c.force_id for c in cams.values()}) == 3
    camera_status = Counter(c.status for c in cams.values())
    assert camera_status["active"] >= 3 and camera_status["suspended"] >= 2
    assert camera_status["under_review"] >= 2 and camera_status["decommissioned"] >= 2
    for stage in ("draft", "submitted", "assessment", "consultation", "awaiting_decision", "approved", "rejected",
                  "commissioned", "under_review", "retained", "relocated", "decommissioned"):
        assert statuses[stage] >= 1, stage
    states = {d.reference: d.state for d in cameras.reviews_due(actors["manager"])}
    assert "overdue" in states.values() and "due_soon" in states.values() and "suspended" in states.values()
    assert "CAM-NVL-001" not in states


def test_cli_suspends_overdue_cameras(actors, frozen_clock):
    from datetime import timedelta

    from typer.testing import CliRunner

    from anpr_gov.cli import app
    from anpr_gov.core import clock
    from tests.test_estate import make_proposal

    make_proposal(actors)
    runner = CliRunner()
    result = runner.invoke(app, ["cameras", "suspend-overdue"])
    assert result.exit_code == 0 and "no camera is overdue" in result.output
    clock.freeze(frozen_clock + timedelta(days=365 + 31))
    result = runner.invoke(app, ["cameras", "suspend-overdue"])
    assert result.exit_code == 0 and "suspended: CAM-NVL-001" in result.output
