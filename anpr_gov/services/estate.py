"""Camera-location assessments: proposals, their Privacy Impact Assessments, consultations, the senior officer's
decision and commissioning. Status changes go through policy.transition_problem only; every change is audited
in its own transaction (target_type "proposal" or "camera"), so the audit trail is the proposal's timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, func, or_, select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.core.settings import get_settings
from anpr_gov.models import (AuditEvent, Camera, Consultation, Force, LocationProposal, LocationReview, PIARisk,
                             PrivacyImpactAssessment, User)
from anpr_gov.policy import (CONSULTATION_STATUSES, PIA_EDITABLE_STATUSES, CameraStatus, ConsultationMethod,
                             ConsulteeType, Deployment, JustificationCategory, Permission, ProposalStatus, RiskLevel,
                             coordinates_problems, decision_blockers, next_review_due, pia_sign_off_problem,
                             risk_level, risk_scale_problem, risk_score, transition_problem)
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.errors import InvalidTransition, NotFound, ValidationFailed

TEXT_LIMIT = 10_000


# --- Views returned to pages and reports -------------------------------------------------------------------
@dataclass(frozen=True)
class ProposalSummary:
    id: int
    reference: str
    title: str
    force: str
    deployment: str
    categories: list[str]
    status: str
    proposed_by: str
    updated_at: datetime


@dataclass(frozen=True)
class RiskView:
    id: int
    description: str
    likelihood: int
    severity: int
    score: int
    level: str
    mitigation: str


@dataclass(frozen=True)
class PIAView:
    id: int
    version: int
    review_id: int | None
    processing_description: str
    necessity: str
    proportionality: str
    mitigations: str
    residual_risk: str
    dpo_advice: str
    signed_off: bool
    signed_off_by: str
    signed_off_at: datetime | None
    sign_off_reason: str
    risks: list[RiskView]


@dataclass(frozen=True)
class ConsultationView:
    id: int
    consultee_type: str
    consultee_name: str
    method: str
    held_on: date
    response_summary: str
    concerns: str
    force_response: str
    recorded_by: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    who: str
    action: str
    outcome: str
    details: dict


@dataclass(frozen=True)
class ProposalDetail:
    id: int
    reference: str
    title: str
    force: str
    force_name: str
    deployment: str
    latitude: float | None
    longitude: float | None
    road: str
    site_description: str
    vehicle: str
    patrol_area: str
    categories: list[str]
    evidence_of_need: str
    incidents_count: int | None
    incidents_period_months: int | None
    status: str
    proposed_by: str
    proposed_by_id: int
    submitted_at: datetime | None
    decided_by: str
    decided_at: datetime | None
    decision_reason: str
    created_at: datetime
    updated_at: datetime
    pia: PIAView | None
    consultations: list[ConsultationView]
    camera_id: int | None
    camera_reference: str
    relocation_of: str  # camera reference this proposal relocates, if any
    decision_blockers: list[str] = field(default_factory=list)


# --- Small helpers ------------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _optional_float(raw: Any, name: str, label: str, errors: dict[str, str]) -> float | None:
    text = _text(raw)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors[name] = f"{label} must be a number in decimal degrees, e.g. 53.8008."
        return None


def _optional_int(raw: Any, name: str, label: str, errors: dict[str, str], minimum: int = 0) -> int | None:
    text = _text(raw)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        errors[name] = f"{label} must be a whole number."
        return None
    if value < minimum:
        errors[name] = f"{label} must be {minimum} or more."
        return None
    return value


def _user_name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = session.get(User, user_id)
    return user.full_name if user else f"user {user_id}"


def _force_code(session: Session, force_id: int) -> str:
    force = session.get(Force, force_id)
    return force.code if force else ""


def _proposal(session: Session, proposal_id: int) -> LocationProposal:
    proposal = session.get(LocationProposal, proposal_id)
    if proposal is None:
        raise NotFound(f"No proposal with id {proposal_id}.")
    return proposal


def _move(session: Session, actor: Actor, proposal: LocationProposal, target: ProposalStatus, action: str,
          details: dict | None = None) -> None:
    """The only place a proposal's status changes: checked against the state machine, audited."""
    if problem := transition_problem(proposal.status, target):
        raise InvalidTransition(problem)
    before = proposal.status
    proposal.status = target.value
    proposal.updated_at = clock.now()
    session.add(proposal)
    audit.record(session, actor, action, target_type="proposal", target_id=proposal.id,
                 details={"reference": proposal.reference, "from": before, "to": target.value, **(details or {})})


