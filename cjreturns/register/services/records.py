"""A submission as the people who may see it see it: who may see which, its queries (the
warnings) with their answers, what happened to the return, and the API's view of it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cjreturns.register.models import (
    AuditEvent,
    Decision,
    Partnership,
    QueryAnswer,
    Submission,
    User,
)
from cjreturns.register.services.errors import NotFound


def visible_submissions(user: User) -> QuerySet[Submission]:
    """Every submission `user` may see: an analyst all, a coordinator their partnership's."""
    qs = Submission.objects.select_related("partnership", "collection", "uploaded_by")
    if user.is_analyst:
        return qs
    return qs.filter(partnership_id=user.partnership_id)


def submission_for(user: User, submission_id: int | str) -> Submission:
    """The submission, if `user` may see it; otherwise NotFound, exactly as for a missing id."""
    try:
        return visible_submissions(user).get(pk=int(submission_id))
    except (Submission.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("no such submission") from None


def queries(submission: Submission) -> list[dict[str, Any]]:
    """The submission's warnings (queries), each with its answers, in the order of the findings."""
    answers: dict[tuple[str, str], list[QueryAnswer]] = {}
    for a in submission.answers.select_related("by"):
        answers.setdefault((a.rule, a.path), []).append(a)
    out = []
    for f in submission.findings["findings"]:
        if f["severity"] != "warning":
            continue
        given = answers.get((f["rule"], f["path"]), [])
        out.append(
            {
                "rule": f["rule"],
                "path": f["path"],
                "message": f["message"],
                "location": f.get("cell")
                or (f"{f['line']}:{f['column'] or 1}" if f["line"] else f["path"]),
                "answered": bool(given),
                "answers": [
                    {"explanation": a.explanation, "by": a.by.email, "at": a.at.isoformat()}
                    for a in given
                ],
            }
        )
    return out


def unanswered(submission: Submission) -> int:
    return sum(1 for q in queries(submission) if not q["answered"])


def history(partnership: Partnership, year: str) -> list[dict[str, Any]]:
    """What happened to a partnership's return for a year, oldest first, with CJS's messages."""
    events = AuditEvent.objects.filter(partnership=partnership, year=year).select_related(
        "submission"
    )
    decisions = {
        d.pk: d
        for d in Decision.objects.filter(
            submission__partnership=partnership, submission__collection__year=year
        )
    }
    out = []
    for e in events:
        item: dict[str, Any] = {
            "at": e.at.isoformat(),
            "action": e.action,
            "by": e.actor_email,
            "version": e.submission.version if e.submission else None,
        }
        decision = decisions.get(e.detail.get("decision_id", -1))
        if decision is not None:
            item["message"] = decision.message
        out.append(item)
    return out


def submission_dict(submission: Submission, *, full: bool = False) -> dict[str, Any]:
    """The API's view of a submission (and, with `full`, its queries and history)."""
    out: dict[str, Any] = {
        "id": submission.pk,
        "partnership": submission.partnership.name,
        "year": submission.collection.year,
        "version": submission.version,
        "status": submission.status,
        "valid": submission.valid,
        "findings": submission.findings["findings"],
        "sha256": submission.sha256,
        "file_name": submission.file_name,
        "uploaded_at": submission.uploaded_at.isoformat(),
        "uploaded_by": submission.uploaded_by.email if submission.uploaded_by else None,
    }
    if full:
        out["queries"] = queries(submission)
        out["history"] = history(submission.partnership, submission.collection.year)
    return out
