"""Who is signed in. Every page state inherits from SessionState and asks it for the actor, which is always
re-read from the server-side session (a revoked or expired session stops working at the next event)."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import Permission
from anpr_gov.services import auth
from anpr_gov.services.actor import Actor
from anpr_gov.services.errors import SignInFailed

SESSION_COOKIE = "anpr_session"

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
    auth_token: str = rx.Cookie("", name=SESSION_COOKIE, same_site="strict")
    full_name: str = ""
    username: str = ""
    role_labels: list[str] = []
    permissions: list[str] = []
    # Set by the page guard: whether the signed-in user may see the page being shown.
    page_allowed: bool = False
    guard_done: bool = False

    # sign-in form
    signin_error: str = ""
    signin_busy: bool = False

    def actor(self) -> Actor | None:
        return auth.actor_for_token(self.auth_token)

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
            self.auth_token = ""
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
    def sign_in(self, form: dict):
        self.signin_busy = True
        yield
        try:
            signed = auth.sign_in(form.get("username", ""), form.get("password", ""))
        except SignInFailed as exc:
            self.signin_error = str(exc)
            self.signin_busy = False
            return
        self.auth_token = signed.token
        self._show(signed.actor)
        self.signin_error = ""
        self.signin_busy = False
        target = self.router.url.query_parameters.get("next", "/")
        # Only same-site paths: never an open redirect to another host.
        yield rx.redirect(target if target.startswith("/") and not target.startswith("//") else "/")

    @rx.event
    def sign_out(self):
        auth.sign_out(self.auth_token)
        self.auth_token = ""
        self._show(None)
        self.page_allowed = False
        return rx.redirect("/signin")
