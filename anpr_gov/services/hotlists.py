"""Hotlists of vehicles of interest, kept by the ANPR manager. Imports keep good rows and report bad ones."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.models import HotlistEntry
from anpr_gov.policy import (HOTLIST_ACTIONS, HOTLIST_CATEGORIES, Permission, hotlist_entry_active,
                             hotlist_entry_status, normalise_vrm)
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.errors import NotFound, ValidationFailed

CSV_COLUMNS = ["vrm", "category", "action", "source", "reason", "expiry"]


def _lookup(value: str, choices: dict[str, str]) -> str | None:
    """Accept the key ("no_insurance") or the label ("No insurance"), any case."""
    wanted = value.strip().lower().replace("-", " ").replace("_", " ")
    for key, label in choices.items():
        if wanted in (key.replace("_", " "), label.lower()):
            return key
    return None


def _parse_expiry(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expiry {value!r} is not a date (use YYYY-MM-DD)") from None
    if len(value) == 10:  # a date alone: the entry lasts to the end of that day
        parsed = datetime.combine(date.fromisoformat(value), time(23, 59, 59))
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def _check_entry(vrm: str, category: str, action: str, source: str, expiry: str) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    clean = {"vrm": normalise_vrm(vrm), "source": source.strip()}
    if not 2 <= len(clean["vrm"]) <= 10:
        errors["vrm"] = f"registration {vrm!r} must have 2-10 letters and digits"
    clean["category"] = _lookup(category, HOTLIST_CATEGORIES)
    if clean["category"] is None:
        errors["category"] = f"unknown category {category!r} (one of: {', '.join(HOTLIST_CATEGORIES)})"
    clean["action"] = _lookup(action, HOTLIST_ACTIONS)
    if clean["action"] is None:
        errors["action"] = f"unknown action {action!r} (one of: {', '.join(HOTLIST_ACTIONS)})"
    if not clean["source"]:
        errors["source"] = "source is required (who supplied the entry, e.g. PNC)"
    try:
        clean["expires_at"] = _parse_expiry(expiry)
        if clean["expires_at"] is not None and clean["expires_at"] <= clock.now():
            errors["expiry"] = f"expiry {expiry!r} is in the past"
    except ValueError as exc:
        errors["expiry"] = str(exc)
    return clean, errors


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def import_csv(actor: Actor, text: str, file_name: str = "") -> ImportReport:
    """Import hotlist rows (header: vrm,category,action,source,reason,expiry). Good rows are kept, bad rows are
    reported by line number, a row already active for the same VRM and category is counted as a duplicate."""
    require(actor, Permission.MANAGE_ESTATE, "hotlist.import", file_name)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("vrm", "category", "action", "source") if c not in headers]
    if missing:
        raise ValidationFailed({"file": f"line 1: the header lacks {', '.join(missing)} "
                                        f"(expected {','.join(CSV_COLUMNS)})"})
    report = ImportReport()
    now = clock.now()
    with unit_of_work() as session:
        not_removed = session.exec(select(HotlistEntry).where(HotlistEntry.removed_at.is_(None)))
        active = {(e.vrm, e.category) for e in not_removed if hotlist_entry_active(e.removed_at, e.expires_at, now)}
        for row in reader:
            line = reader.line_num
            row = {(k or "").strip().lower(): (v or "") for k, v in row.items()}
            clean, errors = _check_entry(row.get("vrm", ""), row.get("category", ""), row.get("action", ""),
                                         row.get("source", ""), row.get("expiry", ""))
            if errors:
                report.errors.append((line, "; ".join(errors.values())))
                continue
            if (clean["vrm"], clean["category"]) in active:
                report.duplicates += 1
                continue
            session.add(HotlistEntry(vrm=clean["vrm"], category=clean["category"], action=clean["action"],
                                     source=clean["source"], reason=row.get("reason", "").strip(),
                                     added_by_id=actor.id, added_at=now, expires_at=clean["expires_at"]))
            active.add((clean["vrm"], clean["category"]))
            report.added += 1
        audit.record(session, actor, "hotlist.import", target_type="file", target_id=file_name[:64],
                     result_count=report.added,
                     details={"duplicates": report.duplicates, "errors": len(report.errors)})
    return report


def add_entry(actor: Actor, vrm: str, category: str, action: str, source: str, reason: str = "",
              expiry: str = "") -> int:
    require(actor, Permission.MANAGE_ESTATE, "hotlist.add", vrm)
    clean, errors = _check_entry(vrm, category, action, source, expiry)
    if errors:
        raise ValidationFailed({k: v[0].upper() + v[1:] + "." for k, v in errors.items()})
    with unit_of_work() as session:
        entry = HotlistEntry(vrm=clean["vrm"], category=clean["category"], action=clean["action"],
                             source=clean["source"], reason=reason.strip(), added_by_id=actor.id,
                             added_at=clock.now(), expires_at=clean["expires_at"])
        session.add(entry)
        session.flush()
        audit.record(session, actor, "hotlist.add", target_type="hotlist_entry", target_id=entry.id,
                     details={"vrm": entry.vrm, "category": entry.category})
        return entry.id


def update_entry(actor: Actor, entry_id: int, action: str, reason: str, expiry: str) -> None:
    """Change what officers are told to do, why, and until when; an expired entry given a later expiry is checked
    again. The registration and category stay: another vehicle or category is a new entry. Audited with the changes."""
    require(actor, Permission.MANAGE_ESTATE, "hotlist.update", str(entry_id))
    with unit_of_work() as session:
        entry = session.get(HotlistEntry, entry_id)
        if entry is None or entry.removed_at is not None:
            raise NotFound("That hotlist entry does not exist or was removed.")
        clean, errors = _check_entry(entry.vrm, entry.category, action, entry.source, expiry)
        if errors:
            raise ValidationFailed({k: v[0].upper() + v[1:] + "." for k, v in errors.items()})
        new = {"action": clean["action"], "reason": reason.strip(), "expires_at": clean["expires_at"]}
        changes = {k: [str(getattr(entry, k) or ""), str(v or "")] for k, v in new.items() if getattr(entry, k) != v}
        for key, value in new.items():
            setattr(entry, key, value)
        session.add(entry)
        audit.record(session, actor, "hotlist.update", target_type="hotlist_entry", target_id=entry.id,
                     details={"vrm": entry.vrm, "changes": changes})


def remove_entry(actor: Actor, entry_id: int, reason: str) -> None:
    """Take an entry off the hotlist: new reads of it raise no hit. The reason goes on the audit record (an entry
    removed by mistake is a stolen car that no camera reports)."""
    require(actor, Permission.MANAGE_ESTATE, "hotlist.remove", str(entry_id))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed({"reason": "Give the reason for removing this entry: it goes on the audit record."})
    with unit_of_work() as session:
        entry = session.get(HotlistEntry, entry_id)
        if entry is None or entry.removed_at is not None:
            raise NotFound("That hotlist entry does not exist or was already removed.")
        entry.removed_at = clock.now()
        session.add(entry)
        audit.record(session, actor, "hotlist.remove", target_type="hotlist_entry", target_id=entry.id,
                     details={"vrm": entry.vrm, "reason": reason})


@dataclass(frozen=True)
class EntryView:
    id: int
    vrm: str
    category: str
    action: str
    source: str
    reason: str
    added_at: datetime
    expires_at: datetime | None
    status: str  # policy.hotlist_entry_status
    removed_at: datetime | None
    action_key: str = ""  # the HOTLIST_ACTIONS key of ``action`` (its label)

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def expiry_text(self) -> str:
        """"2027-01-03", "no expiry", or when it stopped being checked: "expired 2026-12-01", "removed 2026-12-04"."""
        if self.removed_at is not None:
            return f"removed {self.removed_at:%Y-%m-%d}"
        if self.expires_at is None:
            return "no expiry"
        return f"expired {self.expires_at:%Y-%m-%d}" if self.status == "expired" else f"{self.expires_at:%Y-%m-%d}"


def list_entries(actor: Actor, include_inactive: bool = False) -> list[EntryView]:
    require(actor, Permission.MANAGE_ESTATE, "hotlist.list")
    now = clock.now()
    with read_only() as session:
        entries = session.exec(select(HotlistEntry).order_by(HotlistEntry.added_at.desc())).all()
    views = [EntryView(e.id, e.vrm, HOTLIST_CATEGORIES.get(e.category, e.category),
                       HOTLIST_ACTIONS.get(e.action, e.action), e.source, e.reason, e.added_at, e.expires_at,
                       hotlist_entry_status(e.removed_at, e.expires_at, now), e.removed_at, e.action)
             for e in entries]
    return views if include_inactive else [v for v in views if v.active]


def active_entry_for(actor: Actor, vrm: str, category: str | None = None) -> EntryView:
    """The one active entry for a registration (spaces and case ignored), by category key or label where it has
    several: how a command line names an entry, having no ids to show."""
    wanted = normalise_vrm(vrm)
    label = HOTLIST_CATEGORIES.get(category, category) if category else None
    matches = [e for e in list_entries(actor)
               if e.vrm == wanted and (label is None or e.category.lower() == label.lower())]
    if not matches:
        raise NotFound(f"{wanted}: no active hotlist entry" + (f" in category {category}" if category else ""))
    if len(matches) > 1:
        raise ValidationFailed({"category": f"{wanted} has {len(matches)} active entries "
                                            f"({', '.join(e.category for e in matches)}): say which category"})
    return matches[0]
