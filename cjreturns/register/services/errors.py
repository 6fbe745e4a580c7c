"""The register's refusals: each says why in plain words, and the portal and the API map each
kind to one answer (404, 422 ...)."""

from __future__ import annotations

from typing import Any

from cjreturns.core.errors import CJReturnsError


class RegisterError(CJReturnsError):
    """A request the register refuses; the message says why, in plain words."""


class NotFound(RegisterError):
    """No such thing, or not one the caller may see (the two are never told apart)."""


class NotAllowed(RegisterError):
    """The caller's role may not do this at all (a coordinator deciding, say)."""


class Refused(RegisterError):
    """The request is understood but cannot be done; `findings` says what to change."""

    def __init__(self, message: str, findings: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []
