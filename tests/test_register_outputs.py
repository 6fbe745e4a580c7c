"""National outputs from the register give exactly the numbers a folder of the same files gives,
and carry a manifest naming each accepted submission."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from cjreturns.aggregation import aggregate
from cjreturns.register.outputs import aggregate_json, run_outputs
from cjreturns.register.services import decisions, intake
from cjreturns.register.services.errors import NotFound, RegisterError
from tests.register_helpers import RETURNS, YEAR, example, make_users

pytestmark = pytest.mark.django_db
NAMES = ["fife.yaml", "angus.json", "moray.json", "highland.yaml"]


def _load(users: dict, names: list[str]) -> list:
    subs = []
    for name in names:
        data, file_name = example(name)
        checked = intake.validate_upload(data, file_name, year=YEAR)
        subs.append(
            intake.submit(
                data, file_name, year=YEAR, user=users["analyst"], partnership=checked.partnership
            )
        )
    return subs


def test_only_accepted_submissions_count_with_the_numbers_of_a_folder(tmp_path: Path) -> None:
    users = make_users()
    with pytest.raises(RegisterError, match="no submission for 2021-22 has been accepted"):
        aggregate_json(YEAR)
    subs = _load(users, NAMES)
    for s in subs[:3]:
        decisions.decide(users["analyst"], s.pk, decision="accept")
    # Highland's stays submitted, not accepted: it is not counted.
    folder = tmp_path / "same-files"
    folder.mkdir()
    for name in NAMES[:3]:
        (folder / name).write_bytes((RETURNS / name).read_bytes())
    from_folder = aggregate(folder, year=YEAR).to_json_dict()
    from_register = aggregate_json(YEAR)
    assert from_register == from_folder
    assert from_register["coverage"]["summary"]["accepted"] == 3
    assert json.dumps(from_register, sort_keys=True) == json.dumps(from_folder, sort_keys=True)

    run = run_outputs("aggregate", YEAR, user=users["analyst"])
    with zipfile.ZipFile(io.BytesIO(bytes(run.content))) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        assert json.loads(z.read("aggregate.json")) == from_folder
    assert {"aggregate.json", "national-tables.xlsx", "talking-points.md", "manifest.json"} <= names
    assert [
        (i["name"], i["partnership"], i["version"], i["counted"]) for i in manifest["inputs"]
    ] == [
        ("angus.json", "Angus", 1, True),
        ("fife.yaml", "Fife", 1, True),
        ("moray.json", "Moray", 1, True),
    ]
    assert {i["sha256"] for i in manifest["inputs"]} == {s.sha256 for s in subs[:3]}
    assert manifest["source"] == "register (" + manifest["source"].split("(")[1]
    with pytest.raises(NotFound):
        run_outputs("aggregate", YEAR, user=users["fife"])


def test_report_from_the_register_carries_its_manifest() -> None:
    users = make_users()
    for s in _load(users, NAMES[:2]):
        decisions.decide(users["analyst"], s.pk, decision="accept")
    run = run_outputs("report", YEAR, user=users["analyst"])
    with zipfile.ZipFile(io.BytesIO(bytes(run.content))) as z:
        document = z.read("national-report-2021-22.docx")
        manifest = json.loads(z.read("national-report-2021-22.manifest.json"))
    assert manifest["outputs"] == [
        {"name": "national-report-2021-22.docx", "sha256": hashlib.sha256(document).hexdigest()}
    ]
    props = json.loads(docx.Document(io.BytesIO(document)).core_properties.comments)
    assert [i["partnership"] for i in props["inputs"]] == ["Angus", "Fife"]


SCRIPT = """
import sys
from cjreturns.register import setup
setup(sys.argv[1])
from cjreturns.register.services import accounts, decisions, intake
from pathlib import Path
analyst = accounts.add_user("a@cjs.example", role="analyst", password="a-long-test-password-42")
for path in sorted(Path(sys.argv[2]).iterdir()):
    if path.name not in sys.argv[3:]:
        continue
    checked = intake.validate_upload(path.read_bytes(), path.name, year="2021-22")
    s = intake.submit(path.read_bytes(), path.name, year="2021-22", user=analyst,
                      partnership=checked.partnership)
    if s.valid:
        decisions.decide(analyst, s.pk, decision="accept")
