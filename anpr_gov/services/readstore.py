"""The read store: the only way a read gets in. Refuses reads without an approved, in-date justification,
never stores a read twice (its key is idempotent), and checks every stored read against the hotlists at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.core.settings import get_settings
from anpr_gov.models import Camera, Hit, HotlistEntry, Read
from anpr_gov.policy import HIT_MIN_CONFIDENCE, normalise_vrm, read_refusal_reason
from anpr_gov.services.errors import NotFound, ValidationFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CapturedRead:
    """What a worker hands over for one vehicle pass."""

    camera_reference: str
    read_key: str
    vrm: str
    raw_text: str
    confidence: float
    captured_at: datetime
    worker_id: str
    plate_format: str | None = None
    plate_jpeg: bytes | None = None
    overview_jpeg: bytes | None = None


@dataclass(frozen=True)
class StoreOutcome:
    status: str  # stored | duplicate | refused
    read_id: int | None = None
    hit_ids: list[int] = field(default_factory=list)
    reason: str = ""


def images_dir() -> Path:
    """Read images live under the data folder: never in assets/ or an upload folder the web app serves."""
    return get_settings().data_dir / "read-images"


def _validate(read: CapturedRead) -> None:
    errors = {}
    if not normalise_vrm(read.vrm):
        errors["vrm"] = "A read needs a registration."
    if not 0.0 <= read.confidence <= 1.0:
        errors["confidence"] = "Confidence must be between 0 and 1."
    if read.captured_at.tzinfo is None:
        errors["captured_at"] = "Capture time must carry a time zone (UTC)."
    if not read.read_key or len(read.read_key) > 96:
        errors["read_key"] = "A read key of 1-96 characters is required."
    if errors:
        raise ValidationFailed(errors)


def _save_images(read: CapturedRead) -> tuple[str | None, str | None]:
    day = read.captured_at.strftime("%Y/%m/%d")
    folder = images_dir() / read.camera_reference / day
    safe_key = "".join(c if c.isalnum() or c in "-_" else "_" for c in read.read_key)
    paths: list[str | None] = []
    for suffix, data in (("plate", read.plate_jpeg), ("overview", read.overview_jpeg)):
        if not data:
            paths.append(None)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{safe_key}-{suffix}.jpg"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a crash never leaves half an image under the final name
        paths.append(str(path.relative_to(images_dir())))
    return paths[0], paths[1]


def _raise_hits(session: Session, read: Read) -> list[Hit]:
    if read.confidence < HIT_MIN_CONFIDENCE:
        return []
    entries = session.exec(
        select(HotlistEntry).where(HotlistEntry.vrm == read.vrm, HotlistEntry.removed_at.is_(None))
    ).all()
    hits = []
    for entry in entries:
        if entry.expires_at is not None and read.captured_at >= entry.expires_at:
            continue
        hit = Hit(read_id=read.id, entry_id=entry.id, created_at=clock.now(), updated_at=clock.now())
        session.add(hit)
        hits.append(hit)
    session.flush()
    return hits


def store_read(read: CapturedRead) -> StoreOutcome:
    """Store one read if its camera has an approved, in-date justification at the capture time.

    Called by recognition workers (trusted server-side processes), not by people. Idempotent on ``read_key``.
    """
    _validate(read)
    settings = get_settings()
    with unit_of_work() as session:
        camera = session.exec(select(Camera).where(Camera.reference == read.camera_reference)).first()
        if camera is None:
            raise NotFound(f"No camera with reference {read.camera_reference!r}.")
        existing = session.exec(select(Read.id).where(Read.read_key == read.read_key)).first()
        if existing is not None:
            return StoreOutcome("duplicate", read_id=existing)
        reason = read_refusal_reason(camera.status, camera.commissioned_at, camera.decommissioned_at,
                                     camera.next_review_due, read.captured_at, settings.review_grace_days)
        if reason:
            camera.refused_reads += 1
            camera.last_refusal_at = clock.now()
            camera.last_refusal_reason = reason[:80]
            session.add(camera)
            log.warning("read refused at camera %s: %s", camera.reference, reason)
            return StoreOutcome("refused", reason=reason)
        plate_path, overview_path = _save_images(read)
        row = Read(
            read_key=read.read_key, vrm=normalise_vrm(read.vrm), raw_text=read.raw_text[:32],
            confidence=float(read.confidence), plate_format=read.plate_format, captured_at=read.captured_at,
            camera_id=camera.id, proposal_id=camera.proposal_id, worker_id=read.worker_id,
            plate_image_path=plate_path, overview_image_path=overview_path, stored_at=clock.now(),
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # another worker stored the same key between our check and insert
            session.rollback()
            return StoreOutcome("duplicate")
        hits = _raise_hits(session, row)
        return StoreOutcome("stored", read_id=row.id, hit_ids=[h.id for h in hits])
