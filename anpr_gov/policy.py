"""The rules, as pure functions and constants. Each rule lives here once; services and pages call it.

No database, no web framework, no clock: callers pass "now" in.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"
    INVESTIGATOR = "investigator"
    ANPR_MANAGER = "anpr_manager"
    SENIOR_OFFICER = "senior_officer"
    FOI_OFFICER = "foi_officer"
    PROFESSIONAL_STANDARDS = "professional_standards"
    AUDITOR = "auditor"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.STAFF: "Staff",
    Role.INVESTIGATOR: "Investigator",
    Role.ANPR_MANAGER: "ANPR manager",
    Role.SENIOR_OFFICER: "Senior officer",
    Role.FOI_OFFICER: "FOI officer",
    Role.PROFESSIONAL_STANDARDS: "Professional Standards",
    Role.AUDITOR: "Auditor",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_READS = "view_reads"
    VIEW_HITS = "view_hits"
    VIEW_CAMERAS = "view_cameras"
    VIEW_CAMERA_LOCATIONS = "view_camera_locations"
    MANAGE_ESTATE = "manage_estate"  # proposals, PIAs, consultations, reviews, cameras, hotlists
    DECIDE_PROPOSALS = "decide_proposals"
    AUTHORISE_ACCESS = "authorise_access"
    HANDLE_FOI = "handle_foi"
    HANDLE_COMPLAINTS = "handle_complaints"


_GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Permission.VIEW_AUDIT: frozenset({Role.AUDITOR, Role.PROFESSIONAL_STANDARDS}),
    Permission.VIEW_READS: frozenset({Role.STAFF, Role.INVESTIGATOR}),
    Permission.VIEW_HITS: frozenset({Role.STAFF, Role.INVESTIGATOR}),
    Permission.VIEW_CAMERAS: frozenset(
        {Role.STAFF, Role.INVESTIGATOR, Role.ANPR_MANAGER, Role.SENIOR_OFFICER, Role.AUDITOR,
         Role.PROFESSIONAL_STANDARDS}
    ),
    Permission.VIEW_CAMERA_LOCATIONS: frozenset(
        {Role.ANPR_MANAGER, Role.SENIOR_OFFICER, Role.AUDITOR, Role.PROFESSIONAL_STANDARDS}
    ),
    Permission.MANAGE_ESTATE: frozenset({Role.ANPR_MANAGER}),
    Permission.DECIDE_PROPOSALS: frozenset({Role.SENIOR_OFFICER}),
    Permission.AUTHORISE_ACCESS: frozenset({Role.SENIOR_OFFICER}),
    Permission.HANDLE_FOI: frozenset({Role.FOI_OFFICER}),
    Permission.HANDLE_COMPLAINTS: frozenset({Role.PROFESSIONAL_STANDARDS}),
}


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Roles from their names; raises ValueError naming an unknown role."""
    roles = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            valid = ", ".join(r.value for r in Role)
            raise ValueError(f"unknown role {name!r} (valid roles: {valid})") from None
    return frozenset(roles)


def has_permission(roles: Iterable[str], permission: Permission) -> bool:
    return any(role in _GRANTS[permission] for role in roles)


def roles_with(permission: Permission) -> frozenset[Role]:
    return _GRANTS[permission]


# --- Read access windows -------------------------------------------------------------------------
ROUTINE_ACCESS_DAYS = 90  # any user whose role allows read data
MAX_RETENTION_DAYS = 365  # 12 months: nothing is kept or shown past this


def routine_access_cutoff(now: datetime) -> datetime:
    """Reads captured at or after this may be seen without an authorisation."""
    return now - timedelta(days=ROUTINE_ACCESS_DAYS)


def retention_cutoff(now: datetime) -> datetime:
    """Reads captured before this are past retention: never shown, and purged."""
    return now - timedelta(days=MAX_RETENTION_DAYS)


# --- Sign-in ----------------------------------------------------------------------------------------
MIN_PASSWORD_LENGTH = 12


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters."
    if password.strip() != password:
        return "Password must not start or end with a space."
    return None


def locked_until_after_failure(failed_count: int, now: datetime, max_failed: int, lockout_minutes: int) -> datetime | None:
    """After the ``failed_count``-th consecutive failure, the time the account stays locked until (or None)."""
    if failed_count >= max_failed:
        return now + timedelta(minutes=lockout_minutes)
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def session_expiry(signed_in_at: datetime, session_hours: int) -> datetime:
    return signed_in_at + timedelta(hours=session_hours)