def _refuse_transition(actor: Actor, action: str, proposal_id: int, message: str) -> None:
    """Audit a refused step on the proposal's own timeline (its own transaction), then raise."""
    with unit_of_work() as session:
        audit.record(session, actor, action, outcome="refused", target_type="proposal", target_id=proposal_id,
                     details={"reason": message})
    raise InvalidTransition(message)


def _audited_refusal(action: str):
    """Decorate a workflow step ``f(actor, proposal_id, ...)``: a refused transition (nothing changed, the unit of
    work rolled back) is recorded on the proposal's timeline in its own transaction, then re-raised."""

    def decorator(step):
        @wraps(step)
        def wrapper(actor: Actor, proposal_id: int, *args, **kwargs):
            try:
                return step(actor, proposal_id, *args, **kwargs)
            except InvalidTransition as exc:
                _refuse_transition(actor, action, proposal_id, str(exc))

        return wrapper

    return decorator


def _latest_pia(session: Session, proposal_id: int) -> PrivacyImpactAssessment | None:
    return session.exec(select(PrivacyImpactAssessment).where(PrivacyImpactAssessment.proposal_id == proposal_id)
                        .order_by(PrivacyImpactAssessment.version.desc())).first()


def _consultation_count(session: Session, proposal_id: int) -> int:
    return session.exec(select(func.count()).select_from(Consultation)
                        .where(Consultation.proposal_id == proposal_id)).one()


# --- Proposals ----------------------------------------------------------------------------------------------
PROPOSAL_FIELDS = ("title", "force", "deployment", "latitude", "longitude", "road", "site_description", "vehicle",
                   "patrol_area", "categories", "evidence_of_need", "incidents_count", "incidents_period_months")


