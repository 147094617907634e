"""Cameras and their periodic reviews: figures for the period, findings, the PIA re-opened and re-signed, the
decision (retain, relocate, decommission), and suspension of cameras whose review is overdue past the grace period.

Staff may see a camera's name, force and status; its location only with Permission.VIEW_CAMERA_LOCATIONS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case
from sqlmodel import Session, func, select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.core.settings import get_settings
from anpr_gov.models import (Camera, Force, Hit, HotlistEntry, LocationProposal, LocationReview,
                             PrivacyImpactAssessment, Read)
from anpr_gov.policy import (REVIEW_DUE_SOON_DAYS, REVIEW_OUTCOME_STATUS, CameraStatus, Permission, ProposalStatus,
                             ReviewDecision, ReviewState, add_months, next_review_due, review_state,
                             transition_problem)
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.errors import InvalidTransition, NotFound, ValidationFailed
from anpr_gov.services.estate import (TEXT_LIMIT, PIAView, TimelineEntry, _events, _latest_pia, _move, _new_pia,
                                      _pia_view, _proposal, _text, _user_name)


@dataclass(frozen=True)
class CameraSummary:
    id: int
    reference: str
    name: str
    force: str
    deployment: str
    status: str
    review_state: str  # policy.ReviewState, or "" for a decommissioned camera
    next_review_due: date
    last_read_at: datetime | None = None  # its newest stored read's capture time (is its worker storing reads?)
    # restricted: empty unless the actor may see camera locations
    road: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Figures:
    reads: int
    hits: int
    hits_by_category: dict[str, int]
    hit_outcomes: dict[str, int]


@dataclass(frozen=True)
class ReviewView:
    id: int
    camera_id: int
    camera_reference: str
    camera_name: str
    force: str
    status: str
    period_start: datetime
    period_end: datetime | None
    figures: Figures
    necessity_findings: str
    privacy_findings: str
    decision: str
    next_due: date | None
    relocation_proposal_id: int | None
    relocation_reference: str
    opened_by: str
    completed_by: str
    created_at: datetime
    completed_at: datetime | None
    pia: PIAView | None
    proposal_id: int
    proposal_reference: str


@dataclass(frozen=True)
class CameraDetail:
    summary: CameraSummary
    commissioned_at: datetime
    decommissioned_at: datetime | None
    proposal_id: int | None  # None unless the actor may see locations (proposals hold them)
    proposal_reference: str
    categories: list[str]
    site_description: str
    vehicle: str
    patrol_area: str
    refused_reads: int
    last_refusal_at: datetime | None  # when the read store last refused one of its reads
    last_refusal_reason: str  # and why ("" when it never has)
    reviews: list[ReviewView]
    open_review_id: int | None
    location_visible: bool


@dataclass(frozen=True)
class DueReview:
    camera_id: int
    reference: str
    name: str
    force: str
    due: date
    state: str
    days: int  # days until due (negative: overdue)
    status: str = ""  # the camera's status (under_review when a review is open)


def _camera(session: Session, camera_id: int) -> Camera:
    camera = session.get(Camera, camera_id)
    if camera is None:
        raise NotFound(f"No camera with id {camera_id}.")
    return camera


def _state(camera: Camera, today: date) -> str:
    if camera.status == CameraStatus.DECOMMISSIONED:
        return ""
    if camera.status == CameraStatus.SUSPENDED:
        return ReviewState.SUSPENDED.value
    return review_state(camera.next_review_due, today, get_settings().review_grace_days).value


def _summary(session: Session, camera: Camera, actor: Actor, forces: dict[int, str] | None = None) -> CameraSummary:
    forces = forces if forces is not None else {f.id: f.code for f in session.exec(select(Force))}
    base = dict(id=camera.id, reference=camera.reference, name=camera.name, force=forces.get(camera.force_id, ""),
                deployment=camera.deployment, status=camera.status, review_state=_state(camera, clock.today()),
                next_review_due=camera.next_review_due, last_read_at=_last_read_at(session, camera.id))
    if actor.can(Permission.VIEW_CAMERA_LOCATIONS):
        proposal = session.get(LocationProposal, camera.proposal_id)
        if proposal:
            base.update(road=proposal.road or proposal.patrol_area, latitude=proposal.latitude,
                        longitude=proposal.longitude)
    return CameraSummary(**base)


def _last_read_at(session: Session, camera_id: int) -> datetime | None:
    # one camera at a time: each is an index seek on (camera_id, captured_at), where a GROUP BY would scan it all
    return session.exec(select(func.max(Read.captured_at)).where(Read.camera_id == camera_id)).one()


def list_cameras(actor: Actor) -> list[CameraSummary]:
    require(actor, Permission.VIEW_CAMERAS, "camera.list")
    with read_only() as session:
        forces = {f.id: f.code for f in session.exec(select(Force))}
        return [_summary(session, c, actor, forces) for c in session.exec(select(Camera).order_by(Camera.reference))]


def figures_for(session: Session, camera_id: int, start: datetime, end: datetime) -> Figures:
    """The camera's own reads and hits captured in [start, end): real queries on the read store."""
    in_period = (Read.camera_id == camera_id) & (Read.captured_at >= start) & (Read.captured_at < end)
    reads = session.exec(select(func.count()).select_from(Read).where(in_period)).one()
    by_category = dict(session.exec(
        select(HotlistEntry.category, func.count(Hit.id)).select_from(Hit)
        .join(Read, Read.id == Hit.read_id).join(HotlistEntry, HotlistEntry.id == Hit.entry_id)
        .where(in_period).group_by(HotlistEntry.category)).all())
    outcomes = dict(session.exec(
        select(Hit.status, func.count(Hit.id)).select_from(Hit).join(Read, Read.id == Hit.read_id)
        .where(in_period).group_by(Hit.status)).all())
    return Figures(reads=reads, hits=sum(by_category.values()), hits_by_category=by_category, hit_outcomes=outcomes)


