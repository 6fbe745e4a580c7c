"""What the coordinator's pages say: a workbook's findings in its own words, with cell
references and an error summary linking to each, and a checked copy of the workbook."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cjreturns.register.models import Submission
from cjreturns.workbook.convert import convert
from tests.register_helpers import INVALID, YEAR, make_users

pytestmark = pytest.mark.django_db


def test_workbook_findings_checked_copy_and_summary_links() -> None:
    users = make_users()
    client = Client()
    client.force_login(users["fife"])
    workbook = convert(INVALID / "count-exceeds.yaml", "xlsx")
    upload = reverse("portal:upload", args=[YEAR])
    page = client.post(
        upload, {"action": "submit", "file": SimpleUploadedFile("fife.xlsx", workbook)}
    )
    assert page.status_code == 302
    s = Submission.objects.get()
    [finding] = [f for f in s.findings["findings"] if f["severity"] == "error"]
    assert finding["cell"].count("!") == 1  # a sheet and a cell
    assert "`" not in finding["message"]  # the workbook's words: no backticked keys
    shown = client.get(page["Location"]).content.decode()
    start = shown.index('class="ds_error-summary"')
    summary = shown[start : shown.index("</ul>", start)]
    links = re.findall(r'href="#(finding-\d+)"', summary)
    assert links == [f"finding-{i}" for i in range(1, len(s.findings["findings"]) + 1)]
    assert all(f'id="{anchor}"' in shown for anchor in links)  # each link has its target
    queries = {0: "", 1: " and 1 query to explain"}.get(
        s.warnings, f" and {s.warnings} queries to explain"
    )
    assert f"There is 1 error to correct{queries}</h2>" in shown
    assert finding["cell"] in shown

    copy = client.get(reverse("portal:checked-copy", args=[s.pk]))
    assert copy.status_code == 200 and copy["Content-Disposition"].endswith('-checked.xlsx"')
    book = load_workbook(io.BytesIO(copy.content))
    assert book.sheetnames[0] == "Findings"
    cells = " ".join(str(c.value) for row in book["Findings"].iter_rows() for c in row)
    assert finding["message"][:40] in cells

    direct = client.post(
        upload, {"action": "copy", "file": SimpleUploadedFile("fife.xlsx", workbook)}
    )
    assert direct.status_code == 200 and direct.content[:2] == b"PK"
    assert Submission.objects.count() == 1  # a check with a copy keeps nothing
    yaml = client.post(
        upload,
        {
            "action": "copy",
            "file": SimpleUploadedFile("f.yaml", (INVALID / "count-exceeds.yaml").read_bytes()),
        },
        follow=True,
    )
    assert b"No checked copy: Only a return workbook (.xlsx)" in yaml.content
