"""Apply and check Alembic migrations from code (the CLI, the run command and the tests use this)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from anpr_gov.core.db import make_engine
from anpr_gov.core.settings import PROJECT_ROOT, get_settings
from anpr_gov.models import metadata


def alembic_config(db_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["db_url"] = db_url or get_settings().db_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(db_url: str | None = None) -> None:
    command.upgrade(alembic_config(db_url), "head")


def schema_differences(db_url: str | None = None) -> list:
    """What autogenerate would change: empty when the migrated database matches the models."""
    engine = make_engine(db_url or get_settings().db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()
