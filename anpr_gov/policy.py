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
