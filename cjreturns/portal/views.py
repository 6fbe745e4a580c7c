"""The portal's pages. Each view reads the request, calls one register service and renders the
answer; who may see what is decided in `cjreturns.register.services`. Another partnership's
submission, an analysts' page asked for by a coordinator, a guessed id: all answer 404."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from cjreturns.core.errors import UsageError
from cjreturns.portal.uploads import UploadProblem, read_upload
from cjreturns.register.models import Collection, OutputRun, Submission, User
from cjreturns.register.services import decisions, intake, progress, records, years
from cjreturns.register.services.errors import NotFound, Refused, RegisterError

View = Callable[..., HttpResponse]

STATUS_LABELS = {
    "not_started": ("Not started", "grey"),
    "checked": ("Checked, not submitted", "yellow"),
    "submitted": ("Submitted", "blue"),
    "returned": ("Returned", "orange"),
    "accepted": ("Accepted", "green"),
}


def site_context(request: HttpRequest) -> dict[str, Any]:
    demo: dict[str, Any] = {}
    if settings.DEMO:
        from cjreturns.register.demo import ANALYST_EMAIL, DEMO_PASSWORD

        demo = {"analyst": ANALYST_EMAIL, "password": DEMO_PASSWORD}
    return {"demo_mode": settings.DEMO, "demo": demo}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def analyst_only(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _user(request).is_analyst:
            raise Http404("no such page")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def coordinator_only(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _user(request).is_analyst:
            raise Http404("no such page")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _year(year: str) -> str:
    try:
        return years.check_year(year)
    except UsageError:
        raise Http404("no such year") from None


def current_year() -> str:
    """The newest collection in the register, else the year being collected on the calendar."""
    from cjreturns.contract.reference import load_reference

    newest = Collection.objects.order_by("-year").values_list("year", flat=True).first()
    return newest or load_reference().calendar.return_year_on(timezone.localdate())


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    try:
        return records.submission_for(_user(request), submission_id)
    except NotFound:
        raise Http404("no such submission") from None


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    year = current_year()
    if _user(request).is_analyst:
        return redirect("portal:dashboard", year=year)
    return redirect("portal:return", year=year)


# --- coordinators ---------------------------------------------------------------------------


@require_safe
@coordinator_only
def return_page(request: HttpRequest, year: str) -> HttpResponse:
    """This year's return for the coordinator's partnership: what to do next, and its history."""
    year = _year(year)
    user = _user(request)
    assert user.partnership is not None
    versions = list(
        Submission.objects.filter(partnership=user.partnership, collection__year=year)
        .select_related("uploaded_by")
        .order_by("-version")
    )
    row = next(r for r in progress.status(year) if r.partnership_id == user.partnership_id)
    return render(
        request,
        "portal/return.html",
        {
            "year": year,
            "partnership": user.partnership,
            "row": row,
            "label": STATUS_LABELS[row.status],
            "versions": versions,
            "history": _history(user.partnership, year),
            "deadline": years.deadline_for(year),
            "previous": _previous_year(year),
            "has_previous": _previous_submission(user, year) is not None,
        },
    )


def _history(partnership: Any, year: str) -> list[dict[str, Any]]:
    import datetime as dt

    return [
        {**h, "when": timezone.localtime(dt.datetime.fromisoformat(h["at"]))}
        for h in records.history(partnership, year)
    ]


def _previous_year(year: str) -> str:
    from cjreturns.core.calendar import previous_year

    return previous_year(year) or year


def _previous_submission(user: User, year: str) -> Submission | None:
    """Last year's return: its accepted version, else its latest (even with errors: it is
    still the best start for this year's)."""
    qs = Submission.objects.filter(
        partnership=user.partnership, collection__year=_previous_year(year)
    ).order_by("-version")
    return qs.filter(status=Submission.Status.ACCEPTED).first() or qs.first()


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@coordinator_only
def blank_workbook(request: HttpRequest, year: str) -> HttpResponse:
    from cjreturns.workbook import generate_template

    year = _year(year)
    user = _user(request)
    assert user.partnership is not None
    data = generate_template(partnership=user.partnership.name, year=year)
    return _attachment(data, f"return-{year}.xlsx", XLSX)


@require_safe
@coordinator_only
def previous_workbook(request: HttpRequest, year: str) -> HttpResponse:
    """Last year's return as a workbook for this year, to edit rather than start again."""
    from cjreturns.workbook import workbook_bytes

    year = _year(year)
    previous = _previous_submission(_user(request), year)
    if previous is None:
        raise Http404("no return last year")
    checked = intake.validate_upload(bytes(previous.content), previous.file_name, year=None)
    if checked.document is None:
        raise Http404("last year's return cannot be read")
    document = {**checked.document, "reporting_year": year}
    return _attachment(
        workbook_bytes(document, year=year), f"return-{year}-from-last-year.xlsx", XLSX
    )


