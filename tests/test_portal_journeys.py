"""The two journeys in a real browser: Debian's Chromium driven by Playwright against the portal
on a live server, with axe-core (WCAG 2.2 A and AA rules) run on every page visited.

Coordinator: sign in, upload a workbook with mistakes, read the findings, fix, resubmit, answer
a query. Analyst: see the status change, return with a message; the coordinator sees it and
submits again; the analyst accepts and runs the aggregate, and downloads it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjreturns.workbook.convert import convert
from tests.register_helpers import INVALID, PASSWORD, RETURNS, YEAR

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22a",
            "wcag22aa",
            "best-practice",
        ],
    }
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]


@pytest.fixture
def browser() -> Iterator[object]:
    # Playwright's synchronous API runs an event loop in this thread; the test's own register
    # calls are ordinary synchronous code, so Django is told not to refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def new_page(browser: object, **options: object) -> object:
    """A page in a browser context of its own: each person has their own cookies."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    return context.new_page()


class Visit:
    """Every page the journey shows is checked with axe-core before going on."""

    def __init__(self, page: object) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.axe = Axe()
        self.checked: list[str] = []

    def check(self) -> None:
        results = self.axe.run(self.page, options=AXE_RULES)
        assert results.violations_count == 0, f"{self.page.url}:\n{results.generate_report()}"  # type: ignore[attr-defined]
        self.checked.append(self.page.url)  # type: ignore[attr-defined]


