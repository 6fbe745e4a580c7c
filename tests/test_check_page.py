"""The offline check page (dist/check-your-return.html), driven in Debian's Chromium as a
coordinator would use it: opened from disk, a return chosen, the findings table read.

`make test` builds the page first (`make check-page`). The findings in the page must be the
CLI's, row for row; the page must make no network request; axe-core must find nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from workbook_helpers import type_into

from cjreturns.cli import app
from cjreturns.workbook import convert

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "dist" / "check-your-return.html"
AXE = ROOT / "checkpage" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never Playwright's own download (which cannot work here), with nothing
# in the background that would reach out (updates, sync, safe browsing lists).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOAD_TIMEOUT_MS = 120_000


def _missing(what: str) -> None:
    # CI installs Chromium (.ci/run) and builds the page (make test): there, absence is a failure
    if os.environ.get("CI"):
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not PAGE.is_file():
        _missing(f"{PAGE} is not built: run `make check-page` (make test does)")
    if not Path(CHROMIUM).is_file() or shutil.which("chromium") is None:
        _missing("Chromium is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Session:
    """One page opened from file://, with every request it tries recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.requests: list[str] = []
        self.routed: list[str] = []
        self.errors: list[str] = []

        def intercept(route: Any) -> None:
            self.routed.append(route.request.url)
            if route.request.url == PAGE.as_uri():
                route.continue_()
            else:
                route.abort()

        # Route interception sees every request the page makes (file:// ones too): only the
        # page itself may load; anything else is a failure, and is aborted so that nothing
        # leaves the machine even then.
        self.context.route("**/*", intercept)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(PAGE.as_uri())
        self.page.wait_for_function(
            "['ready', 'failed'].includes(document.documentElement.dataset.state)",
            timeout=LOAD_TIMEOUT_MS,
        )
        assert self.state == "ready", self.page.inner_text("#loading-message")

    @property
    def state(self) -> str:
        return str(self.page.evaluate("document.documentElement.dataset.state"))

    def check(self, name: str, data: bytes) -> list[dict[str, str]]:
        self.page.set_input_files(
            "input[type=file]", files=[{"name": name, "mimeType": "", "buffer": data}]
        )
        self.page.wait_for_function(
            f"document.documentElement.dataset.state === 'checked' && "
            f"document.getElementById('results-heading').textContent.endsWith({json.dumps(name)})",
            timeout=LOAD_TIMEOUT_MS,
        )
        rows = self.page.eval_on_selector_all(
            "#findings tbody tr",
            "rows => rows.map(r => Array.from(r.cells, c => c.textContent))",
        )
        return [
            {"severity": sev.lower(), "where": where, "rule": rule, "message": message}
            for _, sev, where, rule, message in rows
        ]

    def summary(self) -> str:
        return str(self.page.inner_text("#summary"))


@pytest.fixture(scope="module")
def session(browser: Any) -> Iterator[Session]:
    s = Session(browser)
    yield s
    s.context.close()


def cli_rows(path: Path) -> tuple[list[dict[str, str]], dict[str, Any]]:
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    (file,) = json.loads(result.output)["files"]
    rows = []
    for f in file["findings"]:
        if f.get("cell"):
            where = f["cell"]
        elif f["line"] is not None:
            where = f"{f['line']}:{f['column'] or 1}"
        else:
            where = f["path"] or "(the whole file)"
        rows.append(
            {"severity": f["severity"], "where": where, "rule": f["rule"], "message": f["message"]}
        )
    return rows, file


def summary_for(file: dict[str, Any]) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n:,} {word}{'' if n == 1 else 's'}"

    return f"{plural(file['errors'], 'error')} and {plural(file['warnings'], 'warning')}."


@pytest.fixture(scope="module")
def fife_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "fife.xlsx"
    out.write_bytes(convert(ROOT / "examples" / "returns" / "2021-22" / "fife.yaml", to="xlsx"))
    return out


def test_the_page_says_the_file_stays_and_labels_the_input(session: Session) -> None:
    text = session.page.inner_text("main")
    assert "Your file never leaves this computer." in text
    label = session.page.inner_text("label[for=return-file]")
    assert "return" in label.lower()
    assert session.page.get_by_label(label, exact=True).get_attribute("type") == "file"
    assert session.page.get_attribute("#loading-progress", "value") == "3"


