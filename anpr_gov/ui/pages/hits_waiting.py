"""The home page's panel for officers who see hits: how many hits wait for them, with the way to the live page."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import Permission
from anpr_gov.services import hits
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui import styles
from anpr_gov.ui.session import SessionState


class HitsWaitingState(SessionState):
    show_hits_panel: bool = False
    waiting_confirmation: int = 0
    waiting_outcome: int = 0

    @rx.event
    def load(self):
        actor = self.actor()
        self.show_hits_panel = actor is not None and actor.can(Permission.VIEW_HITS)
        if not self.show_hits_panel:
            return
        try:
            counts = hits.count_open_hits(actor)
        except ServiceError:
            self.show_hits_panel = False
            return
        self.waiting_confirmation, self.waiting_outcome = counts.to_confirm, counts.awaiting_outcome


def hits_waiting_panel() -> rx.Component:
    s = HitsWaitingState
    return rx.cond(
        s.show_hits_panel,
        rx.box(
            rx.hstack(
                rx.icon("bell", size=18),
                rx.heading("Hits", size="4"),
                rx.cond(
                    (s.waiting_confirmation + s.waiting_outcome) > 0,
                    rx.hstack(rx.badge(s.waiting_confirmation, " to confirm", color_scheme="red", size="2"),
                              rx.badge(s.waiting_outcome, " awaiting an outcome", color_scheme="amber", size="2"),
                              spacing="2"),
                    rx.text("None waiting: new hits appear on the live page within a second.", size="2",
                            color_scheme="gray"),
                ),
                rx.spacer(),
                rx.link(rx.button("Open live hits", size="2"), href="/hits"),
                align="center", spacing="3", width="100%", wrap="wrap",
            ),
            **styles.card_style, width="100%", id="hits-waiting",
        ),
    )