# --- Reviews -----------------------------------------------------------------------------------------
REVIEW_DUE_SOON_DAYS = 30


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(from_day: date, interval_months: int) -> date:
    return add_months(from_day, interval_months)


class ReviewState(StrEnum):
    IN_DATE = "in_date"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUSPENDED = "suspended"  # overdue past the grace period: reads refused


def review_state(due: date, today: date, grace_days: int) -> ReviewState:
    if today > due + timedelta(days=grace_days):
        return ReviewState.SUSPENDED
    if today > due:
        return ReviewState.OVERDUE
    if today >= due - timedelta(days=REVIEW_DUE_SOON_DAYS):
        return ReviewState.DUE_SOON
    return ReviewState.IN_DATE


# --- Justification of reads -------------------------------------------------------------------------
class CameraStatus(StrEnum):
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"  # a review is open; the camera still reads while in date
    SUSPENDED = "suspended"  # review overdue past the grace period
    DECOMMISSIONED = "decommissioned"


def read_refusal_reason(
    camera_status: str,
    commissioned_at: datetime,
    decommissioned_at: datetime | None,
    next_review_due: date,
    captured_at: datetime,
    grace_days: int,
) -> str | None:
    """Why a read captured at ``captured_at`` has no approved, in-date justification (None: it may be stored)."""
    if camera_status == CameraStatus.DECOMMISSIONED or (decommissioned_at and captured_at >= decommissioned_at):
        return "camera decommissioned"
    if camera_status == CameraStatus.SUSPENDED:
        return "camera suspended: its review is overdue"
    if captured_at < commissioned_at:
        return "captured before the camera was commissioned"
    if review_state(next_review_due, captured_at.date(), grace_days) is ReviewState.SUSPENDED:
        return "camera review overdue past the grace period"
    return None


# --- Hotlists and hits --------------------------------------------------------------------------------
HOTLIST_CATEGORIES: dict[str, str] = {
    "stolen": "Stolen",
    "no_insurance": "No insurance",
    "no_tax": "No tax",
    "no_mot": "No MOT",
    "wanted": "Wanted or warrant",
    "terrorism": "Terrorism",
    "serious_organised_crime": "Serious and organised crime",
    "missing_person": "Missing person",
    "intelligence": "Intelligence",
    "other": "Other",
}
HOTLIST_ACTIONS: dict[str, str] = {"stop": "Stop", "monitor": "Monitor", "report_only": "Report only"}
# An officer must confirm the plate against the image before acting; a misread is a wrong stop.
HIT_OUTCOMES: dict[str, str] = {
    "stopped": "Vehicle stopped",
    "arrest": "Arrest",
    "no_further_action": "No further action",
    "misread": "Misread (plate does not match)",
}
# A hit still needs an officer while it is new (plate not yet compared with the image) or confirmed (no outcome yet).
OPEN_HIT_STATUSES: tuple[str, ...] = ("new", "confirmed")
# A read below this confidence is stored but raises no hit. Chosen with the recogniser's benchmark so that at
# least 99% of reads at or above it are exact on the rendered UK evaluation set (recognition.HIT_THRESHOLD).
HIT_MIN_CONFIDENCE = 0.7


def hotlist_entry_status(removed_at: datetime | None, expires_at: datetime | None, at: datetime) -> str:
    """"active" (reads are checked against it), "removed" (taken off by the manager) or "expired" (its expiry
    passed)."""
    if removed_at is not None:
        return "removed"
    return "expired" if expires_at is not None and at >= expires_at else "active"


def hotlist_entry_active(removed_at: datetime | None, expires_at: datetime | None, at: datetime) -> bool:
    return hotlist_entry_status(removed_at, expires_at, at) == "active"


def read_visible_without_authorisation(captured_at: datetime, now: datetime) -> bool:
    """Routine access: within 90 days of capture (and so within retention)."""
    return captured_at >= routine_access_cutoff(now)


