"""One periodic review of a camera: its figures for the period, findings, the re-opened PIA, the decision."""

from __future__ import annotations

import reflex as rx

from anpr_gov.core import clock
from anpr_gov.core.settings import get_settings
from anpr_gov.policy import Permission, next_review_due
from anpr_gov.services import cameras, reports
from anpr_gov.services.errors import ServiceError, ValidationFailed
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.pages.estate_common import fetch_for_page, day, estate_badge, fact, form_error, labelled, section, when
from anpr_gov.ui.session import SessionState

DECISIONS = [("retain", "Retain: still necessary and proportionate here"),
             ("relocate", "Relocate: a new proposal for another site (this site stops)"),
             ("decommission", "Decommission: no longer justified")]


class ReviewPageState(SessionState):
    found: bool = False
    load_error: str = ""
    r: dict[str, str] = {}
    by_category: list[dict[str, str]] = []
    outcomes: list[dict[str, str]] = []
    values: dict[str, str] = {}
    decision: str = "retain"
    errors: dict[str, str] = {}
    may_manage: bool = False
    form_key: int = 0
    intent: str = "save"

    def _reload(self, actor) -> None:
        v = fetch_for_page(self, "review_key", "No review chosen: open one from its camera.",
                           lambda rid: cameras.get_review(actor, rid))
        if v is None:
            return
        self.found, self.load_error = True, ""
        self.may_manage = actor.can(Permission.MANAGE_ESTATE)
        self.r = {
            "id": str(v.id), "camera_id": str(v.camera_id), "camera": v.camera_reference, "name": v.camera_name,
            "status": v.status, "period": f"{when(v.period_start)} to {when(v.period_end) or 'now'}",
            "reads": str(v.figures.reads), "hits": str(v.figures.hits), "decision": v.decision,
            "next_due": day(v.next_due), "relocation_id": str(v.relocation_proposal_id or ""),
            "relocation": v.relocation_reference, "opened_by": v.opened_by, "completed_by": v.completed_by,
            "completed_at": when(v.completed_at),
            "pia_id": str(v.pia.id) if v.pia else "", "pia_signed": "signed" if v.pia and v.pia.signed_off else "unsigned",
            "pia_version": str(v.pia.version) if v.pia else "",
            "default_due": day(next_review_due(clock.today(), get_settings().review_interval_months)),
        }
        self.by_category = [{"k": k, "v": str(n)} for k, n in sorted(v.figures.hits_by_category.items())]
        self.outcomes = [{"k": k, "v": str(n)} for k, n in sorted(v.figures.hit_outcomes.items())]
        self.values = {"necessity_findings": v.necessity_findings, "privacy_findings": v.privacy_findings}
        self.form_key += 1

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERA_LOCATIONS):
            return
        self.errors = {}
        self.found = False  # hide the previous visit's form until this one is loaded (its inputs remount)
        yield
        self._reload(actor)

    @rx.event
    def set_decision(self, value: str):
        self.decision = value

    @rx.event
    def set_intent(self, value: str):
        self.intent = value

    @rx.event
    def submit(self, form: dict):
        actor = self.actor()
        intent, self.intent = self.intent, "save"
        rid = int(self.r.get("id", "0"))
        try:
            if intent == "complete":
                # keep what was written even if completion is refused (e.g. the PIA still needs signing)
                cameras.save_findings(actor, rid, form.get("necessity_findings", ""),
                                      form.get("privacy_findings", ""))
                relocation = cameras.complete_review(actor, rid, self.decision, form.get("necessity_findings", ""),
                                                     form.get("privacy_findings", ""), form.get("next_due", ""))
            else:
                cameras.save_findings(actor, rid, form.get("necessity_findings", ""),
                                      form.get("privacy_findings", ""))
        except ValidationFailed as exc:
            self.errors = exc.fields
            return None
        except ServiceError as exc:
            self.errors = {"": str(exc)}
            return None
        self.errors = {}
        self._reload(actor)
        if intent == "complete" and relocation:
            return [rx.toast.success("Review completed: a draft proposal for the new site was created."),
                    rx.redirect(f"/proposals/{relocation}/edit")]
        return rx.toast.success("Review completed." if intent == "complete" else "Findings saved.")

    @rx.event
    def download(self):
        try:
            filename, data = reports.review_report(self.actor(), int(self.r.get("id", "0")))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        return rx.download(data=data, filename=filename, mime_type="application/pdf")


def _pairs(rows: rx.Var, empty: str) -> rx.Component:
    return rx.cond(rows.length() > 0,
                   rx.hstack(rx.foreach(rows, lambda p: rx.badge(p["k"], ": ", p["v"], variant="soft")), wrap="wrap"),
                   rx.text(empty, size="2", color_scheme="gray"))


