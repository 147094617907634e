"""Sign-in and sign-out over HTTP: the session cookie is HttpOnly, SameSite=Strict, and only a post from
this site's own pages is accepted."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from anpr_gov.services import auth
from anpr_gov.ui.session_routes import SESSION_COOKIE, api, safe_next, token_from_cookie_header

SITE = "http://testserver"


@pytest.fixture
def client():
    return TestClient(api, base_url=SITE, follow_redirects=False)


def _post_sign_in(client, username, password, query="", origin=SITE):
    headers = {"origin": origin} if origin else {}
    return client.post(f"/auth/sign-in{query}", data={"username": username, "password": password}, headers=headers)


def test_sign_in_sets_an_httponly_strict_cookie_and_goes_to_next(client, demo):
    response = _post_sign_in(client, "staff", demo.DEMO_PASSWORD, "?next=/hits")
    assert response.status_code == 303 and response.headers["location"] == "/hits"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    token = token_from_cookie_header(cookie.split(";")[0])
    assert auth.actor_for_token(token).username == "staff"


def test_wrong_password_goes_back_to_sign_in_without_a_cookie(client, demo):
    response = _post_sign_in(client, "staff", "not-the-password", "?next=/hits")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?failed=1&next=%2Fhits"
    assert "set-cookie" not in response.headers


def test_a_post_from_another_site_is_refused(client, demo):
    assert _post_sign_in(client, "staff", demo.DEMO_PASSWORD, origin="https://evil.example").status_code == 403
    assert _post_sign_in(client, "staff", demo.DEMO_PASSWORD, origin=None).status_code == 403
    referer_only = client.post("/auth/sign-in", data={"username": "staff", "password": demo.DEMO_PASSWORD},
                               headers={"referer": f"{SITE}/signin"})
    assert referer_only.status_code == 303


def test_sign_out_ends_the_session_and_clears_the_cookie(client, demo):
    signed = auth.sign_in("staff", demo.DEMO_PASSWORD)
    response = client.post("/auth/sign-out", headers={"origin": SITE, "cookie": f"{SESSION_COOKIE}={signed.token}"})
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    assert 'anpr_session=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert auth.actor_for_token(signed.token) is None


def test_next_is_only_ever_a_path_on_this_site():
    assert safe_next("/proposals/3?tab=pia") == "/proposals/3?tab=pia"
    for bad in (None, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        assert safe_next(bad) == "/"


def test_token_is_read_from_a_cookie_header_among_others():
    assert token_from_cookie_header(f"a=1; {SESSION_COOKIE}=abc123; b=2") == "abc123"
    assert token_from_cookie_header("a=1") == "" and token_from_cookie_header(None) == ""
