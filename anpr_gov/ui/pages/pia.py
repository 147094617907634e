"""A Privacy Impact Assessment: the processing, necessity and proportionality, the risk register (likelihood x
severity), mitigations, residual risk, the data-protection officer's advice and sign-off."""

from __future__ import annotations

import reflex as rx

from anpr_gov.ui.components.forms import call_for_form

from anpr_gov.policy import RISK_SCALE_MAX, RISK_SCALE_MIN, Permission
from anpr_gov.services import estate
from anpr_gov.services.errors import ServiceError, ValidationFailed
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.pages.estate_common import (fetch_for_page, choice, estate_badge, fact, field_error, form_error, labelled,
                                             section, when)
from anpr_gov.ui.session import SessionState

TEXT_FIELDS = [
    ("processing_description", "The processing described", "What is captured (plates, images), where, when, "
                                                           "how long it is kept and who sees it."),
    ("necessity", "Necessity", "Why ANPR here meets a pressing need, and why less intrusive means will not do."),
    ("proportionality", "Proportionality", "Why the intrusion is proportionate to the aim."),
    ("mitigations", "Mitigations", "What reduces the risks (field of view, access rules, retention, signage)."),
    ("dpo_advice", "Data-protection officer's advice", "The DPO's advice, as given."),
]
SCALE = [str(n) for n in range(RISK_SCALE_MIN, RISK_SCALE_MAX + 1)]


class PIAState(SessionState):
    found: bool = False
    load_error: str = ""
    info: dict[str, str] = {}
    values: dict[str, str] = {}
    risks: list[dict[str, str]] = []
    editable: bool = False
    can_reopen: bool = False
    errors: dict[str, str] = {}
    risk_errors: dict[str, str] = {}
    form_key: int = 0
    risk_key: int = 0

    def _reload(self, actor) -> None:
        ctx = fetch_for_page(self, "pia_key", "No PIA chosen: open one from its proposal.",
                             lambda pia_id: estate.get_pia(actor, pia_id))
        if ctx is None:
            return
        pia = ctx.pia
        self.found, self.load_error = True, ""
        manage = actor.can(Permission.MANAGE_ESTATE)
        self.editable, self.can_reopen = ctx.editable and manage, ctx.can_reopen and manage
        self.info = {
            "id": str(pia.id), "version": str(pia.version), "proposal_id": str(ctx.proposal_id),
            "reference": ctx.proposal_reference, "title": ctx.proposal_title, "status": ctx.proposal_status,
            "signed": "signed" if pia.signed_off else "unsigned", "signed_by": pia.signed_off_by,
            "signed_at": when(pia.signed_off_at), "reason": pia.sign_off_reason,
            "review": "" if pia.review_id is None else str(pia.review_id),
        }
        self.values = {**{name: getattr(pia, name) for name, _, _ in TEXT_FIELDS}, "residual_risk": pia.residual_risk}
        self.risks = [{"id": str(r.id), "description": r.description, "likelihood": str(r.likelihood),
                       "severity": str(r.severity), "score": str(r.score), "level": r.level,
                       "mitigation": r.mitigation} for r in pia.risks]
        self.form_key += 1

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERA_LOCATIONS):
            return
        self.errors, self.risk_errors = {}, {}
        self.found = False  # hide the previous visit's form until this one is loaded (its inputs remount)
        yield
        self._reload(actor)

    @rx.event
    def save(self, form: dict):
        actor = self.actor()
        ok, _, self.errors = call_for_form(lambda: estate.save_pia(actor, int(self.info.get("id", "0")), form))
        if not ok:
            return None
        self._reload(actor)
        return rx.toast.success("PIA saved.")

    @rx.event
    def add_risk(self, form: dict):
        actor = self.actor()
        ok, _, self.risk_errors = call_for_form(lambda: estate.add_risk(
            actor, int(self.info.get("id", "0")), form.get("description", ""), form.get("likelihood", ""),
            form.get("severity", ""), form.get("mitigation", "")))
        if not ok:
            return None
        self.risk_key += 1
        self._reload(actor)
        return rx.toast.success("Risk added.")

    @rx.event
    def remove_risk(self, risk_id: str):
        actor = self.actor()
        try:
            estate.remove_risk(actor, int(risk_id))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._reload(actor)

    @rx.event
    def sign_off(self, form: dict):
        actor = self.actor()
        try:
            estate.sign_off_pia(actor, int(self.info.get("id", "0")), form.get("sign_off_reason", ""))
        except ValidationFailed as exc:
            self.errors = {**exc.fields, "": "Not signed off: " + "; ".join(exc.fields.values())}
            return None
        except ServiceError as exc:
            self.errors = {"": str(exc)}
            return None
        self.errors = {}
        self._reload(actor)
        return rx.toast.success("PIA signed off.")

    @rx.event
    def reopen(self):
        actor = self.actor()
        try:
            estate.reopen_pia(actor, int(self.info.get("id", "0")))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._reload(actor)
        return rx.toast.success("Sign-off withdrawn; the PIA can be changed and signed again.")


def _pia_form() -> rx.Component:
    errors = PIAState.errors
    return rx.form(
        rx.vstack(
            *[labelled(label, rx.text_area(name=name, default_value=PIAState.values[name], rows="3", width="100%",
                                           id=f"field-{name}", read_only=~PIAState.editable), errors, name, hint)
              for name, label, hint in TEXT_FIELDS],
            labelled("Residual risk (after mitigation)",
                     choice("residual_risk", [("low", "low"), ("medium", "medium"), ("high", "high")], "field-residual_risk",
                            default_value=PIAState.values["residual_risk"], disabled=~PIAState.editable), errors, "residual_risk"),
            rx.cond(PIAState.editable, rx.hstack(rx.button("Save PIA", type="submit", id="save-pia"), justify="end",
                                                 width="100%")),
            spacing="3", width="100%",
        ),
        on_submit=PIAState.save,
        key=PIAState.form_key,
        width="100%",
    )


