"""One proposal: its site and justification, the next step of the workflow, the PIA's state, consultations,
the senior officer's decision, commissioning, the timeline, and the assessment pack as a PDF."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import (CONSULTATION_STATUSES, CONSULTEE_LABELS, PROPOSAL_STATUS_LABELS, ConsultationMethod,
                             Permission)
from anpr_gov.services import estate, reports
from anpr_gov.services.errors import ServiceError, ValidationFailed
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.pages.estate_common import (fetch_for_page, categories_text, choice, day, estate_badge, fact, field_error, form_error,
                                             labelled, section, timeline, timeline_rows, when)
from anpr_gov.ui.session import SessionState

STAGES = ["draft", "submitted", "assessment", "consultation", "awaiting_decision", "approved", "commissioned"]


class ProposalState(SessionState):
    found: bool = False
    load_error: str = ""
    p: dict[str, str] = {}
    pia: dict[str, str] = {}
    consultations: list[dict[str, str]] = []
    events: list[dict[str, str]] = []
    blockers: list[str] = []
    may_manage: bool = False
    may_decide: bool = False
    action_error: str = ""
    consultation_open: bool = False
    consultation_errors: dict[str, str] = {}
    decision_errors: dict[str, str] = {}

    def _reload(self, actor) -> None:
        loaded = fetch_for_page(self, "proposal_key", "No proposal chosen: open one from the proposals list.",
                                lambda pid: (estate.get_proposal(actor, pid), estate.timeline(actor, pid)))
        if loaded is None:
            return
        d, events = loaded
        self.found, self.load_error = True, ""
        self.may_manage = actor.can(Permission.MANAGE_ESTATE)
        self.may_decide = actor.can(Permission.DECIDE_PROPOSALS)
        self.p = {
            "id": str(d.id), "reference": d.reference, "title": d.title, "force": f"{d.force_name} ({d.force})",
            "deployment": d.deployment, "status": d.status, "status_label": PROPOSAL_STATUS_LABELS[d.status],
            "coordinates": "" if d.latitude is None else f"{d.latitude:.5f}, {d.longitude:.5f}",
            "road": d.road, "site_description": d.site_description, "vehicle": d.vehicle,
            "patrol_area": d.patrol_area, "categories": categories_text(d.categories),
            "evidence_of_need": d.evidence_of_need,
            "incidents": (f"{d.incidents_count} in {d.incidents_period_months} months"
                          if d.incidents_count is not None else ""),
            "proposed_by": d.proposed_by, "created": when(d.created_at), "submitted": when(d.submitted_at),
            "decision": "Rejected" if d.status == "rejected" else "Approved", "decided_by": d.decided_by, "decided_at": when(d.decided_at), "decision_reason": d.decision_reason,
            "camera_id": str(d.camera_id or ""), "camera_reference": d.camera_reference,
            "relocation_of": d.relocation_of,
            "consultation_open": "yes" if d.status in CONSULTATION_STATUSES else "",
        }
        self.pia = {} if d.pia is None else {
            "id": str(d.pia.id), "version": str(d.pia.version), "residual_risk": d.pia.residual_risk or "not set",
            "risks": str(len(d.pia.risks)), "signed": "signed" if d.pia.signed_off else "unsigned",
            "signed_by": d.pia.signed_off_by, "signed_at": when(d.pia.signed_off_at),
            "reason": d.pia.sign_off_reason,
        }
        self.consultations = [
            {"consultee": f"{c.consultee_name} ({CONSULTEE_LABELS.get(c.consultee_type, c.consultee_type)})",
             "method": c.method, "held_on": day(c.held_on), "summary": c.response_summary, "concerns": c.concerns,
             "answer": c.force_response}
            for c in d.consultations
        ]
        self.blockers = d.decision_blockers
        self.events = timeline_rows(events)

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERA_LOCATIONS):
            return
        self.action_error, self.decision_errors = "", {}
        self.found = False  # never show the previous visit's proposal while this one loads
        yield
        self._reload(actor)

    def _step(self, call, done: str):
        actor = self.actor()
        try:
            call(actor, int(self.p.get("id", "0")))
        except ServiceError as exc:
            self.action_error = str(exc)
            return None
        self.action_error = ""
        self._reload(actor)
        return rx.toast.success(done)

    @rx.event
    def submit(self):
        return self._step(estate.submit, "Submitted.")

    @rx.event
    def start_assessment(self):
        return self._step(estate.start_assessment, "Assessment started: the Privacy Impact Assessment is open.")

    @rx.event
    def start_consultation(self):
        return self._step(estate.start_consultation, "Consultation stage started.")

    @rx.event
    def request_decision(self):
        return self._step(estate.request_decision, "Sent to a senior officer for decision.")

    @rx.event
    def commission(self):
        return self._step(estate.commission, "Camera commissioned.")

    @rx.event
    def decide(self, form: dict):
        actor = self.actor()
        approve = self.decision_intent == "approve"
        try:
            estate.decide(actor, int(self.p.get("id", "0")), approve, form.get("reason", ""))
        except ValidationFailed as exc:
            self.decision_errors = exc.fields
            return None
        except ServiceError as exc:
            self.decision_errors = {"": str(exc)}
            self._reload(actor)
            return None
        self.decision_errors = {}
        self._reload(actor)
        return rx.toast.success("Approved." if approve else "Rejected.")

    decision_intent: str = "approve"

    @rx.event
    def set_decision_intent(self, value: str):
        self.decision_intent = value

    @rx.event
    def open_consultation(self, value: bool):
        self.consultation_open = value
        self.consultation_errors = {}

    @rx.event
    def add_consultation(self, form: dict):
        actor = self.actor()
        try:
            estate.add_consultation(actor, int(self.p.get("id", "0")), form)
        except ValidationFailed as exc:
            self.consultation_errors = exc.fields
            return None
        except ServiceError as exc:
            self.consultation_errors = {"": str(exc)}
            return None
        self.consultation_open, self.consultation_errors = False, {}
        self._reload(actor)
        return rx.toast.success("Consultation recorded.")

    @rx.event
    def download_pack(self):
        try:
            filename, data = reports.assessment_pack(self.actor(), int(self.p.get("id", "0")))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        return rx.download(data=data, filename=filename, mime_type="application/pdf")


def _stepper() -> rx.Component:
    status = ProposalState.p["status"]
    return rx.hstack(
        *[rx.badge(PROPOSAL_STATUS_LABELS[s], color_scheme=rx.cond(status == s, "indigo", "gray"),
                   variant=rx.cond(status == s, "solid", "soft")) for s in STAGES],
        wrap="wrap", spacing="2",
    )


def _action(label: str, handler, button_id: str, icon: str = "arrow-right") -> rx.Component:
    return rx.button(rx.icon(icon, size=16), label, on_click=handler, id=button_id)


def _next_step() -> rx.Component:
    status = ProposalState.p["status"]
    manage = ProposalState.may_manage
    pid = ProposalState.p["id"]
    return section(
        "Next step",
        rx.cond(ProposalState.action_error != "",
                rx.callout(ProposalState.action_error, color_scheme="red", icon="triangle-alert", id="action-error")),
        rx.match(
            status,
            ("draft", rx.cond(manage, rx.hstack(
                rx.link(rx.button("Edit draft", variant="soft"), href="/proposals/" + pid + "/edit"),
                _action("Submit", ProposalState.submit, "submit"),
            ), rx.text("A draft, being written by the ANPR manager."))),
            ("submitted", rx.cond(manage, _action("Start the assessment (opens the PIA)", ProposalState.start_assessment,
                                                   "start-assessment"),
                                  rx.text("Submitted; the ANPR manager starts the assessment."))),
            ("assessment", rx.cond(manage, rx.hstack(
                rx.text("Write and sign off the PIA, then consult.", size="2"),
                _action("Move to consultation", ProposalState.start_consultation, "start-consultation")),
                rx.text("Under assessment by the ANPR manager."))),
            ("consultation", rx.cond(manage, rx.hstack(
                rx.text("Record each consultation; when done, send it for decision.", size="2"),
                _action("Send for decision", ProposalState.request_decision, "request-decision")),
                rx.text("Consultation under way."))),
            ("awaiting_decision", rx.cond(ProposalState.may_decide, _decision_form(),
                                          rx.text("Awaiting a senior officer's decision."))),
            ("approved", rx.cond(manage, _action("Commission the camera", ProposalState.commission, "commission",
                                                 "cctv"),
                                 rx.text("Approved; the ANPR manager commissions the camera."))),
            ("rejected", rx.text("Rejected. The decision is final; a new proposal may be made.")),
            rx.cond(ProposalState.p["camera_id"] != "",
                    rx.hstack(rx.text("Camera "), rx.link(ProposalState.p["camera_reference"],
                                                          href="/cameras/" + ProposalState.p["camera_id"],
                                                          id="camera-link"),
                              rx.text(" — reviews happen on the camera's page.")),
                    rx.text(ProposalState.p["status_label"])),
        ),
        id="next-step",
    )


def _decision_form() -> rx.Component:
    errors = ProposalState.decision_errors
    return rx.form(
        rx.vstack(
            rx.cond(ProposalState.blockers.length() > 0,
                    rx.callout(rx.vstack(rx.text("Not ready to decide:", weight="bold"),
                                         rx.foreach(ProposalState.blockers, lambda b: rx.text("• ", b))),
                               color_scheme="amber", icon="info", width="100%")),
            form_error(errors),
            labelled("Reasons for the decision", rx.text_area(name="reason", rows="3", width="100%",
                                                              id="decision-reason"), errors, "reason"),
            rx.hstack(
                rx.button("Reject", type="submit", color_scheme="red", variant="soft", id="reject",
                          on_click=ProposalState.set_decision_intent("reject")),
                rx.button("Approve", type="submit", color_scheme="green", id="approve",
                          on_click=ProposalState.set_decision_intent("approve")),
                justify="end", width="100%",
            ),
            width="100%",
        ),
        on_submit=ProposalState.decide,
        width="100%",
    )


def _site() -> rx.Component:
    p = ProposalState.p
    return section(
        "Site and justification (restricted)",
        fact("Force", p["force"]),
        fact("Deployment", p["deployment"]),
        rx.cond(p["coordinates"] != "", fact("Coordinates", p["coordinates"])),
        rx.cond(p["road"] != "", fact("Road", p["road"])),
        rx.cond(p["site_description"] != "", fact("Site", p["site_description"])),
        rx.cond(p["vehicle"] != "", fact("Vehicle", p["vehicle"])),
        rx.cond(p["patrol_area"] != "", fact("Patrol area", p["patrol_area"])),
        rx.cond(p["relocation_of"] != "", fact("Relocates camera", p["relocation_of"])),
        fact("Justification", p["categories"]),
        fact("Evidence of need", p["evidence_of_need"]),
        rx.cond(p["incidents"] != "", fact("Incidents", p["incidents"])),
        fact("Proposed by", p["proposed_by"] + " on " + p["created"]),
    )


def _pia() -> rx.Component:
    pia = ProposalState.pia
    return section(
        "Privacy Impact Assessment",
        rx.cond(
            pia.contains("id"),
            rx.vstack(
                rx.hstack(rx.text("Version ", pia["version"], size="2"), estate_badge(pia["signed"]),
                          rx.text("Residual risk:", size="2"), estate_badge(pia["residual_risk"]),
                          rx.text(pia["risks"], " risk(s) in the register", size="2"), align="center", wrap="wrap"),
                rx.cond(pia["signed"] == "signed",
                        rx.text("Signed off by ", pia["signed_by"], " on ", pia["signed_at"], size="2",
                                color_scheme="gray")),
                rx.link(rx.button(rx.icon("shield-check", size=16), "Open the PIA", variant="soft", id="open-pia"),
                        href="/pia/" + pia["id"]),
            ),
            rx.text("Opened when the assessment starts.", color_scheme="gray", size="2"),
        ),
    )


def _consultation_dialog() -> rx.Component:
    errors = ProposalState.consultation_errors
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("message-square-plus", size=16), "Record consultation", variant="soft",
                                    id="add-consultation")),
        rx.dialog.content(
            rx.dialog.title("Record a consultation"),
            rx.form(
                rx.vstack(
                    form_error(errors),
                    rx.grid(
                        labelled("Consultee", choice("consultee_type", list(CONSULTEE_LABELS.items()), "field-consultee_type",
                                    placeholder="Who"), errors, "consultee_type"),
                        labelled("Method", choice("method", [(m.value, m.value) for m in ConsultationMethod], "field-method",
                                         placeholder="How"), errors, "method"),
                        columns="2", spacing="3", width="100%",
                    ),
                    labelled("Name", rx.input(name="consultee_name", width="100%", id="field-consultee_name",
                                              placeholder="e.g. Northgate Town Council"), errors, "consultee_name"),
                    labelled("Held on", rx.input(name="held_on", type="date", id="field-held_on"), errors, "held_on"),
                    labelled("Summary of the response", rx.text_area(name="response_summary", width="100%",
                                                                     id="field-response_summary"),
                             errors, "response_summary"),
                    labelled("Concerns raised", rx.text_area(name="concerns", width="100%", id="field-concerns"),
                             errors, "concerns"),
                    labelled("The force's answer to each concern", rx.text_area(name="force_response", width="100%",
                                                                                id="field-force_response"),
                             errors, "force_response"),
                    rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                              rx.button("Record", type="submit", id="save-consultation"), justify="end", width="100%"),
                    spacing="3",
                ),
                on_submit=ProposalState.add_consultation,
            ),
        ),
        open=ProposalState.consultation_open,
        on_open_change=ProposalState.open_consultation,
    )


def _consultations() -> rx.Component:
    return section(
        "Consultations",
        rx.cond(ProposalState.may_manage & (ProposalState.p["consultation_open"] != ""), _consultation_dialog()),
        rx.cond(
            ProposalState.consultations.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Consultee", "Method", "Held on", "Response", "Concerns",
                                                "Force's answer")])),
                rx.table.body(rx.foreach(ProposalState.consultations, lambda c: rx.table.row(
                    *[rx.table.cell(rx.text(c[k], size="2")) for k in
                      ("consultee", "method", "held_on", "summary", "concerns", "answer")]))),
                width="100%", variant="surface", id="consultations-table",
            ),
            rx.text("None recorded yet. At least one is needed before a decision; they are recorded once the "
                    "assessment has started.", color_scheme="gray", size="2"),
        ),
    )


def _decision() -> rx.Component:
    p = ProposalState.p
    return rx.cond(
        p["decided_by"] != "",
        section("Decision", fact("Decision", p["decision"]), fact("By", p["decided_by"] + " on " + p["decided_at"]),
                fact("Reasons", p["decision_reason"]), id="decision"),
    )


@signed_in_page("/proposals/[proposal_key]", "Location proposal", Permission.VIEW_CAMERA_LOCATIONS.value,
                on_load=[ProposalState.load])
def proposal_detail_page() -> rx.Component:
    return rx.cond(
        ProposalState.found,
        rx.vstack(
            rx.hstack(
                rx.heading(ProposalState.p["reference"], size="5", id="proposal-reference"),
                rx.text(ProposalState.p["title"], size="4"),
                estate_badge(ProposalState.p["status"]),
                rx.spacer(),
                rx.button(rx.icon("file-down", size=16), "Assessment pack (PDF)", variant="soft",
                          on_click=ProposalState.download_pack, id="download-pack"),
                align="center", width="100%", wrap="wrap",
            ),
            _stepper(),
            _next_step(),
            _decision(),
            rx.grid(_site(), rx.vstack(_pia(), width="100%"), columns=rx.breakpoints(initial="1", lg="2"),
                    spacing="4", width="100%"),
            _consultations(),
            section("Timeline", timeline(ProposalState.events)),
            width="100%", spacing="4",
        ),
        rx.cond(ProposalState.load_error != "",
                rx.callout(ProposalState.load_error, color_scheme="red", icon="triangle-alert"),
                rx.spinner()),
    )


__all__ = ["ProposalState", "field_error"]
