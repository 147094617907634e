"""The audit chain detects an edit, an insertion and a deletion, in the middle or at the end."""

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from anpr_gov.cli import app
from anpr_gov.core.db import read_only, unit_of_work
from anpr_gov.services import audit
from anpr_gov.services.errors import PermissionDenied


@pytest.fixture
def chain():
    with unit_of_work() as session:
        for i in range(6):
            audit.record(session, None, "test.event", details={"i": i}, actor_name=f"user{i}")


def _report():
    with read_only() as session:
        return audit.verify_chain(session)


def test_an_untouched_chain_verifies(chain):
    report = _report()
    assert report.ok and report.checked == 6


def test_an_empty_chain_verifies():
    assert _report().ok


def test_an_edited_event_is_detected(chain):
    with unit_of_work() as session:
        session.execute(text("UPDATE auditevent SET actor_name = 'someone-else' WHERE seq = 3"))
    report = _report()
    assert not report.ok and report.first_bad_seq == 3 and "altered" in report.problem


def test_an_edited_hash_is_detected_at_the_next_event(chain):
    with unit_of_work() as session:
        session.execute(text("UPDATE auditevent SET result_count = 99 WHERE seq = 2"))
        session.execute(text("UPDATE auditevent SET hash = 'f' || substr(hash, 2) WHERE seq = 2"))
    assert _report().first_bad_seq == 2


def test_a_deleted_event_is_detected(chain):
    with unit_of_work() as session:
        session.execute(text("DELETE FROM auditevent WHERE seq = 4"))
    report = _report()
    assert not report.ok and report.first_bad_seq == 4 and "missing" in report.problem


def test_deleting_the_newest_events_is_detected(chain):
    with unit_of_work() as session:
        session.execute(text("DELETE FROM auditevent WHERE seq >= 5"))
    report = _report()
    assert not report.ok and report.first_bad_seq == 5


def test_an_inserted_event_is_detected(chain):
    with unit_of_work() as session:
        session.execute(text("UPDATE auditevent SET seq = -(seq + 1) WHERE seq >= 3"))  # two steps: seq is unique
        session.execute(text("UPDATE auditevent SET seq = -seq WHERE seq < 0"))
        session.execute(text(
            "INSERT INTO auditevent (seq, occurred_at, actor_name, action, outcome, purpose, target_type, target_id,"
            " query, details, prev_hash, hash) SELECT 3, occurred_at, 'intruder', 'test.event', 'ok', '', '', '', '',"
            " '{}', hash, hash FROM auditevent WHERE seq = 2"))
    report = _report()
    assert not report.ok and report.first_bad_seq == 3


def test_cli_verify_exits_non_zero_on_a_broken_chain(chain):
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    with unit_of_work() as session:
        session.execute(text("UPDATE auditevent SET action = 'rewritten' WHERE seq = 2"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "event 2 was altered" in broken.output


def test_only_auditors_and_professional_standards_search_the_trail(actors):
    assert audit.search_events(actors["auditor"])
    assert audit.search_events(actors["standards"])
    for name in ("staff", "admin", "manager", "senior", "foi", "investigator"):
        with pytest.raises(PermissionDenied):
            audit.search_events(actors[name])


def test_searching_the_trail_is_itself_audited(actors):
    audit.search_events(actors["auditor"], action="account")
    rows = audit.search_events(actors["auditor"], action="audit.search")
    assert rows[0].actor_name == "auditor" and rows[0].action == "audit.search"
