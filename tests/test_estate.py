"""Camera-location assessments: every transition of the state machine, every refusal, the separation of proposer
and approver, commissioning, periodic reviews and the suspension of overdue cameras (with a frozen clock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.models import AuditEvent, Camera, Consultation, LocationProposal, PrivacyImpactAssessment
from anpr_gov.policy import (CameraStatus, ProposalStatus, ReviewState, coordinates_problems, decision_blockers,
                             read_refusal_reason, risk_level, risk_score, transition_problem)
from anpr_gov.services import cameras, estate, users
from anpr_gov.services.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tests.factories import make_camera

SITE = {
    "title": "A61 Northgate, southbound", "force": "NVL", "deployment": "fixed", "latitude": "53.8008",
    "longitude": "-1.5491", "road": "A61 Northgate", "site_description": "Lamp column 14, facing south.",
    "categories": ["serious_organised_crime", "local_crime"],
    "evidence_of_need": "Vehicle crime up 40% on the corridor; two OCG-linked vehicles used the route.",
    "incidents_count": "37", "incidents_period_months": "12",
}
PIA = {
    "processing_description": "Plates of passing vehicles are read and checked against hotlists.",
    "necessity": "No less intrusive means covers the corridor.", "proportionality": "One lane, 90-day access.",
    "mitigations": "Role-based access, audit, 12-month deletion.", "residual_risk": "low",
    "dpo_advice": "Proceed; review signage.",
}
CONSULTATION = {
    "consultee_type": "council", "consultee_name": "Northgate Town Council", "method": "meeting",
    "held_on": "2026-05-20", "response_summary": "Supportive.", "concerns": "Signage.",
    "force_response": "Signs will be put up at both ends.",
}

STAGES = ["draft", "submitted", "assessment", "pia_signed", "consulted", "awaiting_decision", "approved",
          "commissioned"]


def make_proposal(actors, until: str = "commissioned", site: dict | None = None) -> int:
    """Walk a proposal through the services up to ``until`` (one of STAGES); returns its id."""
    manager, senior = actors["manager"], actors["senior"]
    pid = estate.save_draft(manager, None, site or SITE)
    steps = STAGES[1:STAGES.index(until) + 1]
    for step in steps:
        if step == "submitted":
            estate.submit(manager, pid)
        elif step == "assessment":
            estate.start_assessment(manager, pid)
        elif step == "pia_signed":
            pia_id = estate.get_proposal(manager, pid).pia.id
            estate.save_pia(manager, pia_id, PIA)
            estate.add_risk(manager, pia_id, "Collateral intrusion on residents", 3, 2, "Narrow field of view")
            estate.sign_off_pia(manager, pia_id)
        elif step == "consulted":
            estate.start_consultation(manager, pid)
            estate.add_consultation(manager, pid, CONSULTATION)
        elif step == "awaiting_decision":
            estate.request_decision(manager, pid)
        elif step == "approved":
            estate.decide(senior, pid, True, "Necessary and proportionate.")
        elif step == "commissioned":
            estate.commission(manager, pid)
    return pid


def status_of(pid: int) -> str:
    with read_only() as session:
        return session.get(LocationProposal, pid).status


# --- Policy ----------------------------------------------------------------------------------------------
def test_state_machine_allows_exactly_the_documented_path():
    path = ["draft", "submitted", "assessment", "consultation", "awaiting_decision", "approved", "commissioned",
            "under_review", "retained", "under_review", "decommissioned"]
    for a, b in zip(path, path[1:]):
        assert transition_problem(a, b) is None, (a, b)
    assert transition_problem("awaiting_decision", "rejected") is None
    assert transition_problem("under_review", "relocated") is None
    message = transition_problem("draft", "approved")
    assert "draft cannot become approved" in message and "submitted" in message
    for final in ("rejected", "relocated", "decommissioned"):
        assert transition_problem(final, "under_review") is not None


def test_risk_score_and_levels():
    assert risk_score(3, 4) == 12 and risk_level(12) == "medium"
    assert risk_level(risk_score(5, 5)) == "high" and risk_level(risk_score(1, 4)) == "low"
    for bad in [(0, 3), (6, 1), (3, -1)]:
        with pytest.raises(ValueError):
            risk_score(*bad)


def test_coordinates_checked_against_range_and_force_area():
    assert coordinates_problems(53.8, -1.55, "NVL") == {}
    assert "outside the NVL force area" in coordinates_problems(51.9, 0.9, "NVL")["latitude"]
    assert "between -90 and 90" in coordinates_problems(95, 0, "NVL")["latitude"]
    assert "between -180 and 180" in coordinates_problems(53.8, 200, "NVL")["longitude"]


def test_decision_blockers_name_what_is_missing():
    assert decision_blockers(True, 1, 1, 2) == []
    assert decision_blockers(False, 0, 1, 1) == [
        "the Privacy Impact Assessment is not signed off", "no consultation is recorded",
        "the person who proposed the location cannot decide it"]


# --- The happy path ----------------------------------------------------------------------------------------
def test_manager_walks_a_proposal_to_a_commissioned_camera_and_each_step_is_audited(actors, frozen_clock):
    pid = make_proposal(actors, "commissioned")
    detail = estate.get_proposal(actors["senior"], pid)
    assert detail.status == ProposalStatus.COMMISSIONED
    assert detail.reference == "PRP-NVL-2026-001" and detail.camera_reference == "CAM-NVL-001"
    assert detail.decided_by == "Supt. Sam Okafor" and detail.decision_reason == "Necessary and proportionate."
    with read_only() as session:
        camera = session.get(Camera, detail.camera_id)
    assert camera.status == CameraStatus.ACTIVE and camera.deployment == "fixed"
    assert camera.next_review_due == date(2027, 6, 1)  # 12 months after commissioning
    actions = [e.action for e in estate.timeline(actors["manager"], pid)]
    for expected in ("proposal.create", "proposal.submit", "proposal.start_assessment", "pia.open", "pia.save",
                     "pia.add_risk", "pia.sign_off", "proposal.start_consultation", "consultation.add",
                     "proposal.request_decision", "proposal.approve", "proposal.commission", "camera.commission"):
        assert expected in actions
    assert all(e.who in {"manager", "senior"} for e in estate.timeline(actors["manager"], pid))


def test_review_interval_is_configurable(actors, frozen_clock, monkeypatch):
    from anpr_gov.core.settings import get_settings

    monkeypatch.setenv("ANPR_REVIEW_INTERVAL_MONTHS", "6")
    get_settings.cache_clear()
    pid = make_proposal(actors)
    camera = cameras.get_camera(actors["manager"], estate.get_proposal(actors["manager"], pid).camera_id)
    assert camera.summary.next_review_due == date(2026, 12, 1)


def test_a_draft_is_saved_incomplete_and_resumed(actors):
    pid = estate.save_draft(actors["manager"], None, {"title": "Market Street", "force": "ESX"})
    assert estate.get_proposal(actors["manager"], pid).status == "draft"
    estate.save_draft(actors["manager"], pid, {**SITE, "force": "NVL", "title": "Market Street"})
    detail = estate.get_proposal(actors["manager"], pid)
    assert detail.road == "A61 Northgate" and detail.categories == ["serious_organised_crime", "local_crime"]
    assert detail.incidents_count == 37 and detail.incidents_period_months == 12


def test_mobile_deployment_needs_vehicle_and_patrol_area(actors):
    pid = estate.save_draft(actors["manager"], None, {**SITE, "deployment": "mobile", "latitude": "",
                                                      "longitude": ""})
    with pytest.raises(ValidationFailed) as caught:
        estate.submit(actors["manager"], pid)
    assert set(caught.value.fields) == {"vehicle", "patrol_area"}
    estate.save_draft(actors["manager"], pid, {**SITE, "deployment": "mobile", "latitude": "", "longitude": "",
                                               "vehicle": "Van NV-12", "patrol_area": "Northvale city centre"})
    estate.submit(actors["manager"], pid)
    assert status_of(pid) == "submitted"


def test_rejection_is_final(actors):
    pid = make_proposal(actors, "awaiting_decision")
    estate.decide(actors["senior"], pid, False, "Evidence too thin.")
    assert status_of(pid) == "rejected"
    with pytest.raises(InvalidTransition, match="rejected cannot become commissioned"):
        estate.commission(actors["manager"], pid)


# --- Refusals ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("until, call, match", [
    ("draft", lambda a, p: estate.start_assessment(a["manager"], p), "draft cannot become assessment"),
    ("draft", lambda a, p: estate.commission(a["manager"], p), "draft cannot become commissioned"),
    ("submitted", lambda a, p: estate.request_decision(a["manager"], p), "submitted cannot become awaiting decision"),
    ("assessment", lambda a, p: estate.submit(a["manager"], p), "cannot become submitted"),
    ("consulted", lambda a, p: estate.decide(a["senior"], p, True, "ok"), "consultation cannot become approved"),
    ("approved", lambda a, p: cameras.open_review(a["manager"], 999), "No camera"),
    ("awaiting_decision", lambda a, p: estate.commission(a["manager"], p), "awaiting decision cannot become commis"),
])
def test_invalid_transitions_are_refused_and_change_nothing(actors, until, call, match):
    pid = make_proposal(actors, until)
    before = status_of(pid)
    with pytest.raises(Exception, match=match):
        call(actors, pid)
    assert status_of(pid) == before


def test_a_refused_transition_is_on_the_proposals_timeline(actors):
    pid = make_proposal(actors, "submitted")
    with pytest.raises(InvalidTransition):
        estate.commission(actors["manager"], pid)
    [refused] = [e for e in estate.timeline(actors["manager"], pid) if e.outcome == "refused"]
    assert refused.action == "proposal.commission" and "submitted cannot become commissioned" in refused.details["reason"]


def test_only_drafts_can_be_edited(actors):
    pid = make_proposal(actors, "submitted")
    with pytest.raises(InvalidTransition, match="only drafts can be edited"):
        estate.save_draft(actors["manager"], pid, {**SITE, "title": "Changed"})
    assert estate.get_proposal(actors["manager"], pid).title == SITE["title"]


def test_decision_is_refused_naming_what_is_missing_and_the_refusal_is_audited(actors):
    pid = make_proposal(actors, "submitted")
    estate.start_assessment(actors["manager"], pid)
    estate.start_consultation(actors["manager"], pid)
    estate.request_decision(actors["manager"], pid)
    with pytest.raises(InvalidTransition) as caught:
        estate.decide(actors["senior"], pid, True, "Looks fine.")
    assert "Privacy Impact Assessment is not signed off" in str(caught.value)
    assert "no consultation is recorded" in str(caught.value)
    assert status_of(pid) == "awaiting_decision"
    refused = [e for e in estate.timeline(actors["manager"], pid) if e.outcome == "refused"]
    assert refused and refused[0].action == "proposal.approve"
    # recording a consultation is still possible while awaiting the decision; the PIA is still missing
    estate.add_consultation(actors["manager"], pid, CONSULTATION)
    with pytest.raises(InvalidTransition, match="not signed off") as caught:
        estate.decide(actors["senior"], pid, True, "Looks fine.")
    assert "consultation" not in str(caught.value)


def test_the_proposer_cannot_approve_their_own_proposal(actors):
    both = users.create_user(actors["admin"], "dual.role", "Dual Role", "a-long-password-1",
                             ["anpr_manager", "senior_officer"], "NVL")
    from anpr_gov.services import auth

    dual = auth.sign_in(both.username, "a-long-password-1").actor
    pid = make_proposal({**actors, "manager": dual}, "awaiting_decision")
    with pytest.raises(InvalidTransition, match="proposed the location cannot decide it"):
        estate.decide(dual, pid, True, "Mine, and good.")
    assert status_of(pid) == "awaiting_decision"
    estate.decide(actors["senior"], pid, True, "Independent approval.")
    assert status_of(pid) == "approved"


def test_decision_needs_reasons(actors):
    pid = make_proposal(actors, "awaiting_decision")
    with pytest.raises(ValidationFailed) as caught:
        estate.decide(actors["senior"], pid, True, "  ")
    assert "reason" in caught.value.fields


@pytest.mark.parametrize("who", ["staff", "senior", "investigator", "auditor", "foi", "admin"])
def test_only_the_anpr_manager_creates_and_edits(actors, who):
    with pytest.raises(PermissionDenied):
        estate.save_draft(actors[who], None, SITE)
    with read_only() as session:
        assert session.exec(select(LocationProposal)).first() is None


def test_only_a_senior_officer_decides(actors):
    pid = make_proposal(actors, "awaiting_decision")
    for who in ("manager", "staff", "admin"):
        with pytest.raises(PermissionDenied):
            estate.decide(actors[who], pid, True, "I approve.")
    assert status_of(pid) == "awaiting_decision"


def test_anonymous_and_staff_see_no_proposals_and_staff_see_no_camera_locations(actors):
    pid = make_proposal(actors, "commissioned")
    with pytest.raises(PermissionDenied, match="sign in"):
        estate.list_proposals(None)
    with pytest.raises(PermissionDenied):
        cameras.list_cameras(None)
    with pytest.raises(PermissionDenied):
        estate.get_proposal(actors["staff"], pid)
    [seen] = cameras.list_cameras(actors["staff"])
    assert (seen.name, seen.force, seen.status) == ("A61 Northgate, southbound", "NVL", "active")
    assert seen.road == "" and seen.latitude is None and seen.longitude is None
    detail = cameras.get_camera(actors["staff"], seen.id)
    assert detail.site_description == "" and detail.proposal_id is None and not detail.location_visible
    [located] = cameras.list_cameras(actors["manager"])
    assert located.road == "A61 Northgate" and located.latitude == pytest.approx(53.8008)


def test_a_camera_is_found_by_its_reference_for_those_who_may_see_cameras(actors):
    camera_id = make_camera("CAM-T-009")
    assert cameras.camera_id_for_reference(actors["staff"], "CAM-T-009") == camera_id
    assert cameras.camera_id_for_reference(actors["staff"], " cam-t-009 ") == camera_id   # as typed into an address
    with pytest.raises(NotFound, match="No camera CAM-T-404"):
        cameras.camera_id_for_reference(actors["staff"], "CAM-T-404")
    with pytest.raises(PermissionDenied):
        cameras.camera_id_for_reference(None, "CAM-T-009")


# --- Bad input -----------------------------------------------------------------------------------------------
def test_bad_site_input_is_reported_beside_each_field_and_nothing_is_saved(actors):
    with pytest.raises(ValidationFailed) as caught:
        estate.save_draft(actors["manager"], None, {**SITE, "title": "", "latitude": "north"})
    assert set(caught.value.fields) == {"title", "latitude"}
    with pytest.raises(ValidationFailed) as caught:
        estate.save_draft(actors["manager"], None, {**SITE, "latitude": "51.9", "longitude": "0.9"})
    assert "outside the NVL force area" in caught.value.fields["latitude"]
    with pytest.raises(ValidationFailed) as caught:
        estate.save_draft(actors["manager"], None, {**SITE, "latitude": "123", "longitude": "-500"})
    assert set(caught.value.fields) == {"latitude", "longitude"}
    with pytest.raises(ValidationFailed) as caught:
        estate.save_draft(actors["manager"], None, {**SITE, "force": "", "categories": ["astrology"]})
    assert set(caught.value.fields) == {"force", "categories"}
    with read_only() as session:
        assert session.exec(select(LocationProposal)).first() is None


def test_submission_needs_every_required_field(actors):
    pid = estate.save_draft(actors["manager"], None, {"title": "Bare", "force": "NVL"})
    with pytest.raises(ValidationFailed) as caught:
        estate.submit(actors["manager"], pid)
    assert set(caught.value.fields) == {"latitude", "longitude", "road", "site_description", "categories",
                                        "evidence_of_need"}
    assert status_of(pid) == "draft"


def test_impossible_risk_scores_are_refused(actors):
    pid = make_proposal(actors, "assessment")
    pia_id = estate.get_proposal(actors["manager"], pid).pia.id
    with pytest.raises(ValidationFailed) as caught:
        estate.add_risk(actors["manager"], pia_id, "Intrusion", 6, 0)
    assert set(caught.value.fields) == {"likelihood", "severity"}
    with pytest.raises(ValidationFailed) as caught:
        estate.add_risk(actors["manager"], pia_id, "", "x", 3)
    assert set(caught.value.fields) == {"description", "likelihood"}
    assert estate.get_proposal(actors["manager"], pid).pia.risks == []


def test_pia_sign_off_needs_every_section_and_a_risk(actors):
    pid = make_proposal(actors, "assessment")
    pia_id = estate.get_proposal(actors["manager"], pid).pia.id
    with pytest.raises(ValidationFailed) as caught:
        estate.sign_off_pia(actors["manager"], pia_id)
    assert {"processing_description", "necessity", "proportionality", "dpo_advice", "residual_risk",
            "risks"} <= set(caught.value.fields)
    assert not estate.get_proposal(actors["manager"], pid).pia.signed_off


def test_high_residual_risk_is_signed_off_only_with_a_recorded_reason(actors):
    pid = make_proposal(actors, "assessment")
    pia_id = estate.get_proposal(actors["manager"], pid).pia.id
    estate.save_pia(actors["manager"], pia_id, {**PIA, "residual_risk": "high"})
    risk_id = estate.add_risk(actors["manager"], pia_id, "Tracking of residents' routines", 5, 4)
    with pytest.raises(ValidationFailed) as caught:
        estate.sign_off_pia(actors["manager"], pia_id)
    assert "reason" in caught.value.fields["sign_off_reason"]
    estate.sign_off_pia(actors["manager"], pia_id, "Counter-terrorism priority; accepted by the SIRO.")
    pia = estate.get_proposal(actors["manager"], pid).pia
    assert pia.signed_off and pia.sign_off_reason.startswith("Counter-terrorism")
    assert pia.risks[0].score == 20 and pia.risks[0].level == "high"
    with pytest.raises(InvalidTransition, match="signed off; re-open"):
        estate.remove_risk(actors["manager"], risk_id)
    estate.reopen_pia(actors["manager"], pia_id)
    estate.remove_risk(actors["manager"], risk_id)
    assert estate.get_proposal(actors["manager"], pid).pia.risks == []


def test_an_unmitigated_high_risk_in_the_register_needs_a_recorded_reason(actors):
    pid = make_proposal(actors, "assessment")
    pia_id = estate.get_proposal(actors["manager"], pid).pia.id
    estate.save_pia(actors["manager"], pia_id, PIA)  # residual risk low
    estate.add_risk(actors["manager"], pia_id, "Reads reveal visits to a place of worship", 4, 4)  # 16, no mitigation
    with pytest.raises(ValidationFailed) as caught:
        estate.sign_off_pia(actors["manager"], pia_id)
    assert "1 high risk(s) in the register have no mitigation" in caught.value.fields["sign_off_reason"]
    estate.sign_off_pia(actors["manager"], pia_id, "Camera faces the main road only; accepted by the DPO.")
    assert estate.get_proposal(actors["manager"], pid).pia.signed_off


def test_consultation_input_is_checked(actors, frozen_clock):
    pid = make_proposal(actors, "assessment")
    future = (clock.today() + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationFailed) as caught:
        estate.add_consultation(actors["manager"], pid, {**CONSULTATION, "held_on": future})
    assert caught.value.fields == {"held_on": "A consultation already held cannot be dated in the future."}
    with pytest.raises(ValidationFailed) as caught:
        estate.add_consultation(actors["manager"], pid, {"consultee_type": "aliens", "method": "telepathy",
                                                         "concerns": "Privacy"})
    assert set(caught.value.fields) == {"consultee_type", "consultee_name", "method", "held_on",
                                        "response_summary", "force_response"}
    with read_only() as session:
        assert session.exec(select(Consultation)).first() is None
    estate.add_consultation(actors["manager"], pid, CONSULTATION)
    estate.add_consultation(actors["manager"], pid, {**CONSULTATION, "consultee_type": "residents",
                                                     "consultee_name": "Northgate residents", "method": "survey"})
    assert len(estate.get_proposal(actors["manager"], pid).consultations) == 2


def test_consultations_are_not_recorded_on_a_draft(actors):
    pid = make_proposal(actors, "draft")
    with pytest.raises(InvalidTransition, match="once assessment has started"):
        estate.add_consultation(actors["manager"], pid, CONSULTATION)


# --- Reviews and suspension ------------------------------------------------------------------------------------
def _camera_id(actors, pid: int) -> int:
    return estate.get_proposal(actors["manager"], pid).camera_id


def test_review_reopens_the_pia_and_retain_needs_it_re_signed(actors, frozen_clock):
    pid = make_proposal(actors)
    cid = _camera_id(actors, pid)
    clock.freeze(frozen_clock + timedelta(days=340))
    review_id = cameras.open_review(actors["manager"], cid)
    assert status_of(pid) == "under_review"
    assert cameras.get_camera(actors["manager"], cid).summary.status == "under_review"
    review = cameras.get_review(actors["manager"], review_id)
    assert review.pia.version == 2 and not review.pia.signed_off and len(review.pia.risks) == 1
    assert review.figures.reads == 0 and review.figures.hits_by_category == {}
    with pytest.raises(InvalidTransition, match="already has an open review"):
        cameras.open_review(actors["manager"], cid)
    with pytest.raises(ValidationFailed) as caught:
        cameras.complete_review(actors["manager"], review_id, "retain", "", "")
    assert set(caught.value.fields) == {"necessity_findings", "privacy_findings"}
    with pytest.raises(ValidationFailed, match="Re-sign"):
        cameras.complete_review(actors["manager"], review_id, "retain", "Still needed.", "Unchanged.")
    estate.sign_off_pia(actors["manager"], review.pia.id)
    cameras.complete_review(actors["manager"], review_id, "retain", "Still needed.", "Unchanged.")
    detail = cameras.get_camera(actors["manager"], cid)
    assert status_of(pid) == "retained" and detail.summary.status == "active"
    assert detail.summary.next_review_due == date(2028, 5, 7)  # 12 months after the review (2027-05-07)
    with read_only() as session:
        versions = session.exec(select(PrivacyImpactAssessment.version)
                                .where(PrivacyImpactAssessment.proposal_id == pid)).all()
    assert sorted(versions) == [1, 2]
    # the next review cycle
    cameras.open_review(actors["manager"], cid)
    assert status_of(pid) == "under_review"


def test_review_next_due_cannot_be_past_the_interval(actors, frozen_clock):
    cid = _camera_id(actors, make_proposal(actors))
    review_id = cameras.open_review(actors["manager"], cid)
    with pytest.raises(ValidationFailed) as caught:
        cameras.complete_review(actors["manager"], review_id, "retain", "x", "y", "2030-01-01")
    assert "within 12 months" in caught.value.fields["next_due"]


def test_decommission_stops_the_camera(actors, frozen_clock):
    pid = make_proposal(actors)
    cid = _camera_id(actors, pid)
    review_id = cameras.open_review(actors["manager"], cid)
    cameras.complete_review(actors["manager"], review_id, "decommission", "No longer needed.", "n/a")
    camera = cameras.get_camera(actors["manager"], cid)
    assert camera.summary.status == "decommissioned" and status_of(pid) == "decommissioned"
    with pytest.raises(InvalidTransition, match="decommissioned"):
        cameras.open_review(actors["manager"], cid)
    with read_only() as session:
        c = session.get(Camera, cid)
    assert read_refusal_reason(c.status, c.commissioned_at, c.decommissioned_at, c.next_review_due, clock.now(),
                               30) == "camera decommissioned"


def test_relocate_creates_a_linked_draft_proposal(actors, frozen_clock):
    pid = make_proposal(actors)
    cid = _camera_id(actors, pid)
    review_id = cameras.open_review(actors["manager"], cid)
    new_id = cameras.complete_review(actors["manager"], review_id, "relocate", "Crime moved to the A64.", "Same.")
    new = estate.get_proposal(actors["manager"], new_id)
    assert new.status == "draft" and new.relocation_of == "CAM-NVL-001" and new.title.startswith("Relocation of")
    assert new.categories == SITE["categories"] and new.latitude is None
    assert cameras.get_review(actors["manager"], review_id).relocation_reference == new.reference
    assert status_of(pid) == "relocated"
    assert cameras.get_camera(actors["manager"], cid).summary.status == "decommissioned"


def test_review_figures_count_the_cameras_own_reads_and_hits(actors, frozen_clock):
    from anpr_gov.models import Hit, HotlistEntry, Read

    pid = make_proposal(actors)
    cid = _camera_id(actors, pid)
    now = clock.now()
    with unit_of_work() as session:
        entry = HotlistEntry(vrm="AB12CDE", category="stolen", action="stop", source="PNC", added_at=now)
        session.add(entry)
        session.flush()
        for i in range(3):
            read = Read(read_key=f"k{i}", vrm="AB12CDE" if i == 0 else f"XY{i}", raw_text="x", confidence=0.9,
                        captured_at=now + timedelta(hours=i + 1), camera_id=cid, proposal_id=pid, worker_id="w",
                        stored_at=now)
            session.add(read)
            session.flush()
            if i == 0:
                session.add(Hit(read_id=read.id, entry_id=entry.id, status="actioned", created_at=now,
                                updated_at=now))
    clock.freeze(now + timedelta(days=1))
    review = cameras.get_review(actors["manager"], cameras.open_review(actors["manager"], cid))
    assert review.figures.reads == 3 and review.figures.hits == 1
    assert review.figures.hits_by_category == {"stolen": 1} and review.figures.hit_outcomes == {"actioned": 1}


def test_overdue_camera_is_suspended_after_the_grace_period(actors, frozen_clock):
    cid = _camera_id(actors, make_proposal(actors))
    due = date(2027, 6, 1)
    clock.freeze(frozen_clock.replace(year=2027) + timedelta(days=10))  # overdue, within the 30-day grace
    assert cameras.suspend_overdue_cameras() == []
    [row] = cameras.reviews_due(actors["manager"])
    assert row.state == ReviewState.OVERDUE and row.days == -10
    clock.freeze(frozen_clock.replace(year=2027) + timedelta(days=31))
    assert cameras.suspend_overdue_cameras() == ["CAM-NVL-001"]
    assert cameras.suspend_overdue_cameras() == []  # idempotent
    camera = cameras.get_camera(actors["manager"], cid)
    assert camera.summary.status == "suspended" and camera.summary.review_state == "suspended"
    with read_only() as session:
        c = session.get(Camera, cid)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "camera.suspend")).one()
    assert c.next_review_due == due and event.actor_name == "system"
    assert read_refusal_reason(c.status, c.commissioned_at, None, c.next_review_due, clock.now(), 30) == \
        "camera suspended: its review is overdue"
    # a completed review (PIA re-signed) brings it back
    review_id = cameras.open_review(actors["manager"], cid)
    assert cameras.get_camera(actors["manager"], cid).summary.status == "suspended"
    estate.sign_off_pia(actors["manager"], cameras.get_review(actors["manager"], review_id).pia.id)
    cameras.complete_review(actors["manager"], review_id, "retain", "Needed.", "Fine.")
    assert cameras.get_camera(actors["manager"], cid).summary.status == "active"


def test_reviews_due_lists_due_soon_and_overdue_but_not_in_date(actors, frozen_clock):
    make_proposal(actors)
    assert cameras.reviews_due(actors["manager"]) == []
    clock.freeze(frozen_clock + timedelta(days=340))
    [row] = cameras.reviews_due(actors["manager"])
    assert row.reference == "CAM-NVL-001" and row.state == "due_soon" and row.days == 25


def test_only_the_manager_opens_and_completes_reviews(actors, frozen_clock):
    cid = _camera_id(actors, make_proposal(actors))
    for who in ("senior", "staff", "auditor"):
        with pytest.raises(PermissionDenied):
            cameras.open_review(actors[who], cid)
    review_id = cameras.open_review(actors["manager"], cid)
    with pytest.raises(PermissionDenied):
        cameras.complete_review(actors["senior"], review_id, "decommission", "x", "y")
    with pytest.raises(PermissionDenied):
        cameras.get_review(actors["staff"], review_id)
