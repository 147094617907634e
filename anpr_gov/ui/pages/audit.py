"""The audit trail for auditors and Professional Standards, with a chain check."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import Permission
from anpr_gov.services import audit
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui.components.layout import signed_in_page, status_badge
from anpr_gov.ui.components.table import TableState, data_table


class AuditState(TableState):
    outcome: str = "all"
    chain_status: str = ""
    chain_message: str = ""

    def _load(self, actor) -> None:
        events = audit.search_events(actor, outcome="" if self.outcome == "all" else self.outcome)
        self.rows = [
            {
                "seq": f"{e.seq:08d}",
                "when": e.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
                "who": e.actor_name,
                "action": e.action,
                "outcome": e.outcome,
                "target": e.target,
                "count": "" if e.result_count is None else str(e.result_count),
                "details": e.details,
            }
            for e in events
        ]
        self.sort_key, self.sort_desc = "seq", True

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_AUDIT):
            return
        self._load(actor)

    @rx.event
    def set_outcome(self, value: str):
        self.outcome = value
        return AuditState.load

    @rx.event
    def verify(self):
        try:
            report = audit.verify(self.actor())
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.chain_status = "ok" if report.ok else "failed"
        self.chain_message = (f"Chain intact: {report.checked} events verified." if report.ok
                              else f"Chain broken: {report.problem}")
        return AuditState.load


def _cell(row: rx.Var, key: str) -> rx.Component:
    if key == "outcome":
        return status_badge(row["outcome"])
    if key == "details":
        return rx.text(row["details"], size="1", color_scheme="gray", max_width="24em", trim="both")
    return rx.text(row[key], size="2")


@signed_in_page("/audit", "Audit trail", Permission.VIEW_AUDIT.value, on_load=[AuditState.load])
def audit_trail() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Every sign-in, account change, search and decision, newest first (latest 500).",
                    color_scheme="gray"),
            rx.spacer(),
            rx.select(["all", "ok", "refused", "failed"], value=AuditState.outcome, on_change=AuditState.set_outcome),
            rx.button(rx.icon("link", size=16), "Verify chain", on_click=AuditState.verify, id="verify-chain"),
            width="100%",
            align="center",
        ),
        rx.cond(AuditState.chain_message != "",
                rx.callout(AuditState.chain_message, color_scheme=rx.cond(AuditState.chain_status == "ok", "green", "red"),
                           icon="link", id="chain-status")),
        data_table(
            AuditState,
            [("seq", "#"), ("when", "When (UTC)"), ("who", "Who"), ("action", "Action"), ("outcome", "Outcome"),
             ("target", "Target"), ("count", "Results"), ("details", "Details")],
            _cell,
            "No audit events match the filter.",
            table_id="audit-table",
        ),
        width="100%",
        spacing="4",
    )
