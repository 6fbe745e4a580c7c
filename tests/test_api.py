"""The JSON API answers exactly as ../shared/spec/portal-interface.md says (also on PostgreSQL:
tests/test_register_postgresql.py runs this file again)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cjreturns.register.models import Submission
from cjreturns.register.services import accounts
from tests.register_helpers import YEAR, example, make_users

pytestmark = pytest.mark.django_db
SUBMISSION_KEYS = {"id", "partnership", "year", "version", "status", "valid", "findings", "sha256"}


@pytest.fixture
def api() -> dict:
    users = make_users()
    return {
        name: Client(HTTP_AUTHORIZATION=f"Bearer {accounts.new_token(u)}")
        for name, u in users.items()
    } | {"users": users}


def upload(name: str, **extra: str) -> dict:
    data, file_name = example(name)
    return {"file": SimpleUploadedFile(file_name, data), **extra}


def test_check_validates_and_keeps_nothing(api: dict) -> None:
    r = api["fife"].post(f"/api/v1/returns/{YEAR}/check", upload("count-exceeds.yaml"))
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == {"valid", "findings"} and body["valid"] is False
    assert body["findings"] == [
        {
            "rule": "count-exceeds",
            "severity": "error",
            "path": "outcomes.4.indicators.diversion_commenced",
            "line": 41,
            "column": 7,
            "message": body["findings"][0]["message"],
        }
    ]
    assert Submission.objects.count() == 0


def test_submit_get_answer_decide_status_aggregate(api: dict) -> None:
    r = api["fife"].post(f"/api/v1/returns/{YEAR}/submissions", upload("duplicate-activity.yaml"))
    assert r.status_code == 201
    s = r.json()
    assert set(s) >= SUBMISSION_KEYS
    assert (s["partnership"], s["year"], s["version"], s["status"], s["valid"]) == (
        "Fife",
        YEAR,
        1,
        "submitted",
        True,
    )
    got = api["fife"].get(f"/api/v1/submissions/{s['id']}").json()
    assert SUBMISSION_KEYS | {"queries", "history"} <= set(got)
    [query] = got["queries"]
    assert (query["rule"], query["answered"]) == ("duplicate-activity", False)
    answer = api["fife"].post(
        f"/api/v1/submissions/{s['id']}/queries",
        json.dumps({"rule": query["rule"], "path": query["path"], "explanation": "Two groups."}),
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["explanation"] == "Two groups."
    bad = api["fife"].post(
        f"/api/v1/submissions/{s['id']}/queries",
        json.dumps({"rule": "nope", "path": "x", "explanation": "y"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    returned = api["analyst"].post(
        f"/api/v1/submissions/{s['id']}/decision",
        json.dumps({"decision": "return", "message": "Please merge the two activities."}),
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    history = api["fife"].get(f"/api/v1/submissions/{s['id']}").json()["history"]
    assert history[-1]["message"] == "Please merge the two activities."

    v2 = api["fife"].post(f"/api/v1/returns/{YEAR}/submissions", upload("fife.yaml")).json()
    assert v2["version"] == 2
    accepted = api["analyst"].post(
        f"/api/v1/submissions/{v2['id']}/decision",
        json.dumps({"decision": "accept"}),
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    status = api["analyst"].get(f"/api/v1/returns/{YEAR}/status").json()
    assert status["year"] == YEAR and len(status["partnerships"]) == 30
    fife = next(p for p in status["partnerships"] if p["partnership"] == "Fife")
    assert set(fife) == {
        "partnership",
        "status",
        "version",
        "submitted_at",
        "late",
        "errors",
        "warnings",
        "unanswered_queries",
    }
    assert (fife["status"], fife["version"], fife["errors"]) == ("accepted", 2, 0)
    assert {p["status"] for p in status["partnerships"]} == {"accepted", "not_started"}

    agg = api["analyst"].get(f"/api/v1/returns/{YEAR}/aggregate")
    assert agg.status_code == 200
    assert agg.json()["coverage"]["summary"]["accepted"] == 1
    assert agg.json()["coverage"]["accepted"][0]["partnership"] == "Fife"


def test_analyst_submits_for_a_partnership_and_a_wrong_one_is_422(api: dict) -> None:
    r = api["analyst"].post(
        f"/api/v1/returns/{YEAR}/submissions", upload("angus.json", partnership="Angus")
    )
    assert r.status_code == 201 and r.json()["partnership"] == "Angus"
    wrong = api["fife"].post(f"/api/v1/returns/{YEAR}/submissions", upload("angus.json"))
    assert wrong.status_code == 422
    assert [f["rule"] for f in wrong.json()["findings"]] == ["wrong-partnership"]


def test_tokens_and_methods(api: dict) -> None:
    anonymous = Client()
    r = anonymous.get(f"/api/v1/returns/{YEAR}/status")
    assert r.status_code == 401 and r.json()["error"].startswith("a valid API token")
    bad = Client(HTTP_AUTHORIZATION="Bearer cjr_not-a-token")
    assert bad.get(f"/api/v1/returns/{YEAR}/status").status_code == 401
    assert api["analyst"].post(f"/api/v1/returns/{YEAR}/status").status_code == 405
    assert api["fife"].get(f"/api/v1/returns/{YEAR}/status").status_code == 404
    assert api["analyst"].get("/api/v1/returns/2021-99/status").status_code == 404
    no_file = api["fife"].post(f"/api/v1/returns/{YEAR}/check", {})
    assert no_file.status_code == 422 and "Choose your return file" in no_file.json()["error"]


def test_aggregate_with_nothing_accepted_is_409(api: dict) -> None:
    r = api["analyst"].get(f"/api/v1/returns/{YEAR}/aggregate")
    assert (
        r.status_code == 409 and "no submission for 2021-22 has been accepted" in r.json()["error"]
    )
