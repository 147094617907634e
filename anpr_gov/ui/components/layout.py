"""One layout for every signed-in page: sidebar navigation by role, a header with the user, the content."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from anpr_gov.ui import styles
from anpr_gov.ui.pages import registry as pages
from anpr_gov.ui.session import POST_SIGN_OUT, SessionState
from anpr_gov.ui.session_routes import SIGN_OUT_PATH


def _nav_link(item: rx.Var) -> rx.Component:
    path = SessionState.router.url.path
    active = (path == item["route"]) | (path == item["route"].to(str) + "/")  # prod serves "/accounts/"
    return rx.link(
        rx.hstack(
            rx.text(item["label"], size="3", weight=rx.cond(active, "bold", "regular")),
            padding_x="0.75em",
            padding_y="0.5em",
            border_radius=styles.RADIUS,
            background=rx.cond(active, "var(--accent-a4)", "transparent"),
            _hover={"background": "var(--accent-a3)"},
            width="100%",
        ),
        href=item["route"],
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        width="100%",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("scan-line", size=22, color="var(--accent-11)"),
            rx.heading("anpr-gov", size="5"),
            align="center",
            spacing="2",
            padding_bottom="1em",
        ),
        rx.foreach(SessionState.nav_items, _nav_link),
        rx.spacer(),
        rx.vstack(
            rx.text(SessionState.full_name, size="2", weight="bold"),
            rx.text(SessionState.role_labels.join(", "), size="1", color_scheme="gray"),
            rx.form(
                rx.button("Sign out", type="submit", variant="soft", size="1", id="sign-out"),
                on_submit=POST_SIGN_OUT, id="sign-out-form", method="post", action=SIGN_OUT_PATH,
            ),
            spacing="1",
            width="100%",
        ),
        width=styles.SIDEBAR_WIDTH,
        min_width=styles.SIDEBAR_WIDTH,
        height="100vh",
        position="sticky",
        top="0",
        padding="1em",
        border_right=styles.BORDER,
        background="var(--gray-2)",
        spacing="1",
    )


def not_allowed() -> rx.Component:
    return rx.callout(
        "Your role does not allow this page. The attempt has been recorded in the audit trail. "
        "If you need access for your work, ask your supervisor or an administrator.",
        icon="shield-alert",
        color_scheme="red",
        id="not-allowed",
    )


def signed_in_page(
    route: str, title: str, permission: str = "", on_load: list | None = None
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register a page behind sign-in (and a permission). The guard runs first; the page's own loaders follow
    and must check permission themselves through the services."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            body = rx.cond(
                SessionState.page_allowed,
                content(),
                rx.cond(SessionState.guard_done & SessionState.signed_in, not_allowed(), rx.spinner()),
            )
            return rx.hstack(
                sidebar(),
                rx.box(
                    rx.vstack(rx.heading(title, size="7"), body, spacing="4", width="100%"),
                    max_width=styles.CONTENT_MAX_WIDTH,
                    width="100%",
                    min_width="0",  # lets a wide table scroll inside the content instead of pushing it off-screen
                    **styles.page_padding,
                ),
                spacing="0",
                align="start",
                width="100%",
            )

        loaders = [SessionState.guard(permission)] + list(on_load or [])
        return pages.page(route=route, title=f"{title} · anpr-gov", on_load=loaders)(page)

    return decorator


def empty_state(message: str, icon: str = "inbox") -> rx.Component:
    return rx.center(
        rx.vstack(rx.icon(icon, size=32, color="var(--gray-9)"), rx.text(message, color_scheme="gray"), align="center"),
        padding="2em",
        border=styles.BORDER,
        border_radius=styles.RADIUS,
        width="100%",
    )


def status_badge(status: rx.Var | str, labels: dict[str, str] | None = None) -> rx.Component:
    """A status as a coloured badge (colours from styles.STATUS_COLOURS), its text from ``labels`` if given."""
    labels = labels or {}
    return rx.match(
        status,
        *[(key, rx.badge(labels.get(key, key).lower().replace("_", " "), color_scheme=colour))
          for key, colour in styles.STATUS_COLOURS.items()],
        rx.badge(status, color_scheme="gray"),
    )
