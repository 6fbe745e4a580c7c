"""The permission matrix: every page and API endpoint x anonymous / the partnership's own
coordinator / another partnership's coordinator / an analyst x every method.

A coordinator never reads, lists, downloads, answers or decides anything of another partnership:
it answers 404, as for an id that does not exist. Only analysts decide and aggregate.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cjreturns.register.models import Submission
from cjreturns.register.outputs import run_outputs
from cjreturns.register.services import accounts, decisions, intake
from tests.register_helpers import YEAR, example, make_users

pytestmark = pytest.mark.django_db
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ACTORS = ("anonymous", "other", "own", "analyst")
LOGIN = 302  # pages send anonymous visitors to sign in

# name -> (allowed methods, expected status for each actor with an allowed method)
PAGES: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {
    "portal:home": (("GET",), {"anonymous": LOGIN, "other": 302, "own": 302, "analyst": 302}),
    "portal:sign-in": (
        ("GET", "POST"),
        {"anonymous": 200, "other": 302, "own": 302, "analyst": 302},
    ),
    "portal:sign-out": (("POST",), {"anonymous": 302, "other": 302, "own": 302, "analyst": 302}),
    "portal:return": (("GET",), {"anonymous": LOGIN, "other": 200, "own": 200, "analyst": 404}),
    "portal:blank": (("GET",), {"anonymous": LOGIN, "other": 200, "own": 200, "analyst": 404}),
    "portal:previous": (("GET",), {"anonymous": LOGIN, "other": 404, "own": 200, "analyst": 404}),
    "portal:upload": (("POST",), {"anonymous": LOGIN, "other": 422, "own": 422, "analyst": 422}),
    "portal:submission": (("GET",), {"anonymous": LOGIN, "other": 404, "own": 200, "analyst": 200}),
    "portal:original": (("GET",), {"anonymous": LOGIN, "other": 404, "own": 200, "analyst": 200}),
    "portal:checked-copy": (
        ("GET",),
        {"anonymous": LOGIN, "other": 404, "own": 200, "analyst": 200},
    ),
    "portal:answer": (("POST",), {"anonymous": LOGIN, "other": 404, "own": 302, "analyst": 404}),
    "portal:decide": (("POST",), {"anonymous": LOGIN, "other": 404, "own": 404, "analyst": 302}),
    "portal:dashboard": (("GET",), {"anonymous": LOGIN, "other": 404, "own": 404, "analyst": 200}),
    "portal:chase": (("GET",), {"anonymous": LOGIN, "other": 404, "own": 404, "analyst": 200}),
    "portal:run": (("POST",), {"anonymous": LOGIN, "other": 404, "own": 404, "analyst": 302}),
    "portal:download-run": (
        ("GET",),
        {"anonymous": LOGIN, "other": 404, "own": 404, "analyst": 200},
    ),
}
API: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {
    "api-check": (("POST",), {"other": 422, "own": 422, "analyst": 422}),  # 422: no file sent
    "api-submissions": (("POST",), {"other": 422, "own": 422, "analyst": 422}),
    "api-status": (("GET",), {"other": 404, "own": 404, "analyst": 200}),
    "api-aggregate": (("GET",), {"other": 404, "own": 404, "analyst": 200}),
    "api-submission": (("GET",), {"other": 404, "own": 200, "analyst": 200}),
    "api-queries": (("POST",), {"other": 404, "own": 422, "analyst": 404}),
    "api-decision": (("POST",), {"other": 404, "own": 404, "analyst": 422}),
}


def _names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # Django's own admin: checked separately below
            names |= _names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_the_matrix_covers_every_address() -> None:
    assert _names(get_resolver().url_patterns) == set(PAGES) | set(API)


# actor -> the account make_users() gives it
ACCOUNTS = {"own": "fife", "other": "angus", "analyst": "analyst"}


@pytest.fixture(scope="module")
def rows(module_db: Any) -> dict:
    """Fife's accepted 2021-22 submission (with a query), its 2020-21 return, and an output run:
    made once for the module (what a test changes is rolled back after it)."""
    from cjreturns.workbook.convert import convert
    from tests.register_helpers import INVALID

    with module_db.unblock():
        users = make_users()
        # A workbook, so that its checked copy can be downloaded too.
        data = convert(INVALID / "duplicate-activity.yaml", "xlsx")
        s = intake.submit(data, "duplicate-activity.xlsx", year=YEAR, user=users["fife"])
        decisions.decide(users["analyst"], s.pk, decision="accept")
        last, last_name = example("fife.yaml")
        old = intake.submit(last, last_name, year="2020-21", user=users["fife"])
        run = run_outputs("aggregate", YEAR, user=users["analyst"])
        tokens = {actor: accounts.new_token(users[user]) for actor, user in ACCOUNTS.items()}
    return {"users": users, "s": s, "old": old, "run": run, "tokens": tokens}


@pytest.fixture
def world(rows: dict) -> dict:
    """The module's rows, with new clients for each test (signing out, in one, ends a session)."""
    clients: dict[str, Client] = {"anonymous": Client()}
    tokens: dict[str, Client] = {"anonymous": Client()}
    for actor, user in ACCOUNTS.items():
        clients[actor] = Client()
        clients[actor].force_login(rows["users"][user])
        tokens[actor] = Client(HTTP_AUTHORIZATION=f"Bearer {rows['tokens'][actor]}")
    return {**rows, "pages": clients, "api": tokens}


