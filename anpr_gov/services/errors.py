"""Errors a service raises for a user's mistake or a refusal. Each carries a message fit to show."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is safe and useful to show to the user."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class ValidationFailed(ServiceError):
    """Bad input. ``fields`` maps a field name to the message to show beside that field."""

    def __init__(self, fields: dict[str, str] | str):
        if isinstance(fields, str):
            fields = {"": fields}
        self.fields = fields
        super().__init__("; ".join(fields.values()))


class InvalidTransition(ServiceError):
    pass


class SignInFailed(ServiceError):
    pass
