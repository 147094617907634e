"""Sign-in and sign-out as plain HTTP form posts, so that the session cookie is set by the server
with HttpOnly (page scripts can never read it) and SameSite=Strict.

Reflex events travel over a websocket and cannot set an HttpOnly cookie, so the sign-in form posts
here; the pages read the cookie from the websocket's own request headers (``SessionState``).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from anpr_gov.core.settings import get_settings
from anpr_gov.services import auth
from anpr_gov.services.errors import SignInFailed

SESSION_COOKIE = "anpr_session"
SIGN_IN_PATH = "/auth/sign-in"
SIGN_OUT_PATH = "/auth/sign-out"


def safe_next(target: str | None) -> str:
    """A same-site path to go to after sign-in; anything else (another host, //host) is "/"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def token_from_cookie_header(header: str | None) -> str:
    """The session token in a Cookie request header, or ""."""
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE:
            return value.strip()
    return ""


def _same_origin(request: Request) -> bool:
    """Cross-site request forgery guard: the post must come from a page of this site. Browsers send
    Origin on every form post; Referer is the fallback. Neither: refused."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    origin = request.headers.get("origin")
    if origin:
        return origin == own
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return False


def _forbidden() -> Response:
    return PlainTextResponse("Refused: the form was not sent from this site.", status_code=403)


async def sign_in(request: Request) -> Response:
    if not _same_origin(request):
        return _forbidden()
    form = await request.form()
    target = safe_next(request.query_params.get("next"))
    try:
        # argon2 takes tens of milliseconds: off the event loop
        signed = await run_in_threadpool(auth.sign_in, str(form.get("username", "")), str(form.get("password", "")))
    except SignInFailed:
        query = {"failed": "1"} | ({"next": target} if target != "/" else {})
        return RedirectResponse(f"/signin?{urlencode(query)}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, signed.token, max_age=get_settings().session_hours * 3600, path="/",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


async def sign_out(request: Request) -> Response:
    if not _same_origin(request):
        return _forbidden()
    await run_in_threadpool(auth.sign_out, token_from_cookie_header(request.headers.get("cookie")))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


# Mounted in front of Reflex's own backend (rx.App(api_transformer=...)).
api = Starlette(routes=[Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
                        Route(SIGN_OUT_PATH, sign_out, methods=["POST"])])