"""


@pytest.mark.slow
def test_aggregate_and_report_commands_from_a_register_equal_the_folder(tmp_path: Path) -> None:
    """Eight examples through the register and the commands, against a folder of the same."""
    folder = tmp_path / "folder"
    folder.mkdir()
    chosen = sorted(p.name for p in RETURNS.iterdir())[::4]
    for name in chosen:
        (folder / name).write_bytes((RETURNS / name).read_bytes())
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CJRETURNS_", "DJANGO_"))}
    env["SOURCE_DATE_EPOCH"] = "1675209600"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
        )

    assert run("-c", SCRIPT, url, str(RETURNS), *chosen).returncode == 0
    a = run(
        "-m",
        "cjreturns",
        "aggregate",
        "--register",
        url,
        "--year",
        YEAR,
        "--out",
        str(tmp_path / "reg"),
    )
    b = run(
        "-m", "cjreturns", "aggregate", str(folder), "--year", YEAR, "--out", str(tmp_path / "dir")
    )
    assert (a.returncode, b.returncode) == (0, 0), a.stderr + b.stderr
    assert a.stdout == b.stdout.replace(str(tmp_path / "dir"), str(tmp_path / "reg"))
    for name in ("aggregate.json", "talking-points.md", "table-06-indicators.csv"):
        assert (tmp_path / "reg" / name).read_bytes() == (tmp_path / "dir" / name).read_bytes()
    reg = json.loads((tmp_path / "reg" / "manifest.json").read_text())
    plain = json.loads((tmp_path / "dir" / "manifest.json").read_text())
    assert len(reg["inputs"]) == len(plain["inputs"]) == len(chosen)
    assert [(i["name"], i["sha256"]) for i in reg["inputs"]] == [
        (i["name"], i["sha256"]) for i in plain["inputs"]
    ]
    assert reg["outputs"] == plain["outputs"]  # the same bytes, file by file

    r = run(
        "-m",
        "cjreturns",
        "report",
        "--register",
        url,
        "--year",
        YEAR,
        "--out",
        str(tmp_path / "reg.docx"),
    )
    f = run(
        "-m",
        "cjreturns",
        "report",
        str(folder),
        "--year",
        YEAR,
        "--out",
        str(tmp_path / "dir.docx"),
    )
    assert (r.returncode, f.returncode) == (0, 0), r.stderr + f.stderr
    texts = [
        [p.text for p in docx.Document(str(tmp_path / n)).paragraphs]
        for n in ("reg.docx", "dir.docx")
    ]
    assert texts[0] == texts[1]
    usage = run("-m", "cjreturns", "aggregate", "--register", url, "--out", str(tmp_path / "x"))
    assert usage.returncode == 2 and "--register needs --year" in usage.stderr


def test_a_2023_framework_year_gets_the_2023_draft_with_the_numbers_of_a_folder(
    tmp_path: Path,
) -> None:
    """The year's framework decides the draft: the register's report run for 2024-25 gives the
    same document `cjreturns report` makes from a folder of the same files (not a 2016 one)."""
    import datetime as dt

    from cjreturns.aggregation.by_year import aggregate_for_year
    from cjreturns.outputs.by_year import build_report_for

    year = "2024-25"
    users = make_users()
    returns = RETURNS.parent / year
    folder = tmp_path / "same-files"
    folder.mkdir()
    for name in ("angus.yaml", "aberdeen-city.json"):
        data = (returns / name).read_bytes()
        checked = intake.validate_upload(data, name, year=year)
        sub = intake.submit(
            data, name, year=year, user=users["analyst"], partnership=checked.partnership
        )
        decisions.decide(users["analyst"], sub.pk, decision="accept")
        (folder / name).write_bytes(data)
    day = dt.date(2025, 12, 1)
    run = run_outputs("report", year, user=users["analyst"], today=day)
    with zipfile.ZipFile(io.BytesIO(bytes(run.content))) as z:
        document = docx.Document(io.BytesIO(z.read(f"national-report-{year}.docx")))
    from_folder = docx.Document(
        io.BytesIO(build_report_for(aggregate_for_year(folder, year=year), generated_on=day))
    )
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings == [
        p.text for p in from_folder.paragraphs if p.style and p.style.name == "Heading 1"
    ]
    assert [p.text for p in document.paragraphs] == [p.text for p in from_folder.paragraphs]
    # The 2023 framework's structure (its four aims), not the 2016 draft's numbered chapters.
    assert [h for h in headings if h.startswith("Aim ")][:1] == [
        "Aim 1: Optimise the use of diversion and intervention at the earliest opportunity"
    ]
    assert not any("Progress towards the national outcomes" in h for h in headings), headings
