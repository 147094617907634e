"""Sign-in, sessions and lockout. Messages never reveal whether an account exists."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.core.settings import get_settings
from anpr_gov.models import SignInSession, User, UserRole
from anpr_gov.policy import is_locked, locked_until_after_failure, parse_roles, session_expiry
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor
from anpr_gov.services.errors import SignInFailed

WRONG_CREDENTIALS = "Wrong username or password."
# A locked account is refused with the same words as a wrong password, so the message never tells
# whether an account exists; it says what lockout is, so a locked-out officer knows what to do.
LOCKOUT_HINT = "An account is locked for {minutes} minutes after {attempts} failed sign-ins; an administrator can unlock it."


def refusal_message() -> str:
    settings = get_settings()
    return f"{WRONG_CREDENTIALS} " + LOCKOUT_HINT.format(minutes=settings.lockout_minutes,
                                                         attempts=settings.max_failed_sign_ins)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing-only")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(session: Session, user: User) -> Actor:
    roles = session.exec(select(UserRole.role).where(UserRole.user_id == user.id)).all()
    return Actor(id=user.id, username=user.username, full_name=user.full_name, roles=parse_roles(roles),
                 force_id=user.force_id)


@dataclass(frozen=True)
class SignedIn:
    token: str
    actor: Actor


def sign_in(username: str, password: str) -> SignedIn:
    """Check the password, count failures, lock after too many; return a new session token."""
    settings = get_settings()
    username = username.strip().lower()
    now = clock.now()
    with unit_of_work() as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None or not user.is_active:
            password_matches(_DUMMY_HASH, password)
            audit.record(session, None, "auth.sign_in", outcome="failed", actor_name=username or "(blank)",
                         details={"reason": "unknown or inactive account"})
            refused = True
        elif is_locked(user.locked_until, now):
            audit.record(session, None, "auth.sign_in", outcome="refused", actor_name=username,
                         target_type="user", target_id=user.id, details={"reason": "locked"})
            refused = True
        elif not password_matches(user.password_hash, password):
            user.failed_sign_ins += 1
            user.locked_until = locked_until_after_failure(
                user.failed_sign_ins, now, settings.max_failed_sign_ins, settings.lockout_minutes)
            session.add(user)
            audit.record(session, None, "auth.sign_in", outcome="failed", actor_name=username, target_type="user",
                         target_id=user.id, details={"reason": "wrong password", "failures": user.failed_sign_ins,
                                                     "locked": user.locked_until is not None})
            refused = True
        else:
            refused = False
            token = secrets.token_urlsafe(32)
            user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, now
            session.add(user)
            session.add(SignInSession(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                                      expires_at=session_expiry(now, settings.session_hours)))
            actor = actor_for(session, user)
            audit.record(session, actor, "auth.sign_in", target_type="user", target_id=user.id)
    if refused:  # one message for every refusal: it never says whether the account exists
        raise SignInFailed(refusal_message())
    return SignedIn(token=token, actor=actor)


def actor_for_token(token: str | None) -> Actor | None:
    """The actor behind a live session token, or None (expired, signed out, account disabled)."""
    if not token:
        return None
    with read_only() as session:
        row = session.exec(select(SignInSession).where(SignInSession.token_hash == _token_hash(token))).first()
        if row is None or row.ended_at is not None or clock.now() >= row.expires_at:
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            return None
        return actor_for(session, user)


def sign_out(token: str | None) -> None:
    if not token:
        return
    with unit_of_work() as session:
        row = session.exec(select(SignInSession).where(SignInSession.token_hash == _token_hash(token))).first()
        if row is None or row.ended_at is not None:
            return
        row.ended_at = clock.now()
        session.add(row)
        user = session.get(User, row.user_id)
        audit.record(session, actor_for(session, user) if user else None, "auth.sign_out", target_type="user",
                     target_id=row.user_id)


def end_sessions_of(session: Session, user_id: int) -> None:
    """Sign a user out everywhere (after a role change, a disable or a password reset)."""
    now = clock.now()
    for row in session.exec(select(SignInSession).where(SignInSession.user_id == user_id,
                                                         SignInSession.ended_at.is_(None))):
        row.ended_at = now
        session.add(row)
