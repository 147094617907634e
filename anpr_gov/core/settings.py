"""Settings read once from the environment (prefix ANPR_)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # a clear start-up error rather than a traceback deep inside
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    db_url: str
    data_dir: Path
    data_controller: str
    session_hours: int
    max_failed_sign_ins: int
    lockout_minutes: int
    review_interval_months: int
    review_grace_days: int


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("ANPR_DATA_DIR", PROJECT_ROOT / "var")).resolve()
    default_db = f"sqlite:///{data_dir / 'anpr.db'}"
    return Settings(
        db_url=os.environ.get("ANPR_DB_URL") or default_db,
        data_dir=data_dir,
        data_controller=os.environ.get(
            "ANPR_DATA_CONTROLLER", "The Chief Constable of Northvale Police (for the Tri-Force ANPR Collaboration)"
        ),
        session_hours=_int("ANPR_SESSION_HOURS", 8),
        max_failed_sign_ins=_int("ANPR_MAX_FAILED_SIGN_INS", 5),
        lockout_minutes=_int("ANPR_LOCKOUT_MINUTES", 15),
        review_interval_months=_int("ANPR_REVIEW_INTERVAL_MONTHS", 12),
        review_grace_days=_int("ANPR_REVIEW_GRACE_DAYS", 30),
    )