def sign_in(visit: Visit, base: str, email: str) -> None:
    page = visit.page
    page.goto(f"{base}/sign-in/")  # type: ignore[attr-defined]
    visit.check()
    page.fill("#id_username", email)  # type: ignore[attr-defined]
    page.fill("#id_password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]


def workbook(source: Path, tmp: Path) -> Path:
    out = tmp / (source.stem + ".xlsx")
    out.write_bytes(convert(source, "xlsx"))
    return out


@pytest.mark.django_db(transaction=True)
def test_coordinator_and_analyst_journeys(
    live_server: object, browser: object, tmp_path: Path
) -> None:
    from cjreturns.register.services import accounts, records
    from tests.register_helpers import make_users

    make_users()
    base = str(live_server.url)  # type: ignore[attr-defined]
    mistakes = workbook(INVALID / "count-exceeds.yaml", tmp_path)
    with_query = INVALID / "duplicate-activity.yaml"  # one query (warning), nothing else
    fixed = tmp_path / "fife-final.yaml"
    shutil.copy(RETURNS / "fife.yaml", fixed)

    # --- the coordinator ---------------------------------------------------------------
    coordinator = Visit(new_page(browser))
    page = coordinator.page
    sign_in(coordinator, base, "fife@example.org")
    page.wait_for_url("**/return/*/")  # the year on the calendar: nothing is collected yet
    page.goto(f"{base}/return/{YEAR}/")
    assert page.locator("h1").inner_text() == f"Annual return {YEAR}"
    assert "Not started" in page.locator(".ds_summary-list").inner_text()
    coordinator.check()

    page.set_input_files("#file", str(mistakes))
    page.click("button[value=submit]")
    page.wait_for_url("**/submissions/*/")
    coordinator.check()
    summary = page.locator(".ds_error-summary")
    assert summary.locator("h2").inner_text().startswith("There is 1 error to correct")
    link = summary.locator("a", has_text="Error at")
    assert link.count() == 1 and "Outcome 4!B28" in link.inner_text()
    # a workbook's finding is in the workbook's words: its sheet, label and cell, not the key
    assert "Outcome 4 sheet, 'Number' (B28)" in link.inner_text()
    assert "diversion_commenced" not in link.inner_text()
    where = link.get_attribute("href")
    link.click()
    target = page.locator(str(where))
    assert target.is_visible()
    assert "'Number' (B28): this is 210, more than" in target.inner_text()  # the workbook's words
    assert target.locator(".cjr-finding__where").inner_text() == "Outcome 4!B28"

    page.goto(f"{base}/return/{YEAR}/")
    page.set_input_files("#file", str(with_query))
    page.click("button[value=check]")
    coordinator.check()
    assert "nothing has been kept" in page.locator("main").inner_text()
    page.goto(f"{base}/return/{YEAR}/")
    page.set_input_files("#file", str(with_query))
    page.fill("#sign_off_name", "Councillor A Chair")
    page.click("button[value=submit]")
    page.wait_for_url("**/submissions/*/")
    coordinator.check()
    assert page.locator("h1").inner_text().startswith("Version 2")
    assert "Councillor A Chair" in page.locator(".ds_summary-list").inner_text()
    page.fill("#explain-1", "Two groups run activities with the same name in different towns.")
    page.click("button:has-text('Send explanation')")
    page.wait_for_url("**/submissions/*/#queries")
    coordinator.check()
    assert "Explanation from fife@example.org" in page.locator("#queries ~ div").first.inner_text()

    # --- the analyst ---------------------------------------------------------------------
    analyst = Visit(new_page(browser, accept_downloads=True))
    apage = analyst.page
    sign_in(analyst, base, "analyst@cjs.example")
    apage.wait_for_url(f"**/analyst/{YEAR}/")  # the newest collection in the register
    analyst.check()
    fife_row = apage.locator("#status tr", has_text="Fife")
    assert "Submitted" in fife_row.inner_text()
    cells = [c.inner_text() for c in fife_row.locator("td").all()]
    assert cells[1:5] == ["2", "0", "1", "0"]  # version 2, no errors, 1 query, all answered
    fife_row.locator("a").click()
    analyst.check()
    apage.fill("#message", "Please merge the two activities into one.")
    apage.click("button[value=return]")
    apage.wait_for_url("**/submissions/*/")
    analyst.check()
    assert "Returned by CJS" in apage.locator("main").inner_text()
    apage.goto(f"{base}/analyst/{YEAR}/chase/")
    analyst.check()
    assert "Fife" in apage.locator("table").inner_text()

    # The coordinator sees the message and sends the corrected return.
    page.goto(f"{base}/return/{YEAR}/")
    coordinator.check()
    assert "Please merge the two activities into one." in page.locator("main").inner_text()
    page.set_input_files("#file", str(fixed))
    page.click("button[value=submit]")
    page.wait_for_url("**/submissions/*/")
    coordinator.check()
    assert "No problems found" in page.locator("main").inner_text()

    apage.goto(f"{base}/analyst/{YEAR}/")
    apage.locator("#status tr", has_text="Fife").locator("a").click()
    analyst.check()
    apage.click("button[value=accept]")
    apage.wait_for_url("**/submissions/*/")
    analyst.check()
    assert "Accepted by CJS" in apage.locator("main").inner_text()
    apage.goto(f"{base}/analyst/{YEAR}/")
    assert "Accepted" in apage.locator("#status tr", has_text="Fife").inner_text()
    apage.click("button[value=aggregate]")
    apage.wait_for_url("**/analyst/*/#run-*")
    analyst.check()
    with apage.expect_download() as download:
        apage.locator("a", has_text="Download the aggregate").first.click()
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        counts = json.loads(z.read("aggregate.json"))
        manifest = json.loads(z.read("manifest.json"))
    assert counts["coverage"]["summary"]["accepted"] == 1
    assert [i["partnership"] for i in manifest["inputs"]] == ["Fife"]
    assert manifest["inputs"][0]["version"] == 3

    # Nothing was lost on the way: three versions kept, and the history says what happened.
    assert [
        s.version for s in records.visible_submissions(accounts.user_named("fife@example.org"))
    ] == [1, 2, 3]
    assert (len(coordinator.checked), len(analyst.checked)) == (8, 8)  # axe on each page


@pytest.mark.django_db(transaction=True)
def test_the_core_journey_works_without_javascript(
    live_server: object, browser: object, tmp_path: Path
) -> None:
    from tests.register_helpers import make_users

    make_users()
    base = str(live_server.url)  # type: ignore[attr-defined]
    page = new_page(browser, java_script_enabled=False)
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", "fife@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/return/*/")
    page.goto(f"{base}/return/{YEAR}/")
    page.set_input_files("#file", str(RETURNS / "fife.yaml"))
    page.click("button[value=submit]")
    page.wait_for_url("**/submissions/*/")
    assert page.locator("h1").inner_text() == "Version 1: fife.yaml"
