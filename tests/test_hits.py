from datetime import timedelta

import pytest
from sqlmodel import select

from anpr_gov.core import clock
from anpr_gov.core.db import read_only
from anpr_gov.models import AuditEvent
from anpr_gov.services import hits, hotlists
from anpr_gov.services.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from anpr_gov.services.readstore import CapturedRead, store_read
from tests.factories import make_camera


@pytest.fixture
def hit_id(actors):
    make_camera()
    hotlists.add_entry(actors["manager"], "ZZ19TST", "stolen", "stop", "PNC", "Stolen from the retail park")
    outcome = store_read(CapturedRead("CAM-T-001", "key-1", "ZZ19TST", "ZZ19TS7", 0.91,
                                      clock.now() - timedelta(seconds=2), "w", plate_jpeg=b"\xff\xd8jpeg"))
    return outcome.hit_ids[0]


def test_staff_see_the_hit_with_its_plate_image_and_the_view_is_audited(actors, hit_id):
    [view] = hits.list_hits(actors["staff"])
    assert (view.vrm, view.category, view.action, view.status) == ("ZZ19TST", "Stolen", "Stop", "new")
    assert view.plate_image.startswith("data:image/jpeg;base64,")
    with read_only() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "hits.list")).one()
    assert event.actor_name == "staff" and event.result_count == 1


def test_polling_returns_only_newer_hits(actors, hit_id):
    assert hits.list_hits(actors["staff"], after_id=hit_id) == []


def test_hits_older_than_90_days_are_not_shown_without_authorisation(actors, hit_id):
    clock.freeze(clock.now() + timedelta(days=91))
    assert hits.list_hits(actors["staff"]) == []


@pytest.mark.parametrize("username", ["foi", "manager", "auditor", "admin"])
def test_roles_without_read_data_are_refused(actors, hit_id, username):
    with pytest.raises(PermissionDenied):
        hits.list_hits(actors[username])


def test_the_plate_must_be_confirmed_before_an_outcome(actors, hit_id):
    staff = actors["staff"]
    with pytest.raises(InvalidTransition, match="Confirm the plate"):
        hits.record_outcome(staff, hit_id, "stopped")
    assert hits.confirm_plate(staff, hit_id, plate_matches=True) == "confirmed"
    with pytest.raises(ValidationFailed):
        hits.record_outcome(staff, hit_id, "shrug")
    hits.record_outcome(staff, hit_id, "arrest", "Driver arrested")
    [view] = hits.list_hits(staff)
    assert view.status == "actioned" and view.outcome == "Arrest"
    with pytest.raises(InvalidTransition):
        hits.confirm_plate(staff, hit_id, plate_matches=True)


def test_a_plate_that_does_not_match_closes_the_hit_as_a_misread(actors, hit_id):
    assert hits.confirm_plate(actors["investigator"], hit_id, plate_matches=False) == "misread"
    with pytest.raises(InvalidTransition, match="already closed"):
        hits.record_outcome(actors["investigator"], hit_id, "stopped")


def test_open_only_lists_the_hits_still_needing_an_officer(actors, hit_id):
    staff = actors["staff"]
    assert [v.id for v in hits.list_hits(staff, open_only=True)] == [hit_id]
    hits.confirm_plate(staff, hit_id, plate_matches=True)
    assert [v.status for v in hits.list_hits(staff, open_only=True)] == ["confirmed"]
    hits.record_outcome(staff, hit_id, "no_further_action")
    assert hits.list_hits(staff, open_only=True) == []
    assert [v.status for v in hits.list_hits(staff)] == ["actioned"]


def _second_hit(actors) -> int:
    make_camera("CAM-T-002", name="Harbour Road")
    hotlists.add_entry(actors["manager"], "NO12INS", "no_insurance", "stop", "MIB")
    outcome = store_read(CapturedRead("CAM-T-002", "key-2", "NO12INS", "NO12INS", 0.95,
                                      clock.now() - timedelta(seconds=1), "w"))
    return outcome.hit_ids[0]


def test_hits_are_filtered_by_registration_camera_or_category_and_the_search_is_audited(actors, hit_id):
    staff, other = actors["staff"], _second_hit(actors)
    assert [v.id for v in hits.list_hits(staff, text="zz19 t")] == [hit_id]
    assert [v.id for v in hits.list_hits(staff, text="harbour")] == [other]
    assert [v.id for v in hits.list_hits(staff, text="cam-t-00")] == [other, hit_id]
    assert [v.id for v in hits.list_hits(staff, category="no_insurance")] == [other]
    assert hits.list_hits(staff, text="harbour", category="stolen") == []
    with pytest.raises(ValidationFailed):
        hits.list_hits(staff, category="parking")
    with read_only() as session:
        queries = [e.query for e in session.exec(select(AuditEvent).where(AuditEvent.action == "hits.list")).all()]
    assert any('"text": "harbour"' in q and '"category": "stolen"' in q for q in queries)


def test_open_hits_are_counted_over_the_whole_window(actors, hit_id):
    staff, other = actors["staff"], _second_hit(actors)
    assert hits.count_open_hits(staff) == hits.HitCounts(to_confirm=2, awaiting_outcome=0)
    hits.confirm_plate(staff, other, plate_matches=True)
    hits.confirm_plate(staff, hit_id, plate_matches=False)
    assert hits.count_open_hits(staff) == hits.HitCounts(to_confirm=0, awaiting_outcome=1)
    clock.freeze(clock.now() + timedelta(days=91))
    assert hits.count_open_hits(staff) == hits.HitCounts(0, 0)
    with pytest.raises(PermissionDenied):
        hits.count_open_hits(actors["foi"])


def test_a_hit_older_than_90_days_cannot_be_acted_on(actors, hit_id):
    clock.freeze(clock.now() + timedelta(days=91))
    with pytest.raises(NotFound, match="within the last 90 days"):
        hits.confirm_plate(actors["staff"], hit_id, plate_matches=True)


def test_the_officer_opens_a_hits_images_full_size_and_that_is_audited(actors):
    make_camera()
    hotlists.add_entry(actors["manager"], "ZZ19TST", "stolen", "stop", "PNC")
    outcome = store_read(CapturedRead("CAM-T-001", "key-img", "ZZ19TST", "ZZ19TST", 0.91,
                                      clock.now() - timedelta(seconds=2), "w", plate_jpeg=b"\xff\xd8plate",
                                      overview_jpeg=b"\xff\xd8overview"))
    [hit_id] = outcome.hit_ids
    images = hits.hit_images(actors["staff"], hit_id)
    assert images.vrm == "ZZ19TST"
    assert images.plate_image.startswith("data:image/jpeg;base64,") and images.overview_image != images.plate_image
    with read_only() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "hits.images")).one()
    assert event.actor_name == "staff" and event.target_id == str(hit_id)
    with pytest.raises(PermissionDenied):
        hits.hit_images(actors["foi"], hit_id)
    clock.freeze(clock.now() + timedelta(days=91))
    with pytest.raises(NotFound):
        hits.hit_images(actors["staff"], hit_id)
