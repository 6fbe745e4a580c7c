"""The demo register (`make serve`, `cjreturns serve --demo`): the example returns come in on the
dates they give themselves, so the dashboard shows the late ones late and the rest on time."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cjreturns.register.demo import ANALYST_EMAIL, coordinator_email, load_demo
from cjreturns.register.models import AuditEvent, Submission, User
from cjreturns.register.services import intake, progress
from tests.register_helpers import RETURNS, YEAR

pytestmark = pytest.mark.django_db

# Read here from the files themselves, not through the code under test.
SUBMITTED_ON = {
    p.name: dt.date.fromisoformat(
        str((json.loads if p.suffix == ".json" else yaml.safe_load)(p.read_text())["submitted_on"])
    )
    for p in sorted(RETURNS.iterdir())
}
LATE = {"Inverclyde", "Shetland Islands"}  # submitted on 4 and 14 October 2022; due 30 September


def test_demo_returns_are_dated_by_their_own_submission_date_and_few_are_late() -> None:
    loaded = load_demo(RETURNS, year=YEAR)
    assert loaded.submitted == 30 and len(SUBMITTED_ON) == 30
    for s in Submission.objects.all():
        assert timezone.localtime(s.uploaded_at).date() == SUBMITTED_ON[s.file_name]
        assert timezone.localtime(s.uploaded_at).time() == dt.time(12)
        event = AuditEvent.objects.get(action="submitted", submission=s)
        assert event.at == s.uploaded_at  # the history says the same as the submission
    rows = progress.status(YEAR, today=dt.date(2026, 12, 1))
    assert {r.status for r in rows} == {"submitted"}
    assert {r.partnership for r in rows if r.late} == LATE
    late_files = {name for name, day in SUBMITTED_ON.items() if day > dt.date(2022, 9, 30)}
    assert late_files == {"inverclyde.json", "shetland-islands.yaml"}

    client = Client()
    client.force_login(User.objects.get(email=ANALYST_EMAIL))
    page = client.get(reverse("portal:dashboard", args=[YEAR])).content.decode()
    assert "30 submitted, 0 returned, 0 checked but not submitted, 0 not started; 2 late." in page
    assert len(re.findall(r"<td>Late</td>", page)) == 2

    assert load_demo(RETURNS, year=YEAR).submitted == 0  # loading again adds nothing twice


def test_an_upload_after_the_demo_is_dated_when_it_comes_in() -> None:
    load_demo(RETURNS, year=YEAR)
    fife = User.objects.get(email=coordinator_email("Fife"))
    before = timezone.now()
    again = intake.submit((RETURNS / "fife.yaml").read_bytes(), "fife.yaml", year=YEAR, user=fife)
    assert again.version == 2 and before <= again.uploaded_at <= timezone.now()
    row = next(r for r in progress.status(YEAR) if r.partnership == "Fife")
    assert not row.late  # lateness is the first version's: Fife's came in on time
