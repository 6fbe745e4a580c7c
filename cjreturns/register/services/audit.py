"""The audit log: one append-only row for every action on the register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cjreturns.register.models import AuditEvent, Partnership, Submission, User


def audit(
    action: str,
    *,
    actor: User | None,
    partnership: Partnership | None = None,
    year: str = "",
    submission: Submission | None = None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """One line of the log, at `at` (default now: only the demo's example returns, which came in
    before the register existed, are dated otherwise)."""
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        partnership=partnership,
        year=year,
        submission=submission,
        detail=detail or {},
    )
