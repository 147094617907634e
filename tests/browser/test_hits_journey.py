"""A read matching the hotlist shows up on an officer's live hits page without a reload; the officer confirms the
plate against the image and records the outcome. The manager imports a hotlist CSV with a bad row, and sees on a
suspended camera's page how many of its reads were refused, when and why."""

from datetime import timedelta

from playwright.sync_api import expect

from anpr_gov.core import clock
from anpr_gov.services.readstore import CapturedRead, store_read
from tests.factories import make_camera

SHOTS = "test-artifacts"
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a"
    "1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f00000105010101"
    "01010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613"
    "516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a53545556"
    "5758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2"
    "c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


def test_a_hit_appears_live_and_is_confirmed_then_actioned(sign_in, use_server_database):
    page = sign_in("staff", path="/hits")
    expect(page.get_by_text("No hits need action")).to_be_visible()
    make_camera("CAM-BROWSER-1")
    # KX19LMO is on the demo hotlist (stolen, stop).
    store_read(CapturedRead("CAM-BROWSER-1", "browser-key-1", "KX19LMO", "KX19LMO", 0.97,
                            clock.now() - timedelta(seconds=1), "browser-test", plate_jpeg=JPEG, overview_jpeg=JPEG))
    card = page.locator(".hit-card").first
    expect(card).to_contain_text("KX19LMO")
    expect(card).to_contain_text("Stolen")
    expect(page.locator("#to-confirm")).to_have_text("1 to confirm")
    page.screenshot(path=f"{SHOTS}/hits-live.png")
    # the plate and the scene full size, to check plate, make and colour before acting
    card.locator(".view-images").click()
    expect(page.get_by_role("dialog")).to_contain_text("Hit on KX19LMO")
    expect(page.locator("#hit-images img")).to_have_count(2)
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    card.locator(".confirm-match").click()
    expect(card).to_contain_text("plate confirmed")
    card.get_by_role("combobox").click()
    page.get_by_role("option", name="Vehicle stopped").click()
    card.locator("input[name=notes]").fill("Driver spoken to")
    expect(page.locator("#to-confirm")).to_have_text("0 to confirm")
    card.locator(".save-outcome").click()
    # an actioned hit leaves the list of hits needing action, and stays under "All"
    expect(page.get_by_text("Outcome recorded: Vehicle stopped.")).to_be_visible()
    expect(page.get_by_text("No hits need action")).to_be_visible()
    page.get_by_role("radio", name="All, last 90 days").click()
    card = page.locator(".hit-card").first
    expect(card).to_contain_text("KX19LMO")
    expect(card).to_contain_text("Outcome: Vehicle stopped")


def test_an_officer_filters_the_hits_by_registration_and_category(sign_in, use_server_database):
    camera_id = make_camera("CAM-BROWSER-3", name="Harbour Road")
    # on the demo hotlist: KX19LMO stolen, BD51SMR no insurance
    captured = clock.now() - timedelta(seconds=1)
    for key, vrm in (("filter-1", "KX19LMO"), ("filter-2", "BD51SMR")):
        store_read(CapturedRead("CAM-BROWSER-3", key, vrm, vrm, 0.97, captured, "browser-test", plate_jpeg=JPEG))
    page = sign_in("staff", path="/hits")
    cards = page.locator(".hit-card")
    expect(cards).to_have_count(2)
    expect(page.locator("#to-confirm")).to_have_text("2 to confirm")
    page.fill("#hits-filter", "bd51 s")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("BD51SMR")
    page.fill("#hits-filter", "harbour")
    expect(cards).to_have_count(2)
    page.click("#hits-category")
    page.get_by_role("option", name="Stolen").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("KX19LMO")
    page.screenshot(path=f"{SHOTS}/hits-filtered.png")
    page.fill("#hits-filter", "ZZ99")
    expect(page.get_by_text("No hits match the filter")).to_be_visible()
    # the counts are of every open hit, whatever the filter, and the page says so
    expect(page.locator("#to-confirm")).to_have_text("2 to confirm")
    expect(page.locator("#counts-unfiltered")).to_be_visible()
    page.get_by_role("button", name="Clear filter").click()
    expect(cards).to_have_count(2)
    expect(page.locator("#counts-unfiltered")).to_have_count(0)
    # the camera's page counts what its worker stored in the last day, hour by hour
    page.goto(f"{page.url.split('/hits')[0]}/cameras/{camera_id}")
    expect(page.locator("#reads-24h")).to_have_text("2 reads, 2 hits")
    expect(page.locator("#reads-chart > *")).to_have_count(24)
    page.screenshot(path=f"{SHOTS}/camera-reads.png")
    page.goto(page.url.split("/cameras")[0] + "/cameras")
    expect(page.locator("#cameras-table tr", has_text="CAM-BROWSER-3")).to_contain_text(f"{captured:%Y-%m-%d %H:%M}")
    # the officer's home page says how many hits wait, and leads to them
    page.goto(page.url.split("/cameras")[0] + "/")
    expect(page.locator("#hits-waiting")).to_contain_text("2 to confirm")
    page.locator("#hits-waiting").get_by_role("button", name="Open live hits").click()
    expect(page.locator(".hit-card")).to_have_count(2)


