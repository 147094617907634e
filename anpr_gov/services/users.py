"""Accounts and roles, managed by administrators. Every change is audited and ends the user's sessions
where it changes what they may do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.models import Force, User, UserRole
from anpr_gov.policy import Permission, Role, password_problem
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.auth import end_sessions_of, hash_password
from anpr_gov.services.errors import NotFound, ValidationFailed

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")


@dataclass(frozen=True)
class AccountSummary:
    id: int
    username: str
    full_name: str
    force: str
    roles: list[str]
    is_active: bool
    locked: bool
    last_sign_in_at: datetime | None


def _roles_of(session: Session, user_id: int) -> list[str]:
    return sorted(session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all())


def _user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFound(f"No account named {username!r}.")
    return user


def _check_roles(roles: list[str] | set[str]) -> list[Role]:
    try:
        return sorted({Role(r) for r in roles})
    except ValueError:
        raise ValidationFailed({"roles": f"Unknown role. Valid roles: {', '.join(r.value for r in Role)}."}) from None


def create_user(actor: Actor, username: str, full_name: str, password: str, roles: list[str],
                force_code: str | None = None) -> AccountSummary:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.create", username)
    username = username.strip().lower()
    errors: dict[str, str] = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = "3-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter."
    if not full_name.strip():
        errors["full_name"] = "Enter the person's full name."
    if problem := password_problem(password):
        errors["password"] = problem
    if not roles:
        errors["roles"] = "Choose at least one role."
    valid_roles = _check_roles(roles) if roles else []
    with unit_of_work() as session:
        force_id = None
        if force_code:
            force = session.exec(select(Force).where(Force.code == force_code.strip().upper())).first()
            if force is None:
                errors["force"] = f"No force with code {force_code!r}."
            else:
                force_id = force.id
        if session.exec(select(User).where(User.username == username)).first():
            errors["username"] = f"An account named {username!r} already exists."
        if errors:
            raise ValidationFailed(errors)
        user = User(username=username, full_name=full_name.strip(), force_id=force_id,
                    password_hash=hash_password(password), created_at=clock.now())
        session.add(user)
        session.flush()
        for role in valid_roles:
            session.add(UserRole(user_id=user.id, role=role.value))
        audit.record(session, actor, "account.create", target_type="user", target_id=user.id,
                     details={"username": username, "roles": [r.value for r in valid_roles], "force": force_code})
        return _summary(session, user)


def _summary(session: Session, user: User) -> AccountSummary:
    force = session.get(Force, user.force_id) if user.force_id else None
    return AccountSummary(
        id=user.id, username=user.username, full_name=user.full_name, force=force.code if force else "",
        roles=_roles_of(session, user.id), is_active=user.is_active,
        locked=user.locked_until is not None and user.locked_until > clock.now(), last_sign_in_at=user.last_sign_in_at,
    )


def list_users(actor: Actor) -> list[AccountSummary]:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.list")
    with read_only() as session:
        return [_summary(session, u) for u in session.exec(select(User).order_by(User.username))]


def set_roles(actor: Actor, username: str, roles: list[str]) -> AccountSummary:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.set_roles", username)
    if not roles:
        raise ValidationFailed({"roles": "Choose at least one role (disable the account instead of removing all)."})
    new_roles = _check_roles(roles)
    with unit_of_work() as session:
        user = _user(session, username)
        if actor.id == user.id and Role.ADMIN not in new_roles:
            raise ValidationFailed({"roles": "You cannot remove your own administrator role."})
        old = _roles_of(session, user.id)
        for row in session.exec(select(UserRole).where(UserRole.user_id == user.id)):
            session.delete(row)
        session.flush()
        for role in new_roles:
            session.add(UserRole(user_id=user.id, role=role.value))
        end_sessions_of(session, user.id)
        audit.record(session, actor, "account.set_roles", target_type="user", target_id=user.id,
                     details={"username": user.username, "from": old, "to": [r.value for r in new_roles]})
        session.flush()
        return _summary(session, user)


def set_active(actor: Actor, username: str, active: bool) -> AccountSummary:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.set_active", username)
    with unit_of_work() as session:
        user = _user(session, username)
        if actor.id == user.id and not active:
            raise ValidationFailed({"": "You cannot disable your own account."})
        user.is_active = active
        session.add(user)
        if not active:
            end_sessions_of(session, user.id)
        audit.record(session, actor, "account.enable" if active else "account.disable", target_type="user",
                     target_id=user.id, details={"username": user.username})
        return _summary(session, user)


def unlock(actor: Actor, username: str) -> AccountSummary:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.unlock", username)
    with unit_of_work() as session:
        user = _user(session, username)
        user.failed_sign_ins, user.locked_until = 0, None
        session.add(user)
        audit.record(session, actor, "account.unlock", target_type="user", target_id=user.id,
                     details={"username": user.username})
        return _summary(session, user)


def reset_password(actor: Actor, username: str, new_password: str) -> None:
    require(actor, Permission.MANAGE_ACCOUNTS, "account.reset_password", username)
    if problem := password_problem(new_password):
        raise ValidationFailed({"password": problem})
    with unit_of_work() as session:
        user = _user(session, username)
        user.password_hash = hash_password(new_password)
        user.failed_sign_ins, user.locked_until = 0, None
        session.add(user)
        end_sessions_of(session, user.id)
        audit.record(session, actor, "account.reset_password", target_type="user", target_id=user.id,
                     details={"username": user.username})


def list_forces() -> list[tuple[str, str]]:
    """(code, name) of the collaboration's forces; not protected (public information)."""
    with read_only() as session:
        return [(f.code, f.name) for f in session.exec(select(Force).order_by(Force.code))]
