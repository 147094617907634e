from datetime import date, datetime, timedelta, timezone

import pytest

from anpr_gov import policy
from anpr_gov.policy import Permission, Role, ReviewState


def test_parse_roles_accepts_known_and_rejects_unknown():
    assert policy.parse_roles(["staff", " auditor ", ""]) == {Role.STAFF, Role.AUDITOR}
    with pytest.raises(ValueError, match="unknown role 'chief'"):
        policy.parse_roles(["chief"])


@pytest.mark.parametrize("role", list(Role))
def test_only_admin_manages_accounts(role):
    assert policy.has_permission([role], Permission.MANAGE_ACCOUNTS) is (role is Role.ADMIN)


def test_foi_officer_never_sees_reads_or_locations():
    for permission in (Permission.VIEW_READS, Permission.VIEW_HITS, Permission.VIEW_CAMERA_LOCATIONS):
        assert not policy.has_permission([Role.FOI_OFFICER], permission)


def test_several_roles_combine():
    assert policy.has_permission([Role.STAFF, Role.AUDITOR], Permission.VIEW_AUDIT)


def test_access_windows():
    now = datetime(2026, 11, 25, tzinfo=timezone.utc)
    assert now - policy.routine_access_cutoff(now) == timedelta(days=90)
    assert now - policy.retention_cutoff(now) == timedelta(days=365)


def test_lockout_after_max_failures():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert policy.locked_until_after_failure(4, now, 5, 15) is None
    assert policy.locked_until_after_failure(5, now, 5, 15) == now + timedelta(minutes=15)
    assert policy.is_locked(now + timedelta(minutes=1), now)
    assert not policy.is_locked(now, now)
    assert not policy.is_locked(None, now)


def test_password_rules():
    assert policy.password_problem("short") is not None
    assert policy.password_problem(" leading-space-password") is not None
    assert policy.password_problem("a-long-enough-password") is None


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [(date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2024, 1, 31), 1, date(2024, 2, 29)),
     (date(2026, 11, 25), 12, date(2027, 11, 25)), (date(2026, 12, 15), 3, date(2027, 3, 15))],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert policy.add_months(start, months) == expected


def test_review_state_bands():
    due = date(2026, 6, 30)
    assert policy.review_state(due, date(2026, 5, 1), 30) is ReviewState.IN_DATE
    assert policy.review_state(due, date(2026, 6, 1), 30) is ReviewState.DUE_SOON
    assert policy.review_state(due, due, 30) is ReviewState.DUE_SOON
    assert policy.review_state(due, date(2026, 7, 1), 30) is ReviewState.OVERDUE
    assert policy.review_state(due, date(2026, 7, 30), 30) is ReviewState.OVERDUE
    assert policy.review_state(due, date(2026, 7, 31), 30) is ReviewState.SUSPENDED


def test_read_refusal_reasons():
    commissioned = datetime(2026, 1, 1, tzinfo=timezone.utc)
    due = date(2027, 1, 1)
    ok_time = datetime(2026, 6, 1, tzinfo=timezone.utc)

    def reason(status="active", at=ok_time, decommissioned=None, review_due=due):
        return policy.read_refusal_reason(status, commissioned, decommissioned, review_due, at, 30)

    assert reason() is None
    assert reason(status="under_review") is None
    assert reason(status="suspended") == "camera suspended: its review is overdue"
    assert reason(status="decommissioned") == "camera decommissioned"
    assert reason(decommissioned=datetime(2026, 5, 1, tzinfo=timezone.utc)) == "camera decommissioned"
    assert reason(at=datetime(2025, 12, 31, tzinfo=timezone.utc)) == "captured before the camera was commissioned"
    assert reason(review_due=date(2026, 5, 1)) == "camera review overdue past the grace period"
    assert reason(review_due=date(2026, 5, 10)) is None  # overdue, but within the grace period


def test_the_hit_threshold_is_the_one_the_recogniser_was_calibrated_for():
    from recognition import HIT_THRESHOLD

    assert policy.HIT_MIN_CONFIDENCE == HIT_THRESHOLD


def test_a_hotlist_entry_is_active_until_removed_or_its_expiry():
    now = datetime(2026, 12, 4, 12, tzinfo=timezone.utc)
    assert policy.hotlist_entry_status(None, None, now) == "active"
    assert policy.hotlist_entry_status(None, now + timedelta(seconds=1), now) == "active"
    assert policy.hotlist_entry_status(None, now, now) == "expired"
    assert policy.hotlist_entry_status(now - timedelta(days=1), now + timedelta(days=9), now) == "removed"
    assert policy.hotlist_entry_active(None, None, now) and not policy.hotlist_entry_active(None, now, now)