def normalise_vrm(text: str) -> str:
    """The stored form of a registration: upper case letters and digits only ("ab12 cde" -> "AB12CDE")."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


# --- Camera-location assessments: the proposal state machine and its rules ----------------------------
class ProposalStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ASSESSMENT = "assessment"
    CONSULTATION = "consultation"
    AWAITING_DECISION = "awaiting_decision"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMMISSIONED = "commissioned"  # a Camera exists
    UNDER_REVIEW = "under_review"
    RETAINED = "retained"
    RELOCATED = "relocated"
    DECOMMISSIONED = "decommissioned"


PROPOSAL_STATUS_LABELS: dict[str, str] = {
    "draft": "Draft", "submitted": "Submitted", "assessment": "Assessment (PIA)", "consultation": "Consultation",
    "awaiting_decision": "Awaiting decision", "approved": "Approved", "rejected": "Rejected",
    "commissioned": "Commissioned", "under_review": "Under review", "retained": "Retained",
    "relocated": "Relocated", "decommissioned": "Decommissioned",
}

# The one state machine: each status and the statuses it may move to. Anything else is refused.
PROPOSAL_TRANSITIONS: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SUBMITTED}),
    ProposalStatus.SUBMITTED: frozenset({ProposalStatus.ASSESSMENT}),
    ProposalStatus.ASSESSMENT: frozenset({ProposalStatus.CONSULTATION}),
    ProposalStatus.CONSULTATION: frozenset({ProposalStatus.AWAITING_DECISION}),
    ProposalStatus.AWAITING_DECISION: frozenset({ProposalStatus.APPROVED, ProposalStatus.REJECTED}),
    ProposalStatus.APPROVED: frozenset({ProposalStatus.COMMISSIONED}),
    ProposalStatus.REJECTED: frozenset(),
    ProposalStatus.COMMISSIONED: frozenset({ProposalStatus.UNDER_REVIEW}),
    ProposalStatus.UNDER_REVIEW: frozenset(
        {ProposalStatus.RETAINED, ProposalStatus.RELOCATED, ProposalStatus.DECOMMISSIONED}
    ),
    ProposalStatus.RETAINED: frozenset({ProposalStatus.UNDER_REVIEW}),  # the next periodic review
    ProposalStatus.RELOCATED: frozenset(),
    ProposalStatus.DECOMMISSIONED: frozenset(),
}

# While a proposal is in one of these, its PIA may be written and its consultations recorded.
PIA_EDITABLE_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.ASSESSMENT, ProposalStatus.CONSULTATION,
                                   ProposalStatus.AWAITING_DECISION})
CONSULTATION_STATUSES = frozenset({ProposalStatus.ASSESSMENT, ProposalStatus.CONSULTATION,
                                   ProposalStatus.AWAITING_DECISION})


def transition_problem(current: str, target: str) -> str | None:
    """Why ``current`` -> ``target`` is not allowed (None: it is)."""
    try:
        source, goal = ProposalStatus(current), ProposalStatus(target)
    except ValueError:
        return f"Unknown status {current!r} or {target!r}."
    if goal in PROPOSAL_TRANSITIONS[source]:
        return None
    allowed = ", ".join(PROPOSAL_STATUS_LABELS[s] for s in sorted(PROPOSAL_TRANSITIONS[source])) or "nothing (final)"
    return (f"A proposal that is {PROPOSAL_STATUS_LABELS[source].lower()} cannot become "
            f"{PROPOSAL_STATUS_LABELS[goal].lower()}; from here it may become: {allowed.lower()}.")


class Deployment(StrEnum):
    FIXED = "fixed"
    MOBILE = "mobile"


class JustificationCategory(StrEnum):
    NATIONAL_SECURITY = "national_security"
    SERIOUS_CRIME = "serious_organised_crime"
    LOCAL_CRIME = "local_crime"
    COMMUNITY_REASSURANCE = "community_reassurance"
    CRIME_PREVENTION = "crime_prevention"


JUSTIFICATION_LABELS: dict[str, str] = {
    "national_security": "National security and counter terrorism",
    "serious_organised_crime": "Serious organised and major crime",
    "local_crime": "Local crime",
    "community_reassurance": "Community reassurance",
    "crime_prevention": "Crime prevention and reduction",
}


class ConsulteeType(StrEnum):
    COMMUNITY_GROUP = "community_group"
    COUNCIL = "council"
    RESIDENTS = "residents"
    BUSINESSES = "businesses"
    OTHER = "other"


CONSULTEE_LABELS: dict[str, str] = {
    "community_group": "Community group", "council": "Parish or town council", "residents": "Residents",
    "businesses": "Businesses", "other": "Other organisation",
}


class ConsultationMethod(StrEnum):
    MEETING = "meeting"
    LETTER = "letter"
    SURVEY = "survey"
    ONLINE = "online"


# Risk register: likelihood and severity on 1..5; score = likelihood x severity (1..25).
RISK_SCALE_MIN, RISK_SCALE_MAX = 1, 5


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def risk_scale_problem(value: int) -> str | None:
    if not RISK_SCALE_MIN <= value <= RISK_SCALE_MAX:
        return f"Must be a whole number from {RISK_SCALE_MIN} to {RISK_SCALE_MAX}."
    return None


def risk_score(likelihood: int, severity: int) -> int:
    """Likelihood x severity; ValueError for a value off the 1-5 scale (an impossible score)."""
    for value in (likelihood, severity):
        if problem := risk_scale_problem(value):
            raise ValueError(problem)
    return likelihood * severity


def risk_level(score: int) -> RiskLevel:
    """The usual 5x5 matrix bands: 1-4 low, 5-12 medium, 15-25 high."""
    if score >= 15:
        return RiskLevel.HIGH
    if score >= 5:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def pia_sign_off_problem(residual_risk: str, reason: str, unmitigated_high_risks: int = 0) -> str | None:
    """A PIA whose residual risk is high, or whose register holds a high risk with no mitigation, is signed off
    only with the reason for accepting the risk recorded."""
    if reason.strip():
        return None
    if residual_risk == RiskLevel.HIGH:
        return ("The residual risk is high and unmitigated: record the reason for accepting it before signing off, "
                "or add mitigations and lower the residual risk.")
    if unmitigated_high_risks:
        return (f"{unmitigated_high_risks} high risk(s) in the register have no mitigation: add one, or record the "
                "reason for accepting the risk before signing off.")
    return None


# Each force's area as a lat/lon bounding box (south, north, west, east), WGS84 degrees.
FORCE_AREAS: dict[str, tuple[float, float, float, float]] = {
    "NVL": (53.30, 54.20, -2.40, -0.90),  # Northvale
    "ESX": (51.50, 52.40, 0.00, 1.80),  # Eastshire
    "WMR": (50.60, 51.40, -4.30, -2.60),  # Westmoor
}


def coordinates_problems(latitude: float | None, longitude: float | None, force_code: str) -> dict[str, str]:
    """Field -> message for coordinates out of range or outside the force's area (empty: acceptable)."""
    problems: dict[str, str] = {}
    if latitude is not None and not -90 <= latitude <= 90:
        problems["latitude"] = "Latitude must be between -90 and 90 degrees."
    if longitude is not None and not -180 <= longitude <= 180:
        problems["longitude"] = "Longitude must be between -180 and 180 degrees."
    area = FORCE_AREAS.get(force_code)
    if problems or area is None or latitude is None or longitude is None:
        return problems
    south, north, west, east = area
    if not (south <= latitude <= north and west <= longitude <= east):
        problems["latitude"] = (f"These coordinates are outside the {force_code} force area "
                                f"(latitude {south} to {north}, longitude {west} to {east}).")
    return problems


def decision_blockers(pia_signed_off: bool, consultation_count: int, proposer_id: int | None,
                      decider_id: int | None) -> list[str]:
    """What stops a senior officer deciding a proposal (empty: it may be decided)."""
    missing = []
    if not pia_signed_off:
        missing.append("the Privacy Impact Assessment is not signed off")
    if consultation_count < 1:
        missing.append("no consultation is recorded")
    if proposer_id is not None and proposer_id == decider_id:
        missing.append("the person who proposed the location cannot decide it")
    return missing


class ReviewDecision(StrEnum):
    RETAIN = "retain"
    RELOCATE = "relocate"
    DECOMMISSION = "decommission"


REVIEW_OUTCOME_STATUS: dict[ReviewDecision, ProposalStatus] = {
    ReviewDecision.RETAIN: ProposalStatus.RETAINED,
    ReviewDecision.RELOCATE: ProposalStatus.RELOCATED,
    ReviewDecision.DECOMMISSION: ProposalStatus.DECOMMISSIONED,
}
