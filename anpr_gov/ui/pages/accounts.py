"""Administrators manage accounts and roles."""

from __future__ import annotations

import reflex as rx

from anpr_gov.policy import ROLE_LABELS, Permission, Role
from anpr_gov.services import users
from anpr_gov.services.errors import ServiceError
from anpr_gov.ui.components.forms import call_for_form, dialog_buttons, form_error, labelled
from anpr_gov.ui.components.layout import signed_in_page, status_badge
from anpr_gov.ui.components.table import TableState, data_table

ROLE_OPTIONS = [r.value for r in Role]


class AccountsState(TableState):
    forces: list[str] = []
    form_errors: dict[str, str] = {}
    new_roles: list[str] = []
    create_open: bool = False
    message: str = ""
    # role editing
    editing: str = ""
    edit_roles: list[str] = []
    edit_error: str = ""
    # password reset
    resetting: str = ""
    reset_error: str = ""

    def _load(self, actor) -> None:
        self.rows = [
            {
                "username": a.username,
                "full_name": a.full_name,
                "force": a.force,
                "roles": ", ".join(a.roles),
                "status": "disabled" if not a.is_active else ("locked" if a.locked else "active"),
                "last_sign_in": a.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if a.last_sign_in_at else "never",
            }
            for a in users.list_users(actor)
        ]
        self.forces = [code for code, _ in users.list_forces()]

    @rx.event
    def load(self):
        actor = self.actor()
        if actor is None or not actor.can(Permission.MANAGE_ACCOUNTS):
            return
        self._load(actor)

    @rx.event
    def open_create(self, value: bool):
        self.create_open = value
        self.form_errors = {}
        self.new_roles = []

    @rx.event
    def toggle_new_role(self, role: str, checked: bool):
        self.new_roles = sorted(set(self.new_roles) | {role}) if checked else [r for r in self.new_roles if r != role]

    @rx.event
    def create(self, form: dict):
        actor = self.actor()
        ok, account, self.form_errors = call_for_form(lambda: users.create_user(
            actor, form.get("username", ""), form.get("full_name", ""), form.get("password", ""), self.new_roles,
            form.get("force") or None))
        if not ok:
            return
        self.create_open = False
        self._load(actor)
        return rx.toast.success(f"Account {account.username} created.")

    @rx.event
    def start_edit(self, username: str):
        row = next((r for r in self.rows if r["username"] == username), None)
        self.editing = username
        self.edit_roles = row["roles"].split(", ") if row and row["roles"] else []
        self.edit_error = ""

    @rx.event
    def close_edit(self, value: bool = False):
        if not value:
            self.editing = ""

    @rx.event
    def toggle_edit_role(self, role: str, checked: bool):
        self.edit_roles = sorted(set(self.edit_roles) | {role}) if checked else [r for r in self.edit_roles if r != role]

    @rx.event
    def save_roles(self):
        actor = self.actor()
        try:
            users.set_roles(actor, self.editing, self.edit_roles)
        except ServiceError as exc:
            self.edit_error = str(exc)
            return
        name, self.editing = self.editing, ""
        self._load(actor)
        return rx.toast.success(f"Roles of {name} saved; their sessions were ended.")

    @rx.event
    def start_reset(self, username: str):
        self.resetting, self.reset_error = username, ""

    @rx.event
    def close_reset(self, value: bool = False):
        if not value:
            self.resetting = ""

    @rx.event
    def reset_password(self, form: dict):
        try:
            users.reset_password(self.actor(), self.resetting, form.get("password", ""))
        except ServiceError as exc:
            self.reset_error = str(exc)
            return
        name, self.resetting = self.resetting, ""
        return rx.toast.success(f"Password of {name} reset; their sessions were ended.")

    def _act(self, action, username: str, done: str):
        actor = self.actor()
        try:
            action(actor, username)
        except ServiceError as exc:
            return rx.toast.error(str(exc))
        self._load(actor)
        return rx.toast.success(done)

    @rx.event
    def unlock(self, username: str):
        return self._act(users.unlock, username, f"{username} unlocked.")

    @rx.event
    def disable(self, username: str):
        return self._act(lambda a, u: users.set_active(a, u, False), username, f"{username} disabled.")

    @rx.event
    def enable(self, username: str):
        return self._act(lambda a, u: users.set_active(a, u, True), username, f"{username} enabled.")


def _labelled(label: str, control: rx.Component, key: str) -> rx.Component:
    return labelled(label, control, AccountsState.form_errors, key)


