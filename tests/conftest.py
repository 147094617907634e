"""Every test gets its own real SQLite database, migrated by Alembic (copied from one migrated template)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from anpr_gov.core import clock
from anpr_gov.core.db import reset_engines
from anpr_gov.core.settings import get_settings


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from anpr_gov.core.migrations import upgrade

    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def database(tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    db_path = tmp_path / "anpr.db"
    shutil.copy(migrated_template, db_path)
    url = f"sqlite:///{db_path}"
    monkeypatch.setenv("ANPR_DB_URL", url)
    monkeypatch.setenv("ANPR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    reset_engines()
    yield url
    clock.freeze(None)
    reset_engines()
    get_settings.cache_clear()


@pytest.fixture
def frozen_clock() -> Iterator[datetime]:
    start = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
    clock.freeze(start)
    yield start
    clock.freeze(None)


@pytest.fixture
def demo():
    """Demo forces and one account per role (password DEMO_PASSWORD); no demo estate (tests make their own)."""
    from anpr_gov.services import demo as demo_service

    demo_service.load(if_empty=True, estate=False)
    return demo_service


@pytest.fixture
def actors(demo):
    """The Actor of each demo account, by username."""
    from anpr_gov.services import auth

    return {u.username: auth.sign_in(u.username, demo.DEMO_PASSWORD).actor for u in demo.DEMO_USERS}