def _risk_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["description"], size="2")),
        rx.table.cell(r["likelihood"]), rx.table.cell(r["severity"]),
        rx.table.cell(rx.text(r["score"], weight="bold")), rx.table.cell(estate_badge(r["level"])),
        rx.table.cell(rx.text(r["mitigation"], size="2")),
        rx.table.cell(rx.cond(PIAState.editable, rx.button("Remove", size="1", variant="soft", color_scheme="gray",
                                                           on_click=PIAState.remove_risk(r["id"])))),
    )


def _risk_register() -> rx.Component:
    errors = PIAState.risk_errors
    return section(
        "Risk register",
        rx.text("Score = likelihood × severity, each 1 (lowest) to 5 (highest): 1–4 low, 5–12 medium, 15–25 high.",
                size="1", color_scheme="gray"),
        field_error(PIAState.errors, "risks"),
        rx.cond(
            PIAState.risks.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Risk", "Likelihood", "Severity", "Score", "Level", "Mitigation",
                                                "")])),
                rx.table.body(rx.foreach(PIAState.risks, _risk_row)),
                width="100%", variant="surface", id="risk-table",
            ),
            rx.text("No risks yet: add each risk to people's privacy, with its likelihood and severity.",
                    color_scheme="gray", size="2"),
        ),
        rx.cond(PIAState.editable, rx.form(
            rx.vstack(
                form_error(errors),
                labelled("Risk", rx.input(name="description", width="100%", id="risk-description",
                                          placeholder="e.g. Collateral intrusion on residents' driveways"),
                         errors, "description"),
                rx.grid(
                    labelled("Likelihood (1-5)", rx.input(name="likelihood", type="number", width="100%",
                                                          id="risk-likelihood"), errors, "likelihood"),
                    labelled("Severity (1-5)", rx.input(name="severity", type="number", width="100%",
                                                        id="risk-severity"), errors, "severity"),
                    labelled("Mitigation", rx.input(name="mitigation", width="100%", id="risk-mitigation"), errors,
                             "mitigation"),
                    columns="3", spacing="3", width="100%",
                ),
                rx.hstack(rx.button(rx.icon("plus", size=16), "Add risk", type="submit", variant="soft",
                                    id="add-risk"), justify="end", width="100%"),
                spacing="2", width="100%",
            ),
            on_submit=PIAState.add_risk, key=PIAState.risk_key, width="100%",
        )),
    )


def _sign_off() -> rx.Component:
    return section(
        "Sign-off",
        rx.cond(
            PIAState.info["signed"] == "signed",
            rx.vstack(
                fact("Signed off by", PIAState.info["signed_by"] + " on " + PIAState.info["signed_at"]),
                rx.cond(PIAState.info["reason"] != "", fact("Reason for accepting the residual risk",
                                                           PIAState.info["reason"])),
                rx.cond(PIAState.can_reopen, rx.button("Re-open to change", variant="soft", color_scheme="orange",
                                                       on_click=PIAState.reopen, id="reopen-pia")),
                width="100%",
            ),
            rx.cond(PIAState.editable, rx.form(
                rx.vstack(
                    rx.text("Save your changes first. Sign-off needs every section, at least one risk and the residual "
                            "risk; a high residual risk, or a high risk with no mitigation, needs the reason it is "
                            "accepted.", size="2",
                            color_scheme="gray"),
                    labelled("Reason for accepting a high risk (when there is one)",
                             rx.text_area(name="sign_off_reason", width="100%", id="field-sign_off_reason"),
                             PIAState.errors, "sign_off_reason"),
                    rx.hstack(rx.button(rx.icon("signature", size=16), "Sign off", type="submit", color_scheme="green",
                                        id="sign-off-pia"), justify="end", width="100%"),
                    width="100%",
                ),
                on_submit=PIAState.sign_off, width="100%",
            ), rx.text("Not signed off.", color_scheme="gray")),
        ),
        id="sign-off",
    )


@signed_in_page("/pia/[pia_key]", "Privacy Impact Assessment", Permission.VIEW_CAMERA_LOCATIONS.value, on_load=[PIAState.load])
def pia_page() -> rx.Component:
    return rx.cond(
        PIAState.found,
        rx.vstack(
            rx.hstack(
                rx.link(PIAState.info["reference"], href="/proposals/" + PIAState.info["proposal_id"],
                        weight="bold", size="4", id="back-to-proposal"),
                rx.text(PIAState.info["title"], size="4"),
                rx.badge("Version ", PIAState.info["version"]),
                estate_badge(PIAState.info["signed"]),
                rx.cond(PIAState.info["review"] != "", rx.link("Back to the review",
                                                               href="/reviews/" + PIAState.info["review"])),
                align="center", wrap="wrap", width="100%",
            ),
            form_error(PIAState.errors),
            rx.grid(section("Assessment", _pia_form()), rx.vstack(_risk_register(), _sign_off(), width="100%"),
                    columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%"),
            width="100%", spacing="4",
        ),
        rx.cond(PIAState.load_error != "", rx.callout(PIAState.load_error, color_scheme="red", icon="triangle-alert"),
                rx.spinner()),
    )
