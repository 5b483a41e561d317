"""The project's own errors. The CLI prints their message and exits non-zero."""

from __future__ import annotations


class TranslateError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class UsageError(TranslateError):
    """A wrong option or value given by the user."""

    exit_code = 2


class UnsupportedLanguageError(UsageError):
    """A language code that a stage does not support."""

    def __init__(self, code: str, supported: list[str] | tuple[str, ...], what: str = "language"):
        self.code = code
        self.supported = tuple(supported)
        super().__init__(
            f"{code!r} is not a supported {what} (supported: {', '.join(self.supported)})"
        )


class InputError(TranslateError):
    """An input file that is missing, unreadable, empty or not text."""


class ModelError(TranslateError):
    """A model that cannot be found, downloaded or loaded."""


class ModelNotAvailableError(ModelError):
    """A hub model that is not in the local cache and cannot be downloaded."""


class UnsafeModelError(ModelError):
    """A model that would need pickle weights or remote code the user did not allow."""


class OutputError(TranslateError):
    """An output that cannot be written (exists, bad format for a destination...)."""