def _period_start(session: Session, camera: Camera) -> datetime:
    last = session.exec(select(LocationReview).where(LocationReview.camera_id == camera.id,
                                                     LocationReview.status == "completed")
                        .order_by(LocationReview.completed_at.desc())).first()
    return last.completed_at if last and last.completed_at else camera.commissioned_at


def _review_view(session: Session, review: LocationReview) -> ReviewView:
    camera = _camera(session, review.camera_id)
    proposal = session.get(LocationProposal, camera.proposal_id)
    if review.status == "completed":
        figures = Figures(review.reads_count, review.hits_count, dict(review.hits_by_category),
                          dict(review.hit_outcomes))
    else:
        figures = figures_for(session, camera.id, review.period_start, clock.now() + timedelta(seconds=1))
    pia = session.exec(select(PrivacyImpactAssessment).where(PrivacyImpactAssessment.review_id == review.id)).first()
    relocation = session.get(LocationProposal, review.relocation_proposal_id) if review.relocation_proposal_id else None
    force = session.get(Force, camera.force_id)
    return ReviewView(
        id=review.id, camera_id=camera.id, camera_reference=camera.reference, camera_name=camera.name,
        force=force.code if force else "", status=review.status, period_start=review.period_start,
        period_end=review.period_end, figures=figures, necessity_findings=review.necessity_findings,
        privacy_findings=review.privacy_findings, decision=review.decision, next_due=review.next_due,
        relocation_proposal_id=review.relocation_proposal_id,
        relocation_reference=relocation.reference if relocation else "",
        opened_by=_user_name(session, review.opened_by_id), completed_by=_user_name(session, review.completed_by_id),
        created_at=review.created_at, completed_at=review.completed_at,
        pia=_pia_view(session, pia) if pia else None, proposal_id=proposal.id if proposal else 0,
        proposal_reference=proposal.reference if proposal else "",
    )


def camera_id_for_reference(actor: Actor, reference: str) -> int:
    """The id of the camera with this reference (``CAM-NVL-002``, any case), for addresses that name a camera the
    way staff do."""
    require(actor, Permission.VIEW_CAMERAS, "camera.view", f"camera {reference}")
    wanted = reference.strip().upper()
    with read_only() as session:
        camera_id = session.exec(select(Camera.id).where(Camera.reference == wanted)).first() if wanted else None
    if camera_id is None:
        raise NotFound(f"No camera {wanted or 'reference'}: open one from the cameras list.")
    return camera_id


