"""The audit log: one append-only row for every action on the register."""

from __future__ import annotations

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
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        partnership=partnership,
        year=year,
        submission=submission,
        detail=detail or {},
    )