def _parse_proposal(session: Session, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Checks what is given (formats, ranges, force area); completeness is checked on submission."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    values["title"] = _text(data.get("title"))
    if not values["title"]:
        errors["title"] = "Give the site a short name, e.g. “A61 Northgate, southbound”."
    elif len(values["title"]) > 160:
        errors["title"] = "Keep the name to 160 characters."
    force_code = _text(data.get("force")).upper()
    force = session.exec(select(Force).where(Force.code == force_code)).first() if force_code else None
    if force is None:
        errors["force"] = "Choose the force whose area the site is in."
    values["force_id"] = force.id if force else None
    deployment = _text(data.get("deployment")).lower() or Deployment.FIXED.value
    if deployment not in {d.value for d in Deployment}:
        errors["deployment"] = "Choose fixed or mobile."
    values["deployment"] = deployment
    values["latitude"] = _optional_float(data.get("latitude"), "latitude", "Latitude", errors)
    values["longitude"] = _optional_float(data.get("longitude"), "longitude", "Longitude", errors)
    if "latitude" not in errors and "longitude" not in errors:
        errors.update(coordinates_problems(values["latitude"], values["longitude"], force_code))
    for name, limit in (("road", 160), ("vehicle", 80), ("patrol_area", 160)):
        values[name] = _text(data.get(name))
        if len(values[name]) > limit:
            errors[name] = f"Keep this to {limit} characters."
    for name in ("site_description", "evidence_of_need"):
        values[name] = _text(data.get(name))
        if len(values[name]) > TEXT_LIMIT:
            errors[name] = f"Keep this to {TEXT_LIMIT} characters."
    categories = data.get("categories") or []
    if isinstance(categories, str):
        categories = [c for c in categories.split(",") if c.strip()]
    valid = {c.value for c in JustificationCategory}
    unknown = [c for c in categories if c not in valid]
    if unknown:
        errors["categories"] = f"Unknown justification category: {', '.join(unknown)}."
    values["categories"] = [c.value for c in JustificationCategory if c.value in categories]
    values["incidents_count"] = _optional_int(data.get("incidents_count"), "incidents_count", "Incidents", errors)
    values["incidents_period_months"] = _optional_int(data.get("incidents_period_months"), "incidents_period_months",
                                                      "Period", errors, minimum=1)
    if values["incidents_count"] is not None and values["incidents_period_months"] is None \
            and "incidents_period_months" not in errors:
        errors["incidents_period_months"] = "Say over how many months the incidents were counted."
    return values, errors


def _completeness_problems(p: LocationProposal) -> dict[str, str]:
    errors: dict[str, str] = {}
    if p.deployment == Deployment.FIXED:
        if p.latitude is None:
            errors["latitude"] = "A fixed site needs its latitude."
        if p.longitude is None:
            errors["longitude"] = "A fixed site needs its longitude."
        if not p.road:
            errors["road"] = "Name the road the camera will watch."
        if not p.site_description:
            errors["site_description"] = "Describe the site (where the camera is mounted, what it sees)."
    else:
        if not p.vehicle:
            errors["vehicle"] = "Name the vehicle that carries the camera."
        if not p.patrol_area:
            errors["patrol_area"] = "Describe the area the vehicle patrols."
    if not p.categories:
        errors["categories"] = "Choose at least one justification category."
    if not p.evidence_of_need:
        errors["evidence_of_need"] = "Describe the evidence of need (what happens here, and why ANPR helps)."
    return errors


def save_draft(actor: Actor, proposal_id: int | None, data: dict[str, Any]) -> int:
    """Create a draft (``proposal_id`` None) or update one; returns its id. Only drafts may be edited."""
    require(actor, Permission.MANAGE_ESTATE, "proposal.save", str(proposal_id or "new"))
    with unit_of_work() as session:
        values, errors = _parse_proposal(session, data)
        if errors:
            raise ValidationFailed(errors)
        now = clock.now()
        if proposal_id is None:
            force_code = _force_code(session, values["force_id"])
            count = session.exec(select(func.count()).select_from(LocationProposal)
                                 .where(LocationProposal.force_id == values["force_id"])).one()
            reference = f"PRP-{force_code}-{now.year}-{count + 1:03d}"
            while session.exec(select(LocationProposal).where(LocationProposal.reference == reference)).first():
                count += 1
                reference = f"PRP-{force_code}-{now.year}-{count + 1:03d}"
            proposal = LocationProposal(reference=reference, proposed_by_id=actor.id, created_at=now, updated_at=now,
                                        status=ProposalStatus.DRAFT.value, **values)
            session.add(proposal)
            session.flush()
            audit.record(session, actor, "proposal.create", target_type="proposal", target_id=proposal.id,
                         details={"reference": reference, "title": proposal.title})
        else:
            proposal = _proposal(session, proposal_id)
            if proposal.status != ProposalStatus.DRAFT:
                raise InvalidTransition(f"{proposal.reference} has been submitted; only drafts can be edited.")
            changed = sorted(k for k, v in values.items() if getattr(proposal, k) != v)
            for key, value in values.items():
                setattr(proposal, key, value)
            proposal.updated_at = now
            session.add(proposal)
            audit.record(session, actor, "proposal.update", target_type="proposal", target_id=proposal.id,
                         details={"reference": proposal.reference, "changed": changed})
        return proposal.id


@_audited_refusal("proposal.submit")
def submit(actor: Actor, proposal_id: int) -> None:
    """Draft -> submitted, once every required field is filled in."""
    require(actor, Permission.MANAGE_ESTATE, "proposal.submit", f"proposal {proposal_id}")
    with unit_of_work() as session:
        proposal = _proposal(session, proposal_id)
        if proposal.status == ProposalStatus.DRAFT and (errors := _completeness_problems(proposal)):
            raise ValidationFailed(errors)
        _move(session, actor, proposal, ProposalStatus.SUBMITTED, "proposal.submit")
        proposal.submitted_at = clock.now()


@_audited_refusal("proposal.start_assessment")
def start_assessment(actor: Actor, proposal_id: int) -> None:
    """Submitted -> assessment: opens the Privacy Impact Assessment (version 1) if none exists."""
    require(actor, Permission.MANAGE_ESTATE, "proposal.start_assessment", f"proposal {proposal_id}")
    with unit_of_work() as session:
        proposal = _proposal(session, proposal_id)
        _move(session, actor, proposal, ProposalStatus.ASSESSMENT, "proposal.start_assessment")
        if _latest_pia(session, proposal.id) is None:
            _new_pia(session, actor, proposal)


@_audited_refusal("proposal.start_consultation")
def start_consultation(actor: Actor, proposal_id: int) -> None:
    require(actor, Permission.MANAGE_ESTATE, "proposal.start_consultation", f"proposal {proposal_id}")
    with unit_of_work() as session:
        _move(session, actor, _proposal(session, proposal_id), ProposalStatus.CONSULTATION,
              "proposal.start_consultation")


@_audited_refusal("proposal.request_decision")
def request_decision(actor: Actor, proposal_id: int) -> None:
    """Consultation -> awaiting decision. The decision itself checks the PIA and consultations."""
    require(actor, Permission.MANAGE_ESTATE, "proposal.request_decision", f"proposal {proposal_id}")
    with unit_of_work() as session:
        _move(session, actor, _proposal(session, proposal_id), ProposalStatus.AWAITING_DECISION,
              "proposal.request_decision")


def decide(actor: Actor, proposal_id: int, approve: bool, reason: str) -> None:
    """A senior officer approves or rejects, with reasons. Refused, naming what is missing, until the PIA is
    signed off and a consultation is recorded; the proposer may never decide their own proposal."""
    action = "proposal.approve" if approve else "proposal.reject"
    require(actor, Permission.DECIDE_PROPOSALS, action, f"proposal {proposal_id}")
    reason = _text(reason)
    if not reason:
        raise ValidationFailed({"reason": "Give the reasons for the decision; they go on the record."})
    with read_only() as session:
        proposal = _proposal(session, proposal_id)
        pia = _latest_pia(session, proposal_id)
        blockers = decision_blockers(pia is not None and pia.signed_off_at is not None,
                                     _consultation_count(session, proposal_id), proposal.proposed_by_id, actor.id)
        problem = transition_problem(proposal.status, ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED)
    if problem:
        _refuse_transition(actor, action, proposal_id, problem)
    if blockers:
        _refuse_transition(actor, action, proposal_id,
                           f"{proposal.reference} cannot be decided yet: {'; '.join(blockers)}.")
    with unit_of_work() as session:
        proposal = _proposal(session, proposal_id)
        target = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
        _move(session, actor, proposal, target, action, {"reason": reason})
        proposal.decided_by_id, proposal.decided_at, proposal.decision_reason = actor.id, clock.now(), reason


@_audited_refusal("proposal.commission")
def commission(actor: Actor, proposal_id: int, name: str = "") -> int:
    """Approved -> commissioned: creates the Camera, first review due after the configured interval."""
    require(actor, Permission.MANAGE_ESTATE, "proposal.commission", f"proposal {proposal_id}")
    with unit_of_work() as session:
        proposal = _proposal(session, proposal_id)
        _move(session, actor, proposal, ProposalStatus.COMMISSIONED, "proposal.commission")
        now = clock.now()
        force_code = _force_code(session, proposal.force_id)
        count = session.exec(select(func.count()).select_from(Camera).where(Camera.force_id == proposal.force_id)).one()
        reference = f"CAM-{force_code}-{count + 1:03d}"
        while session.exec(select(Camera).where(Camera.reference == reference)).first():
            count += 1
            reference = f"CAM-{force_code}-{count + 1:03d}"
        due = next_review_due(now.date(), get_settings().review_interval_months)
        camera = Camera(reference=reference, name=(_text(name) or proposal.title)[:120], force_id=proposal.force_id,
                        deployment=proposal.deployment, status=CameraStatus.ACTIVE.value, proposal_id=proposal.id,
                        commissioned_at=now, next_review_due=due)
        session.add(camera)
        session.flush()
        audit.record(session, actor, "camera.commission", target_type="camera", target_id=camera.id,
                     details={"reference": reference, "proposal": proposal.reference, "next_review_due": due})
        return camera.id


def list_proposals(actor: Actor) -> list[ProposalSummary]:
    """Proposals hold locations: for those whose role may see camera locations."""
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "proposal.list")
    with read_only() as session:
        forces = {f.id: f.code for f in session.exec(select(Force))}
        names = {u.id: u.full_name for u in session.exec(select(User))}
        return [
            ProposalSummary(id=p.id, reference=p.reference, title=p.title, force=forces.get(p.force_id, ""),
                            deployment=p.deployment, categories=list(p.categories), status=p.status,
                            proposed_by=names.get(p.proposed_by_id, ""), updated_at=p.updated_at)
            for p in session.exec(select(LocationProposal).order_by(LocationProposal.updated_at.desc()))
        ]


