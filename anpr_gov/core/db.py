"""Database engine and the unit of work every service writes through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from anpr_gov.core.settings import get_settings


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///") and ":memory:" not in url:
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy, not pysqlite, issue BEGIN, so that we can make it IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # Writers BEGIN IMMEDIATE: the write lock is taken up front, so two writers can never both read the
        # audit chain's head and append after it, and a read-then-write transaction never fails to upgrade.
        # Readers (read_only()) take no lock and, under WAL, never wait for a writer.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")

    return engine


_engines: dict[str, Engine] = {}


def get_engine() -> Engine:
    url = get_settings().db_url
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


def reset_engines() -> None:
    """Dispose of every engine (tests switch ANPR_DB_URL between databases)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction: commits when the block ends normally, rolls back everything on any error."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_only() -> Iterator[Session]:
    """A session for queries only: never committed; closing it rolls back and keeps loaded objects usable."""
    with Session(get_engine().execution_options(read_only=True), expire_on_commit=False) as session:
        yield session