def test_example_workbook_findings_match_the_cli(session: Session, fife_workbook: Path) -> None:
    expected, file = cli_rows(fife_workbook)
    assert session.check("fife.xlsx", fife_workbook.read_bytes()) == expected
    assert session.summary().startswith(summary_for(file))


def test_broken_workbook_findings_match_the_cli(
    session: Session, fife_workbook: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "fife-broken.xlsx"
    broken.write_bytes(
        type_into(
            fife_workbook.read_bytes(),
            {
                "Partnership!B11": "not an email address",
                "Partnership!B18": "31st March 2022",
                "Partnership!B19": "No",
                "Outcome 1!C5": "Not a theme at all",
            },
        )
    )
    expected, file = cli_rows(broken)
    assert file["errors"] >= 2
    assert {r["rule"] for r in expected} >= {"section-27-not-confirmed"}
    assert session.check("fife-broken.xlsx", broken.read_bytes()) == expected
    assert session.summary().startswith(summary_for(file))
    assert all(r["where"].count("!") == 1 for r in expected)  # sheet!cell on every row


@pytest.mark.parametrize(
    "name",
    ["unknown-code.json", "yaml-syntax.yaml", "personal-data-email.yaml", "word-limit.yaml"],
)
def test_broken_text_returns_match_the_cli(session: Session, name: str) -> None:
    path = ROOT / "examples" / "invalid" / "returns" / name
    expected, file = cli_rows(path)
    assert expected, f"{name} should have findings"
    assert session.check(name, path.read_bytes()) == expected
    assert session.summary().startswith(summary_for(file))


def test_no_request_leaves_the_page(session: Session, browser: Any) -> None:
    # Everything the page loaded is the file itself and the blob: URLs it made from its own bytes.
    assert session.errors == []
    assert session.routed == [PAGE.as_uri()]
    assert session.requests[0] == PAGE.as_uri()
    assert all(u.startswith("blob:") for u in session.requests[1:]), session.requests
    # A page that does try the network is seen by the same interception (so the test can fail).
    control = browser.new_context()
    seen: list[str] = []
    control.route("**/*", lambda route: (seen.append(route.request.url), route.abort()))
    probe = control.new_page()
    probe.goto("about:blank")
    probe.evaluate("fetch('http://127.0.0.1:9/probe').catch(() => null)")
    probe.wait_for_timeout(200)
    control.close()
    assert seen == ["http://127.0.0.1:9/probe"]
    # And the page's own fetch refuses anything not bundled.
    refused = session.page.evaluate(
        "fetch('https://example.org/').then(() => 'fetched', e => e.message)"
    )
    assert "fetches nothing" in refused
    assert session.routed == [PAGE.as_uri()]


def test_axe_finds_nothing(session: Session, fife_workbook: Path) -> None:
    session.check("fife.xlsx", fife_workbook.read_bytes())
    session.page.evaluate(AXE.read_text())
    results = session.page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',"
        " 'best-practice']})"
    )
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in results["violations"]
    ]
    assert violations == []
    assert len(results["passes"]) > 10  # axe really ran over the page


def test_the_checked_copy_downloads_from_the_page(
    session: Session, fife_workbook: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from cjreturns.validation.engine import validate_bytes

    data = type_into(fife_workbook.read_bytes(), {"Partnership!B11": None})
    session.check("fife.xlsx", data)
    link = session.page.locator("#copy-link")
    assert link.is_visible() and link.get_attribute("download") == "fife-checked.xlsx"
    with session.page.expect_download() as download:
        link.click()
    saved = tmp_path / "fife-checked.xlsx"
    download.value.save_as(saved)
    wb = load_workbook(saved)
    assert wb.sheetnames[0] == "Findings"
    original = validate_bytes("fife.xlsx", data)
    assert validate_bytes("fife-checked.xlsx", saved.read_bytes()).findings == original.findings
    assert wb["Partnership"]["B11"].comment is not None
    # YAML has no copy to offer
    session.check(
        "unknown-code.json", (ROOT / "examples/invalid/returns/unknown-code.json").read_bytes()
    )
    assert not session.page.locator("#copy").is_visible()
    assert session.routed == [PAGE.as_uri()]