def _kwargs(name: str, world: dict) -> dict:
    if name in {
        "portal:submission",
        "portal:original",
        "portal:checked-copy",
        "portal:answer",
        "portal:decide",
        "api-submission",
        "api-queries",
        "api-decision",
    }:
        return {"submission_id": world["s"].pk}
    if name == "portal:download-run":
        return {"run_id": world["run"].pk}
    if name in {"portal:home", "portal:sign-in", "portal:sign-out"}:
        return {}
    return {"year": YEAR}


def _call(client: Client, method: str, url: str):
    return getattr(client, method.lower())(url)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(name: str, world: dict) -> None:
    allowed, expected = PAGES[name]
    url = reverse(name, kwargs=_kwargs(name, world))
    seen = {}
    for actor in ACTORS:
        for method in METHODS:
            want = expected[actor] if method in allowed else 405
            got = _call(world["pages"][actor], method, url).status_code
            seen[(actor, method)] = (got, want)
    assert {k: v for k, v in seen.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize("name", sorted(API))
def test_api(name: str, world: dict) -> None:
    allowed, expected = API[name]
    url = reverse(name, kwargs=_kwargs(name, world))
    seen = {}
    for actor in ACTORS:
        for method in METHODS:
            want = 401 if actor == "anonymous" else expected[actor] if method in allowed else 405
            response = _call(world["api"][actor], method, url)
            assert response["Content-Type"] == "application/json"  # every answer is JSON
            seen[(actor, method)] = (response.status_code, want)
    assert {k: v for k, v in seen.items() if v[0] != v[1]} == {}


def test_guessed_and_other_partnerships_ids_are_404_like_missing_ones(world: dict) -> None:
    angus_data, angus_name = example("angus.json")
    analyst = accounts.user_named("analyst@cjs.example")
    angus = intake.submit(angus_data, angus_name, year=YEAR, user=analyst, partnership="Angus")
    for sid in (angus.pk, angus.pk + 1000, world["old"].pk + 5000):
        for name in ("portal:submission", "portal:original", "portal:checked-copy"):
            r = world["pages"]["own"].get(reverse(name, kwargs={"submission_id": sid}))
            assert r.status_code == 404, (name, sid)
        r = world["api"]["own"].get(reverse("api-submission", kwargs={"submission_id": sid}))
        assert r.status_code == 404 and r.json() == {"error": "not found"}
    # The 404 for another partnership's submission says nothing about it.
    page = world["pages"]["own"].get(
        reverse("portal:submission", kwargs={"submission_id": angus.pk})
    )
    assert b"Angus" not in page.content and angus_name.encode() not in page.content


def test_a_coordinator_cannot_submit_for_another_partnership(world: dict) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data, name = example("angus.json")
    r = world["pages"]["own"].post(
        reverse("portal:upload", kwargs={"year": YEAR}),
        {"file": SimpleUploadedFile(name, data), "action": "submit", "partnership": "Angus"},
    )
    assert r.status_code == 422 and b"This return is for Angus" in r.content
    assert not Submission.objects.filter(partnership__name="Angus").exists()


def test_admin_is_for_analysts_only(world: dict) -> None:
    url = reverse("admin:index")
    assert world["pages"]["anonymous"].get(url).status_code == 302
    assert world["pages"]["own"].get(url).status_code == 302  # not staff: sent to sign in
    assert world["pages"]["analyst"].get(url).status_code == 200
    users = world["pages"]["analyst"].get(reverse("admin:register_user_changelist"))
    assert users.status_code == 200 and b"fife@example.org" in users.content
    sub = reverse("admin:register_submission_delete", args=[world["s"].pk])
    assert world["pages"]["analyst"].get(sub).status_code == 403  # the history cannot be deleted