def _pia_view(session: Session, pia: PrivacyImpactAssessment) -> PIAView:
    risks = [
        RiskView(id=r.id, description=r.description, likelihood=r.likelihood, severity=r.severity,
                 score=r.likelihood * r.severity, level=risk_level(r.likelihood * r.severity).value,
                 mitigation=r.mitigation)
        for r in session.exec(select(PIARisk).where(PIARisk.pia_id == pia.id).order_by(PIARisk.id))
    ]
    return PIAView(id=pia.id, version=pia.version, review_id=pia.review_id,
                   processing_description=pia.processing_description, necessity=pia.necessity,
                   proportionality=pia.proportionality, mitigations=pia.mitigations, residual_risk=pia.residual_risk,
                   dpo_advice=pia.dpo_advice, signed_off=pia.signed_off_at is not None,
                   signed_off_by=_user_name(session, pia.signed_off_by_id), signed_off_at=pia.signed_off_at,
                   sign_off_reason=pia.sign_off_reason, risks=risks)


def _detail(session: Session, proposal: LocationProposal, actor: Actor) -> ProposalDetail:
    force = session.get(Force, proposal.force_id)
    pia = _latest_pia(session, proposal.id)
    consultations = [
        ConsultationView(id=c.id, consultee_type=c.consultee_type, consultee_name=c.consultee_name, method=c.method,
                         held_on=c.held_on, response_summary=c.response_summary, concerns=c.concerns,
                         force_response=c.force_response, recorded_by=_user_name(session, c.recorded_by_id))
        for c in session.exec(select(Consultation).where(Consultation.proposal_id == proposal.id)
                              .order_by(Consultation.held_on, Consultation.id))
    ]
    camera = session.exec(select(Camera).where(Camera.proposal_id == proposal.id)).first()
    relocating = session.exec(select(LocationReview).where(LocationReview.relocation_proposal_id == proposal.id)).first()
    relocated_camera = session.get(Camera, relocating.camera_id) if relocating else None
    return ProposalDetail(
        id=proposal.id, reference=proposal.reference, title=proposal.title, force=force.code if force else "",
        force_name=force.name if force else "", deployment=proposal.deployment, latitude=proposal.latitude,
        longitude=proposal.longitude, road=proposal.road, site_description=proposal.site_description,
        vehicle=proposal.vehicle, patrol_area=proposal.patrol_area, categories=list(proposal.categories),
        evidence_of_need=proposal.evidence_of_need, incidents_count=proposal.incidents_count,
        incidents_period_months=proposal.incidents_period_months, status=proposal.status,
        proposed_by=_user_name(session, proposal.proposed_by_id), proposed_by_id=proposal.proposed_by_id,
        submitted_at=proposal.submitted_at, decided_by=_user_name(session, proposal.decided_by_id),
        decided_at=proposal.decided_at, decision_reason=proposal.decision_reason, created_at=proposal.created_at,
        updated_at=proposal.updated_at, pia=_pia_view(session, pia) if pia else None, consultations=consultations,
        camera_id=camera.id if camera else None, camera_reference=camera.reference if camera else "",
        relocation_of=relocated_camera.reference if relocated_camera else "",
        decision_blockers=decision_blockers(pia is not None and pia.signed_off_at is not None, len(consultations),
                                            proposal.proposed_by_id, actor.id),
    )


