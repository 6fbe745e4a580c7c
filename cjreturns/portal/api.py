"""The JSON API (`/api/v1/`), exactly as ../shared/spec/portal-interface.md fixes it.

Bearer tokens only (no cookies, so no CSRF); a missing or bad token answers 401, anything the
caller may not see (another partnership's, or analysts' only) 404, never 403 with details.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from cjreturns.core.errors import UsageError
from cjreturns.portal.uploads import UploadProblem, read_upload
from cjreturns.register.models import User
from cjreturns.register.services import accounts, decisions, intake, progress, records, years
from cjreturns.register.services.errors import NotAllowed, NotFound, Refused, RegisterError

View = Callable[..., HttpResponse]


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def api(*methods: str) -> Callable[[View], View]:
    """Token authentication, allowed methods and the register's refusals as JSON answers."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                response = _error(401, "a valid API token is needed: Authorization: Bearer TOKEN")
                response["WWW-Authenticate"] = 'Bearer realm="cjreturns"'
                return response
            if request.method not in methods:
                response = _error(405, f"use {' or '.join(methods)}")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, user, *args, **kwargs)
            except (NotFound, NotAllowed):
                return _error(404, "not found")
            except Refused as exc:
                return _error(422, str(exc), findings=exc.findings)
            except UploadProblem as exc:
                return _error(422, str(exc))
            except UsageError as exc:  # a year that is not a year
                return _error(404, str(exc))

        return wrapper

    return wrap


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refused("the body is not JSON") from None
    if not isinstance(body, dict):
        raise Refused("the body must be a JSON object")
    return body


def _analyst(user: User) -> None:
    if not user.is_analyst:
        raise NotFound("not found")


@api("POST")
def check(request: HttpRequest, user: User, year: str) -> HttpResponse:
    data, name = read_upload(request)
    checked = intake.check(data, name, year=years.check_year(year), user=user)
    return JsonResponse({"valid": checked.valid, "findings": checked.findings})


@api("POST")
def submissions(request: HttpRequest, user: User, year: str) -> HttpResponse:
    years.check_year(year)
    data, name = read_upload(request)
    submission = intake.submit(
        data,
        name,
        year=year,
        user=user,
        partnership=request.POST.get("partnership") if user.is_analyst else None,
        channel="api",
    )
    return JsonResponse(records.submission_dict(submission), status=201)


@api("GET")
def submission(request: HttpRequest, user: User, submission_id: int) -> HttpResponse:
    found = records.submission_for(user, submission_id)
    return JsonResponse(records.submission_dict(found, full=True))


@api("POST")
def queries(request: HttpRequest, user: User, submission_id: int) -> HttpResponse:
    records.submission_for(user, submission_id)  # 404 before anything is said about the body
    if user.is_analyst:
        raise NotFound("not found")
    body = _json_body(request)
    answer = decisions.answer_query(
        user,
        submission_id,
        rule=str(body.get("rule") or ""),
        path=str(body.get("path") or ""),
        explanation=str(body.get("explanation") or ""),
    )
    return JsonResponse(
        {
            "id": answer.pk,
            "submission": answer.submission_id,
            "rule": answer.rule,
            "path": answer.path,
            "explanation": answer.explanation,
            "by": user.email,
            "at": answer.at.isoformat(),
        },
        status=201,
    )


@api("POST")
def decision(request: HttpRequest, user: User, submission_id: int) -> HttpResponse:
    records.submission_for(user, submission_id)  # 404 before anything is said about the body
    _analyst(user)
    body = _json_body(request)
    made = decisions.decide(
        user,
        submission_id,
        decision=str(body.get("decision") or ""),
        message=str(body.get("message") or ""),
    )
    out = records.submission_dict(made.submission, full=True)
    out["decision"] = {
        "decision": made.decision,
        "message": made.message,
        "at": made.at.isoformat(),
    }
    return JsonResponse(out)


@api("GET")
def status(request: HttpRequest, user: User, year: str) -> HttpResponse:
    _analyst(user)
    rows = progress.status(years.check_year(year))
    return JsonResponse({"year": year, "partnerships": [r.to_dict() for r in rows]})


@api("GET")
def aggregate(request: HttpRequest, user: User, year: str) -> HttpResponse:
    from cjreturns.register.outputs import aggregate_json

    _analyst(user)
    try:
        payload = aggregate_json(years.check_year(year))
    except RegisterError as exc:
        if isinstance(exc, NotFound | Refused | NotAllowed):
            raise
        return _error(409, str(exc))
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
