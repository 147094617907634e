import subprocess
import sys

from typer.testing import CliRunner

from anpr_gov.cli import app

runner = CliRunner()


def test_demo_data_then_users_list():
    first = runner.invoke(app, ["demo-data"])
    assert first.exit_code == 0 and "demo data loaded" in first.output and "manager" in first.output
    again = runner.invoke(app, ["demo-data"])
    assert again.exit_code == 0 and "nothing loaded" in again.output
    listed = runner.invoke(app, ["users", "list"])
    assert "senior" in listed.output and "senior_officer" in listed.output


def test_users_create_and_set_roles():
    runner.invoke(app, ["demo-data"])
    made = runner.invoke(app, ["users", "create", "a.new", "--name", "A New", "--role", "staff", "--role", "auditor",
                               "--force", "WMR", "--password", "a-long-password-1"])
    assert made.exit_code == 0, made.output
    assert "a.new (auditor, staff)" in made.output
    changed = runner.invoke(app, ["users", "set-roles", "a.new", "investigator"])
    assert changed.exit_code == 0 and "a.new: investigator" in changed.output


def test_user_mistakes_are_one_line_and_exit_1():
    runner.invoke(app, ["demo-data"])
    bad_role = runner.invoke(app, ["users", "set-roles", "staff", "chief"])
    assert bad_role.exit_code == 1 and bad_role.output.count("\n") == 1 and bad_role.output.startswith("error: ")
    missing = runner.invoke(app, ["users", "unlock", "ghost"])
    assert missing.exit_code == 1 and "No account named 'ghost'" in missing.output


def test_the_installed_command_prints_no_traceback(database):
    result = subprocess.run([sys.executable, "-m", "anpr_gov.cli", "users", "create", "x", "--name", "X",
                             "--role", "staff", "--password", "short"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("error: ")


def test_db_check_agrees():
    result = runner.invoke(app, ["db", "check"])
    assert result.exit_code == 0 and "agree" in result.output


def test_recognise_prints_one_json_object_per_input_and_goes_on_after_a_bad_file(tmp_path):
    import json
    import random

    import cv2

    from recognition.render import uk_scene

    image, label, (x, y, w, h) = uk_scene(random.Random(5), label="KX19LMO", plate_h=34)
    good = tmp_path / "car.jpg"
    cv2.imwrite(str(good), image)
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not a jpeg at all")
    assert runner.invoke(app, ["recognise", "--threads", "0", str(good)]).exit_code == 1
    result = runner.invoke(app, ["recognise", "--json", "--threads", "1", str(good), str(bad)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.strip().splitlines())
    assert first["input"] == str(good) and first["ms"] > 0
    [plate] = first["plates"]
    assert plate["text"] == "KX19LMO" and plate["format"] and 0 < plate["confidence"] <= 1
    px, py, pw, ph = plate["box"]
    assert abs(px - x) < w / 2 and abs(py - y) < h  # the box is in the input image's pixels
    assert second["input"] == str(bad) and "error" in second and "plates" not in second


def test_reads_purge_reports_what_it_deleted():
    runner.invoke(app, ["demo-data"])
    result = runner.invoke(app, ["reads", "purge"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("purged 0 reads, 0 hits and 0 images captured before ")


def test_hotlist_list_and_remove_with_a_reason():
    runner.invoke(app, ["demo-data"])
    listed = runner.invoke(app, ["hotlist", "list", "--as", "manager"])
    assert listed.exit_code == 0 and "KX19LMO" in listed.output and "Stolen" in listed.output
    no_reason = runner.invoke(app, ["hotlist", "remove", "kx19 lmo", "--reason", " ", "--as", "manager"])
    assert no_reason.exit_code == 1 and "Give the reason" in no_reason.output
    removed = runner.invoke(app, ["hotlist", "remove", "kx19 lmo", "--reason", "Recovered", "--as", "manager"])
    assert removed.exit_code == 0 and "removed KX19LMO (Stolen)" in removed.output
    assert "KX19LMO" not in runner.invoke(app, ["hotlist", "list", "--as", "manager"]).output
    everything = runner.invoke(app, ["hotlist", "list", "--as", "manager", "--all"]).output
    assert "KX19LMO" in everything and "removed 20" in everything
    again = runner.invoke(app, ["hotlist", "remove", "KX19LMO", "--reason", "Recovered", "--as", "manager"])
    assert again.exit_code == 1 and "no active hotlist entry" in again.output
    refused = runner.invoke(app, ["hotlist", "list", "--as", "staff"])
    assert refused.exit_code == 1 and refused.output.startswith("error: ")


def test_hotlist_remove_asks_which_entry_when_a_registration_has_several():
    runner.invoke(app, ["demo-data"])
    from anpr_gov.services import hotlists
    from anpr_gov.services.actor_lookup import actor_by_username

    hotlists.add_entry(actor_by_username("manager"), "KX19LMO", "no_insurance", "stop", "MIB")
    both = runner.invoke(app, ["hotlist", "remove", "KX19LMO", "--reason", "Insured now", "--as", "manager"])
    assert both.exit_code == 1 and "2 active entries" in both.output
    assert "say which category with --category" in both.output
    one = runner.invoke(app, ["hotlist", "remove", "KX19LMO", "--reason", "Insured now", "--as", "manager",
                              "--category", "no_insurance"])
    assert one.exit_code == 0 and "(No insurance)" in one.output
    assert "Stolen" in runner.invoke(app, ["hotlist", "list", "--as", "manager"]).output