def get_proposal(actor: Actor, proposal_id: int) -> ProposalDetail:
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "proposal.view", f"proposal {proposal_id}")
    with read_only() as session:
        return _detail(session, _proposal(session, proposal_id), actor)


def timeline(actor: Actor, proposal_id: int) -> list[TimelineEntry]:
    """Every audited step of a proposal and of the camera(s) commissioned from it, oldest first."""
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "proposal.timeline", f"proposal {proposal_id}")
    with read_only() as session:
        _proposal(session, proposal_id)
        camera_ids = [str(c) for c in session.exec(select(Camera.id).where(Camera.proposal_id == proposal_id))]
        return _events(session, [("proposal", [str(proposal_id)]), ("camera", camera_ids)])


def _events(session: Session, targets: list[tuple[str, list[str]]]) -> list[TimelineEntry]:
    clauses = [(AuditEvent.target_type == kind) & (AuditEvent.target_id.in_(ids)) for kind, ids in targets if ids]
    if not clauses:
        return []
    stmt = select(AuditEvent).where(or_(*clauses)).order_by(AuditEvent.seq)
    return [TimelineEntry(at=e.occurred_at, who=e.actor_name, action=e.action, outcome=e.outcome,
                          details=dict(e.details or {}))
            for e in session.exec(stmt)]


