"""Small pieces shared by the camera-estate pages (proposals, PIA, cameras, reviews). Not a page itself."""

from __future__ import annotations

from datetime import date, datetime

import reflex as rx

from anpr_gov.policy import JUSTIFICATION_LABELS, PROPOSAL_STATUS_LABELS
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui import styles
from anpr_gov.ui.components.layout import status_badge
from anpr_gov.ui.components.forms import field_error, form_error, labelled  # noqa: F401  (re-exported)

def estate_badge(status: rx.Var | str) -> rx.Component:
    return status_badge(status, PROPOSAL_STATUS_LABELS)


def fetch_for_page(state: rx.State, key: str, missing: str, fetch, by_reference=None):
    """``fetch(id)`` for the id in the page's route segment ``key`` (or, through ``by_reference(text)``, for the
    reference in it); on a missing id or a refused or failed service call, sets the page's ``found``/``load_error``
    and returns None."""
    item_id = query_id(state, key)
    reference = str(getattr(state, key, "") or "").strip()
    if item_id is None and not (by_reference and reference):
        state.found, state.load_error = False, missing
        return None
    try:
        return fetch(item_id if item_id is not None else by_reference(reference))
    except ServiceError as exc:
        state.found, state.load_error = False, str(exc)
        return None


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def categories_text(categories: list[str]) -> str:
    return "; ".join(JUSTIFICATION_LABELS.get(c, c) for c in categories)


def query_id(state: rx.State, name: str) -> int | None:
    """An integer id from the page's dynamic route segment ``name`` (or ?id=); never trusted further: the
    services check everything."""
    # a dynamic route segment is a var of every state (Reflex's setup_dynamic_args)
    raw = getattr(state, name, "") or state.router.url.query_parameters.get("id", "")
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def section(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.box(rx.vstack(rx.heading(title, size="4"), *children, spacing="3", width="100%"),
                  **styles.card_style, width="100%", **props)


def fact(label: str, value: rx.Var | str) -> rx.Component:
    return rx.hstack(rx.text(label, size="2", color_scheme="gray", min_width="13em"),
                     rx.text(value, size="2", white_space="pre-wrap"), align="start", width="100%")


def timeline(rows: rx.Var) -> rx.Component:
    """``rows``: list of dicts with at, who, action, outcome, summary."""
    return rx.cond(
        rows.length() > 0,
        rx.vstack(
            rx.foreach(rows, lambda r: rx.hstack(
                rx.text(r["at"], size="1", color_scheme="gray", min_width="9.5em", font_family="monospace"),
                rx.text(r["who"], size="2", weight="bold", min_width="6em"),
                rx.text(r["action"], size="2"),
                rx.cond(r["outcome"] == "refused", rx.badge("refused", color_scheme="red")),
                rx.text(r["summary"], size="1", color_scheme="gray"),
                spacing="3", align="center", width="100%",
            )),
            spacing="1", width="100%", id="timeline",
        ),
        rx.text("Nothing recorded yet.", color_scheme="gray", size="2"),
    )


ACTION_LABELS = {
    "proposal.create": "created the proposal", "proposal.update": "saved the draft",
    "proposal.submit": "submitted it", "proposal.start_assessment": "started the assessment",
    "proposal.start_consultation": "started consultation", "proposal.request_decision": "sent it for decision",
    "proposal.approve": "approved it", "proposal.reject": "rejected it", "proposal.commission": "commissioned it",
    "camera.commission": "commissioned the camera", "pia.open": "opened a PIA version", "pia.save": "saved the PIA",
    "pia.add_risk": "added a risk", "pia.remove_risk": "removed a risk", "pia.sign_off": "signed off the PIA",
    "pia.reopen": "re-opened the PIA", "consultation.add": "recorded a consultation", "review.open": "opened a review",
    "camera.review_open": "opened a review", "review.save": "saved review findings",
    "review.complete": "completed the review", "camera.retain": "retained the camera",
    "camera.relocate": "decided to relocate the camera", "camera.decommission": "decommissioned the camera",
    "camera.suspend": "suspended the camera (review overdue)", "report.download": "downloaded a PDF",
}


def timeline_rows(entries) -> list[dict[str, str]]:
    rows = []
    for e in entries:
        d = e.details or {}
        bits = [(f"version {d[k]}" if k == "version" else str(d[k]))
                for k in ("reason", "version", "consultee", "risk", "decision", "camera")
                if d.get(k) not in (None, "", [])][:3]
        rows.append({"at": when(e.at), "who": e.who, "action": ACTION_LABELS.get(e.action, e.action),
                     "outcome": e.outcome, "summary": " · ".join(bits)})
    return rows


def choice(name: str, options, control_id: str, default_value: rx.Var | str = "", placeholder: str = "Choose",
           **root_props) -> rx.Component:
    """A select that submits ``name`` with its form. ``options``: (value, label) pairs, or a Var list of values.
    The trigger carries ``control_id`` so tests and labels can find it."""
    if isinstance(options, rx.Var):
        items = rx.foreach(options, lambda v: rx.select.item(v, value=v))
    else:
        items = rx.fragment(*[rx.select.item(label, value=value) for value, label in options])
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, id=control_id),
        rx.select.content(items),
        name=name,
        default_value=default_value,
        **root_props,
    )