@require_http_methods(["POST"])
@login_required
def upload(request: HttpRequest, year: str) -> HttpResponse:
    """Check (nothing kept) or submit (kept as a new version) an uploaded return."""
    year = _year(year)
    user = _user(request)
    action = request.POST.get("action")
    back = "portal:dashboard" if user.is_analyst else "portal:return"
    try:
        data, name = read_upload(request)
        if action == "submit":
            submission = intake.submit(
                data,
                name,
                year=year,
                user=user,
                partnership=request.POST.get("partnership") if user.is_analyst else None,
                sign_off_name=request.POST.get("sign_off_name", ""),
            )
            messages.success(request, f"Version {submission.version} submitted.")
            return redirect("portal:submission", submission_id=submission.pk)
        if action not in {"check", "copy"}:
            raise UploadProblem("Choose whether to check the file or submit it.")
        checked = intake.check(data, name, year=year, user=user)
        if action == "copy":
            copy, copy_name = intake.checked_copy(data, name, year=year)
            if copy is not None:
                return _attachment(copy, copy_name, XLSX)
            messages.error(request, f"No checked copy: {copy_name}")
    except UploadProblem as exc:
        return render(
            request,
            "portal/upload-problem.html",
            {"year": year, "problem": str(exc), "back": reverse(back, kwargs={"year": year})},
            status=422,
        )
    except Refused as exc:
        return render(
            request,
            "portal/checked.html",
            {
                "year": year,
                "file_name": name,
                "refused": str(exc),
                "findings": _findings(exc.findings),
                "errors_total": len(exc.findings),
                "warnings_total": 0,
                "back": reverse(back, kwargs={"year": year}),
            },
            status=422,
        )
    return render(
        request,
        "portal/checked.html",
        {
            "year": year,
            "file_name": checked.file_name,
            "valid": checked.valid,
            "findings": _findings(checked.findings),
            "errors_total": checked.result["errors"],
            "warnings_total": checked.result["warnings"],
            "back": reverse(back, kwargs={"year": year}),
        },
    )


def _findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings with a page anchor each and where to look, in the file's order."""
    out = []
    for i, f in enumerate(findings, start=1):
        where = f.get("cell") or (
            f"line {f['line']}, column {f['column'] or 1}" if f.get("line") else None
        )
        out.append({**f, "anchor": f"finding-{i}", "where": where or "the whole file"})
    return out


@require_safe
@login_required
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    user = _user(request)
    findings = _findings(submission.findings["findings"])
    queries = records.queries(submission)
    for q in queries:
        q["anchor"] = next(
            (f["anchor"] for f in findings if (f["rule"], f["path"]) == (q["rule"], q["path"])),
            "",
        )
    latest = (
        Submission.objects.filter(
            partnership=submission.partnership, collection=submission.collection
        )
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    return render(
        request,
        "portal/submission.html",
        {
            "s": submission,
            "year": submission.collection.year,
            "findings": findings,
            "errors": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] == "warning"],
            "queries": queries,
            "decisions": submission.decisions.select_related("by"),
            "label": STATUS_LABELS[submission.status],
            "is_latest": latest == submission.pk,
            "can_answer": not user.is_analyst,
            "can_decide": user.is_analyst and latest == submission.pk,
        },
    )


@require_safe
@login_required
def checked_copy(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The submitted workbook with its findings put into it, to correct in Excel."""
    submission = _submission(request, submission_id)
    copy, name = intake.checked_copy(
        bytes(submission.content), submission.file_name, year=submission.collection.year
    )
    if copy is None:
        raise Http404(name)
    return _attachment(copy, name, XLSX)


@require_safe
@login_required
def original(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The bytes as uploaded, only ever as a download: never with a type a browser would run."""
    submission = _submission(request, submission_id)
    return _attachment(bytes(submission.content), submission.file_name, "application/octet-stream")


@require_http_methods(["POST"])
@coordinator_only
def answer(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    try:
        decisions.answer_query(
            _user(request),
            submission.pk,
            rule=request.POST.get("rule", ""),
            path=request.POST.get("path", ""),
            explanation=request.POST.get("explanation", ""),
        )
        messages.success(request, "Your explanation has been recorded.")
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect(reverse("portal:submission", args=[submission.pk]) + "#queries")


# --- analysts -------------------------------------------------------------------------------


@require_safe
@analyst_only
def dashboard(request: HttpRequest, year: str) -> HttpResponse:
    year = _year(year)
    rows = progress.status(year)
    return render(
        request,
        "portal/dashboard.html",
        {
            "year": year,
            "rows": [(r, STATUS_LABELS[r.status]) for r in rows],
            "counts": progress.status_counts(rows),
            "deadline": years.deadline_for(year),
            "years": list(Collection.objects.values_list("year", flat=True)),
            "runs": OutputRun.objects.filter(year=year).select_related("by")[:10],
            "partnerships": [r.partnership for r in rows],
        },
    )


@require_safe
@analyst_only
def chase(request: HttpRequest, year: str) -> HttpResponse:
    year = _year(year)
    return render(
        request,
        "portal/chase.html",
        {"year": year, "chase": progress.chase_list(year), "deadline": years.deadline_for(year)},
    )


@require_http_methods(["POST"])
@analyst_only
def decide(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission(request, submission_id)
    try:
        decisions.decide(
            _user(request),
            submission.pk,
            decision=request.POST.get("decision", ""),
            message=request.POST.get("message", ""),
        )
        done = "accepted" if request.POST.get("decision") == "accept" else "returned"
        messages.success(request, f"Version {submission.version} {done}.")
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("portal:submission", submission_id=submission.pk)


@require_http_methods(["POST"])
@analyst_only
def run_outputs(request: HttpRequest, year: str) -> HttpResponse:
    from cjreturns.register.outputs import run_outputs as run

    year = _year(year)
    kind = request.POST.get("kind", "")
    try:
        made = run(kind, year, user=_user(request))
        messages.success(request, f"The {kind} is ready to download.")
        return redirect(reverse("portal:dashboard", args=[year]) + f"#run-{made.pk}")
    except RegisterError as exc:
        messages.error(request, str(exc))
    return redirect("portal:dashboard", year=year)


@require_safe
@analyst_only
def download_run(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        made = OutputRun.objects.get(pk=run_id)
    except OutputRun.DoesNotExist:
        raise Http404("no such output") from None
    return _attachment(bytes(made.content), made.file_name, "application/zip")