# --- Privacy Impact Assessment ------------------------------------------------------------------------------
PIA_TEXT_FIELDS = ("processing_description", "necessity", "proportionality", "mitigations", "dpo_advice")


def _new_pia(session: Session, actor: Actor, proposal: LocationProposal, review_id: int | None = None,
             copy_from: PrivacyImpactAssessment | None = None) -> PrivacyImpactAssessment:
    now = clock.now()
    version = (copy_from.version + 1) if copy_from else 1
    pia = PrivacyImpactAssessment(proposal_id=proposal.id, review_id=review_id, version=version, created_at=now,
                                  updated_at=now)
    if copy_from:
        for name in (*PIA_TEXT_FIELDS, "residual_risk"):
            setattr(pia, name, getattr(copy_from, name))
    session.add(pia)
    session.flush()
    if copy_from:
        for risk in session.exec(select(PIARisk).where(PIARisk.pia_id == copy_from.id)):
            session.add(PIARisk(pia_id=pia.id, description=risk.description, likelihood=risk.likelihood,
                                severity=risk.severity, mitigation=risk.mitigation))
    audit.record(session, actor, "pia.open", target_type="proposal", target_id=proposal.id,
                 details={"reference": proposal.reference, "version": version, "review_id": review_id})
    return pia


def _editable_pia(session: Session, pia_id: int) -> tuple[PrivacyImpactAssessment, LocationProposal]:
    pia = session.get(PrivacyImpactAssessment, pia_id)
    if pia is None:
        raise NotFound(f"No Privacy Impact Assessment with id {pia_id}.")
    proposal = _proposal(session, pia.proposal_id)
    latest = _latest_pia(session, proposal.id)
    if latest is not None and latest.id != pia.id:
        raise InvalidTransition(f"Version {pia.version} of the PIA has been superseded by version {latest.version}.")
    if pia.signed_off_at is not None:
        raise InvalidTransition(f"Version {pia.version} of the PIA is signed off; re-open it to change it.")
    in_review = pia.review_id is not None and proposal.status == ProposalStatus.UNDER_REVIEW
    if not in_review and ProposalStatus(proposal.status) not in PIA_EDITABLE_STATUSES:
        raise InvalidTransition(f"The PIA of a proposal that is {proposal.status.replace('_', ' ')} cannot be changed.")
    return pia, proposal


def save_pia(actor: Actor, pia_id: int, data: dict[str, Any]) -> None:
    require(actor, Permission.MANAGE_ESTATE, "pia.save", f"pia {pia_id}")
    errors: dict[str, str] = {}
    values = {name: _text(data.get(name)) for name in PIA_TEXT_FIELDS}
    for name, value in values.items():
        if len(value) > TEXT_LIMIT:
            errors[name] = f"Keep this to {TEXT_LIMIT} characters."
    residual = _text(data.get("residual_risk")).lower()
    if residual and residual not in {r.value for r in RiskLevel}:
        errors["residual_risk"] = "Choose low, medium or high."
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work() as session:
        pia, proposal = _editable_pia(session, pia_id)
        changed = sorted(k for k, v in values.items() if getattr(pia, k) != v)
        for name, value in values.items():
            setattr(pia, name, value)
        if residual != pia.residual_risk:
            changed.append("residual_risk")
        pia.residual_risk = residual
        pia.updated_at = clock.now()
        session.add(pia)
        audit.record(session, actor, "pia.save", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "version": pia.version, "changed": changed})


def add_risk(actor: Actor, pia_id: int, description: str, likelihood: Any, severity: Any, mitigation: str = "") -> int:
    require(actor, Permission.MANAGE_ESTATE, "pia.add_risk", f"pia {pia_id}")
    errors: dict[str, str] = {}
    description = _text(description)
    if not description:
        errors["description"] = "Describe the risk to people's privacy."
    scores = {}
    for name, label, raw in (("likelihood", "Likelihood", likelihood), ("severity", "Severity", severity)):
        try:
            scores[name] = int(_text(raw))
        except ValueError:
            errors[name] = f"{label} must be a whole number from 1 to 5."
            continue
        if problem := risk_scale_problem(scores[name]):
            errors[name] = f"{label}: {problem[0].lower()}{problem[1:]}"
    if errors:
        raise ValidationFailed(errors)
    score = risk_score(scores["likelihood"], scores["severity"])
    with unit_of_work() as session:
        pia, proposal = _editable_pia(session, pia_id)
        risk = PIARisk(pia_id=pia.id, description=description, likelihood=scores["likelihood"],
                       severity=scores["severity"], mitigation=_text(mitigation))
        session.add(risk)
        session.flush()
        pia.updated_at = clock.now()
        session.add(pia)
        audit.record(session, actor, "pia.add_risk", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "version": pia.version, "risk": description[:80],
                              "score": score})
        return risk.id


