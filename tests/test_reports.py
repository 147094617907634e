"""The restricted PDFs: rendered by WeasyPrint, read back with pdftotext, permission-checked and audited."""

from __future__ import annotations

import subprocess

import pytest
from sqlmodel import select

from anpr_gov.core.db import read_only
from anpr_gov.models import AuditEvent
from anpr_gov.services import cameras, estate, reports
from anpr_gov.services.errors import PermissionDenied
from tests.test_estate import make_proposal


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())  # table cells wrap: compare with single spaces


def test_assessment_pack_holds_proposal_pia_consultations_and_decision(actors, frozen_clock, tmp_path):
    pid = make_proposal(actors, "commissioned")
    filename, data = reports.assessment_pack(actors["senior"], pid)
    assert filename == "PRP-NVL-2026-001-assessment-pack-RESTRICTED.pdf" and data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in ("RESTRICTED", "Camera-location assessment pack", "PRP-NVL-2026-001", "A61 Northgate",
                     "53.80080, -1.54910", "Serious organised and major crime", "Collateral intrusion on residents",
                     "Northgate Town Council", "Signs will be put up at both ends", "Necessary and proportionate.",
                     "Supt. Sam Okafor", "CAM-NVL-001", "Page 1 of"):
        assert expected in text, expected
    assert text.count("RESTRICTED") >= 3  # banner, header and footer of each page
    with read_only() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "report.download")).one()
    assert event.actor_name == "senior" and event.target_type == "proposal" and event.target_id == str(pid)


def test_review_report_holds_figures_findings_and_decision(actors, frozen_clock, tmp_path):
    pid = make_proposal(actors, "commissioned")
    cid = estate.get_proposal(actors["manager"], pid).camera_id
    review_id = cameras.open_review(actors["manager"], cid)
    estate.sign_off_pia(actors["manager"], cameras.get_review(actors["manager"], review_id).pia.id)
    cameras.complete_review(actors["manager"], review_id, "retain", "Still needed: 12 stolen vehicles.",
                            "No complaints received.")
    filename, data = reports.review_report(actors["manager"], review_id)
    assert filename.startswith("CAM-NVL-001-review-")
    text = pdf_text(data, tmp_path)
    for expected in ("RESTRICTED", "Periodic review", "CAM-NVL-001", "Reads", "Still needed: 12 stolen vehicles.",
                     "No complaints received.", "retain", "Next review due", "2027-06-01", "Version"):
        assert expected in text, expected


@pytest.mark.parametrize("who", ["staff", "foi", "investigator", "admin"])
def test_downloads_are_refused_without_location_permission_and_the_refusal_audited(actors, who):
    pid = make_proposal(actors, "approved")
    with pytest.raises(PermissionDenied):
        reports.assessment_pack(actors[who], pid)
    with read_only() as session:
        refused = session.exec(select(AuditEvent).where(AuditEvent.action == "report.assessment_pack",
                                                         AuditEvent.outcome == "refused")).all()
    assert [e.actor_name for e in refused] == [who]
