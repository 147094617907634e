from datetime import timedelta

import pytest
from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only
from anpr_gov.models import AuditEvent, User
from anpr_gov.services import auth, users
from anpr_gov.services.errors import SignInFailed


def test_password_hash_is_argon2_and_verifies():
    hashed = auth.hash_password("correct horse battery")
    assert hashed.startswith("$argon2") and "correct horse" not in hashed
    assert auth.password_matches(hashed, "correct horse battery")
    assert not auth.password_matches(hashed, "wrong horse battery")
    assert not auth.password_matches("not-a-hash", "anything")


def test_sign_in_returns_a_session_for_the_actor(demo):
    signed = auth.sign_in("Manager ", demo.DEMO_PASSWORD)
    assert signed.actor.username == "manager"
    assert auth.actor_for_token(signed.token) == signed.actor
    assert auth.actor_for_token("forged-token") is None


def test_wrong_password_and_unknown_user_get_the_same_message(demo):
    with pytest.raises(SignInFailed) as wrong:
        auth.sign_in("manager", "not-the-password")
    with pytest.raises(SignInFailed) as unknown:
        auth.sign_in("nobody-here", "not-the-password")
    assert str(wrong.value) == str(unknown.value) == auth.refusal_message()


def test_failed_and_successful_sign_ins_are_audited(demo):
    with pytest.raises(SignInFailed):
        auth.sign_in("staff", "nope-nope-nope")
    auth.sign_in("staff", demo.DEMO_PASSWORD)
    with read_only() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.sign_in")).all()
    assert [(e.actor_name, e.outcome) for e in events] == [("staff", "failed"), ("staff", "ok")]


def test_lockout_after_repeated_failures_even_with_the_right_password(demo, frozen_clock, actors):
    for _ in range(5):
        with pytest.raises(SignInFailed):
            auth.sign_in("staff", "wrong-password-123")
    with pytest.raises(SignInFailed) as locked:
        auth.sign_in("staff", demo.DEMO_PASSWORD)
    with pytest.raises(SignInFailed) as unknown:
        auth.sign_in("nobody-by-this-name", "wrong-password-123")
    # the refusal says what lockout is, but not whether this account exists or is locked
    assert str(locked.value) == str(unknown.value) and "locked for 15 minutes after 5 failed" in str(locked.value)
    clock.freeze(frozen_clock + timedelta(minutes=16))
    assert auth.sign_in("staff", demo.DEMO_PASSWORD).actor.username == "staff"


def test_admin_can_unlock_a_locked_account(demo, actors):
    for _ in range(5):
        with pytest.raises(SignInFailed):
            auth.sign_in("auditor", "wrong-password-123")
    assert [a for a in users.list_users(actors["admin"]) if a.username == "auditor"][0].locked
    users.unlock(actors["admin"], "auditor")
    assert auth.sign_in("auditor", demo.DEMO_PASSWORD)


def test_a_success_resets_the_failure_count(demo):
    for _ in range(4):
        with pytest.raises(SignInFailed):
            auth.sign_in("foi", "wrong-password-123")
    auth.sign_in("foi", demo.DEMO_PASSWORD)
    with read_only() as session:
        assert session.exec(select(User).where(User.username == "foi")).one().failed_sign_ins == 0


def test_sessions_expire(demo, frozen_clock):
    signed = auth.sign_in("staff", demo.DEMO_PASSWORD)
    clock.freeze(frozen_clock + timedelta(hours=7, minutes=59))
    assert auth.actor_for_token(signed.token) is not None
    clock.freeze(frozen_clock + timedelta(hours=8))
    assert auth.actor_for_token(signed.token) is None


def test_sign_out_ends_the_session(demo):
    signed = auth.sign_in("staff", demo.DEMO_PASSWORD)
    auth.sign_out(signed.token)
    assert auth.actor_for_token(signed.token) is None


def test_disabled_account_cannot_sign_in_and_its_sessions_end(demo, actors):
    signed = auth.sign_in("investigator", demo.DEMO_PASSWORD)
    users.set_active(actors["admin"], "investigator", False)
    assert auth.actor_for_token(signed.token) is None
    with pytest.raises(SignInFailed, match="Wrong username or password"):
        auth.sign_in("investigator", demo.DEMO_PASSWORD)


def test_role_change_ends_sessions_and_takes_effect(demo, actors):
    signed = auth.sign_in("staff", demo.DEMO_PASSWORD)
    users.set_roles(actors["admin"], "staff", ["staff", "auditor"])
    assert auth.actor_for_token(signed.token) is None
    again = auth.sign_in("staff", demo.DEMO_PASSWORD)
    assert {r.value for r in again.actor.roles} == {"staff", "auditor"}
