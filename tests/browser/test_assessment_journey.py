"""One proposal from draft to a commissioned camera through the web pages: the ANPR manager proposes, assesses
(PIA with a risk register), consults and sends it for decision; a senior officer approves; the manager commissions.
Bad input is shown beside its field on the way. Screenshots land in test-artifacts/."""

import re

from playwright.sync_api import Page, expect

SHOTS = "test-artifacts"


def _choose(page: Page, trigger_id: str, option: str) -> None:
    page.click(f"#{trigger_id}")
    page.get_by_role("option", name=option, exact=True).click()


def _sign_out(page: Page) -> None:
    page.click("#sign-out")
    page.wait_for_url("**/signin**")


def test_manager_and_senior_officer_take_a_proposal_to_a_commissioned_camera(page: Page, sign_in, server):
    page.set_viewport_size({"width": 1400, "height": 1000})
    # --- the manager proposes a site; bad coordinates are refused beside the field ---------------------------
    sign_in("manager", path="/proposals")
    expect(page.locator("#proposals-table")).to_contain_text("Market Street")  # demo proposals
    page.screenshot(path=f"{SHOTS}/proposals-list.png", full_page=True)
    page.click("#new-proposal")
    page.wait_for_url("**/proposals/new**")
    page.fill("#field-title", "Journey Road, eastbound")
    _choose(page, "field-force", "NVL")
    page.fill("#field-latitude", "51.9")  # Eastshire, not Northvale
    page.fill("#field-longitude", "0.9")
    page.fill("#field-road", "Journey Road")
    page.fill("#field-site_description", "Lamp column 7, facing east.")
    page.get_by_role("checkbox", name="Local crime").click()
    page.fill("#field-evidence_of_need", "Thefts of vehicles doubled in a year on Journey Road.")
    page.fill("#field-incidents_count", "24")
    page.fill("#field-incidents_period_months", "12")
    page.click("#submit-proposal")
    expect(page.locator("#error-latitude")).to_contain_text("outside the NVL force area")
    page.screenshot(path=f"{SHOTS}/proposal-form-error.png", full_page=True)
    page.fill("#field-latitude", "53.81")
    page.fill("#field-longitude", "-1.52")
    page.click("#submit-proposal")
    page.wait_for_url(re.compile(r"/proposals/\d+/?$"))
    proposal_url = page.url
    expect(page.locator("#next-step")).to_contain_text("Start the assessment")

    # --- assessment: the PIA, with an impossible risk score refused ------------------------------------------
    page.click("#start-assessment")
    page.click("#open-pia")
    page.wait_for_url(re.compile(r"/pia/\d+"))
    page.fill("#field-processing_description", "Plates of passing vehicles read and checked against hotlists.")
    page.fill("#field-necessity", "Vehicle thefts doubled; patrols have not reduced them.")
    page.fill("#field-proportionality", "One carriageway; no view of homes.")
    page.fill("#field-mitigations", "Field of view masked; role-based access; audit.")
    page.fill("#field-dpo_advice", "Proportionate with masking.")
    _choose(page, "field-residual_risk", "low")
    page.click("#save-pia")
    expect(page.get_by_text("PIA saved.")).to_be_visible()
    page.fill("#risk-description", "Collateral intrusion on residents")
    page.fill("#risk-likelihood", "7")
    page.fill("#risk-severity", "2")
    page.click("#add-risk")
    expect(page.locator("#error-likelihood")).to_contain_text("from 1 to 5")
    page.fill("#risk-likelihood", "3")
    page.click("#add-risk")
    expect(page.locator("#risk-table")).to_contain_text("Collateral intrusion on residents")
    expect(page.locator("#risk-table")).to_contain_text("6")
    page.click("#sign-off-pia")
    expect(page.locator("#sign-off")).to_contain_text("Morgan Price (ANPR manager) on")
    expect(page.locator("#reopen-pia")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/pia.png", full_page=True)
    page.click("#back-to-proposal")
    page.wait_for_url(re.compile(r"/proposals/\d+/?$"))

    # --- consultation ------------------------------------------------------------------------------------------
    page.click("#start-consultation")
    page.click("#add-consultation")
    _choose(page, "field-consultee_type", "Parish or town council")
    _choose(page, "field-method", "meeting")
    page.fill("#field-consultee_name", "Journey Parish Council")
    page.fill("#field-held_on", "2099-01-01")
    page.fill("#field-response_summary", "Supportive.")
    page.fill("#field-concerns", "Signage.")
    page.fill("#field-force_response", "Signs at both ends.")
    page.click("#save-consultation")
    expect(page.locator("#error-held_on")).to_have_text("A consultation already held cannot be dated in the future.")
    page.fill("#field-held_on", "2026-01-15")
    page.click("#save-consultation")
    expect(page.locator("#consultations-table")).to_contain_text("Journey Parish Council")
    page.click("#request-decision")
    expect(page.locator("#next-step")).to_contain_text("Awaiting a senior officer's decision")
    _sign_out(page)

    # --- the senior officer approves ---------------------------------------------------------------------------
    sign_in("senior", path=proposal_url.removeprefix(server))
    expect(page.locator("#approve")).to_be_visible()
    page.click("#approve")
    expect(page.locator("#error-reason")).to_contain_text("Give the reasons")
    page.fill("#decision-reason", "Necessary and proportionate; consultation supportive.")
    page.screenshot(path=f"{SHOTS}/proposal-decision.png", full_page=True)
    page.click("#approve")
    expect(page.locator("#decision")).to_contain_text("Supt. Sam Okafor")
    _sign_out(page)

    # --- the manager commissions the camera --------------------------------------------------------------------
    sign_in("manager", path=proposal_url.removeprefix(server))
    with page.expect_download() as download:
        page.click("#download-pack")
    assert re.fullmatch(r"PRP-NVL-\d{4}-\d{3}-assessment-pack-RESTRICTED\.pdf", download.value.suggested_filename)
    page.click("#commission")
    expect(page.locator("#camera-link")).to_have_text(re.compile(r"CAM-NVL-\d{3}"))
    expect(page.locator("#timeline")).to_contain_text("approved it")
    page.screenshot(path=f"{SHOTS}/proposal-commissioned.png", full_page=True)
    page.click("#camera-link")
    page.wait_for_url(re.compile(r"/cameras/\d+"))
    expect(page.locator("#camera-reference")).to_have_text(re.compile(r"CAM-NVL-\d{3}"))
    expect(page.get_by_text("Journey Road", exact=False).first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/camera.png", full_page=True)
    page.goto(f"{server}/")
    expect(page.locator("#reviews-due-table")).to_contain_text("suspended")
    page.screenshot(path=f"{SHOTS}/home-manager.png", full_page=True)


def test_staff_see_cameras_without_locations_and_no_proposals(sign_in, server):
    page = sign_in("staff", path="/cameras")
    expect(page.locator("#cameras-table")).to_contain_text("CAM-NVL-001")
    expect(page.locator("#cameras-table")).not_to_contain_text("53.80")  # coordinates are restricted
    expect(page.get_by_text("Location (restricted)")).to_have_count(0)
    page.get_by_role("link", name="CAM-NVL-001").click()
    expect(page.locator("#location-restricted")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("53.80080")
    page.screenshot(path=f"{SHOTS}/camera-staff.png", full_page=True)
    page.goto(f"{server}/cameras/cam-nvl-001")                       # an address naming the camera as staff do
    expect(page.locator("#camera-reference")).to_have_text("CAM-NVL-001")
    page.goto(f"{server}/cameras/CAM-NVL-404")
    expect(page.get_by_text("No camera CAM-NVL-404")).to_be_visible()
    page.goto(f"{server}/proposals")
    expect(page.locator("#not-allowed")).to_be_visible()


def test_manager_reviews_a_suspended_camera_and_retains_it(sign_in, server):
    page = sign_in("manager", path="/cameras")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_role("link", name="CAM-NVL-002").click()  # demo: A64 York Road, overdue past the grace period
    expect(page.locator("#camera-reference")).to_have_text("CAM-NVL-002")
    expect(page.locator("#suspended-note")).to_be_visible()
    page.click("#open-review")
    page.wait_for_url(re.compile(r"/reviews/\d+"))
    expect(page.locator("#review-figures")).to_contain_text("Reads")
    page.click("#complete-review")
    expect(page.locator("#error-necessity_findings")).to_be_visible()
    page.fill("#field-necessity_findings", "Still needed: the junction is used by travelling criminals.")
    page.fill("#field-privacy_findings", "No complaints; field of view unchanged.")
    page.click("#complete-review")
    expect(page.locator("#error-pia")).to_contain_text("Re-sign the Privacy Impact Assessment")
    page.click("#open-review-pia")
    page.wait_for_url(re.compile(r"/pia/\d+"))
    expect(page.locator("#risk-table")).to_contain_text("Collateral intrusion")  # carried over from version 1
    page.click("#sign-off-pia")
    expect(page.locator("#reopen-pia")).to_be_visible()
    page.get_by_role("link", name="Back to the review").click()
    page.wait_for_url(re.compile(r"/reviews/\d+"))
    expect(page.locator("#field-privacy_findings")).to_have_value("No complaints; field of view unchanged.")  # kept
    page.click("#complete-review")
    expect(page.locator("#review-outcome")).to_contain_text("retain")
    page.screenshot(path=f"{SHOTS}/review-completed.png", full_page=True)
    with page.expect_download() as download:
        page.click("#download-review")
    assert download.value.suggested_filename.startswith("CAM-NVL-002-review-")
    page.get_by_role("link", name="CAM-NVL-002").click()
    expect(page.locator("#reviews-table")).to_contain_text("retain")
    expect(page.locator("#suspended-note")).to_have_count(0)  # a completed review brings it back
