"""Form pieces shared by every page: a label, its control and the service's message beside the field.

``errors`` is a state var holding ValidationFailed.fields (field name -> message; "" for the whole form).
"""

from __future__ import annotations

import reflex as rx


def field_error(errors: rx.Var, key: str) -> rx.Component:
    return rx.cond(errors.contains(key), rx.text(errors[key], color_scheme="red", size="1", id=f"error-{key}"))


def labelled(label: str, control: rx.Component, errors: rx.Var, key: str, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="bold"),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        control,
        field_error(errors, key),
        spacing="1",
        width="100%",
    )


def form_error(errors: rx.Var) -> rx.Component:
    return rx.cond(errors.contains(""), rx.callout(errors[""], color_scheme="red", icon="triangle-alert",
                                                   id="form-error", width="100%"))


def dialog_buttons(submit_label: str) -> rx.Component:
    return rx.hstack(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                     rx.button(submit_label, type="submit"), justify="end", width="100%")


def call_for_form(call):
    """Run a service call for a form: (True, result, {}) on success; (False, None, errors) where errors maps each
    field to its message (ValidationFailed) or "" to the refusal's message (any other ServiceError)."""
    from anpr_gov.services.errors import ServiceError, ValidationFailed

    try:
        return True, call(), {}
    except ValidationFailed as exc:
        return False, None, exc.fields
    except ServiceError as exc:
        return False, None, {"": str(exc)}
