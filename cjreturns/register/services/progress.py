"""Where every partnership's return has got to for a year: its status, lateness and open
queries (the analyst's dashboard and `register status`), the chase list, and the accepted
versions the national outputs are made from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cjreturns.register.models import AuditEvent, Partnership, QueryAnswer, Submission, User
from cjreturns.register.services.years import check_year, deadline_for

STATUSES = ("not_started", "checked", "submitted", "returned", "accepted")


@dataclass(frozen=True)
class PartnershipStatus:
    partnership: str
    partnership_id: int
    status: str
    version: int | None
    submission_id: int | None
    submitted_at: dt.datetime | None
    late: bool
    errors: int
    warnings: int
    unanswered_queries: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "partnership": self.partnership,
            "status": self.status,
            "version": self.version,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "late": self.late,
            "errors": self.errors,
            "warnings": self.warnings,
            "unanswered_queries": self.unanswered_queries,
        }


def status(year: str, *, today: dt.date | None = None) -> list[PartnershipStatus]:
    """Every partnership's state for `year`, in name order.

    The latest version decides the status (`submitted`, `returned`, `accepted`); with no version,
    a check done makes it `checked`. Late: the first version came after the deadline, or none
    has come and the deadline has passed.
    """
    check_year(year)
    today = today or timezone.localdate()
    deadline = deadline_for(year)
    submissions: dict[int, list[Submission]] = {}
    for s in (
        Submission.objects.filter(collection__year=year)
        .only(
            "id",
            "partnership_id",
            "version",
            "uploaded_at",
            "status",
            "errors",
            "warnings",
            "findings",
        )
        .order_by("partnership_id", "version")
    ):
        submissions.setdefault(s.partnership_id, []).append(s)
    answered: dict[int, set[tuple[str, str]]] = {}
    for sid, rule, path in QueryAnswer.objects.filter(
        submission__collection__year=year
    ).values_list("submission_id", "rule", "path"):
        answered.setdefault(sid, set()).add((rule, path))
    checked = set(
        AuditEvent.objects.filter(year=year, action="checked", partnership__isnull=False)
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    rows = []
    for p in Partnership.objects.order_by("name"):
        versions = submissions.get(p.pk, [])
        if versions:
            latest = versions[-1]
            first_at = timezone.localtime(versions[0].uploaded_at).date()
            open_queries = {
                (f["rule"], f["path"])
                for f in latest.findings["findings"]
                if f["severity"] == "warning"
            } - answered.get(latest.pk, set())
            rows.append(
                PartnershipStatus(
                    p.name,
                    p.pk,
                    latest.status,
                    latest.version,
                    latest.pk,
                    latest.uploaded_at,
                    first_at > deadline,
                    latest.errors,
                    latest.warnings,
                    len(open_queries),
                )
            )
        else:
            rows.append(
                PartnershipStatus(
                    p.name,
                    p.pk,
                    "checked" if p.pk in checked else "not_started",
                    None,
                    None,
                    None,
                    today > deadline,
                    0,
                    0,
                    0,
                )
            )
    return rows


def status_counts(rows: Iterable[PartnershipStatus]) -> dict[str, int]:
    rows = list(rows)
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    counts["late"] = sum(1 for r in rows if r.late)
    return counts


@dataclass(frozen=True)
class Chase:
    partnership: str
    status: str
    days_to_deadline: int  # negative: days past it
    contacts: tuple[str, ...]  # for analysts only: never in national outputs


def chase_list(year: str, *, today: dt.date | None = None) -> list[Chase]:
    """Partnerships whose return is not in (nothing submitted, or returned to them), most
    overdue first, with their coordinators' addresses."""
    today = today or timezone.localdate()
    days = (deadline_for(year) - today).days
    contacts: dict[int, list[str]] = {}
    for pid, email in User.objects.filter(role=User.Role.COORDINATOR, is_active=True).values_list(
        "partnership_id", "email"
    ):
        contacts.setdefault(pid, []).append(email)
    return [
        Chase(r.partnership, r.status, days, tuple(sorted(contacts.get(r.partnership_id, []))))
        for r in status(year, today=today)
        if r.status in {"not_started", "checked", "returned"}
    ]


def accepted_submissions(year: str) -> list[Submission]:
    """Each partnership's accepted version for `year` (its latest, since only the latest can be
    decided and a new upload replaces a decision), in partnership name order."""
    check_year(year)
    latest: dict[int, Submission] = {}
    for s in (
        Submission.objects.filter(collection__year=year)
        .select_related("partnership", "collection")
        .order_by("partnership__name", "version")
    ):
        latest[s.partnership_id] = s
    return [s for s in latest.values() if s.status == Submission.Status.ACCEPTED]
