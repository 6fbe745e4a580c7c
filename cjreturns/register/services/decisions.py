"""Answering and deciding: a coordinator explains a warning; an analyst accepts a submission for
the national counts or returns it with a message."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cjreturns.register.models import Decision, QueryAnswer, Submission, User
from cjreturns.register.services.audit import audit
from cjreturns.register.services.errors import NotAllowed, NotFound, Refused
from cjreturns.register.services.records import queries, submission_for


def answer_query(
    user: User, submission_id: int | str, *, rule: str, path: str, explanation: str
) -> QueryAnswer:
    """A coordinator's explanation for one warning on their partnership's submission."""
    submission = submission_for(user, submission_id)
    if user.is_analyst:
        raise NotAllowed("only the partnership's coordinators answer its queries")
    explanation = (explanation or "").strip()
    if not explanation:
        raise Refused("write an explanation: what makes this figure or entry right")
    if len(explanation) > 5000:
        raise Refused("keep the explanation under 5,000 characters")
    if not any(q["rule"] == rule and q["path"] == path for q in queries(submission)):
        raise Refused(f"this submission has no query {rule} at {path or '(file)'} to answer")
    with transaction.atomic():
        answer = QueryAnswer.objects.create(
            submission=submission,
            rule=rule,
            path=path,
            explanation=explanation,
            by=user,
            at=timezone.now(),
        )
        audit(
            "query-answered",
            actor=user,
            partnership=submission.partnership,
            year=submission.collection.year,
            submission=submission,
            detail={"rule": rule, "path": path},
        )
    return answer


def decide(user: User, submission_id: int | str, *, decision: str, message: str = "") -> Decision:
    """An analyst accepts a submission for the national counts or returns it with a message."""
    submission = submission_for(user, submission_id)
    if not user.is_analyst:
        raise NotFound("no such submission")  # a coordinator learns nothing by trying
    if decision not in {Decision.Kind.ACCEPT, Decision.Kind.RETURN}:
        raise Refused("decision must be accept or return")
    message = (message or "").strip()
    latest = (
        Submission.objects.filter(
            partnership=submission.partnership, collection=submission.collection
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    if submission.version != latest:
        raise Refused(
            f"version {submission.version} has been replaced by version {latest}; decide on that"
        )
    if decision == Decision.Kind.ACCEPT and not submission.valid:
        raise Refused("a return with errors cannot be accepted: return it with a message")
    if decision == Decision.Kind.RETURN and not message:
        raise Refused("say why it is returned: the coordinator sees this message")
    with transaction.atomic():
        made = Decision.objects.create(
            submission=submission, decision=decision, message=message, by=user, at=timezone.now()
        )
        submission.status = (
            Submission.Status.ACCEPTED
            if decision == Decision.Kind.ACCEPT
            else Submission.Status.RETURNED
        )
        submission.save(update_fields=["status"])
        audit(
            "accepted" if decision == Decision.Kind.ACCEPT else "returned",
            actor=user,
            partnership=submission.partnership,
            year=submission.collection.year,
            submission=submission,
            detail={"decision_id": made.pk, "version": submission.version},
        )
    return made
