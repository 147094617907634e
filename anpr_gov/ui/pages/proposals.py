"""Camera-location proposals: the list, and the site form (a draft is saved, resumed, then submitted)."""

from __future__ import annotations

import reflex as rx

from anpr_gov.ui.components.forms import call_for_form

from anpr_gov.policy import FORCE_AREAS, JUSTIFICATION_LABELS, Permission
from anpr_gov.services import estate, users
from anpr_gov.services.errors import ServiceError, ValidationFailed
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.components.table import TableState, data_table
from anpr_gov.ui.session import SessionState
from anpr_gov.ui.pages.estate_common import (categories_text, choice, estate_badge, form_error, labelled, query_id,
                                             section, when)


class ProposalsState(TableState):
    can_create: bool = False
    error: str = ""

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.VIEW_CAMERA_LOCATIONS):
            return
        self.can_create = actor.can(Permission.MANAGE_ESTATE)
        try:
            proposals = estate.list_proposals(actor)
        except ServiceError as exc:
            self.error = str(exc)
            return
        self.error = ""
        self.rows = [
            {"id": str(p.id), "reference": p.reference, "title": p.title, "force": p.force,
             "deployment": p.deployment, "categories": categories_text(p.categories), "status": p.status,
             "proposed_by": p.proposed_by, "updated": when(p.updated_at)}
            for p in proposals
        ]


def _cell(row: rx.Var, key: str) -> rx.Component:
    if key == "status":
        return estate_badge(row["status"])
    if key == "reference":
        return rx.link(row["reference"], href="/proposals/" + row["id"].to(str), weight="bold", white_space="nowrap")
    if key == "categories":
        return rx.text(row["categories"], size="1", max_width="18em")
    return rx.text(row[key], size="2")


@signed_in_page("/proposals", "Location proposals", Permission.VIEW_CAMERA_LOCATIONS.value,
                on_load=[ProposalsState.load])
def proposals_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Each camera location is proposed, assessed (PIA), consulted on and decided by a senior officer "
                    "before a camera is commissioned.", color_scheme="gray"),
            rx.spacer(),
            rx.cond(ProposalsState.can_create,
                    rx.link(rx.button(rx.icon("map-pin-plus", size=16), "New proposal", id="new-proposal",
                                      white_space="nowrap"), href="/proposals/new", flex_shrink="0")),
            width="100%", align="center",
        ),
        rx.cond(ProposalsState.error != "", rx.callout(ProposalsState.error, color_scheme="red", icon="triangle-alert")),
        data_table(
            ProposalsState,
            [("reference", "Reference"), ("title", "Site"), ("force", "Force"), ("deployment", "Deployment"),
             ("categories", "Justification"), ("status", "Status"), ("proposed_by", "Proposed by"),
             ("updated", "Updated (UTC)")],
            _cell,
            "No proposals yet. An ANPR manager starts one with “New proposal”.",
            table_id="proposals-table",
        ),
        width="100%", spacing="4",
    )


# --- The site form ------------------------------------------------------------------------------------------
FIELDS = ("title", "force", "latitude", "longitude", "road", "site_description", "vehicle", "patrol_area",
          "evidence_of_need", "incidents_count", "incidents_period_months")


