"""The ANPR manager's panel on the home page: camera reviews due within 30 days, overdue, or suspended.
Loading it first applies the suspension rule (services.cameras.suspend_overdue_cameras)."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import REVIEW_DUE_SOON_DAYS, Permission
from anpr_gov.services import cameras
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui import styles
from anpr_gov.ui.pages.estate_common import day, estate_badge
from anpr_gov.ui.session import SessionState


class ReviewsDueState(SessionState):
    show_panel: bool = False
    due_rows: list[dict[str, str]] = []
    due_error: str = ""

    @rx.event
    def load(self):
        actor = self.actor()
        self.show_panel = actor is not None and actor.can(Permission.MANAGE_ESTATE)
        if not self.show_panel:
            return
        try:
            cameras.suspend_overdue_cameras(actor)
            due = cameras.reviews_due(actor, REVIEW_DUE_SOON_DAYS)
        except ServiceError as exc:
            self.due_error = str(exc)
            return
        self.due_error = ""
        self.due_rows = [
            {"id": str(d.camera_id), "reference": d.reference, "name": d.name, "force": d.force, "due": day(d.due),
             "state": d.state, "under_review": "yes" if d.status == "under_review" else "",
             "when": (f"in {d.days} days" if d.days > 0 else "today" if d.days == 0 else f"{-d.days} days overdue")}
            for d in due
        ]


def reviews_due_panel() -> rx.Component:
    return rx.cond(
        ReviewsDueState.show_panel,
        rx.box(
            rx.vstack(
                rx.hstack(rx.icon("calendar-clock", size=18), rx.heading("Camera reviews due", size="4"),
                          align="center"),
                rx.cond(ReviewsDueState.due_error != "", rx.text(ReviewsDueState.due_error, color_scheme="red")),
                rx.cond(
                    ReviewsDueState.due_rows.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                       ("Camera", "Name", "Force", "Due", "", "State")])),
                        rx.table.body(rx.foreach(ReviewsDueState.due_rows, lambda r: rx.table.row(
                            rx.table.cell(rx.link(r["reference"], href="/cameras/" + r["id"], weight="bold")),
                            rx.table.cell(r["name"]), rx.table.cell(r["force"]), rx.table.cell(r["due"]),
                            rx.table.cell(r["when"]),
                            rx.table.cell(rx.hstack(estate_badge(r["state"]),
                                                    rx.cond(r["under_review"] != "", estate_badge("under_review")))),
                        ))),
                        width="100%", variant="surface", id="reviews-due-table",
                    ),
                    rx.text(f"No camera review falls due in the next {REVIEW_DUE_SOON_DAYS} days and none is overdue.",
                            color_scheme="gray", size="2"),
                ),
                rx.text("A camera overdue past the grace period is suspended: its reads are refused until a review is "
                        "completed.", size="1", color_scheme="gray"),
                width="100%", spacing="3",
            ),
            **styles.card_style, width="100%", id="reviews-due",
        ),
    )