def remove_risk(actor: Actor, risk_id: int) -> None:
    require(actor, Permission.MANAGE_ESTATE, "pia.remove_risk", f"risk {risk_id}")
    with unit_of_work() as session:
        risk = session.get(PIARisk, risk_id)
        if risk is None:
            raise NotFound(f"No risk with id {risk_id}.")
        pia, proposal = _editable_pia(session, risk.pia_id)
        session.delete(risk)
        audit.record(session, actor, "pia.remove_risk", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "version": pia.version, "risk": risk.description[:80]})


def sign_off_pia(actor: Actor, pia_id: int, reason: str = "") -> None:
    """Sign-off needs every section written and at least one risk; a high residual risk needs the reason."""
    require(actor, Permission.MANAGE_ESTATE, "pia.sign_off", f"pia {pia_id}")
    reason = _text(reason)
    with unit_of_work() as session:
        pia, proposal = _editable_pia(session, pia_id)
        errors: dict[str, str] = {}
        labels = {"processing_description": "Describe the processing.", "necessity": "Explain why it is necessary.",
                  "proportionality": "Explain why it is proportionate.",
                  "mitigations": "Describe the mitigations.", "dpo_advice": "Record the data-protection officer's advice."}
        for name, message in labels.items():
            if not getattr(pia, name):
                errors[name] = message
        if not pia.residual_risk:
            errors["residual_risk"] = "Choose the residual risk."
        risks = session.exec(select(PIARisk).where(PIARisk.pia_id == pia.id)).all()
        if not risks:
            errors["risks"] = "Add at least one risk to the register."
        unmitigated = sum(1 for r in risks if risk_level(r.likelihood * r.severity) is RiskLevel.HIGH
                          and not r.mitigation.strip())
        if not errors and (problem := pia_sign_off_problem(pia.residual_risk, reason, unmitigated)):
            errors["sign_off_reason"] = problem
        if errors:
            raise ValidationFailed(errors)
        pia.signed_off_by_id, pia.signed_off_at, pia.sign_off_reason = actor.id, clock.now(), reason
        session.add(pia)
        audit.record(session, actor, "pia.sign_off", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "version": pia.version,
                              "residual_risk": pia.residual_risk, "reason": reason})


def _pia_and_stage(session, pia_id: int):
    """(PIA, its proposal, whether the proposal's stage lets its PIA change, the latest PIA version).
    A PIA may change before the decision, or while the camera is under review (the review's PIA)."""
    pia = session.get(PrivacyImpactAssessment, pia_id)
    if pia is None:
        raise NotFound(f"No Privacy Impact Assessment with id {pia_id}.")
    proposal = _proposal(session, pia.proposal_id)
    in_review = pia.review_id is not None and proposal.status == ProposalStatus.UNDER_REVIEW
    stage_open = in_review or ProposalStatus(proposal.status) in PIA_EDITABLE_STATUSES
    return pia, proposal, stage_open, _latest_pia(session, proposal.id)


def reopen_pia(actor: Actor, pia_id: int) -> None:
    """Withdraw a sign-off so the PIA can be changed (before the decision, or during a review)."""
    require(actor, Permission.MANAGE_ESTATE, "pia.reopen", f"pia {pia_id}")
    with unit_of_work() as session:
        pia, proposal, stage_open, latest = _pia_and_stage(session, pia_id)
        if not stage_open:
            raise InvalidTransition(f"The PIA of a proposal that is {proposal.status.replace('_', ' ')} "
                                    "cannot be re-opened; it is re-opened at the camera's next review.")
        if latest is not None and latest.id != pia.id:
            raise InvalidTransition(f"Version {pia.version} of the PIA has been superseded by version {latest.version}.")
        if pia.signed_off_at is None:
            raise InvalidTransition("This PIA is not signed off.")
        pia.signed_off_by_id, pia.signed_off_at, pia.sign_off_reason = None, None, ""
        pia.updated_at = clock.now()
        session.add(pia)
        audit.record(session, actor, "pia.reopen", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "version": pia.version})


