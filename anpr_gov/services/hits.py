"""Hits: a stored read matching an active hotlist entry. Officers confirm the plate against the image before
acting (a misread is a wrong stop), then record the outcome. Every delivery of hits to a person is audited."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.models import Camera, Hit, HotlistEntry, Read
from anpr_gov.policy import (HIT_OUTCOMES, HOTLIST_ACTIONS, HOTLIST_CATEGORIES, OPEN_HIT_STATUSES, Permission,
                             normalise_vrm, read_visible_without_authorisation, routine_access_cutoff)
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


@dataclass(frozen=True)
class HitCounts:
    """Hits in the routine 90-day window still needing an officer, by what they need."""
    to_confirm: int
    awaiting_outcome: int


def _window_query(*columns):
    """Hits whose read is within the routine 90-day window, joined to their read, entry and camera."""
    return (select(*columns)
            .join(Read, Read.id == Hit.read_id)
            .join(HotlistEntry, HotlistEntry.id == Hit.entry_id)
            .join(Camera, Camera.id == Read.camera_id)
            .where(Read.captured_at >= routine_access_cutoff(clock.now())))


def _filtered(query, text: str, category: str):
    """``text``: part of the registration (spaces ignored) or of the camera's reference or name; ``category``: a
    hotlist category key. Unknown categories are refused rather than silently matching nothing."""
    if category:
        if category not in HOTLIST_CATEGORIES:
            raise ValidationFailed({"category": f"Unknown hotlist category {category!r}."})
        query = query.where(HotlistEntry.category == category)
    text = text.strip()
    if text:
        vrm = normalise_vrm(text)
        like = f"%{text.lower()}%"
        either = [func.lower(Camera.reference).like(like), func.lower(Camera.name).like(like)]
        if vrm:
            either.append(Read.vrm.contains(vrm))
        query = query.where(or_(*either))
    return query


def list_hits(actor: Actor, after_id: int = 0, limit: int = 100, open_only: bool = False, text: str = "",
              category: str = "") -> list[HitView]:
    """Hits newer than ``after_id`` on reads within the routine 90-day window, newest first (``open_only``: those
    still needing an officer, see OPEN_HIT_STATUSES; ``text`` and ``category``: see _filtered). Audited whenever it
    delivers hits (or on the first, full load), so every hit shown to a person, and every search, is on the record."""
    require(actor, Permission.VIEW_HITS, "hits.list")
    query = _filtered(_window_query(Hit, Read, HotlistEntry, Camera).where(Hit.id > after_id), text, category)
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
            audit.record(session, actor, "hits.list",
                         query={"after_id": after_id, "open_only": open_only, "text": text.strip(),
                                "category": category},
                         result_count=len(views),
                         details={"hit_ids": [v.id for v in views][:50]})
    return views


def count_open_hits(actor: Actor) -> HitCounts:
    """How many hits need an officer, over the whole window (the page shows only the newest). Counts disclose no
    read, so they are not audited: the page asks for them at every poll."""
    require(actor, Permission.VIEW_HITS, "hits.count")
    query = _window_query(Hit.status, func.count(Hit.id)).where(Hit.status.in_(OPEN_HIT_STATUSES)).group_by(Hit.status)
    with read_only() as session:
        counts = dict(session.exec(query).all())
    return HitCounts(counts.get("new", 0), counts.get("confirmed", 0))


@dataclass(frozen=True)
class HitImages:
    vrm: str
    plate_image: str  # data: URIs, or "" where the worker saved none
    overview_image: str


def hit_images(actor: Actor, hit_id: int) -> HitImages:
    """The plate crop and the overview of the scene at full size, for the officer to compare the vehicle with the
    hotlist entry before acting. Audited: the overview shows the vehicle and where it was."""
    require(actor, Permission.VIEW_HITS, "hits.images", str(hit_id))
    with read_only() as session:
        hit = _hit_in_window(session, hit_id)
        read = session.get(Read, hit.read_id)
    with unit_of_work() as session:
        audit.record(session, actor, "hits.images", target_type="hit", target_id=hit_id, result_count=1)
    return HitImages(read.vrm, _data_uri(read.plate_image_path), _data_uri(read.overview_image_path))


def _hit_in_window(session, hit_id: int) -> Hit:
    """The hit, if its read is one the officer may see routinely (an older hit cannot be acted on from here)."""
    hit = session.get(Hit, hit_id)
    read = session.get(Read, hit.read_id) if hit is not None else None
    if read is None or not read_visible_without_authorisation(read.captured_at, clock.now()):
        raise NotFound(f"No hit {hit_id} within the last 90 days.")
    return hit


def confirm_plate(actor: Actor, hit_id: int, plate_matches: bool) -> str:
    """The officer compares the plate image with the hotlisted VRM. A mismatch closes the hit as a misread."""
    require(actor, Permission.VIEW_HITS, "hits.confirm", str(hit_id))
    with unit_of_work() as session:
        hit = _hit_in_window(session, hit_id)
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
        hit = _hit_in_window(session, hit_id)
        if hit.status != "confirmed":
            raise InvalidTransition("Confirm the plate against the image before recording an outcome."
                                    if hit.status == "new" else f"This hit is already closed ({hit.status}).")
        hit.status = "misread" if outcome == "misread" else "actioned"
        hit.outcome, hit.outcome_notes, hit.updated_at = outcome, notes.strip(), clock.now()
        session.add(hit)
        audit.record(session, actor, "hits.outcome", target_type="hit", target_id=hit.id,
                     details={"outcome": outcome})
