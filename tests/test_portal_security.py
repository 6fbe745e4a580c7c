"""The portal's defences, each tried: CSRF, cookies, login throttling, upload limits and hostile
files, what is served back, escaping, the Content Security Policy, and `check --deploy`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cjreturns.register.models import Submission
from cjreturns.register.services import accounts, intake
from tests.hostile.corpus import CASES
from tests.register_helpers import PASSWORD, YEAR, example, make_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def users() -> dict:
    return make_users()


def _signed_in(user: object, **kwargs: object) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_every_form_needs_its_csrf_token(users: dict) -> None:
    data, name = example("fife.yaml")
    s = intake.submit(data, name, year=YEAR, user=users["fife"])
    coordinator = _signed_in(users["fife"], enforce_csrf_checks=True)
    analyst = _signed_in(users["analyst"], enforce_csrf_checks=True)
    posts = [
        (coordinator, reverse("portal:upload", args=[YEAR]), {"action": "check"}),
        (coordinator, reverse("portal:answer", args=[s.pk]), {"rule": "x"}),
        (analyst, reverse("portal:decide", args=[s.pk]), {"decision": "accept"}),
        (analyst, reverse("portal:run", args=[YEAR]), {"kind": "aggregate"}),
        (coordinator, reverse("portal:sign-out"), {}),
        (Client(enforce_csrf_checks=True), reverse("portal:sign-in"), {"username": "x"}),
    ]
    for client, url, form in posts:
        assert client.post(url, form).status_code == 403, url
    # With the token from the page, the same form works.
    page = analyst.get(reverse("portal:submission", args=[s.pk]))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token is not None
    done = analyst.post(
        reverse("portal:decide", args=[s.pk]),
        {"decision": "accept", "csrfmiddlewaretoken": token.group(1).decode()},
    )
    assert done.status_code == 302
    s.refresh_from_db()
    assert s.status == "accepted"


def test_session_cookie_is_httponly_and_samesite(users: dict) -> None:
    response = Client().post(
        reverse("portal:sign-in"), {"username": "fife@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain HTTP (tests, the demo); --https: see the next test


PRODUCTION = {
    "CJRETURNS_HTTPS": "1",
    "CJRETURNS_SECRET_KEY": "k" * 10 + "-production-secret-of-sufficient-length-and-variety-9f3",
    "CJRETURNS_ALLOWED_HOSTS": "returns.communityjustice.example",
    "CJRETURNS_DATABASE_URL": "sqlite:///:memory:",
}


def _settings_process(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CJRETURNS_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "cjreturns.portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    code = (
        "import django, sys\ndjango.setup()\nfrom django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    done = _settings_process(code, PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True True True True True"
    # Without --https the same check names what is missing, so the test above can fail.
    plain = _settings_process(code, {k: v for k, v in PRODUCTION.items() if k != "CJRETURNS_HTTPS"})
    assert plain.returncode != 0 and "SECURE_SSL_REDIRECT" in plain.stdout + plain.stderr


def test_repeated_wrong_passwords_lock_the_account(users: dict) -> None:
    client = Client()
    url = reverse("portal:sign-in")
    for _ in range(4):
        r = client.post(url, {"username": "fife@example.org", "password": "wrong-password-1"})
        assert r.status_code == 200 and b"There is a problem" in r.content
    fifth = client.post(url, {"username": "fife@example.org", "password": "wrong-password-1"})
    assert fifth.status_code == 429  # the fifth failure locks the account
    locked = client.post(url, {"username": "fife@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and b"locked for 30 minutes" in locked.content
    assert "_auth_user_id" not in client.session


def test_upload_limits(users: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _signed_in(users["fife"])
    url = reverse("portal:upload", args=[YEAR])
    monkeypatch.setenv("CJRETURNS_MAX_FILE_BYTES", "1000")
    big = client.post(
        url, {"action": "check", "file": SimpleUploadedFile("r.yaml", b"a: 1\n" * 400)}
    )
    assert big.status_code == 422 and b"larger than" in big.content
    monkeypatch.delenv("CJRETURNS_MAX_FILE_BYTES")
    exe = client.post(url, {"action": "submit", "file": SimpleUploadedFile("r.exe", b"MZ\x90")})
    assert exe.status_code == 422 and b"is not a return" in exe.content
    html = client.post(url, {"action": "submit", "file": SimpleUploadedFile("r.html", b"<script>")})
    assert html.status_code == 422
    macro = client.post(
        url, {"action": "submit", "file": SimpleUploadedFile("r.xlsm", b"PK\x03\x04")}
    )
    assert macro.status_code == 422 and b"Macro-enabled workbooks are not accepted" in macro.content
    assert Submission.objects.count() == 0


# A browser sends the file name as UTF-8, so a name that is not (made on an old Windows PC) reaches
# the portal already decoded: that case is about folders on disk, not uploads.
SINGLE_FILES = [
    c
    for c in CASES
    if not (c.folder or c.whole_folder or c.posix_only) and c.name != "latin1-file-name"
]


@pytest.mark.parametrize("case", SINGLE_FILES, ids=[c.name for c in SINGLE_FILES])
def test_hostile_files_are_findings_through_the_api(
    case: object, users: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in case.env.items():  # type: ignore[attr-defined]
        monkeypatch.setenv(key, value)
    path = case.build(tmp_path)  # type: ignore[attr-defined]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {accounts.new_token(users['fife'])}")
    response = client.post(
        f"/api/v1/returns/{YEAR}/check", {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    if response.status_code == 422:  # refused before reading: too large, or empty
        assert re.search(case.problem + "|larger than", response.json()["error"])  # type: ignore[attr-defined]
        return
    assert response.status_code == 200
    messages = " ".join(f["message"] for f in response.json()["findings"])
    assert re.search(case.problem, messages), messages  # type: ignore[attr-defined]
    assert not (tmp_path.parent / "cjreturns-hostile-pwned").exists()


def test_uploaded_bytes_come_back_only_as_a_download_and_text_is_escaped(users: dict) -> None:
    data, _ = example("fife.yaml")
    hostile = data.replace(b"partnership: Fife", b"partnership: Fife<script>alert(1)</script>", 1)
    s = intake.submit(hostile, "x.yaml", year=YEAR, user=users["fife"])
    client = _signed_in(users["fife"])
    original = client.get(reverse("portal:original", args=[s.pk]))
    assert original["Content-Type"] == "application/octet-stream"
    assert original["Content-Disposition"] == 'attachment; filename="x.yaml"'
    assert original["X-Content-Type-Options"] == "nosniff"
    assert original.content == hostile
    page = client.get(reverse("portal:submission", args=[s.pk]))
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content


def test_every_page_has_a_content_security_policy(users: dict) -> None:
    for client, url in (
        (Client(), reverse("portal:sign-in")),
        (_signed_in(users["fife"]), reverse("portal:return", args=[YEAR])),
        (_signed_in(users["analyst"]), reverse("portal:dashboard", args=[YEAR])),
    ):
        r = client.get(url)
        assert r.status_code == 200
        csp = r["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert r["X-Frame-Options"] == "DENY"
        assert b"<script>" not in r.content and b" style=" not in r.content  # nothing inline
