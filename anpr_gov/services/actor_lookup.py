"""The actor for a named account, for command-line jobs run on someone's behalf (e.g. a hotlist import)."""

from __future__ import annotations

from sqlmodel import select

from anpr_gov.core.db import read_only
from anpr_gov.models import User
from anpr_gov.services.actor import Actor
from anpr_gov.services.auth import actor_for
from anpr_gov.services.errors import NotFound


def actor_by_username(username: str) -> Actor:
    with read_only() as session:
        user = session.exec(select(User).where(User.username == username.strip().lower())).first()
        if user is None or not user.is_active:
            raise NotFound(f"No active account named {username!r}.")
        return actor_for(session, user)
