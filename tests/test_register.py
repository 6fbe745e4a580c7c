"""The register's services on whichever database CJRETURNS_DATABASE_URL names (SQLite in the
main run; tests/test_register_postgresql.py runs this file again on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from cjreturns.core.errors import UsageError
from cjreturns.register.models import AppendOnlyError, AuditEvent, Partnership, Submission
from cjreturns.register.services import accounts, decisions, intake, progress, records, years
from cjreturns.register.services.errors import NotFound, Refused
from tests.register_helpers import YEAR, example, make_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def users() -> dict:
    return make_users()


def test_partnerships_come_from_the_reference() -> None:
    assert Partnership.objects.count() == 30
    assert Partnership.objects.filter(name="Community Justice Ayrshire").exists()


def test_every_upload_is_a_new_version_and_nothing_is_overwritten(users: dict) -> None:
    data, name = example("count-exceeds.yaml")
    first = intake.submit(data, name, year=YEAR, user=users["fife"])
    good, good_name = example("fife.yaml")
    second = intake.submit(good, good_name, year=YEAR, user=users["fife"])
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert bytes(first.content) == data and first.file_name == "count-exceeds.yaml"
    assert not first.valid and first.errors == 1
    assert [f["rule"] for f in first.findings["findings"]] == ["count-exceeds"]
    assert first.findings["findings"][0]["path"] == "outcomes.4.indicators.diversion_commenced"
    assert second.valid and second.sha256 == __import__("hashlib").sha256(good).hexdigest()
    assert second.tool_version == "0.1.0" and second.rules_version.startswith("schema ")
    assert Submission.objects.filter(partnership__name="Fife").count() == 2
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["submitted", "submitted"]


def test_check_keeps_nothing_but_makes_the_status_checked(users: dict) -> None:
    data, name = example("duplicate-activity.yaml")
    checked = intake.check(data, name, year=YEAR, user=users["fife"])
    assert checked.valid
    assert [(f["rule"], f["severity"]) for f in checked.findings] == [
        ("duplicate-activity", "warning")
    ]
    assert Submission.objects.count() == 0
    rows = {r.partnership: r for r in progress.status(YEAR, today=dt.date(2022, 9, 1))}
    assert rows["Fife"].status == "checked"
    assert rows["Angus"].status == "not_started"
    assert not rows["Angus"].late


def test_a_return_for_another_partnership_is_refused_with_a_finding(users: dict) -> None:
    data, name = example("angus.json")
    with pytest.raises(Refused) as caught:
        intake.submit(data, name, year=YEAR, user=users["fife"])
    assert [f["rule"] for f in caught.value.findings] == ["wrong-partnership"]
    assert "This return is for Angus" in caught.value.findings[0]["message"]
    assert Submission.objects.count() == 0


def test_queries_answers_and_decisions(users: dict) -> None:
    data, name = example("duplicate-activity.yaml")
    s = intake.submit(data, name, year=YEAR, user=users["fife"])
    [query] = records.queries(s)
    assert (query["rule"], query["path"], query["answered"]) == (
        "duplicate-activity",
        "outcomes.3.activities.1.title",
        False,
    )
    today = dt.date(2022, 9, 1)
    assert {r.partnership: r for r in progress.status(YEAR, today=today)}[
        "Fife"
    ].unanswered_queries == 1
    with pytest.raises(Refused):
        decisions.answer_query(users["fife"], s.pk, rule="no-such-rule", path="x", explanation="y")
    with pytest.raises(NotFound):  # another partnership's coordinator sees nothing
        decisions.answer_query(
            users["angus"], s.pk, rule=query["rule"], path=query["path"], explanation="y"
        )
    decisions.answer_query(
        users["fife"],
        s.pk,
        rule=query["rule"],
        path=query["path"],
        explanation="Two separate groups with the same name.",
    )
    fife = {r.partnership: r for r in progress.status(YEAR, today=today)}["Fife"]
    assert (fife.status, fife.version, fife.warnings, fife.unanswered_queries) == (
        "submitted",
        1,
        1,
        0,
    )
    with pytest.raises(NotFound):  # coordinators cannot decide, even their own
        decisions.decide(users["fife"], s.pk, decision="accept")
    with pytest.raises(Refused):
        decisions.decide(users["analyst"], s.pk, decision="return", message="")
    decisions.decide(users["analyst"], s.pk, decision="return", message="Please check outcome 3.")
    assert (
        progress.status(YEAR, today=today)[
            [r.partnership for r in progress.status(YEAR, today=today)].index("Fife")
        ].status
        == "returned"
    )
    history = records.history(s.partnership, YEAR)
    assert [h["action"] for h in history] == ["submitted", "query-answered", "returned"]
    assert history[-1]["message"] == "Please check outcome 3."
    again = intake.submit(data, name, year=YEAR, user=users["fife"])
    with pytest.raises(Refused, match="replaced by version 2"):
        decisions.decide(users["analyst"], s.pk, decision="accept")
    decisions.decide(users["analyst"], again.pk, decision="accept")
    assert [x.pk for x in progress.accepted_submissions(YEAR)] == [again.pk]


def test_a_return_with_errors_cannot_be_accepted(users: dict) -> None:
    data, name = example("count-exceeds.yaml")
    s = intake.submit(data, name, year=YEAR, user=users["fife"])
    with pytest.raises(Refused, match="cannot be accepted"):
        decisions.decide(users["analyst"], s.pk, decision="accept")
    assert progress.accepted_submissions(YEAR) == []


def test_late_comes_from_the_calendar(users: dict) -> None:
    assert years.deadline_for(YEAR) == dt.date(2022, 9, 30)
    data, name = example("fife.yaml")
    intake.submit(data, name, year=YEAR, user=users["fife"])  # uploaded today: years late
    rows = {r.partnership: r for r in progress.status(YEAR, today=dt.date(2022, 9, 30))}
    assert rows["Fife"].late  # its first version came after 30 September 2022
    assert not rows["Angus"].late  # nothing yet, but the deadline is today, not past
    rows = {r.partnership: r for r in progress.status(YEAR, today=dt.date(2022, 10, 1))}
    assert rows["Angus"].late


def test_chase_list_names_who_is_missing_with_days_and_contacts(users: dict) -> None:
    data, name = example("fife.yaml")
    intake.submit(data, name, year=YEAR, user=users["fife"])
    chase = progress.chase_list(YEAR, today=dt.date(2022, 9, 20))
    assert len(chase) == 29 and "Fife" not in {c.partnership for c in chase}
    angus = next(c for c in chase if c.partnership == "Angus")
    assert (angus.status, angus.days_to_deadline, angus.contacts) == (
        "not_started",
        10,
        ("angus@example.org",),
    )
    late = progress.chase_list(YEAR, today=dt.date(2022, 10, 3))
    assert next(c for c in late if c.partnership == "Angus").days_to_deadline == -3


def test_the_audit_log_is_append_only(users: dict) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_tokens_are_stored_hashed(users: dict) -> None:
    token = accounts.new_token(users["analyst"])
    assert accounts.user_for_token(token) == users["analyst"]
    assert accounts.user_for_token(token + "x") is None
    stored = list(users["analyst"].tokens.values_list("digest", flat=True))
    assert stored == [accounts.token_digest(token)] and token not in stored[0]
    second = accounts.new_token(users["analyst"])
    assert accounts.user_for_token(token) == accounts.user_for_token(second) == users["analyst"]


def test_passwords_pass_djangos_validators(settings: object) -> None:
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match="password refused"):
        accounts.add_user("x@example.org", role="analyst", password="password")
    with pytest.raises(UsageError, match="needs --partnership"):
        accounts.add_user("x@example.org", role="coordinator", password="a-long-test-password-42")
    user = accounts.add_user(
        "X@Example.org", role="coordinator", password="a-long-test-password-42", partnership="fife"
    )
    assert (user.email, user.partnership.name) == ("x@example.org", "Fife")
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("a-long-test-password-42")