class ProposalFormState(SessionState):
    proposal_id: int = 0
    reference: str = ""
    values: dict[str, str] = {}
    deployment: str = "fixed"
    categories: list[str] = []
    forces: list[str] = []
    errors: dict[str, str] = {}
    form_key: int = 0
    editable: bool = True
    intent: str = "save"
    ready: bool = False
    _carry_errors: bool = False

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.MANAGE_ESTATE):
            return
        self.ready = False  # hide the previous visit's form until this one is loaded (its inputs remount)
        yield
        self.forces = [code for code, _ in users.list_forces()]
        if not self._carry_errors:  # errors of a submission that created the draft survive its redirect
            self.errors = {}
        self._carry_errors, self.editable = False, True
        pid = query_id(self, "proposal_key")
        if pid is None:
            self.proposal_id, self.reference, self.deployment, self.categories = 0, "", "fixed", []
            self.values = {name: "" for name in FIELDS}
        else:
            try:
                p = estate.get_proposal(actor, pid)
            except ServiceError as exc:
                self.errors = {"": str(exc)}
                self.editable = False
                self.ready = True
                return
            self.proposal_id, self.reference = p.id, p.reference
            self.deployment, self.categories = p.deployment, list(p.categories)
            self.editable = p.status == "draft"
            self.values = {
                "title": p.title, "force": p.force, "latitude": "" if p.latitude is None else str(p.latitude),
                "longitude": "" if p.longitude is None else str(p.longitude), "road": p.road,
                "site_description": p.site_description, "vehicle": p.vehicle, "patrol_area": p.patrol_area,
                "evidence_of_need": p.evidence_of_need,
                "incidents_count": "" if p.incidents_count is None else str(p.incidents_count),
                "incidents_period_months": "" if p.incidents_period_months is None else str(p.incidents_period_months),
            }
        self.form_key += 1
        self.ready = True

    @rx.event
    def set_intent(self, value: str):
        self.intent = value

    @rx.event
    def set_deployment(self, value: str):
        self.deployment = value

    @rx.event
    def toggle_category(self, category: str, checked: bool):
        chosen = set(self.categories) | {category} if checked else set(self.categories) - {category}
        self.categories = [c for c in JUSTIFICATION_LABELS if c in chosen]

    def _save(self, form: dict) -> int | None:
        actor = self.actor()
        data = {**{k: form.get(k, "") for k in FIELDS}, "deployment": self.deployment, "categories": self.categories}
        self.values = {k: str(form.get(k, "")) for k in FIELDS}
        ok, pid, self.errors = call_for_form(lambda: estate.save_draft(actor, self.proposal_id or None, data))
        if not ok:
            return None
        self.proposal_id = pid
        return pid

    @rx.event
    def save(self, form: dict):
        """Both buttons submit the form; the one pressed set ``intent`` (save or submit) on its click."""
        intent, self.intent = self.intent, "save"
        pid = self._save(form)
        if pid is None:
            return None
        if query_id(self, "proposal_key") != pid and intent != "submit":
            yield rx.redirect(f"/proposals/{pid}/edit")
        if intent == "submit":
            try:
                estate.submit(self.actor(), pid)
            except ValidationFailed as exc:
                self.errors = {**exc.fields, "": "Saved as a draft, but not submitted: complete the fields marked."}
                if query_id(self, "proposal_key") != pid:
                    self._carry_errors = True
                    yield rx.redirect(f"/proposals/{pid}/edit")
                return
            except ServiceError as exc:
                self.errors = {"": str(exc)}
                return
            yield rx.redirect(f"/proposals/{pid}")
            return
        yield rx.toast.success("Draft saved. You can come back to it from the proposals list.")


def _input(name: str, **props) -> rx.Component:
    return rx.input(name=name, default_value=ProposalFormState.values[name], width="100%", id=f"field-{name}", **props)


def _area(name: str, rows: str = "3", **props) -> rx.Component:
    return rx.text_area(name=name, default_value=ProposalFormState.values[name], width="100%", rows=rows,
                        id=f"field-{name}", **props)


def _areas_hint() -> str:
    return "; ".join(f"{code}: lat {s}–{n}, lon {w}–{e}" for code, (s, n, w, e) in FORCE_AREAS.items())


