"""The read store: justification check, idempotency, images outside web folders, hotlist checks at once."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only
from anpr_gov.core.settings import PROJECT_ROOT, get_settings
from anpr_gov.models import Camera, Hit, Read
from anpr_gov.services import hotlists
from anpr_gov.services.errors import NotFound, PermissionDenied, ValidationFailed
from anpr_gov.services.readstore import CapturedRead, images_dir, store_read
from tests.factories import make_camera


def _read(key="k1", vrm="AB12CDE", camera="CAM-T-001", confidence=0.93, at=None, **kw):
    return CapturedRead(camera_reference=camera, read_key=key, vrm=vrm, raw_text=vrm, confidence=confidence,
                        captured_at=at or clock.now() - timedelta(seconds=5), worker_id="test-worker", **kw)


@pytest.fixture
def camera(demo):
    return make_camera()


def test_a_read_is_stored_with_its_justification(camera):
    outcome = store_read(_read(vrm="ab12 cde", plate_jpeg=b"\xff\xd8plate", overview_jpeg=b"\xff\xd8over"))
    assert outcome.status == "stored"
    with read_only() as session:
        read = session.get(Read, outcome.read_id)
        cam = session.get(Camera, camera)
    assert read.vrm == "AB12CDE" and read.camera_id == cam.id and read.proposal_id == cam.proposal_id
    assert (images_dir() / read.plate_image_path).read_bytes() == b"\xff\xd8plate"


def test_images_are_kept_outside_every_web_served_folder(camera):
    store_read(_read(plate_jpeg=b"x"))
    stored = images_dir().resolve()
    assert get_settings().data_dir.resolve() in stored.parents
    for served in ("assets", ".web", "uploaded_files"):
        assert (PROJECT_ROOT / served).resolve() not in stored.parents


def test_the_same_key_is_never_stored_twice(camera):
    first = store_read(_read())
    again = store_read(_read())
    assert again.status == "duplicate" and again.read_id == first.read_id
    with read_only() as session:
        assert len(session.exec(select(Read)).all()) == 1


@pytest.mark.parametrize(
    ("camera_kwargs", "reason"),
    [
        ({"status": "decommissioned"}, "camera decommissioned"),
        ({"status": "suspended"}, "camera suspended: its review is overdue"),
        ({"commissioned_at": None, "next_review_due": "overdue"}, "camera review overdue past the grace period"),
    ],
)
def test_reads_without_an_in_date_justification_are_refused_counted_and_not_stored(demo, camera_kwargs, reason):
    if camera_kwargs.get("next_review_due") == "overdue":
        camera_kwargs = {"next_review_due": (clock.now() - timedelta(days=31)).date()}
    camera_id = make_camera(**camera_kwargs)
    outcome = store_read(_read())
    assert outcome.status == "refused" and outcome.reason == reason
    with read_only() as session:
        assert session.exec(select(Read)).all() == []
        assert session.get(Camera, camera_id).refused_reads == 1


def test_a_read_from_before_commissioning_is_refused(demo):
    make_camera(commissioned_at=clock.now() - timedelta(days=1))
    assert store_read(_read(at=clock.now() - timedelta(days=2))).status == "refused"


def test_unknown_camera_and_bad_input_store_nothing(camera):
    with pytest.raises(NotFound):
        store_read(_read(camera="CAM-NOPE"))
    with pytest.raises(ValidationFailed) as exc:
        store_read(replace(_read(vrm=" - ", confidence=1.5), captured_at=clock.now().replace(tzinfo=None)))
    assert set(exc.value.fields) == {"vrm", "confidence", "captured_at"}
    with read_only() as session:
        assert session.exec(select(Read)).all() == []


def test_a_read_matching_an_active_entry_raises_a_hit_at_once(camera, actors):
    hotlists.add_entry(actors["manager"], "AB12 CDE", "stolen", "stop", "PNC", "test")
    outcome = store_read(_read())
    assert len(outcome.hit_ids) == 1
    with read_only() as session:
        assert session.get(Hit, outcome.hit_ids[0]).status == "new"


def test_no_hit_from_expired_or_removed_entries_or_doubtful_reads(camera, actors):
    manager = actors["manager"]
    expiring = hotlists.add_entry(manager, "EX12PRD", "no_tax", "monitor", "DVLA",
                                  expiry=(clock.now() + timedelta(days=1)).date().isoformat())
    removed = hotlists.add_entry(manager, "RM12VED", "stolen", "stop", "PNC")
    hotlists.remove_entry(manager, removed, "recovered by its owner")
    hotlists.add_entry(manager, "LO12CNF", "stolen", "stop", "PNC")
    assert store_read(_read("a", "EX12PRD", at=clock.now() + timedelta(days=2))).hit_ids == []
    assert store_read(_read("b", "RM12VED")).hit_ids == []
    assert store_read(_read("c", "LO12CNF", confidence=0.2)).hit_ids == []
    assert store_read(_read("d", "EX12PRD")).hit_ids != []
    assert expiring


def test_the_cameras_page_shows_how_many_reads_were_refused_and_when_and_why_the_last_was(demo, actors, frozen_clock):
    from anpr_gov.services import cameras

    camera_id = make_camera(next_review_due=(clock.now() - timedelta(days=31)).date())
    before = cameras.get_camera(actors["manager"], camera_id)
    assert before.last_refusal_at is None and before.last_refusal_reason == ""
    store_read(_read("k1"))
    store_read(_read("k2"))
    detail = cameras.get_camera(actors["manager"], camera_id)
    assert detail.refused_reads == 2 and detail.last_refusal_at == clock.now()
    assert detail.last_refusal_reason == "camera review overdue past the grace period"


def test_reads_past_twelve_months_are_purged_with_their_hits_and_images_and_the_purge_is_audited(demo, actors):
    from anpr_gov.models import AuditEvent
    from anpr_gov.services.readstore import purge_past_retention

    make_camera(commissioned_at=clock.now() - timedelta(days=500))
    hotlists.add_entry(actors["manager"], "OL12DER", "stolen", "stop", "PNC")
    old = store_read(_read("old", "OL12DER", at=clock.now() - timedelta(days=366), plate_jpeg=b"p", overview_jpeg=b"o"))
    kept = store_read(_read("kept", "KE12EPT", at=clock.now() - timedelta(days=364), plate_jpeg=b"p"))
    assert old.hit_ids
    with read_only() as session:
        old_images = [images_dir() / p for p in (session.get(Read, old.read_id).plate_image_path,
                                                 session.get(Read, old.read_id).overview_image_path)]
    orphan = images_dir() / "CAM-T-001" / "2024" / "01" / "02" / "left-by-a-crash-plate.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")

    report = purge_past_retention()
    assert (report.reads, report.hits, report.images) == (1, 1, 3)
    with read_only() as session:
        assert [r.id for r in session.exec(select(Read))] == [kept.read_id]
        assert session.exec(select(Hit)).all() == []
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "reads.purge")).one()
    assert not any(p.exists() for p in old_images) and not orphan.exists() and not orphan.parent.exists()
    assert event.actor_name == "system" and event.result_count == 1 and "OL12DER" not in str(event.details)
    assert purge_past_retention().reads == 0  # nothing more to do, and nothing more audited


def test_a_cameras_reads_of_the_last_day_are_counted_by_hour(camera, actors, frozen_clock):
    from anpr_gov.services import cameras

    staff = actors["staff"]
    empty = cameras.read_activity(staff, camera)
    assert empty.reads == 0 and empty.hits == 0 and empty.last_read_at is None
    hotlists.add_entry(actors["manager"], "HT12HIT", "stolen", "stop", "PNC")
    now = clock.now()
    store_read(_read("now", "HT12HIT", at=now - timedelta(seconds=1)))
    store_read(_read("hour-ago", at=now - timedelta(minutes=61)))
    store_read(_read("yesterday", at=now - timedelta(hours=30)))
    activity = cameras.read_activity(staff, camera)
    assert len(activity.reads_per_hour) == len(activity.hour_starts) == cameras.ACTIVITY_HOURS
    assert activity.hour_starts[-1] <= now < activity.hour_starts[-1] + timedelta(hours=1)
    # the clock stands at 09:00:00: the reads fall in the hours from 08:00 and from 07:00, none yet in this one
    assert activity.reads_per_hour[-3:] == [1, 1, 0] and activity.reads == 2 and activity.hits == 1
    assert activity.last_read_at == now - timedelta(seconds=1)
    [listed] = [c for c in cameras.list_cameras(staff) if c.id == camera]
    assert listed.last_read_at == now - timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        cameras.read_activity(actors["foi"], camera)
