"""Demo data: the collaboration's forces and one sign-in per role, so a new user can try every page.

Demo passwords are for demonstration only and are printed by `anpr demo-data`; never load this in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.models import Force, User, UserRole
from anpr_gov.policy import Role
from anpr_gov.services import audit, demo_hotlist
from anpr_gov.services.actor import command_line_actor
from anpr_gov.services.auth import hash_password

DEMO_PASSWORD = "demo-password-2026"

FORCES = [
    ("NVL", "Northvale Police"),
    ("ESX", "Eastshire Constabulary"),
    ("WMR", "Westmoor Police"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    force: str
    roles: tuple[Role, ...]


DEMO_USERS = [
    DemoUser("admin", "Alex Admin", "NVL", (Role.ADMIN,)),
    DemoUser("manager", "Morgan Price (ANPR manager)", "NVL", (Role.ANPR_MANAGER,)),
    DemoUser("senior", "Supt. Sam Okafor", "NVL", (Role.SENIOR_OFFICER,)),
    DemoUser("staff", "PC Jo Bennett", "ESX", (Role.STAFF,)),
    DemoUser("investigator", "DC Priya Shah", "WMR", (Role.INVESTIGATOR,)),
    DemoUser("foi", "Chris Lane (FOI)", "NVL", (Role.FOI_OFFICER,)),
    DemoUser("standards", "Insp. Dana Reid (PSD)", "NVL", (Role.PROFESSIONAL_STANDARDS,)),
    DemoUser("auditor", "Robin Hale (Audit)", "ESX", (Role.AUDITOR,)),
]


def is_empty() -> bool:
    with unit_of_work() as session:
        return session.exec(select(User)).first() is None


def load(if_empty: bool = True, estate: bool = True) -> list[DemoUser]:
    """Create forces and demo users (and, with ``estate``, the demo camera estate: services/demo_estate.py).
    With ``if_empty``, does nothing when any account exists."""
    if if_empty and not is_empty():
        return []
    actor = command_line_actor("demo-data")
    created: list[DemoUser] = []
    with unit_of_work() as session:
        forces = {}
        for code, name in FORCES:
            force = session.exec(select(Force).where(Force.code == code)).first() or Force(code=code, name=name)
            session.add(force)
            session.flush()
            forces[code] = force.id
        password_hash = hash_password(DEMO_PASSWORD)
        for demo in DEMO_USERS:
            if session.exec(select(User).where(User.username == demo.username)).first():
                continue
            user = User(username=demo.username, full_name=demo.full_name, force_id=forces[demo.force],
                        password_hash=password_hash, created_at=clock.now())
            session.add(user)
            session.flush()
            for role in demo.roles:
                session.add(UserRole(user_id=user.id, role=role.value))
            created.append(demo)
        hotlist_added = demo_hotlist.load(session)
        audit.record(session, actor, "demo.load", details={"users": [d.username for d in created],
                                                           "hotlist_entries": hotlist_added})
    if estate:
        from anpr_gov.services import demo_estate  # late import: it uses the services that need the demo users

        demo_estate.load()
    return created
