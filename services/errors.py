"""Domain errors: raised by services, answered in the user's language by one error handler."""

from __future__ import annotations

from typing import Any

from services.i18n_marks import N_


class DomainError(Exception):
    """An expected failure with a message for the user (an English msgid plus parameters)."""

    message = N_("That did not work. Please try again.")

    def __init__(self, message: str | None = None, **params: Any) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message)


class PermissionDenied(DomainError):
    message = N_("You are not allowed to do that.")


class NotFound(DomainError):
    message = N_("That record does not exist or is not yours.")


class StaleButton(DomainError):
    message = N_("This button has expired. Please start again.")


class BadInput(DomainError):
    message = N_("I could not understand that. Please check and try again.")