def get_camera(actor: Actor, camera_id: int) -> CameraDetail:
    require(actor, Permission.VIEW_CAMERAS, "camera.view", f"camera {camera_id}")
    located = actor.can(Permission.VIEW_CAMERA_LOCATIONS)
    with read_only() as session:
        camera = _camera(session, camera_id)
        proposal = session.get(LocationProposal, camera.proposal_id)
        reviews = session.exec(select(LocationReview).where(LocationReview.camera_id == camera.id)
                               .order_by(LocationReview.created_at.desc())).all()
        open_review = next((r for r in reviews if r.status == "open"), None)
        return CameraDetail(
            summary=_summary(session, camera, actor), commissioned_at=camera.commissioned_at,
            decommissioned_at=camera.decommissioned_at, proposal_id=proposal.id if located and proposal else None,
            proposal_reference=proposal.reference if located and proposal else "",
            categories=list(proposal.categories) if proposal else [],
            site_description=proposal.site_description if located and proposal else "",
            vehicle=proposal.vehicle if located and proposal else "",
            patrol_area=proposal.patrol_area if located and proposal else "", refused_reads=camera.refused_reads,
            last_refusal_at=camera.last_refusal_at, last_refusal_reason=camera.last_refusal_reason,
            reviews=[_review_view(session, r) for r in reviews] if located else [],
            open_review_id=open_review.id if open_review else None, location_visible=located,
        )


ACTIVITY_HOURS = 24


@dataclass(frozen=True)
class ReadActivity:
    """What a camera's worker has stored lately: counts only, no read (so staff may see it, unaudited)."""
    hour_starts: list[datetime]  # the last ACTIVITY_HOURS whole hours, oldest first, the current hour last
    reads_per_hour: list[int]
    hits: int  # raised on the reads of those hours
    last_read_at: datetime | None  # the newest stored read's capture time, whenever it was

    @property
    def reads(self) -> int:
        return sum(self.reads_per_hour)


def read_activity(actor: Actor, camera_id: int) -> ReadActivity:
    """Reads stored per hour over the last day, for the camera page: is the camera's worker storing reads?"""
    require(actor, Permission.VIEW_CAMERAS, "camera.activity", f"camera {camera_id}")
    now = clock.now()
    current = now.replace(minute=0, second=0, microsecond=0)
    starts = [current - timedelta(hours=ACTIVITY_HOURS - 1 - i) for i in range(ACTIVITY_HOURS)]
    ends = starts[1:] + [now + timedelta(seconds=1)]
    mine = (Read.camera_id == camera_id) & (Read.captured_at >= starts[0]) & (Read.captured_at < ends[-1])
    per_hour = [func.coalesce(func.sum(case(((Read.captured_at >= a) & (Read.captured_at < b), 1), else_=0)), 0)
                for a, b in zip(starts, ends)]
    with read_only() as session:
        _camera(session, camera_id)
        counts = session.exec(select(*per_hour).where(mine)).one()
        hits = session.exec(select(func.count(Hit.id)).join(Read, Read.id == Hit.read_id).where(mine)).one()
        last = _last_read_at(session, camera_id)
    return ReadActivity(starts, [int(c) for c in counts], int(hits), last)


def camera_timeline(actor: Actor, camera_id: int) -> list[TimelineEntry]:
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "camera.timeline", f"camera {camera_id}")
    with read_only() as session:
        camera = _camera(session, camera_id)
        return _events(session, [("proposal", [str(camera.proposal_id)]), ("camera", [str(camera.id)])])


def get_review(actor: Actor, review_id: int) -> ReviewView:
    require(actor, Permission.VIEW_CAMERA_LOCATIONS, "review.view", f"review {review_id}")
    with read_only() as session:
        review = session.get(LocationReview, review_id)
        if review is None:
            raise NotFound(f"No review with id {review_id}.")
        return _review_view(session, review)


def open_review(actor: Actor, camera_id: int) -> int:
    """Start the periodic review: the proposal goes under review and its PIA is re-opened as a new version."""
    require(actor, Permission.MANAGE_ESTATE, "review.open", f"camera {camera_id}")
    with unit_of_work() as session:
        camera = _camera(session, camera_id)
        if camera.status == CameraStatus.DECOMMISSIONED:
            raise InvalidTransition(f"{camera.reference} is decommissioned; it has no further reviews.")
        if session.exec(select(LocationReview).where(LocationReview.camera_id == camera.id,
                                                     LocationReview.status == "open")).first():
            raise InvalidTransition(f"{camera.reference} already has an open review.")
        proposal = _proposal(session, camera.proposal_id)
        _move(session, actor, proposal, ProposalStatus.UNDER_REVIEW, "review.open", {"camera": camera.reference})
        now = clock.now()
        review = LocationReview(camera_id=camera.id, period_start=_period_start(session, camera), opened_by_id=actor.id,
                                created_at=now)
        session.add(review)
        session.flush()
        if camera.status == CameraStatus.ACTIVE:
            camera.status = CameraStatus.UNDER_REVIEW.value  # still reads while in date; a suspended one stays so
            session.add(camera)
        _new_pia(session, actor, proposal, review_id=review.id, copy_from=_latest_pia(session, proposal.id))
        audit.record(session, actor, "camera.review_open", target_type="camera", target_id=camera.id,
                     details={"reference": camera.reference, "review_id": review.id})
        return review.id


