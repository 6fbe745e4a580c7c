"""What can be done with the register: check, submit, answer a query, decide, see status, chase.

Every action the portal, the API and the CLI offer is one function here, so permissions,
versioning and the audit log are decided in one place. Views never touch models directly for
anything but display.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from cjreturns.core.errors import CJReturnsError, UsageError
from cjreturns.outputs.manifest import rules_version, tool_version
from cjreturns.register.models import (
    ApiToken,
    AuditEvent,
    Collection,
    Decision,
    Partnership,
    QueryAnswer,
    Submission,
    User,
)

STATUSES = ("not_started", "checked", "submitted", "returned", "accepted")
FRAMEWORK = "Community Justice Outcomes, Performance and Improvement Framework"


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


# --- users and tokens ---------------------------------------------------------------------


def add_user(email: str, *, role: str, password: str, partnership: str | None = None) -> User:
    """A new coordinator or analyst; the password must pass Django's validators."""
    if role not in {User.Role.COORDINATOR, User.Role.ANALYST}:
        raise UsageError(f"--role {role!r}: choose coordinator or analyst")
    place = None
    if role == User.Role.COORDINATOR:
        if not partnership:
            raise UsageError("a coordinator needs --partnership NAME")
        place = partnership_named(partnership)
    elif partnership:
        raise UsageError("an analyst works for CJS, not a partnership: leave out --partnership")
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise UsageError(f"{email} already has an account")
    candidate = User(email=email, role=role, partnership=place)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise UsageError("password refused: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        # Analysts run the service for CJS: they also manage accounts in Django's admin.
        staff = role == User.Role.ANALYST
        user = User.objects.create_user(
            email, password, role=role, partnership=place, is_staff=staff, is_superuser=staff
        )
        audit("user-added", actor=None, partnership=place, detail={"email": email, "role": role})
    return user


def user_named(email: str) -> User:
    try:
        return User.objects.get(email=email.strip().lower())
    except User.DoesNotExist:
        raise UsageError(f"no account for {email}") from None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(user: User) -> str:
    """A new API token for `user`. Only its digest is kept: it is shown once, here."""
    token = "cjr_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, digest=token_digest(token))
        audit("token-issued", actor=user)
    return token


def user_for_token(token: str) -> User | None:
    found = (
        ApiToken.objects.select_related("user", "user__partnership")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found.user if found else None


# --- partnerships and collections -----------------------------------------------------------


def sync_partnerships() -> int:
    """Make the register's partnerships those of the reference data (run after every migrate)."""
    from cjreturns.contract.reference import load_reference

    added = 0
    for p in load_reference().partnerships:
        _, created = Partnership.objects.update_or_create(ref_id=p.id, defaults={"name": p.name})
        added += created
    return added


def partnership_named(name: str) -> Partnership:
    """A partnership by its reference name or any alias people use for it."""
    from cjreturns.contract.reference import load_reference

    found, _ = load_reference().resolve_partnership(name)
    if found is None:
        raise UsageError(f"{name!r} is not one of the partnerships in the reference data")
    return Partnership.objects.get(ref_id=found.id)


def check_year(year: str) -> str:
    from cjreturns.core.calendar import parse_year

    if parse_year(year) is None:
        raise UsageError(f"{year!r} is not a reporting year like 2021-22")
    return year


def deadline_for(year: str) -> dt.date:
    """Returns are due on the reporting calendar's date after the reporting year ends."""
    from cjreturns.core.calendar import load_calendar

    return load_calendar().due(check_year(year))


def collection_for(year: str) -> Collection:
    collection, _ = Collection.objects.get_or_create(
        year=check_year(year), defaults={"framework": FRAMEWORK, "deadline": deadline_for(year)}
    )
    return collection


# --- audit ----------------------------------------------------------------------------------


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


# --- checking and submitting ----------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_file_name(name: str) -> str:
    """The uploaded file's own name, without folders or characters a file system refuses."""
    base = Path(str(name).replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip(" .") or "return"
    return base[:120]


@dataclass(frozen=True)
class Checked:
    """One uploaded file after validation: its entry as `validate --format json` gives it."""

    file_name: str
    sha256: str
    size: int
    result: dict[str, Any]
    partnership: str | None
    document: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return bool(self.result["valid"])

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.result["findings"])


def validate_upload(data: bytes, file_name: str, *, year: str | None) -> Checked:
    """Validate uploaded bytes exactly as `cjreturns validate` validates the same file: the same
    readers with the same limits (a zip bomb, a macro workbook or a disguised file is a finding,
    never opened by anything else), and a workbook's findings in the workbook's own words.
    Nothing is kept."""
    from cjreturns.readers import Limits
    from cjreturns.validation.engine import validate_bytes

    name = safe_file_name(file_name)
    result = validate_bytes(name, data, year=year, limits=Limits.from_env())
    entry = result.to_dict()
    entry["path"] = name
    return Checked(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        result=entry,
        partnership=result.partnership,
        document=result.document,
    )


def checked_copy(data: bytes, file_name: str, *, year: str | None) -> tuple[bytes | None, str]:
    """A workbook with its findings put into it (a Findings sheet, a comment on each cell), and
    its name; or None and why no copy can be made (not a workbook, or it would lose parts)."""
    from cjreturns.outputs.annotate import annotate
    from cjreturns.readers import Limits
    from cjreturns.validation.engine import validate_bytes

    name = safe_file_name(file_name)
    if not name.lower().endswith(".xlsx"):
        return None, "Only a return workbook (.xlsx) can be given a checked copy."
    made = annotate(name, data, validate_bytes(name, data, year=year, limits=Limits.from_env()))
    if made.data is None:
        return None, made.refusal.message if made.refusal else "No copy could be made."
    return made.data, name[: -len(".xlsx")] + "-checked.xlsx"


def check(data: bytes, file_name: str, *, year: str, user: User) -> Checked:
    """Validate an upload and keep nothing of it but an audit line (so status can say `checked`)."""
    checked = validate_upload(data, file_name, year=check_year(year))
    place = user.partnership if not user.is_analyst else None
    audit(
        "checked",
        actor=user,
        partnership=place,
        year=year,
        detail={
            "file_name": checked.file_name,
            "sha256": checked.sha256,
            "errors": checked.result["errors"],
            "warnings": checked.result["warnings"],
        },
    )
    return checked


def _target_partnership(user: User, partnership: str | None) -> Partnership:
    if user.is_analyst:
        if not partnership:
            raise Refused("say which partnership this return is for (field `partnership`)")
        return partnership_named(partnership)
    assert user.partnership is not None
    return user.partnership


def _wrong_partnership(checked: Checked, target: Partnership) -> dict[str, Any] | None:
    """A finding when the return names another partnership than the one it is submitted for."""
    from cjreturns.contract.reference import load_reference

    named = (checked.document or {}).get("partnership")
    if not isinstance(named, str):
        return None
    found, _ = load_reference().resolve_partnership(named)
    if found is None or found.id == target.ref_id:
        return None
    return {
        "rule": "wrong-partnership",
        "severity": "error",
        "path": "partnership",
        "line": None,
        "column": None,
        "message": (
            f"This return is for {found.name}, but it is being submitted for {target.name}. "
            f"Upload {target.name}'s own return."
        ),
    }


def submit(
    data: bytes,
    file_name: str,
    *,
    year: str,
    user: User,
    partnership: str | None = None,
    channel: str = "portal",
    sign_off_name: str = "",
) -> Submission:
    """Validate an upload and keep it as the partnership's next version for the year.

    A file with errors is still kept (the history shows it), but it cannot be accepted. A return
    naming another partnership is refused outright, with a finding saying so.
    """
    check_year(year)
    target = _target_partnership(user, partnership)
    checked = validate_upload(data, file_name, year=year)
    not_a_return = [f for f in checked.findings if f["rule"] == "file-type"]
    if not_a_return:  # a macro workbook, a PDF ...: never kept
        raise Refused(not_a_return[0]["message"], not_a_return)
    wrong = _wrong_partnership(checked, target)
    if wrong is not None:
        audit(
            "submission-refused",
            actor=user,
            partnership=target,
            year=year,
            detail={"file_name": checked.file_name, "sha256": checked.sha256, "why": wrong["rule"]},
        )
        raise Refused(wrong["message"], [wrong])
    # The chair's sign-off: recorded on the upload form, else as the return itself gives it.
    sign_off = (checked.document or {}).get("sign_off")
    signed_by = sign_off_name.strip() or (
        str(sign_off.get("name") or "") if isinstance(sign_off, dict) else ""
    )
    with transaction.atomic():
        collection = collection_for(year)
        # On PostgreSQL the partnership row is locked so two uploads cannot take one number;
        # SQLite's IMMEDIATE transactions already run one writer at a time.
        Partnership.objects.select_for_update().filter(pk=target.pk).first()
        latest = Submission.objects.filter(partnership=target, collection=collection).aggregate(
            n=Max("version")
        )["n"]
        submission = Submission.objects.create(
            partnership=target,
            collection=collection,
            version=(latest or 0) + 1,
            uploaded_by=user,
            uploaded_at=timezone.now(),
            channel=channel,
            file_name=checked.file_name,
            content=data,
            size=checked.size,
            sha256=checked.sha256,
            format=checked.result.get("format") or "",
            tool_version=tool_version(),
            rules_version=rules_version(),
            findings=checked.result,
            valid=checked.valid,
            errors=checked.result["errors"],
            warnings=checked.result["warnings"],
            sign_off_name=signed_by[:200],
            sign_off_on=timezone.localdate() if signed_by else None,
        )
        audit(
            "submitted",
            actor=user,
            partnership=target,
            year=year,
            submission=submission,
            detail={
                "version": submission.version,
                "file_name": submission.file_name,
                "sha256": submission.sha256,
                "channel": channel,
                "errors": submission.errors,
                "warnings": submission.warnings,
            },
        )
    return submission


# --- seeing submissions ---------------------------------------------------------------------


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


# --- answering and deciding -----------------------------------------------------------------


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


# --- status and chasing ---------------------------------------------------------------------


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
