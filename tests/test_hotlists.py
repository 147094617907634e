import pytest

from anpr_gov.services import hotlists
from anpr_gov.services.errors import NotFound, PermissionDenied, ValidationFailed

CSV = """vrm,category,action,source,reason,expiry
AB12CDE,stolen,stop,PNC,Stolen overnight,
ab12 cde,Stolen,Stop,PNC,duplicate of line 2,
K,bogus,stop,PNC,,
XY19ZZZ,No insurance,monitor,MIB,,2020-01-01
QR66STU,terrorism,report only,CTP,,2099-12-31
,stolen,stop,,,
"""


def test_import_keeps_good_rows_and_reports_bad_ones_by_line(actors):
    report = hotlists.import_csv(actors["manager"], CSV, "list.csv")
    assert report.added == 2 and report.duplicates == 1
    lines = dict(report.errors)
    assert set(lines) == {4, 5, 7}
    assert "unknown category 'bogus'" in lines[4] and "registration 'K'" in lines[4]
    assert "in the past" in lines[5]
    assert "source is required" in lines[7]
    imported = [e.vrm for e in hotlists.list_entries(actors["manager"]) if e.source in ("PNC", "CTP")
                and e.vrm in ("AB12CDE", "QR66STU", "XY19ZZZ", "K")]
    assert sorted(imported) == ["AB12CDE", "QR66STU"]


def test_import_without_the_required_header_is_refused_whole(actors):
    before = hotlists.list_entries(actors["manager"])
    with pytest.raises(ValidationFailed, match="lacks category, action"):
        hotlists.import_csv(actors["manager"], "vrm,source\nAB12CDE,PNC\n")
    assert hotlists.list_entries(actors["manager"]) == before


@pytest.mark.parametrize("username", ["staff", "investigator", "senior", "foi", "auditor", "admin", "standards"])
def test_only_the_anpr_manager_keeps_hotlists(actors, username):
    with pytest.raises(PermissionDenied):
        hotlists.import_csv(actors[username], CSV)
    with pytest.raises(PermissionDenied):
        hotlists.add_entry(actors[username], "AB12CDE", "stolen", "stop", "PNC")


def test_add_entry_validates_beside_each_field(actors):
    with pytest.raises(ValidationFailed) as exc:
        hotlists.add_entry(actors["manager"], "!", "nope", "arrest", "", expiry="tomorrow")
    assert set(exc.value.fields) == {"vrm", "category", "action", "source", "expiry"}


def test_removing_an_entry_needs_a_reason_which_is_audited(actors):
    from sqlmodel import select

    from anpr_gov.core.db import read_only
    from anpr_gov.models import AuditEvent

    manager = actors["manager"]
    entry_id = hotlists.add_entry(manager, "RM12VED", "stolen", "stop", "PNC")
    with pytest.raises(ValidationFailed) as exc:
        hotlists.remove_entry(manager, entry_id, "  ")
    assert set(exc.value.fields) == {"reason"}
    assert "RM12VED" in [e.vrm for e in hotlists.list_entries(manager)]
    hotlists.remove_entry(manager, entry_id, "Recovered by its owner")
    assert "RM12VED" not in [e.vrm for e in hotlists.list_entries(manager)]
    with read_only() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "hotlist.remove")).one()
    assert event.actor_name == "manager" and event.details["reason"] == "Recovered by its owner"


def test_an_entry_is_updated_and_an_expired_one_renewed_with_the_changes_audited(actors):
    from datetime import timedelta

    from sqlmodel import select

    from anpr_gov.core import clock
    from anpr_gov.core.db import read_only
    from anpr_gov.models import AuditEvent

    manager = actors["manager"]
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    entry_id = hotlists.add_entry(manager, "UP12DTE", "no_tax", "stop", "DVLA", "Untaxed", expiry=tomorrow)
    with pytest.raises(ValidationFailed) as exc:
        hotlists.update_entry(manager, entry_id, "arrest", "Untaxed", "2020-01-01")
    assert set(exc.value.fields) == {"action", "expiry"}
    clock.freeze(clock.now() + timedelta(days=3))
    try:
        [expired] = [e for e in hotlists.list_entries(manager, include_inactive=True) if e.id == entry_id]
        assert expired.status == "expired"
        later = (clock.now() + timedelta(days=30)).date().isoformat()
        hotlists.update_entry(manager, entry_id, "monitor", "Untaxed; owner written to", later)
        [renewed] = [e for e in hotlists.list_entries(manager) if e.id == entry_id]
        assert (renewed.status, renewed.action_key, renewed.reason) == ("active", "monitor", "Untaxed; owner written to")
        assert renewed.expires_at.date().isoformat() == later
    finally:
        clock.freeze(None)
    with read_only() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "hotlist.update")).one()
    assert event.details["changes"]["action"] == ["stop", "monitor"] and "expires_at" in event.details["changes"]
    hotlists.remove_entry(manager, entry_id, "Taxed")
    with pytest.raises(NotFound):
        hotlists.update_entry(manager, entry_id, "stop", "", "")
    with pytest.raises(PermissionDenied):
        hotlists.update_entry(actors["staff"], entry_id, "stop", "", "")


def test_an_entry_is_found_by_registration_and_category_when_a_registration_has_several(actors):
    manager = actors["manager"]
    hotlists.add_entry(manager, "KX19LMO", "no_insurance", "stop", "MIB")
    with pytest.raises(ValidationFailed) as several:
        hotlists.active_entry_for(manager, "kx19 lmo")
    assert "2 active entries" in several.value.fields["category"]
    assert hotlists.active_entry_for(manager, "kx19 lmo", "no_insurance").category == "No insurance"
    assert hotlists.active_entry_for(manager, "KX19LMO", "Stolen").source == "PNC"
    with pytest.raises(NotFound):
        hotlists.active_entry_for(manager, "KX19LMO", "terrorism")
    with pytest.raises(PermissionDenied):
        hotlists.active_entry_for(actors["staff"], "KX19LMO", "stolen")