def _open_review(session: Session, review_id: int) -> tuple[LocationReview, Camera]:
    review = session.get(LocationReview, review_id)
    if review is None:
        raise NotFound(f"No review with id {review_id}.")
    if review.status != "open":
        raise InvalidTransition("This review is completed; open a new one at the next due date.")
    return review, _camera(session, review.camera_id)


def save_findings(actor: Actor, review_id: int, necessity_findings: str, privacy_findings: str) -> None:
    require(actor, Permission.MANAGE_ESTATE, "review.save", f"review {review_id}")
    necessity_findings, privacy_findings = _text(necessity_findings), _text(privacy_findings)
    errors = {k: f"Keep this to {TEXT_LIMIT} characters." for k, v in
              (("necessity_findings", necessity_findings), ("privacy_findings", privacy_findings)) if len(v) > TEXT_LIMIT}
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work() as session:
        review, camera = _open_review(session, review_id)
        review.necessity_findings, review.privacy_findings = necessity_findings, privacy_findings
        session.add(review)
        audit.record(session, actor, "review.save", target_type="camera", target_id=camera.id,
                     details={"reference": camera.reference, "review_id": review.id})


def complete_review(actor: Actor, review_id: int, decision: str, necessity_findings: str, privacy_findings: str,
                    next_due: str | date | None = None) -> int | None:
    """Decide the review. Retain needs the re-opened PIA signed again and sets the next due date (default: the
    configured interval from today, never later); relocate creates a linked draft proposal for the new site and
    stops this one; decommission stops the camera. Returns the relocation proposal's id, if any."""
    require(actor, Permission.MANAGE_ESTATE, "review.complete", f"review {review_id}")
    errors: dict[str, str] = {}
    necessity_findings, privacy_findings = _text(necessity_findings), _text(privacy_findings)
    if not necessity_findings:
        errors["necessity_findings"] = "Record the findings on necessity (is the camera still needed here?)."
    if not privacy_findings:
        errors["privacy_findings"] = "Record the findings on privacy impact."
    try:
        outcome = ReviewDecision(_text(decision))
    except ValueError:
        errors["decision"] = "Choose retain, relocate or decommission."
        outcome = None
    today = clock.today()
    interval = get_settings().review_interval_months
    due: date | None = None
    if outcome is ReviewDecision.RETAIN:
        if isinstance(next_due, date):
            due = next_due
        elif _text(next_due):
            try:
                due = date.fromisoformat(_text(next_due))
            except ValueError:
                errors["next_due"] = "Enter the date as YYYY-MM-DD."
        else:
            due = next_review_due(today, interval)
        if due is not None and not today < due <= add_months(today, interval):
            errors["next_due"] = f"The next review must fall after today and within {interval} months."
    if errors:
        raise ValidationFailed(errors)
    with unit_of_work() as session:
        review, camera = _open_review(session, review_id)
        proposal = _proposal(session, camera.proposal_id)
        if problem := transition_problem(proposal.status, REVIEW_OUTCOME_STATUS[outcome]):
            raise InvalidTransition(problem)
        pia = session.exec(select(PrivacyImpactAssessment).where(PrivacyImpactAssessment.review_id == review.id)).first()
        if outcome is ReviewDecision.RETAIN and (pia is None or pia.signed_off_at is None):
            raise ValidationFailed({"pia": "Re-sign the Privacy Impact Assessment before retaining the camera."})
        now = clock.now()
        figures = figures_for(session, camera.id, review.period_start, now + timedelta(seconds=1))
        review.reads_count, review.hits_count = figures.reads, figures.hits
        review.hits_by_category, review.hit_outcomes = figures.hits_by_category, figures.hit_outcomes
        review.necessity_findings, review.privacy_findings = necessity_findings, privacy_findings
        review.decision, review.status, review.period_end = outcome.value, "completed", now
        review.completed_by_id, review.completed_at = actor.id, now
        relocation_id = None
        if outcome is ReviewDecision.RETAIN:
            review.next_due = due
            camera.next_review_due, camera.status = due, CameraStatus.ACTIVE.value
        else:
            camera.status, camera.decommissioned_at = CameraStatus.DECOMMISSIONED.value, now
        if outcome is ReviewDecision.RELOCATE:
            relocation_id = _relocation_proposal(session, actor, proposal, camera)
            review.relocation_proposal_id = relocation_id
        session.add(review)
        session.add(camera)
        _move(session, actor, proposal, REVIEW_OUTCOME_STATUS[outcome], "review.complete",
              {"camera": camera.reference, "decision": outcome.value})
        audit.record(session, actor, f"camera.{outcome.value}", target_type="camera", target_id=camera.id,
                     details={"reference": camera.reference, "review_id": review.id, "next_review_due": due,
                              "reads": figures.reads, "hits": figures.hits, "relocation_proposal_id": relocation_id})
        return relocation_id


