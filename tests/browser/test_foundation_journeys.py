"""Sign-in, the home page by role, and refusal of a page the role may not open, in a real browser."""

import re

from playwright.sync_api import expect

SHOTS = "test-artifacts"


def test_anonymous_visitor_is_sent_to_sign_in_but_may_read_the_public_page(page, server):
    page.goto(f"{server}/accounts")
    page.wait_for_url(re.compile(r"/signin/?\?next=/accounts/?$"))
    page.goto(f"{server}/about")
    expect(page.get_by_role("heading", name="ANPR in our forces")).to_be_visible()
    expect(page.get_by_text("90 days after it was collected")).to_be_visible()


def test_the_server_registers_each_page_once(page, server, server_data_dir):
    """Reflex warned "Page ... is being redefined" for every page at each start when pages were ``@rx.page``
    decorated (its production server compiles twice); a new user's first `make run` should not look broken."""
    page.goto(f"{server}/about")
    expect(page.get_by_role("heading", name="ANPR in our forces")).to_be_visible()
    log = (server_data_dir / "server.log").read_text()
    assert "App running" in log or "App Running" in log
    assert "is being redefined" not in log


def test_wrong_password_shows_a_clear_message(sign_in):
    page = sign_in("staff", "definitely-not-it")
    expect(page.locator("#signin-error")).to_contain_text("Wrong username or password.")
    expect(page.locator("#username")).to_be_visible()   # back on the form, ready for another try
    page.screenshot(path=f"{SHOTS}/signin-refused.png")


def test_staff_signs_in_sees_home_and_is_refused_the_accounts_page(sign_in, server):
    page = sign_in("staff")
    expect(page.locator("#whoami")).to_contain_text("PC Jo Bennett")
    expect(page.locator("#whoami")).to_contain_text("Staff")
    expect(page.get_by_role("link", name="Accounts")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/home-staff.png")
    page.goto(f"{server}/accounts")
    expect(page.locator("#not-allowed")).to_be_visible()
    expect(page.locator("#accounts-table")).to_have_count(0)


def test_admin_creates_an_account_with_errors_shown_beside_fields(sign_in):
    page = sign_in("admin", path="/accounts")
    expect(page.locator("#accounts-table")).to_contain_text("investigator")
    page.click("#new-account")
    page.fill("input[name=username]", "x")
    page.fill("input[name=full_name]", "Pat New")
    page.fill("input[name=password]", "short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Password must be at least 12 characters.")).to_be_visible()
    expect(page.get_by_text("Choose at least one role.")).to_be_visible()
    page.fill("input[name=username]", "pat.new")
    page.fill("input[name=password]", "a-long-password-1")
    page.get_by_role("checkbox", name="Investigator").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#accounts-table")).to_contain_text("pat.new")
    page.screenshot(path=f"{SHOTS}/accounts-admin.png")


def test_auditor_sees_sign_ins_and_a_verified_chain(sign_in):
    page = sign_in("auditor", path="/audit")
    expect(page.locator("#audit-table")).to_contain_text("auth.sign_in")
    page.click("#verify-chain")
    expect(page.locator("#chain-status")).to_have_text(re.compile(r"Chain intact: \d+ events verified"))
    page.screenshot(path=f"{SHOTS}/audit-trail.png")


def test_session_cookie_is_httponly_and_sign_out_ends_it(sign_in, server):
    page = sign_in("staff", path="/hits")
    page.wait_for_url(re.compile(r"/hits/?$"))
    expect(page.get_by_role("heading", name="Live hits")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "anpr_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "anpr_session" not in page.evaluate("document.cookie")  # page scripts cannot read it
    page.click("#sign-out")
    page.wait_for_url("**/signin**")
    assert not any(c["name"] == "anpr_session" for c in page.context.cookies())
    page.goto(f"{server}/hits")
    page.wait_for_url(re.compile(r"/signin/?\?next=/hits/?$"))
