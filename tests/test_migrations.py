"""The schema changes only through Alembic: the migrations must produce exactly the models' schema."""

from sqlalchemy import inspect

from anpr_gov.core.db import get_engine
from anpr_gov.core.migrations import schema_differences, upgrade
from anpr_gov.models import metadata


def test_migrations_match_the_models(database):
    assert schema_differences(database) == []


def test_every_table_exists_with_the_read_indexes(database):
    inspector = inspect(get_engine())
    assert set(metadata.tables) <= set(inspector.get_table_names())
    read_indexes = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("read")}
    assert read_indexes["ix_read_vrm_captured"] == ["vrm", "captured_at"]
    assert read_indexes["ix_read_camera_captured"] == ["camera_id", "captured_at"]


def test_upgrade_again_keeps_existing_data(database, demo, actors):
    from anpr_gov.services import users

    before = users.list_users(actors["admin"])
    upgrade(database)
    assert users.list_users(actors["admin"]) == before


def test_upgrade_on_a_new_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    assert schema_differences(url) == []


def test_a_database_from_before_the_refusal_reason_upgrades_with_its_cameras(database, demo):
    from alembic import command
    from sqlalchemy import text

    from anpr_gov.core.db import get_engine
    from anpr_gov.core.migrations import alembic_config
    from tests.factories import make_camera

    make_camera("CAM-T-001")
    make_camera("CAM-T-002", status="suspended")
    get_engine().dispose()
    command.downgrade(alembic_config(database), "0001")
    with get_engine().connect() as connection:
        before = connection.execute(text("SELECT reference, refused_reads FROM camera ORDER BY reference")).all()
    get_engine().dispose()
    upgrade(database)
    with get_engine().connect() as connection:
        after = connection.execute(text("SELECT reference, refused_reads, last_refusal_reason FROM camera "
                                        "ORDER BY reference")).all()
    assert before and [(r, n, "") for r, n in before] == [tuple(row) for row in after]
    assert schema_differences(database) == []