def _relocation_proposal(session: Session, actor: Actor, old: LocationProposal, camera: Camera) -> int:
    now = clock.now()
    count = session.exec(select(func.count()).select_from(LocationProposal)
                         .where(LocationProposal.force_id == old.force_id)).one()
    code = old.reference.split("-")[1] if old.reference.count("-") >= 2 else "X"
    reference = f"PRP-{code}-{now.year}-{count + 1:03d}"
    while session.exec(select(LocationProposal).where(LocationProposal.reference == reference)).first():
        count += 1
        reference = f"PRP-{code}-{now.year}-{count + 1:03d}"
    new = LocationProposal(
        reference=reference, title=f"Relocation of {camera.reference}: {old.title}"[:160], force_id=old.force_id,
        deployment=old.deployment, categories=list(old.categories), evidence_of_need=old.evidence_of_need,
        incidents_count=old.incidents_count, incidents_period_months=old.incidents_period_months,
        vehicle=old.vehicle, status=ProposalStatus.DRAFT.value, proposed_by_id=actor.id, created_at=now,
        updated_at=now,
    )
    session.add(new)
    session.flush()
    audit.record(session, actor, "proposal.create", target_type="proposal", target_id=new.id,
                 details={"reference": reference, "relocation_of": camera.reference, "from_proposal": old.reference})
    return new.id


def suspend_overdue_cameras(actor: Actor | None = None) -> list[str]:
    """Mark suspended every camera whose review is overdue past the grace period (policy.review_state); the read
    store then refuses its reads. Applies a rule rather than a person's choice, so any caller may run it; each
    suspension is audited. Returns the references suspended."""
    today, grace = clock.today(), get_settings().review_grace_days
    suspended: list[str] = []
    with unit_of_work() as session:
        live = session.exec(select(Camera).where(Camera.status.in_([CameraStatus.ACTIVE.value,
                                                                    CameraStatus.UNDER_REVIEW.value]))).all()
        for camera in live:
            if review_state(camera.next_review_due, today, grace) is ReviewState.SUSPENDED:
                camera.status = CameraStatus.SUSPENDED.value
                session.add(camera)
                audit.record(session, actor, "camera.suspend", target_type="camera", target_id=camera.id,
                             actor_name=None if actor else "system",
                             details={"reference": camera.reference, "review_due": camera.next_review_due,
                                      "grace_days": grace})
                suspended.append(camera.reference)
    return suspended


def reviews_due(actor: Actor, within_days: int = REVIEW_DUE_SOON_DAYS) -> list[DueReview]:
    """Cameras whose review falls due within ``within_days`` or is overdue (suspended ones included), soonest first."""
    require(actor, Permission.VIEW_CAMERAS, "camera.reviews_due")
    today = clock.today()
    with read_only() as session:
        forces = {f.id: f.code for f in session.exec(select(Force))}
        rows = session.exec(select(Camera).where(Camera.status != CameraStatus.DECOMMISSIONED.value,
                                                 Camera.next_review_due <= today + timedelta(days=within_days))
                            .order_by(Camera.next_review_due)).all()
        return [DueReview(camera_id=c.id, reference=c.reference, name=c.name, force=forces.get(c.force_id, ""),
                          due=c.next_review_due, state=_state(c, today), days=(c.next_review_due - today).days,
                          status=c.status)
                for c in rows]


__all__ = ["CameraDetail", "CameraSummary", "DueReview", "Figures", "ReviewView", "camera_timeline",
           "complete_review", "figures_for", "get_camera", "get_review", "list_cameras", "open_review",
           "reviews_due", "save_findings", "suspend_overdue_cameras"]