def _form() -> rx.Component:
    errors = ProposalFormState.errors
    return rx.form(
        rx.vstack(
            form_error(errors),
            section(
                "Site",
                labelled("Site name", _input("title", placeholder="e.g. A61 Northgate, southbound"), errors, "title"),
                rx.grid(
                    labelled("Force", choice("force", ProposalFormState.forces, "field-force",
                                                default_value=ProposalFormState.values["force"],
                                                placeholder="Choose a force"), errors, "force"),
                    labelled("Deployment", rx.radio_group(["fixed", "mobile"], value=ProposalFormState.deployment,
                                                          on_change=ProposalFormState.set_deployment,
                                                          direction="row"),
                             errors, "deployment"),
                    columns="2", spacing="4", width="100%",
                ),
                rx.grid(
                    labelled("Latitude", _input("latitude", placeholder="53.8008"), errors, "latitude"),
                    labelled("Longitude", _input("longitude", placeholder="-1.5491"), errors, "longitude"),
                    columns="2", spacing="4", width="100%",
                ),
                rx.text("Decimal degrees (WGS84), inside the force's area. " + _areas_hint(), size="1",
                        color_scheme="gray"),
                labelled("Road", _input("road", placeholder="e.g. A61 Northgate"), errors, "road"),
                labelled("Site description", _area("site_description", placeholder="Where the camera is mounted and "
                                                   "what it sees"), errors, "site_description"),
                rx.cond(
                    ProposalFormState.deployment == "mobile",
                    rx.grid(
                        labelled("Vehicle", _input("vehicle", placeholder="e.g. Van NV-12"), errors, "vehicle"),
                        labelled("Patrol area", _input("patrol_area", placeholder="e.g. Northvale city centre"),
                                 errors, "patrol_area"),
                        columns="2", spacing="4", width="100%",
                    ),
                ),
            ),
            section(
                "Justification",
                labelled("Categories (one or more)", rx.vstack(*[
                    rx.checkbox(label, checked=ProposalFormState.categories.contains(key),
                                on_change=lambda c, key=key: ProposalFormState.toggle_category(key, c))
                    for key, label in JUSTIFICATION_LABELS.items()
                ], spacing="2"), errors, "categories"),
                labelled("Evidence of need", _area("evidence_of_need", rows="5",
                                                   placeholder="What happens here, and why ANPR helps"),
                         errors, "evidence_of_need"),
                rx.grid(
                    labelled("Incidents in the area", _input("incidents_count", placeholder="e.g. 37"), errors,
                             "incidents_count"),
                    labelled("Over how many months", _input("incidents_period_months", placeholder="e.g. 12"),
                             errors, "incidents_period_months"),
                    columns="2", spacing="4", width="100%",
                ),
            ),
            rx.hstack(
                rx.link(rx.button("Cancel", variant="soft", color_scheme="gray", type="button"), href="/proposals"),
                rx.button("Save draft", type="submit", variant="soft", id="save-draft",
                          on_click=ProposalFormState.set_intent("save")),
                rx.button("Save and submit", type="submit", id="submit-proposal",
                          on_click=ProposalFormState.set_intent("submit")),
                justify="end", width="100%",
            ),
            spacing="4", width="100%",
        ),
        on_submit=ProposalFormState.save,
        key=ProposalFormState.form_key,
        width="100%",
    )


def proposal_form_page() -> rx.Component:
    return rx.vstack(
        rx.cond(ProposalFormState.reference != "",
                rx.text("Editing draft ", rx.text.strong(ProposalFormState.reference), color_scheme="gray"),
                rx.text("A draft can be saved incomplete and finished later; it is checked in full when submitted.",
                        color_scheme="gray")),
        rx.cond(~ProposalFormState.ready, rx.spinner(), rx.cond(ProposalFormState.editable, _form(),
                rx.vstack(form_error(ProposalFormState.errors),
                          rx.callout("This proposal has been submitted; only drafts can be edited.", icon="info"),
                          rx.link("Open the proposal", href="/proposals/" + ProposalFormState.proposal_id.to(str))))),
        width="100%", spacing="4",
    )


# One form, two addresses: a new proposal, and a draft resumed.
signed_in_page("/proposals/new", "Propose a location", Permission.MANAGE_ESTATE.value,
               on_load=[ProposalFormState.load])(proposal_form_page)
signed_in_page("/proposals/[proposal_key]/edit", "Edit a draft proposal", Permission.MANAGE_ESTATE.value,
               on_load=[ProposalFormState.load])(proposal_form_page)
