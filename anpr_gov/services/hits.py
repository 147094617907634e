"""Hits: a stored read matching an active hotlist entry. Officers confirm the plate against the image before
acting (a misread is a wrong stop), then record the outcome. Every delivery of hits to a person is audited."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.models import Camera, Hit, HotlistEntry, Read
from anpr_gov.policy import (HIT_OUTCOMES, HOTLIST_ACTIONS, HOTLIST_CATEGORIES, OPEN_HIT_STATUSES, Permission,
                             routine_access_cutoff)
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor, require
from anpr_gov.services.errors import InvalidTransition, NotFound, ValidationFailed
from anpr_gov.services.readstore import images_dir


@dataclass(frozen=True)
class HitView:
    id: int
    vrm: str
    raw_text: str
    confidence: float
    captured_at: datetime
    camera: str
    category: str
    action: str
    reason: str
    status: str
    outcome: str
    plate_image: str  # a data: URI (served only through this checked call), or ""


def _data_uri(relative_path: str | None) -> str:
    if not relative_path:
        return ""
    path = (images_dir() / relative_path).resolve()
    if images_dir().resolve() not in path.parents or not path.is_file():
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()


def list_hits(actor: Actor, after_id: int = 0, limit: int = 100, open_only: bool = False) -> list[HitView]:
    """Hits newer than ``after_id`` on reads within the routine 90-day window, newest first (``open_only``: those
    still needing an officer, see OPEN_HIT_STATUSES). Audited whenever it delivers hits (or on the first, full
    load), so every hit shown to a person is on the record."""
    require(actor, Permission.VIEW_HITS, "hits.list")
    cutoff = routine_access_cutoff(clock.now())
    query = (select(Hit, Read, HotlistEntry, Camera)
             .join(Read, Read.id == Hit.read_id)
             .join(HotlistEntry, HotlistEntry.id == Hit.entry_id)
             .join(Camera, Camera.id == Read.camera_id)
             .where(Hit.id > after_id, Read.captured_at >= cutoff))
    if open_only:
        query = query.where(Hit.status.in_(OPEN_HIT_STATUSES))
    with read_only() as session:
        rows = session.exec(query.order_by(Hit.id.desc()).limit(limit)).all()
    views = [
        HitView(hit.id, read.vrm, read.raw_text, read.confidence, read.captured_at, camera.name,
                HOTLIST_CATEGORIES.get(entry.category, entry.category), HOTLIST_ACTIONS.get(entry.action, entry.action),
                entry.reason, hit.status, HIT_OUTCOMES.get(hit.outcome, hit.outcome), _data_uri(read.plate_image_path))
        for hit, read, entry, camera in rows
    ]
    if views or after_id == 0:
        with unit_of_work() as session:
            audit.record(session, actor, "hits.list", query={"after_id": after_id, "open_only": open_only},
                         result_count=len(views),
                         details={"hit_ids": [v.id for v in views][:50]})
    return views


def _hit_for_update(session, hit_id: int) -> Hit:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise NotFound(f"No hit {hit_id}.")
    return hit


def confirm_plate(actor: Actor, hit_id: int, plate_matches: bool) -> str:
    """The officer compares the plate image with the hotlisted VRM. A mismatch closes the hit as a misread."""
    require(actor, Permission.VIEW_HITS, "hits.confirm", str(hit_id))
    with unit_of_work() as session:
        hit = _hit_for_update(session, hit_id)
        if hit.status != "new":
            raise InvalidTransition(f"This hit was already {hit.status.replace('_', ' ')}.")
        now = clock.now()
        hit.confirmed_by_id, hit.confirmed_at, hit.updated_at = actor.id, now, now
        if plate_matches:
            hit.status = "confirmed"
        else:
            hit.status, hit.outcome = "misread", "misread"
        session.add(hit)
        audit.record(session, actor, "hits.confirm", target_type="hit", target_id=hit.id,
                     details={"plate_matches": plate_matches})
        return hit.status


def record_outcome(actor: Actor, hit_id: int, outcome: str, notes: str = "") -> None:
    require(actor, Permission.VIEW_HITS, "hits.outcome", str(hit_id))
    if outcome not in HIT_OUTCOMES:
        raise ValidationFailed({"outcome": f"Choose an outcome: {', '.join(HIT_OUTCOMES.values())}."})
    with unit_of_work() as session:
        hit = _hit_for_update(session, hit_id)
        if hit.status != "confirmed":
            raise InvalidTransition("Confirm the plate against the image before recording an outcome."
                                    if hit.status == "new" else f"This hit is already closed ({hit.status}).")
        hit.status = "misread" if outcome == "misread" else "actioned"
        hit.outcome, hit.outcome_notes, hit.updated_at = outcome, notes.strip(), clock.now()
        session.add(hit)
        audit.record(session, actor, "hits.outcome", target_type="hit", target_id=hit.id,
                     details={"outcome": outcome})
