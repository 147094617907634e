"""The ANPR manager's hotlist: entries, one-by-one additions, CSV imports with line-numbered errors."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import HOTLIST_ACTIONS, HOTLIST_CATEGORIES, Permission
from anpr_gov.services import hotlists
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui.components.forms import call_for_form, dialog_buttons, form_error, labelled
from anpr_gov.ui.components.layout import signed_in_page
from anpr_gov.ui.components.table import TableState, data_table

UPLOAD_ID = "hotlist-csv"
SHOW_CHOICES = {"active": "Active", "all": "All, with expired and removed"}


class HotlistState(TableState):
    form_errors: dict[str, str] = {}
    category: str = ""
    action: str = ""
    add_open: bool = False
    show: str = "active"
    import_summary: str = ""
    import_errors: list[str] = []
    editing: dict[str, str] = {}  # the entry being edited: id, vrm, category, reason, expiry ({} = none)
    edit_action: str = ""
    edit_errors: dict[str, str] = {}
    removing_id: str = ""  # the entry whose removal the manager is confirming ("" = none)
    removing_vrm: str = ""
    remove_errors: dict[str, str] = {}

    def _load(self, actor) -> None:
        self.rows = [
            {"id": str(e.id), "vrm": e.vrm, "category": e.category, "action": e.action, "source": e.source,
             "reason": e.reason, "added": e.added_at.strftime("%Y-%m-%d"), "status": e.status,
             "action_key": e.action_key, "expiry_date": e.expires_at.strftime("%Y-%m-%d") if e.expires_at else "",
             "expires": e.expiry_text}
            for e in hotlists.list_entries(actor, include_inactive=self.show == "all")
        ]

    @rx.event
    def choose_show(self, value: str | list[str]):
        value = value if isinstance(value, str) else (value[0] if value else "active")
        self.show = value if value in SHOW_CHOICES else "active"
        self.page = 0
        return HotlistState.load

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.MANAGE_ESTATE):
            return
        self._load(actor)

    @rx.event
    def open_add(self, value: bool):
        self.add_open, self.form_errors, self.category, self.action = value, {}, "", ""

    @rx.event
    def set_category(self, value: str):
        self.category = value

    @rx.event
    def set_action(self, value: str):
        self.action = value

    @rx.event
    def add(self, form: dict):
        actor = self.actor()
        ok, _, self.form_errors = call_for_form(lambda: hotlists.add_entry(
            actor, form.get("vrm", ""), self.category, self.action, form.get("source", ""), form.get("reason", ""),
            form.get("expiry", "")))
        if not ok:
            return
        self.add_open = False
        self._load(actor)
        return rx.toast.success("Entry added: new reads are checked against it at once.")

    @rx.event
    def start_edit(self, row: dict):
        self.editing = {k: row.get(k, "") for k in ("id", "vrm", "category", "reason", "expiry_date")}
        self.edit_action, self.edit_errors = row.get("action_key", ""), {}

    @rx.event
    def close_edit(self, value: bool):
        if not value:
            self.editing, self.edit_errors = {}, {}

    @rx.event
    def set_edit_action(self, value: str):
        self.edit_action = value

    @rx.event
    def save_edit(self, form: dict):
        actor = self.actor()
        ok, _, self.edit_errors = call_for_form(lambda: hotlists.update_entry(
            actor, int(self.editing.get("id", "0")), self.edit_action, form.get("reason", ""), form.get("expiry", "")))
        if not ok:
            return
        vrm, self.editing = self.editing.get("vrm", ""), {}
        self._load(actor)
        return rx.toast.success(f"{vrm} updated.")

    @rx.event
    def ask_remove(self, entry_id: str, vrm: str):
        self.removing_id, self.removing_vrm, self.remove_errors = entry_id, vrm, {}

    @rx.event
    def close_remove(self, value: bool):
        if not value:
            self.removing_id, self.remove_errors = "", {}

    @rx.event
    def remove(self, form: dict):
        actor = self.actor()
        ok, _, self.remove_errors = call_for_form(
            lambda: hotlists.remove_entry(actor, int(self.removing_id), form.get("reason", "")))
        if not ok:
            return
        vrm, self.removing_id = self.removing_vrm, ""
        self._load(actor)
        return rx.toast.success(f"{vrm} removed from the hotlist: new reads of it raise no hit.")

    @rx.event
    async def import_file(self, files: list[rx.UploadFile]):
        # The file is read in memory and never written to the upload folder (which Reflex serves publicly).
        actor = self.actor()
        if not files:
            self.import_summary, self.import_errors = "Choose a CSV file first.", []
            return
        upload = files[0]
        try:
            text = (await upload.read()).decode("utf-8-sig")
            report = hotlists.import_csv(actor, text, upload.filename or "upload.csv")
        except UnicodeDecodeError:
            self.import_summary, self.import_errors = "That file is not UTF-8 text (save it as CSV UTF-8).", []
            return
        except ServiceError as exc:
            self.import_summary, self.import_errors = str(exc), []
            return
        self.import_summary = (f"Added {report.added}; already on the list {report.duplicates}; "
                               f"rejected {len(report.errors)}.")
        self.import_errors = [f"Line {line}: {message}" for line, message in report.errors]
        self._load(actor)


def _field(label: str, control: rx.Component, key: str) -> rx.Component:
    return labelled(label, control, HotlistState.form_errors, key)


def _choice(options: dict[str, str], value, on_change, placeholder: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, width="100%"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in options.items()]),
        value=value, on_change=on_change,
    )


def add_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus", size=16), "Add entry", id="add-entry")),
        rx.dialog.content(
            rx.dialog.title("Add a hotlist entry"),
            rx.form(
                rx.vstack(
                    form_error(HotlistState.form_errors),
                    _field("Registration", rx.input(name="vrm", placeholder="AB12 CDE", width="100%"), "vrm"),
                    _field("Category", _choice(HOTLIST_CATEGORIES, HotlistState.category, HotlistState.set_category,
                                               "Choose a category"), "category"),
                    _field("Action for officers", _choice(HOTLIST_ACTIONS, HotlistState.action, HotlistState.set_action,
                                                          "Choose an action"), "action"),
                    _field("Source", rx.input(name="source", placeholder="e.g. PNC", width="100%"), "source"),
                    _field("Reason", rx.text_area(name="reason", width="100%"), "reason"),
                    _field("Expires on (optional)", rx.input(name="expiry", type="date", width="100%"), "expiry"),
                    dialog_buttons("Add entry"),
                    spacing="3",
                ),
                on_submit=HotlistState.add,
            ),
        ),
        open=HotlistState.add_open,
        on_open_change=HotlistState.open_add,
    )


def edit_dialog() -> rx.Component:
    """Action, reason and expiry of an entry (an expired one given a later expiry is checked again)."""
    e = HotlistState.editing
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit ", e["vrm"], " (", e["category"], ")"),
            rx.form(
                rx.vstack(
                    form_error(HotlistState.edit_errors),
                    labelled("Action for officers", _choice(HOTLIST_ACTIONS, HotlistState.edit_action,
                                                            HotlistState.set_edit_action, "Choose an action"),
                             HotlistState.edit_errors, "action"),
                    labelled("Reason", rx.text_area(name="reason", default_value=e["reason"], width="100%",
                                                    id="edit-reason"), HotlistState.edit_errors, "reason"),
                    labelled("Expires on (empty: no expiry)", rx.input(name="expiry", type="date",
                                                                       default_value=e["expiry_date"], width="100%",
                                                                       id="edit-expiry"),
                             HotlistState.edit_errors, "expiry"),
                    dialog_buttons("Save"),
                    spacing="3",
                ),
                on_submit=HotlistState.save_edit,
            ),
        ),
        open=HotlistState.editing.contains("id"),
        on_open_change=HotlistState.close_edit,
    )


def remove_dialog() -> rx.Component:
    """Removing an entry asks why: the reason goes on the audit record."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Remove ", HotlistState.removing_vrm, " from the hotlist?"),
            rx.dialog.description("New reads of this vehicle will raise no hit. Hits already raised stay.", size="2"),
            rx.form(
                rx.vstack(
                    form_error(HotlistState.remove_errors),
                    labelled("Reason", rx.text_area(name="reason", width="100%", id="remove-reason",
                                                    placeholder="e.g. vehicle recovered, PNC report cancelled"),
                             HotlistState.remove_errors, "reason"),
                    dialog_buttons("Remove entry"),
                    spacing="3",
                    margin_top="1em",
                ),
                on_submit=HotlistState.remove,
            ),
        ),
        open=HotlistState.removing_id != "",
        on_open_change=HotlistState.close_remove,
    )