@dataclass(frozen=True)
class PIAContext:
    pia: PIAView
    proposal_id: int
    proposal_reference: str
    proposal_title: str
    proposal_status: str
    editable: bool  # not signed off, and the proposal is at a stage where the PIA may change
    can_reopen: bool


def get_pia(actor: Actor, pia_id: int) -> PIAContext:
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "pia.view", f"pia {pia_id}")
    with read_only() as session:
        pia, proposal, stage_open, latest = _pia_and_stage(session, pia_id)
        stage_ok = stage_open and latest is not None and latest.id == pia.id
        return PIAContext(pia=_pia_view(session, pia), proposal_id=proposal.id, proposal_reference=proposal.reference,
                          proposal_title=proposal.title, proposal_status=proposal.status,
                          editable=stage_ok and pia.signed_off_at is None,
                          can_reopen=stage_ok and pia.signed_off_at is not None)


# --- Consultations ------------------------------------------------------------------------------------------
def add_consultation(actor: Actor, proposal_id: int, data: dict[str, Any]) -> int:
    require(actor, Permission.MANAGE_ESTATE, "consultation.add", f"proposal {proposal_id}")
    errors: dict[str, str] = {}
    consultee_type = _text(data.get("consultee_type"))
    if consultee_type not in {c.value for c in ConsulteeType}:
        errors["consultee_type"] = "Choose who was consulted."
    consultee_name = _text(data.get("consultee_name"))
    if not consultee_name:
        errors["consultee_name"] = "Name the consultee, e.g. “Northgate Residents' Association”."
    elif len(consultee_name) > 160:
        errors["consultee_name"] = "Keep the name to 160 characters."
    method = _text(data.get("method"))
    if method not in {m.value for m in ConsultationMethod}:
        errors["method"] = "Choose how they were consulted."
    held_on: date | None = None
    raw_date = data.get("held_on")
    if isinstance(raw_date, date):
        held_on = raw_date
    elif not _text(raw_date):
        errors["held_on"] = "Enter the date the consultation was held."
    else:
        try:
            held_on = date.fromisoformat(_text(raw_date))
        except ValueError:
            errors["held_on"] = "Enter the date as YYYY-MM-DD."
    if held_on is not None and held_on > clock.today():
        errors["held_on"] = "A consultation already held cannot be dated in the future."
    summary = _text(data.get("response_summary"))
    if not summary:
        errors["response_summary"] = "Summarise the response."
    concerns, answer = _text(data.get("concerns")), _text(data.get("force_response"))
    if concerns and not answer:
        errors["force_response"] = "Record the force's answer to each concern raised."
    for name, value in (("response_summary", summary), ("concerns", concerns), ("force_response", answer)):
        if len(value) > TEXT_LIMIT:
            errors[name] = f"Keep this to {TEXT_LIMIT} characters."
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work() as session:
        proposal = _proposal(session, proposal_id)
        if ProposalStatus(proposal.status) not in CONSULTATION_STATUSES:
            raise InvalidTransition(f"Consultations are recorded once assessment has started and before the "
                                    f"decision; {proposal.reference} is {proposal.status.replace('_', ' ')}.")
        consultation = Consultation(proposal_id=proposal.id, consultee_type=consultee_type,
                                    consultee_name=consultee_name, method=method, held_on=held_on,
                                    response_summary=summary, concerns=concerns, force_response=answer,
                                    recorded_by_id=actor.id, created_at=clock.now())
        session.add(consultation)
        session.flush()
        audit.record(session, actor, "consultation.add", target_type="proposal", target_id=proposal.id,
                     details={"reference": proposal.reference, "consultee": consultee_name, "method": method,
                              "held_on": held_on})
        return consultation.id


__all__ = [
    "ConsultationView", "PIAView", "ProposalDetail", "ProposalSummary", "RiskView", "TimelineEntry",
    "PIAContext", "add_consultation", "add_risk", "commission", "decide", "get_pia", "get_proposal", "list_proposals", "remove_risk",
    "reopen_pia", "request_decision", "save_draft", "save_pia", "sign_off_pia", "start_assessment",
    "start_consultation", "submit", "timeline",
]


def categories_label(categories: list[str]) -> str:
    from anpr_gov.policy import JUSTIFICATION_LABELS

    return "; ".join(JUSTIFICATION_LABELS.get(c, c) for c in categories)
