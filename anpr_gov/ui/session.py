"""Who is signed in. Every page state inherits from SessionState and asks it for the actor, which is always
re-read from the server-side session (a revoked or expired session stops working at the next event).

The session cookie is HttpOnly: set and cleared by plain form posts (``session_routes``), read here from
the request headers of the page's websocket, never by page scripts."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import Permission
from anpr_gov.services import auth
from anpr_gov.services.actor import Actor
from anpr_gov.ui.session_routes import SIGN_IN_PATH, token_from_cookie_header

# The sign-in and sign-out forms post natively (a Reflex form would send the fields over the websocket):
# after the browser has checked the required fields, the submit handler posts the form itself.
POST_SIGN_IN = rx.call_script(
    f"const f = document.getElementById('signin-form'); f.action = '{SIGN_IN_PATH}' + window.location.search; f.submit()")
POST_SIGN_OUT = rx.call_script("document.getElementById('sign-out-form').submit()")

# (label, route, permission needed or None for every signed-in user)
NAVIGATION: list[tuple[str, str, Permission | None]] = [
    ("Home", "/", None),
    ("Live hits", "/hits", Permission.VIEW_HITS),
    ("Hotlist", "/hotlist", Permission.MANAGE_ESTATE),
    ("Cameras", "/cameras", Permission.VIEW_CAMERAS),
    ("Location proposals", "/proposals", Permission.VIEW_CAMERA_LOCATIONS),
    ("Accounts", "/accounts", Permission.MANAGE_ACCOUNTS),
    ("Audit trail", "/audit", Permission.VIEW_AUDIT),
    ("About ANPR", "/about", None),
]


class SessionState(rx.State):
    full_name: str = ""
    username: str = ""
    role_labels: list[str] = []
    permissions: list[str] = []
    # Set by the page guard: whether the signed-in user may see the page being shown.
    page_allowed: bool = False
    guard_done: bool = False

    # sign-in form: the refusal shown after a failed post (/signin?failed=1)
    signin_error: str = ""
    signin_busy: bool = False

    def actor(self) -> Actor | None:
        return auth.actor_for_token(token_from_cookie_header(self.router.headers.cookie))

    def _show(self, actor: Actor | None) -> None:
        self.full_name = actor.full_name if actor else ""
        self.username = actor.username if actor else ""
        self.role_labels = actor.role_labels if actor else []
        self.permissions = sorted(p.value for p in Permission if actor and actor.can(p))

    @rx.var
    def nav_items(self) -> list[dict[str, str]]:
        return [
            {"label": label, "route": route}
            for label, route, permission in NAVIGATION
            if permission is None or permission.value in self.permissions
        ]

    @rx.var
    def signed_in(self) -> bool:
        return self.username != ""

    @rx.event
    def guard(self, permission: str = ""):
        """on_load of every protected page: sign-in required, then the page's permission."""
        actor = self.actor()
        self._show(actor)
        self.guard_done = True
        if actor is None:
            self.page_allowed = False
            return rx.redirect(f"/signin?next={self.router.url.path}")
        if permission and not actor.can(Permission(permission)):
            from anpr_gov.services import audit  # noqa: PLC0415

            audit.record_refusal(actor, "page.open", target=self.router.url.path,
                                 reason=f"requires permission {permission}")
            self.page_allowed = False
            return None
        self.page_allowed = True
        return None

    @rx.event
    def signin_opened(self):
        """on_load of the sign-in page: say why the last post was refused, if it was."""
        self.signin_busy = False
        failed = self.router.url.query_parameters.get("failed") == "1"
        self.signin_error = auth.refusal_message() if failed else ""

    @rx.event
    def signin_posting(self):
        self.signin_busy = True
        self.signin_error = ""