def import_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Import a CSV file", weight="bold"),
            rx.text("Header: vrm,category,action,source,reason,expiry. Good rows are added; bad rows are listed "
                    "by line number and can be fixed and imported again.", size="2", color_scheme="gray"),
            rx.hstack(
                rx.upload(rx.button("Choose file", variant="soft", type="button"), id=UPLOAD_ID,
                          accept={"text/csv": [".csv"]},
                          max_files=1, border="none", padding="0"),
                rx.text(rx.selected_files(UPLOAD_ID).join(", "), size="2"),
                rx.button("Import", on_click=HotlistState.import_file(rx.upload_files(upload_id=UPLOAD_ID)),
                          id="import-csv"),
                align="center",
            ),
            rx.cond(HotlistState.import_summary != "",
                    rx.text(HotlistState.import_summary, size="2", id="import-summary")),
            rx.foreach(HotlistState.import_errors, lambda e: rx.text(e, size="1", color_scheme="red")),
            spacing="2",
        ),
        width="100%",
    )


def _cell(row: rx.Var, key: str) -> rx.Component:
    if key == "vrm":
        return rx.text(row["vrm"], font_family="monospace", weight="bold")
    if key == "category":
        return rx.badge(row["category"], color_scheme="red")
    if key == "expires":  # an entry no longer checked says so in this column
        return rx.cond(row["status"] == "active", rx.text(row["expires"], size="2", white_space="nowrap"),
                       rx.badge(row["expires"], color_scheme="gray", class_name="entry-inactive"))
    if key == "remove":
        return rx.cond(row["status"] != "removed", rx.hstack(
            rx.button("Edit", size="1", variant="soft", class_name="edit-entry", on_click=HotlistState.start_edit(row)),
            rx.cond(row["status"] == "active",
                    rx.button("Remove", size="1", variant="soft", color_scheme="gray", class_name="remove-entry",
                              on_click=HotlistState.ask_remove(row["id"], row["vrm"]))),
            spacing="2"))
    return rx.text(row[key], size="2", white_space="nowrap" if key == "added" else "normal")


@signed_in_page("/hotlist", "Hotlist", Permission.MANAGE_ESTATE.value, on_load=[HotlistState.load])
def hotlist() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text("Vehicles of interest. Every new read is checked against the active entries at once.",
                          color_scheme="gray"), rx.spacer(), add_dialog(), width="100%", align="center"),
        import_panel(),
        remove_dialog(),
        edit_dialog(),
        rx.segmented_control.root(
            *[rx.segmented_control.item(label, value=key) for key, label in SHOW_CHOICES.items()],
            value=HotlistState.show, on_change=HotlistState.choose_show, id="hotlist-show",
        ),
        data_table(
            HotlistState,
            [("vrm", "Registration"), ("category", "Category"), ("action", "Action"), ("source", "Source"),
             ("reason", "Reason"), ("added", "Added"), ("expires", "Expires"), ("remove", "")],
            _cell,
            "No active entries. Add one, or import a CSV file from PNC or another source.",
            table_id="hotlist-table",
        ),
        width="100%",
        spacing="4",
    )
