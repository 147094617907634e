"""The read store: the only way a read gets in. Refuses reads without an approved, in-date justification,
never stores a read twice (its key is idempotent), and checks every stored read against the hotlists at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from anpr_gov.core import clock
from anpr_gov.core.db import unit_of_work
from anpr_gov.core.settings import get_settings
from anpr_gov.models import Camera, Hit, HotlistEntry, Read
from anpr_gov.policy import (HIT_MIN_CONFIDENCE, hotlist_entry_active, normalise_vrm, read_refusal_reason,
                             retention_cutoff)
from anpr_gov.services import audit
from anpr_gov.services.actor import Actor
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


# images are kept under camera/<capture day>/ so that a purge can sweep whole days (_remove_day_folders_before)
IMAGE_DAY_FOLDERS = "%Y/%m/%d"


def _save_images(read: CapturedRead) -> tuple[str | None, str | None]:
    day = read.captured_at.strftime(IMAGE_DAY_FOLDERS)
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
        if not hotlist_entry_active(entry.removed_at, entry.expires_at, read.captured_at):
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


# --- Retention ------------------------------------------------------------------------------------------------
PURGE_BATCH = 1000  # reads deleted per transaction: a long purge never holds the store's write lock for long


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime  # reads captured before this were past retention
    reads: int
    hits: int
    images: int


def purge_past_retention(actor: Actor | None = None) -> PurgeReport:
    """Delete every read captured before ``policy.retention_cutoff`` (12 months), its hits and its images.

    Applies a rule rather than a person's choice, so any caller may run it (`anpr reads purge`; `make run` at start;
    every `anpr worker` at start and daily, `--config` once for all its cameras). Each batch is one transaction
    with its audit record, which gives counts and the cutoff, never a registration. Images go once their rows are
    committed; any a crash left behind, in day folders wholly past the cutoff, go on the next run."""
    cutoff = retention_cutoff(clock.now())
    reads = hits = images = 0
    while True:
        with unit_of_work() as session:
            rows = session.exec(select(Read.id, Read.plate_image_path, Read.overview_image_path)
                                .where(Read.captured_at < cutoff).limit(PURGE_BATCH)).all()
            if not rows:
                break
            ids = [row[0] for row in rows]
            hit_count = session.exec(delete(Hit).where(Hit.read_id.in_(ids))).rowcount
            session.exec(delete(Read).where(Read.id.in_(ids)))
            audit.record(session, actor, "reads.purge", actor_name=None if actor else "system",
                         result_count=len(ids), details={"cutoff": cutoff, "hits": hit_count})
        reads, hits = reads + len(ids), hits + hit_count
        images += _remove_images(path for row in rows for path in row[1:] if path)
    images += _remove_day_folders_before(cutoff)
    if reads or images:
        log.info("purged %d reads, %d hits and %d images captured before %s", reads, hits, images, cutoff)
    return PurgeReport(cutoff, reads, hits, images)


def _remove_images(paths) -> int:
    removed = 0
    root = images_dir()
    for path in paths:
        try:
            (root / path).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def _remove_day_folders_before(cutoff: datetime) -> int:
    """Image files left in day folders (camera/YYYY/MM/DD, see _save_images) whose whole day is before the cutoff."""
    removed = 0
    for day in images_dir().glob("*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]"):
        try:
            captured_on = datetime.strptime("/".join(day.parts[-3:]), IMAGE_DAY_FOLDERS).date()
        except ValueError:
            continue
        if captured_on < cutoff.date():
            for image in day.iterdir():
                image.unlink()
                removed += 1
            day.rmdir()
    return removed