def test_manager_removes_a_hotlist_entry_giving_a_reason(sign_in):
    page = sign_in("manager", path="/hotlist")
    row = page.locator("#hotlist-table tr", has_text="FH09QRS")
    row.locator(".remove-entry").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Remove FH09QRS from the hotlist?")
    dialog.get_by_role("button", name="Remove entry").click()
    expect(page.locator("#error-reason")).to_contain_text("Give the reason")
    page.screenshot(path=f"{SHOTS}/hotlist-remove.png")
    page.fill("#remove-reason", "Warrant executed")
    dialog.get_by_role("button", name="Remove entry").click()
    expect(page.get_by_text("FH09QRS removed from the hotlist")).to_be_visible()
    expect(page.locator("#hotlist-table")).not_to_contain_text("FH09QRS")
    expect(page.locator("#hotlist-table")).to_contain_text("KX19LMO")
    # nothing is deleted: the removed entry is kept, marked, under "All"
    page.get_by_role("radio", name="All, with expired and removed").click()
    removed = page.locator("#hotlist-table tr", has_text="FH09QRS")
    expect(removed.locator(".entry-inactive")).to_contain_text("removed 20")
    expect(removed.locator(".remove-entry")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/hotlist-all.png")


def test_manager_edits_a_hotlist_entry_and_bad_input_is_shown_beside_its_field(sign_in):
    page = sign_in("manager", path="/hotlist")
    row = page.locator("#hotlist-table tr", has_text="GN66HUA")
    row.locator(".edit-entry").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Edit GN66HUA")
    expect(page.locator("#edit-reason")).to_have_value("Operation Larch: report only, do not stop")
    page.fill("#edit-expiry", "2020-01-01")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#error-expiry")).to_contain_text("in the past")
    page.screenshot(path=f"{SHOTS}/hotlist-edit.png")
    later = (clock.now() + timedelta(days=200)).date().isoformat()
    page.fill("#edit-expiry", later)
    page.fill("#edit-reason", "Operation Larch, extended")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("GN66HUA updated.")).to_be_visible()
    expect(row).to_contain_text("Operation Larch, extended")
    expect(row).to_contain_text(later)


def test_manager_imports_a_hotlist_with_a_bad_row(sign_in, tmp_path):
    csv_file = tmp_path / "pnc.csv"
    csv_file.write_text("vrm,category,action,source,reason,expiry\nNEW12AB,stolen,stop,PNC,Taken,\n"
                        "??,stolen,stop,PNC,,\n")
    page = sign_in("manager", path="/hotlist")
    expect(page.locator("#hotlist-table")).to_contain_text("KX19LMO")
    page.set_input_files("#hotlist-csv input[type=file]", str(csv_file))
    page.click("#import-csv")
    expect(page.locator("#import-summary")).to_have_text("Added 1; already on the list 0; rejected 1.")
    expect(page.get_by_text("Line 3: registration '??' must have 2-10 letters and digits")).to_be_visible()
    expect(page.locator("#hotlist-table")).to_contain_text("NEW12AB")
    page.screenshot(path=f"{SHOTS}/hotlist.png")


def test_a_suspended_camera_shows_its_refused_reads_and_why(sign_in, use_server_database):
    from sqlmodel import select

    from anpr_gov.core.db import read_only
    from anpr_gov.models import Camera, Read

    camera_id = make_camera("CAM-BROWSER-2", status="suspended")
    for key in ("refused-1", "refused-2"):
        outcome = store_read(CapturedRead("CAM-BROWSER-2", key, "AB12CDE", "AB12CDE", 0.95,
                                          clock.now() - timedelta(seconds=1), "browser-test", plate_jpeg=JPEG))
        assert outcome.status == "refused"
    with read_only() as session:
        assert session.exec(select(Read).where(Read.camera_id == camera_id)).all() == []
        refused_at = session.get(Camera, camera_id).last_refusal_at
    page = sign_in("manager", path=f"/cameras/{camera_id}")
    expect(page.locator("#camera-reference")).to_have_text("CAM-BROWSER-2")
    expect(page.locator("#suspended-note")).to_be_visible()
    expect(page.get_by_text(f"2 (last {refused_at:%Y-%m-%d %H:%M}: camera suspended: its review is overdue)")
           ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/camera-refusing.png", full_page=True)
