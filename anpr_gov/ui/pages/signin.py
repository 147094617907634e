"""Sign-in page: the only way in."""

import reflex as rx

from anpr_gov.ui.pages.registry import page
from anpr_gov.ui.session import POST_SIGN_IN, SessionState


@page(route="/signin", title="Sign in · anpr-gov", on_load=SessionState.signin_opened)
def signin() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(rx.icon("scan-line", size=28, color="var(--accent-11)"), rx.heading("anpr-gov", size="6"),
                              align="center"),
                    rx.text("Sign in with your force account.", color_scheme="gray"),
                    rx.cond(
                        SessionState.signin_error != "",
                        rx.callout(SessionState.signin_error, icon="triangle-alert", color_scheme="red", width="100%",
                                   id="signin-error"),
                    ),
                    rx.text("Username", as_="label", html_for="username", size="2", weight="bold"),
                    rx.input(id="username", name="username", placeholder="e.g. manager", required=True,
                             auto_complete="username", width="100%"),
                    rx.text("Password", as_="label", html_for="password", size="2", weight="bold"),
                    rx.input(id="password", name="password", type="password", required=True,
                             auto_complete="current-password", width="100%"),
                    rx.button("Sign in", type="submit", width="100%", loading=SessionState.signin_busy, id="sign-in"),
                    rx.separator(),
                    rx.text(
                        "Use of this system is monitored and every search of ANPR data is audited. ",
                        rx.link("About ANPR in our forces", href="/about"),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="3",
                    width="100%",
                ),
                # posted natively to the server, which sets the HttpOnly session cookie (session_routes)
                on_submit=[SessionState.signin_posting, POST_SIGN_IN],
                reset_on_submit=False,
                id="signin-form",
                method="post",
            ),
            width="24em",
            size="4",
        ),
        height="100vh",
        background="var(--gray-2)",
    )
