"""Forces, user accounts, their roles and sign-in sessions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Force(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    full_name: str = Field(max_length=120)
    force_id: int | None = Field(default=None, foreign_key="force.id")
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = None
    created_at: datetime
    last_sign_in_at: datetime | None = None


class UserRole(SQLModel, table=True):
    """One row per role a user holds (a user may hold several)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    role: str = Field(max_length=32, primary_key=True)


class SignInSession(SQLModel, table=True):
    """A signed-in browser. Only a SHA-256 of the bearer token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