def _role_checkboxes(selected: rx.Var, on_toggle) -> rx.Component:
    return rx.grid(
        *[
            rx.checkbox(ROLE_LABELS[Role(r)], checked=selected.contains(r), on_change=lambda c, r=r: on_toggle(r, c))
            for r in ROLE_OPTIONS
        ],
        columns="2",
        spacing="2",
    )


def create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), "New account", id="new-account")),
        rx.dialog.content(
            rx.dialog.title("New account"),
            rx.form(
                rx.vstack(
                    form_error(AccountsState.form_errors),
                    _labelled("Username", rx.input(name="username", placeholder="e.g. j.smith", width="100%"), "username"),
                    _labelled("Full name", rx.input(name="full_name", width="100%"), "full_name"),
                    _labelled("Force", rx.select(AccountsState.forces, name="force", placeholder="Choose a force"), "force"),
                    _labelled("Initial password (12+ characters)", rx.input(name="password", type="password",
                                                                            width="100%"), "password"),
                    _labelled("Roles", _role_checkboxes(AccountsState.new_roles, AccountsState.toggle_new_role), "roles"),
                    dialog_buttons("Create account"),
                    spacing="3",
                ),
                on_submit=AccountsState.create,
            ),
        ),
        open=AccountsState.create_open,
        on_open_change=AccountsState.open_create,
    )


def roles_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Roles of ", AccountsState.editing),
            rx.dialog.description("Changing roles signs the person out everywhere.", size="2"),
            rx.vstack(
                _role_checkboxes(AccountsState.edit_roles, AccountsState.toggle_edit_role),
                rx.cond(AccountsState.edit_error != "", rx.text(AccountsState.edit_error, color_scheme="red", size="2")),
                rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", on_click=AccountsState.close_edit(False)),
                          rx.button("Save roles", on_click=AccountsState.save_roles), justify="end", width="100%"),
                spacing="3",
                padding_top="1em",
            ),
        ),
        open=AccountsState.editing != "",
        on_open_change=AccountsState.close_edit,
    )


def reset_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reset the password of ", AccountsState.resetting),
            rx.dialog.description("Give the new password to the person in person; it signs them out everywhere.",
                                  size="2"),
            rx.form(
                rx.vstack(
                    rx.input(name="password", type="password", placeholder="New password (12+ characters)",
                             width="100%"),
                    rx.cond(AccountsState.reset_error != "",
                            rx.text(AccountsState.reset_error, color_scheme="red", size="1")),
                    rx.hstack(rx.button("Cancel", variant="soft", color_scheme="gray", type="button",
                                        on_click=AccountsState.close_reset(False)),
                              rx.button("Reset password", type="submit"), justify="end", width="100%"),
                    spacing="3",
                    padding_top="1em",
                ),
                on_submit=AccountsState.reset_password,
                reset_on_submit=True,
            ),
        ),
        open=AccountsState.resetting != "",
        on_open_change=AccountsState.close_reset,
    )


def _cell(row: rx.Var, key: str) -> rx.Component:
    if key == "status":
        return status_badge(row["status"])
    if key == "actions":
        username = row["username"]
        return rx.hstack(
            rx.button("Roles", size="1", variant="soft", on_click=AccountsState.start_edit(username)),
            rx.button("Password", size="1", variant="soft", on_click=AccountsState.start_reset(username)),
            rx.cond(row["status"] == "locked",
                    rx.button("Unlock", size="1", variant="soft", color_scheme="orange",
                              on_click=AccountsState.unlock(username))),
            rx.cond(row["status"] == "disabled",
                    rx.button("Enable", size="1", variant="soft", color_scheme="green", on_click=AccountsState.enable(username)),
                    rx.button("Disable", size="1", variant="soft", color_scheme="gray", on_click=AccountsState.disable(username))),
            spacing="2",
        )
    return rx.text(row[key], size="2")


@signed_in_page("/accounts", "Accounts", Permission.MANAGE_ACCOUNTS.value, on_load=[AccountsState.load])
def accounts() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text("People who may sign in, their force and their roles.", color_scheme="gray"), rx.spacer(),
                  create_dialog(), width="100%", align="center"),
        data_table(
            AccountsState,
            [("username", "Username"), ("full_name", "Name"), ("force", "Force"), ("roles", "Roles"),
             ("status", "Status"), ("last_sign_in", "Last sign-in (UTC)"), ("actions", "")],
            _cell,
            "No accounts match. Clear the filter, or create one with “New account”.",
            table_id="accounts-table",
        ),
        roles_dialog(),
        reset_dialog(),
        width="100%",
        spacing="4",
    )
