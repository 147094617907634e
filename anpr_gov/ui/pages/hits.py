"""Live hits for officers: new hits appear within a second. The officer confirms the plate against the image
before acting (a misread is a wrong stop), then records the outcome."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import HIT_OUTCOMES, HOTLIST_CATEGORIES, Permission
from anpr_gov.services import hits
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui.components.layout import empty_state, signed_in_page
from anpr_gov.ui.session import SessionState

POLL_MS = 700
# the page keeps the newest this many hits (a busy camera network raises hits all shift long)
HITS_SHOWN = 100
SHOW_CHOICES = {"open": "Needing action", "all": "All, last 90 days"}
ALL_CATEGORIES = "any"  # the category filter's "all" choice (a select item cannot have an empty value)


def _row(view: hits.HitView) -> dict[str, str]:
    return {
        "id": str(view.id), "vrm": view.vrm, "raw": view.raw_text, "confidence": f"{view.confidence:.0%}",
        "when": view.captured_at.strftime("%Y-%m-%d %H:%M:%S"), "camera": view.camera, "category": view.category,
        "action": view.action, "reason": view.reason, "status": view.status, "outcome": view.outcome,
        "image": view.plate_image,
    }


class HitsState(SessionState):
    hit_rows: list[dict[str, str]] = []
    last_id: int = 0
    show: str = "open"
    text: str = ""
    category: str = ALL_CATEGORIES
    to_confirm: int = 0
    awaiting_outcome: int = 0
    outcome_choice: dict[str, str] = {}
    error: str = ""
    images: dict[str, str] = {}  # the hit whose images are open full size: vrm, plate, overview ({} = none)

    def _filters(self) -> dict[str, str]:
        return {"text": self.text, "category": "" if self.category == ALL_CATEGORIES else self.category}

    def _count(self, actor) -> None:
        counts = hits.count_open_hits(actor)
        self.to_confirm, self.awaiting_outcome = counts.to_confirm, counts.awaiting_outcome

    def _reload(self, actor) -> None:
        views = hits.list_hits(actor, limit=HITS_SHOWN, open_only=self.show == "open", **self._filters())
        self.hit_rows = [_row(v) for v in views]
        self.last_id = max(self.last_id, max((v.id for v in views), default=0))
        self._count(actor)

    @rx.var
    def filtering(self) -> bool:
        return self.text.strip() != "" or self.category != ALL_CATEGORIES

    @rx.var
    def truncated(self) -> bool:
        return len(self.hit_rows) >= HITS_SHOWN

    def _officer(self):
        """The signed-in user if they may see hits, else None (the service checks again)."""
        actor = self.actor()
        return actor if actor is not None and actor.can(Permission.VIEW_HITS) else None

    @rx.event
    def load(self):
        actor = self._officer()
        if actor is None:
            return
        try:
            self._reload(actor)
            self.error = ""
        except ServiceError as exc:
            self.error = str(exc)

    @rx.event
    def choose_show(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if value else "open")
        self.show = value if value in SHOW_CHOICES else "open"
        return HitsState.load

    @rx.event
    def set_text(self, value: str):
        self.text = value
        return HitsState.load

    @rx.event
    def set_category(self, value: str):
        self.category = value if value in HOTLIST_CATEGORIES else ALL_CATEGORIES
        return HitsState.load

    @rx.event
    def clear_filters(self):
        self.text, self.category = "", ALL_CATEGORIES
        return HitsState.load

    @rx.event
    def poll(self, _value: str = ""):
        actor = self._officer()
        if actor is None:
            return
        try:
            new = hits.list_hits(actor, after_id=self.last_id, limit=HITS_SHOWN, **self._filters())
            self._count(actor)
        except ServiceError:
            return  # the page's own load reports it; a poll stays quiet
        if new:
            self.hit_rows = ([_row(v) for v in new] + self.hit_rows)[:HITS_SHOWN]
            self.last_id = max(v.id for v in new)
            return rx.toast.warning(f"New hit: {new[0].vrm} ({new[0].category})")

    @rx.event
    def confirm(self, hit_id: str, matches: bool):
        actor = self.actor()
        try:
            status = hits.confirm_plate(actor, int(hit_id), matches)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._reload(actor)
        if status == "misread":
            return rx.toast.info("Closed as a misread: no action on this hit.")

    @rx.event
    def open_images(self, hit_id: str):
        try:
            found = hits.hit_images(self.actor(), int(hit_id))
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self.images = {"vrm": found.vrm, "plate": found.plate_image, "overview": found.overview_image}

    @rx.event
    def close_images(self, value: bool):
        if not value:
            self.images = {}

    @rx.event
    def choose_outcome(self, hit_id: str, outcome: str):
        self.outcome_choice = {**self.outcome_choice, hit_id: outcome}

    @rx.event
    def save_outcome(self, form: dict):
        actor = self.actor()
        hit_id = form.get("hit_id", "")
        outcome = self.outcome_choice.get(hit_id, "")
        try:
            hits.record_outcome(actor, int(hit_id), outcome, form.get("notes", ""))
        except (ServiceError, ValueError) as exc:
            return rx.toast.error(str(exc))
        self._reload(actor)
        return rx.toast.success(f"Outcome recorded: {HIT_OUTCOMES[outcome]}.")


def _badge_for_status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("new", rx.badge("new: confirm plate", color_scheme="red", size="2")),
        ("confirmed", rx.badge("plate confirmed", color_scheme="amber", size="2")),
        ("actioned", rx.badge("actioned", color_scheme="green", size="2")),
        ("misread", rx.badge("misread", color_scheme="gray", size="2")),
        rx.badge(status),
    )


def _hit_card(row: rx.Var) -> rx.Component:
    hit_id = row["id"]
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.cond(row["image"] != "",
                        rx.image(src=row["image"], height="4em", width="14em", object_fit="contain",
                                 background="var(--gray-3)", border="2px solid var(--gray-8)", border_radius="4px",
                                 alt="Plate as captured", cursor="zoom-in", on_click=HitsState.open_images(hit_id)),
                        rx.center(rx.text("no image", size="1"), width="14em", height="4em",
                                  background="var(--gray-3)")),
                rx.button(rx.icon("image", size=14), "Plate and scene", size="1", variant="ghost",
                          on_click=HitsState.open_images(hit_id), class_name="view-images"),
                align="center", spacing="1",
            ),
            rx.vstack(
                rx.hstack(
                    rx.heading(row["vrm"], size="6", font_family="monospace", class_name="hit-vrm"),
                    rx.badge(row["category"], color_scheme="red", size="2"),
                    rx.badge(row["action"], variant="outline", size="2"),
                    _badge_for_status(row["status"]),
                    align="center", wrap="wrap",
                ),
                rx.text(row["camera"], " · ", row["when"], " UTC · read ", row["raw"], " at ", row["confidence"],
                        " confidence", size="2", color_scheme="gray"),
                rx.cond(row["reason"] != "", rx.text(row["reason"], size="2")),
                spacing="1",
            ),
            rx.spacer(),
            rx.match(
                row["status"],
                ("new", rx.vstack(
                    rx.text("Does the plate in the image read ", rx.text.strong(row["vrm"]), "?", size="2"),
                    rx.hstack(
                        rx.button("Plate matches", color_scheme="green", on_click=HitsState.confirm(hit_id, True),
                                  class_name="confirm-match"),
                        rx.button("Misread", color_scheme="gray", variant="soft",
                                  on_click=HitsState.confirm(hit_id, False), class_name="confirm-misread"),
                    ),
                    align="end",
                )),
                ("confirmed", rx.form(
                    rx.hstack(
                        rx.input(type="hidden", name="hit_id", value=hit_id),
                        rx.select.root(
                            rx.select.trigger(placeholder="Outcome"),
                            rx.select.content(*[rx.select.item(label, value=key)
                                                for key, label in HIT_OUTCOMES.items()]),
                            value=HitsState.outcome_choice.get(hit_id, ""),
                            on_change=lambda v: HitsState.choose_outcome(hit_id, v),
                        ),
                        rx.input(name="notes", placeholder="Notes", width="12em"),
                        rx.button("Save", type="submit", class_name="save-outcome"),
                    ),
                    on_submit=HitsState.save_outcome,
                    reset_on_submit=True,
                )),
                rx.cond(row["outcome"] != "", rx.text("Outcome: ", row["outcome"], size="2"), rx.fragment()),
            ),
            align="center",
            spacing="4",
            width="100%",
        ),
        width="100%",
        class_name="hit-card",
    )


def _images_dialog() -> rx.Component:
    """The plate crop and the scene full size: the officer checks plate, make and colour before acting."""
    picture = lambda key, alt, **size: rx.cond(  # noqa: E731
        HitsState.images[key] != "",
        rx.image(src=HitsState.images[key], alt=alt, max_width="100%", border_radius="4px", **size),
        rx.text(f"No {alt.lower()} was saved with this read.", size="2", color_scheme="gray"))
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Hit on ", HitsState.images["vrm"]),
            rx.vstack(
                rx.text("Plate", size="2", weight="bold"),
                picture("plate", "Plate image", height="6em", object_fit="contain", image_rendering="pixelated"),
                rx.text("Scene", size="2", weight="bold"), picture("overview", "Scene image"),
                rx.hstack(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")), justify="end",
                          width="100%"),
                spacing="2", width="100%", id="hit-images",
            ),
            max_width="60em",
        ),
        open=HitsState.images.contains("vrm"),
        on_open_change=HitsState.close_images,
    )


def _filter_bar() -> rx.Component:
    return rx.hstack(
        rx.input(placeholder="Registration or camera", value=HitsState.text, on_change=HitsState.set_text,
                 width="16em", id="hits-filter"),
        rx.select.root(
            rx.select.trigger(width="14em", id="hits-category"),
            rx.select.content(rx.select.item("All categories", value=ALL_CATEGORIES),
                              *[rx.select.item(label, value=key) for key, label in HOTLIST_CATEGORIES.items()]),
            value=HitsState.category, on_change=HitsState.set_category,
        ),
        rx.cond(HitsState.filtering,
                rx.button("Clear filter", variant="soft", color_scheme="gray", on_click=HitsState.clear_filters)),
        align="center", spacing="3", wrap="wrap",
    )


@signed_in_page("/hits", "Live hits", Permission.VIEW_HITS.value, on_load=[HitsState.load])
def hits_page() -> rx.Component:
    return rx.vstack(
        rx.moment(interval=POLL_MS, on_change=HitsState.poll, display="none"),
        _images_dialog(),
        rx.text("Reads that match a hotlist, newest first, from the last 90 days. Confirm the plate against the image "
                "before acting on any hit.", color_scheme="gray"),
        rx.hstack(
            rx.segmented_control.root(
                *[rx.segmented_control.item(label, value=key) for key, label in SHOW_CHOICES.items()],
                value=HitsState.show, on_change=HitsState.choose_show, id="hits-show",
            ),
            rx.badge(HitsState.to_confirm, " to confirm", color_scheme="red", size="2", id="to-confirm"),
            rx.badge(HitsState.awaiting_outcome, " awaiting an outcome", color_scheme="amber", size="2",
                     id="awaiting-outcome"),
            # the badges are the shift's workload: every open hit, whatever the filter shows
            rx.cond(HitsState.filtering,
                    rx.text("of all open hits, not only those matching the filter", size="1", color_scheme="gray",
                            id="counts-unfiltered")),
            align="center", spacing="3", wrap="wrap",
        ),
        _filter_bar(),
        rx.cond(HitsState.error != "", rx.callout(HitsState.error, color_scheme="red", icon="triangle-alert")),
        rx.cond(
            HitsState.hit_rows.length() > 0,
            rx.vstack(
                rx.foreach(HitsState.hit_rows, _hit_card),
                rx.cond(HitsState.truncated,
                        rx.text(f"Showing the newest {HITS_SHOWN}. Filter by registration, camera or category to "
                                "find an older hit.", size="2", color_scheme="gray")),
                width="100%", spacing="3", id="hits-list",
            ),
            rx.cond(
                HitsState.filtering,
                empty_state("No hits match the filter. Clear it to see every hit; new hits that match appear here "
                            "within a second.", icon="search"),
                rx.cond(
                    HitsState.show == "open",
                    empty_state("No hits need action. New hits appear here within a second of the read; keep this "
                                "page open. Closed hits are under \"All\".", icon="bell"),
                    empty_state("No hits in the last 90 days. New hits appear here within a second of the read.",
                                icon="bell"),
                ),
            ),
        ),
        width="100%",
        spacing="4",
    )
