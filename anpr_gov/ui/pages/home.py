"""Home: what the signed-in person can do, by role."""

from __future__ import annotations

import reflex as rx

from anpr_gov.ui import styles
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.pages.hits_waiting import HitsWaitingState, hits_waiting_panel
from anpr_gov.ui.pages.reviews_due import ReviewsDueState, reviews_due_panel
from anpr_gov.ui.session import SessionState

DESCRIPTIONS = {
    "/accounts": "Create accounts, set roles, unlock and disable.",
    "/hits": "Reads that match a hotlist, live: confirm the plate, then record the outcome.",
    "/hotlist": "Vehicles of interest: add, remove, import CSV files.",
    "/cameras": "The camera estate: status, review dates, suspended cameras.",
    "/proposals": "Camera-location proposals: assessment, PIA, consultation, decision, commissioning.",
    "/audit": "Search the audit trail and verify that it has not been altered.",
    "/about": "What the public is told about our use of ANPR.",
}


def _area(item: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.text(item["label"], weight="bold", size="4"),
                rx.text(rx.match(item["route"], *DESCRIPTIONS.items(), ""), size="2", color_scheme="gray"),
                spacing="1",
            ),
            _hover={"border_color": "var(--accent-8)"},
            height="100%",
        ),
        href=item["route"],
        underline="none",
    )


@signed_in_page("/", "Home", on_load=[ReviewsDueState.load, HitsWaitingState.load])
def home() -> rx.Component:
    return rx.vstack(
        rx.text("Signed in as ", rx.text.strong(SessionState.full_name), " · ", SessionState.role_labels.join(", "),
                id="whoami"),
        hits_waiting_panel(),
        reviews_due_panel(),
        rx.grid(
            rx.foreach(SessionState.nav_items.filter(lambda i: i["route"] != "/"), _area),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
        rx.box(
            rx.text("Read data is shown only where your role needs it, for 90 days after collection; older reads "
                    "(never past 12 months) need a senior officer's authorisation. Every search is audited.",
                    size="2", color_scheme="gray"),
            **styles.card_style,
            width="100%",
        ),
        width="100%",
        spacing="4",
    )