def _figures() -> rx.Component:
    r = ReviewPageState.r
    return section(
        "The camera's figures for the period",
        fact("Period", r["period"]),
        fact("Reads", r["reads"]),
        fact("Hits", r["hits"]),
        rx.hstack(rx.text("Hits by category", size="2", color_scheme="gray", min_width="13em"),
                  _pairs(ReviewPageState.by_category, "none")),
        rx.hstack(rx.text("Hit outcomes", size="2", color_scheme="gray", min_width="13em"),
                  _pairs(ReviewPageState.outcomes, "none")),
        rx.text("Counted from the read store for this camera only.", size="1", color_scheme="gray"),
        id="review-figures",
    )


def _pia_box() -> rx.Component:
    r = ReviewPageState.r
    return section(
        "Privacy Impact Assessment, re-opened",
        rx.hstack(rx.text("Version ", r["pia_version"], size="2"), estate_badge(r["pia_signed"]), align="center"),
        rx.text("Review the assessment in the light of the figures and findings, and sign it again. Retaining the "
                "camera needs the re-signed PIA.", size="2", color_scheme="gray"),
        rx.cond(r["pia_id"] != "", rx.link(rx.button(rx.icon("shield-check", size=16), "Open the PIA", variant="soft",
                                                     id="open-review-pia"), href="/pia/" + r["pia_id"])),
    )


def _decision_form() -> rx.Component:
    errors = ReviewPageState.errors
    return rx.form(
        rx.vstack(
            form_error(errors),
            rx.cond(errors.contains("pia"), rx.callout(errors["pia"], color_scheme="red", icon="shield-alert",
                                                       id="error-pia")),
            labelled("Findings on necessity", rx.text_area(name="necessity_findings", rows="4", width="100%",
                                                           default_value=ReviewPageState.values["necessity_findings"],
                                                           id="field-necessity_findings"),
                     errors, "necessity_findings"),
            labelled("Findings on privacy impact", rx.text_area(name="privacy_findings", rows="4", width="100%",
                                                                default_value=ReviewPageState.values["privacy_findings"],
                                                                id="field-privacy_findings"),
                     errors, "privacy_findings"),
            labelled("Decision", rx.radio_group.root(rx.vstack(*[
                rx.radio_group.item(label, value=key) for key, label in DECISIONS]),
                value=ReviewPageState.decision, on_change=ReviewPageState.set_decision),
                errors, "decision"),
            rx.cond(ReviewPageState.decision == "retain",
                    labelled("Next review due", rx.input(name="next_due", type="date",
                                                         default_value=ReviewPageState.r["default_due"],
                                                         id="field-next_due"), errors, "next_due")),
            rx.hstack(
                rx.button("Save findings", type="submit", variant="soft", on_click=ReviewPageState.set_intent("save"),
                          id="save-findings"),
                rx.button("Complete the review", type="submit", on_click=ReviewPageState.set_intent("complete"),
                          id="complete-review"),
                justify="end", width="100%",
            ),
            spacing="3", width="100%",
        ),
        on_submit=ReviewPageState.submit,
        key=ReviewPageState.form_key,
        width="100%",
    )


def _outcome() -> rx.Component:
    r = ReviewPageState.r
    return section(
        "Outcome",
        fact("Findings on necessity", ReviewPageState.values["necessity_findings"]),
        fact("Findings on privacy", ReviewPageState.values["privacy_findings"]),
        fact("Decision", r["decision"]),
        rx.cond(r["next_due"] != "", fact("Next review due", r["next_due"])),
        rx.cond(r["relocation"] != "",
                rx.hstack(rx.text("Relocation proposal", size="2", color_scheme="gray", min_width="13em"),
                          rx.link(r["relocation"], href="/proposals/" + r["relocation_id"]))),
        fact("Completed by", r["completed_by"] + " on " + r["completed_at"]),
        id="review-outcome",
    )


@signed_in_page("/reviews/[review_key]", "Camera review", Permission.VIEW_CAMERA_LOCATIONS.value, on_load=[ReviewPageState.load])
def review_page() -> rx.Component:
    r = ReviewPageState.r
    return rx.cond(
        ReviewPageState.found,
        rx.vstack(
            rx.hstack(
                rx.link(r["camera"], href="/cameras/" + r["camera_id"], weight="bold", size="4"),
                rx.text(r["name"], size="4"), rx.badge("Review ", r["id"]), estate_badge(r["status"]),
                rx.spacer(),
                rx.button(rx.icon("file-down", size=16), "Review report (PDF)", variant="soft",
                          on_click=ReviewPageState.download, id="download-review"),
                align="center", wrap="wrap", width="100%",
            ),
            rx.text("Opened by ", r["opened_by"], size="2", color_scheme="gray"),
            rx.grid(_figures(), _pia_box(), columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%"),
            rx.cond(r["status"] == "open",
                    rx.cond(ReviewPageState.may_manage, section("Findings and decision", _decision_form()),
                            rx.text("The ANPR manager completes the review.", color_scheme="gray")),
                    _outcome()),
            width="100%", spacing="4",
        ),
        rx.cond(ReviewPageState.load_error != "", rx.callout(ReviewPageState.load_error, color_scheme="red",
                                                         icon="triangle-alert"), rx.spinner()),
    )
