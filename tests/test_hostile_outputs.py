"""Nothing lost, nothing leaked: what the commands write when the input is hostile.

- Outputs are never overwritten without --force, and a failure part way (a writer that raises, a
  disk that fills) leaves the earlier outputs byte for byte as they were, with no temporary files.
- Contact details, sign-off and case-study text never reach a national output (every file of the
  example run is scanned: JSON, CSV, markdown and every XML part of the .xlsx and .docx,
  including headers, footers and document properties).
- Text from a return written to .xlsx or CSV can never run as a formula.
- Nothing from a return becomes a Word field code or an external link in the report draft.
- An internal bug is one line and a hint without --debug, and the traceback with it.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner, Result

from cjreturns.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "returns" / "2021-22"
CONTEXT = ROOT / "examples" / "context-2021-22.yaml"

FIELD_TEXT = (
    'HYPERLINK "http://evil.example/x" { INCLUDETEXT "C:\\\\secret.txt" } { DDEAUTO cmd } '
    "https://evil.example/phish \x01\x07\x1b[2J\u200b"
)
FORMULAS = ("=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://evil.example","x")')
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


# -- a national run over returns carrying hostile text ----------------------------------------


def _hostile_angus() -> dict[str, Any]:
    """Angus's valid return with field codes, links, control characters and formula-like text in
    every activity title and description, and formula-like partners. Still a valid return."""
    doc = json.loads((EXAMPLES / "angus.json").read_text(encoding="utf-8"))
    for outcome in doc["outcomes"].values():
        for i, act in enumerate(outcome.get("activities", [])):
            act["title"] = f"{FORMULAS[i % len(FORMULAS)]} {act['title']}"
            act["description"] = f"{FIELD_TEXT} {act['description']}"
    doc["governance"]["other_partners"] = list(FORMULAS)
    return doc


def _leaky_rejected() -> dict[str, Any]:
    """A return rejected for errors whose messages would quote its contact and sign-off."""
    doc = json.loads((EXAMPLES / "moray.json").read_text(encoding="utf-8"))
    doc["contact"] = "Morag Leakcheck, morag.leakcheck@example.org, 07700 900123"
    doc.setdefault("sign_off", {})["date"] = "signed by Hamish Leakcheck on the 29th"
    return doc


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _personal_and_public(doc: dict[str, Any], *, case_studies: bool) -> tuple[list[str], list[str]]:
    """(text from contact, sign-off [and case studies]; all the other text) of one return."""
    personal = [*_strings(doc.get("contact")), *_strings(doc.get("sign_off"))]
    public: list[str] = []
    for key, value in doc.items():
        if key not in ("contact", "sign_off", "outcomes"):
            public.extend(_strings(value))
    for outcome in doc.get("outcomes", {}).values():
        for key, value in outcome.items():
            if key == "case_studies":
                if case_studies:
                    personal.extend(_strings(value))
            else:
                public.extend(_strings(value))
    return personal, public


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("national")
    returns = base / "returns"
    shutil.copytree(EXAMPLES, returns)
    (returns / "angus.json").write_text(json.dumps(_hostile_angus(), indent=2), encoding="utf-8")
    (returns / "moray.json").unlink()
    (returns / "=HYPERLINK(1) moray.json").write_text(
        json.dumps(_leaky_rejected()), encoding="utf-8"
    )
    (returns / "+cmd.yaml").write_text("partnership: [broken\n", encoding="utf-8")
    national = base / "national"
    # Two rejected files: outputs are written from the rest, and the exit code says input was
    # left out.
    done = invoke("aggregate", returns, "--out", national)
    assert done.exit_code == 1, done.output
    assert (national / "aggregate.json").is_file()
    report = base / "report.docx"
    done = invoke("report", returns, "--out", report, "--context", CONTEXT)
    assert done.exit_code == 1, done.output
    assert report.is_file()
    return {"returns": returns, "national": national, "report": report}


def _xml_text(data: bytes) -> str:
    """Every text node and attribute value of an XML part."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    parts: list[str] = []
    for el in root.iter():
        parts.extend(str(v) for v in el.attrib.values())
        if isinstance(el.text, str):
            parts.append(el.text)
        if isinstance(el.tail, str):
            parts.append(el.tail)
    return "".join(parts)


def output_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(name, text) for every part of every output under `path` (a file or a folder)."""
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for f in files:
        if f.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(f) as z:
                for name in z.namelist():
                    if name.endswith((".xml", ".rels")):
                        yield f"{f.name}:{name}", _xml_text(z.read(name))
        elif f.is_file():
            yield f.name, f.read_text(encoding="utf-8")


def personal_needles(returns: Path, *, case_studies: bool) -> set[str]:
    """Squashed text (whitespace removed, first 80 characters) of every contact and sign-off
    value and, if asked, every case study in the returns, less anything also said in public
    parts of a return (a case-study title that is also an activity title may be published)."""
    personal: list[str] = []
    public: list[str] = []
    for f in sorted(returns.iterdir()):
        if f.suffix == ".yaml" and f.name != "+cmd.yaml":
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        elif f.suffix == ".json":
            doc = json.loads(f.read_text(encoding="utf-8"))
        else:
            continue
        mine, theirs = _personal_and_public(doc, case_studies=case_studies)
        personal.extend(mine)
        public.extend(theirs)
    public_text = _squash(" ".join(public))
    needles = {_squash(p)[:80] for p in personal if len(_squash(p)) >= 6}
    needles = {n for n in needles if not re.fullmatch(r"\d{4}-\d\d-\d\d", n)}  # sign-off dates
    return {n for n in needles if n not in public_text}


def leaks(national: dict[str, Path], needles: set[str]) -> list[tuple[str, str]]:
    texts = [*output_texts(national["national"]), *output_texts(national["report"])]
    assert any(name.startswith("report.docx:word/header") for name, _ in texts)
    assert any(name == "report.docx:docProps/core.xml" for name, _ in texts)
    return [(name, needle) for name, text in texts for needle in needles if needle in _squash(text)]


def test_no_contact_or_sign_off_reaches_a_national_output(national: dict[str, Path]) -> None:
    needles = personal_needles(national["returns"], case_studies=False)
    assert len(needles) > 50  # 30 contacts and sign-offs, and the rejected return's: not vacuous
    assert "moragleakcheck,morag.leakcheck@example.org,07700900123" in needles
    assert leaks(national, needles) == []


def test_no_case_study_text_reaches_a_national_output(national: dict[str, Path]) -> None:
    needles = personal_needles(national["returns"], case_studies=True)
    assert leaks(national, needles) == []


def _cells(path: Path) -> Iterator[tuple[str, Any, str]]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield f"{ws.title}!{c.coordinate}", c.value, c.data_type


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def test_no_text_in_the_national_tables_can_run_as_a_formula(national: dict[str, Path]) -> None:
    cells = list(_cells(national["national"] / "national-tables.xlsx"))
    assert [(where, v) for where, v, kind in cells if kind == "f"] == []
    unsafe = [
        (where, v) for where, v, _ in cells if isinstance(v, str) and v.startswith(FORMULA_START)
    ]
    assert unsafe == []
    fields = [
        (f.name, field)
        for f in sorted(national["national"].glob("*.csv"))
        for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8")))
        for field in row
    ]
    assert len(cells) > 500 and len(fields) > 500
    assert [x for x in fields if x[1].startswith(FORMULA_START) and not _is_number(x[1])] == []


def test_formula_like_text_round_trips_through_the_coordinator_workbook(tmp_path: Path) -> None:
    doc = _hostile_angus()
    for act in (a for o in doc["outcomes"].values() for a in o.get("activities", [])):
        act["description"] = act["description"].replace(FIELD_TEXT, FORMULAS[0])
    source = tmp_path / "angus.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    book, back = tmp_path / "angus.xlsx", tmp_path / "back.json"
    assert invoke("convert", source, "--to", "xlsx", "--out", book).exit_code == 0
    cells = list(_cells(book))
    assert [(where, v) for where, v, kind in cells if kind == "f"] == []
    assert [(w, v) for w, v, _ in cells if isinstance(v, str) and v.startswith(FORMULA_START)] == []
    assert invoke("convert", book, "--to", "json", "--out", back).exit_code == 0
    assert json.loads(back.read_text(encoding="utf-8")) == doc


def test_control_characters_are_refused_by_the_workbook_not_crashed_on(tmp_path: Path) -> None:
    source = tmp_path / "angus.json"
    source.write_text(json.dumps(_hostile_angus()), encoding="utf-8")
    done = invoke("convert", source, "--to", "xlsx", "--out", tmp_path / "angus.xlsx")
    assert done.exit_code == 1
    assert "cannot be written to a workbook" in done.output
    assert not (tmp_path / "angus.xlsx").exists()


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_nothing_from_a_return_becomes_a_field_or_a_link_in_the_report(
    national: dict[str, Path],
) -> None:
    with zipfile.ZipFile(national["report"]) as z:
        parts = {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}
    body = parts["word/document.xml"]
    root = etree.fromstring(body)
    text = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "INCLUDETEXT" in text and "evil.example" in text  # quoted, as plain text
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", body)
    instructions = [
        *("".join(e.itertext()) for e in root.iter(f"{W}instrText")),
        *(e.get(f"{W}instr") or "" for e in root.iter(f"{W}fldSimple")),
    ]
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/document.xml":
            part = etree.fromstring(data)
            instructions += ["".join(e.itertext()) for e in part.iter(f"{W}instrText")]
            instructions += [e.get(f"{W}instr") or "" for e in part.iter(f"{W}fldSimple")]
    fields = [i.split()[0] for i in instructions if i.strip()]
    assert set(fields) <= {"TOC", "PAGE", "NUMPAGES"}, instructions
    assert not [i for i in instructions if re.search(r"evil|INCLUDE|DDE|HYPERLINK", i)]
    external = [
        rel.get("Target")
        for name, data in parts.items()
        if name.endswith(".rels")
        for rel in etree.fromstring(data)
        if rel.get("TargetMode") == "External"
    ]
    assert not [t for t in external if "evil" in (t or "")], external


# -- never overwritten, never half-written -----------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def previous_outputs(national: dict[str, Path], out: Path) -> dict[str, bytes]:
    """Last week's outputs: every file name of a run, each with content of its own, so an
    overwrite cannot go unnoticed (re-running gives byte-identical files)."""
    out.mkdir()
    for f in sorted(national["national"].iterdir()):
        (out / f.name).write_bytes(b"last week's " + f.name.encode())
    return snapshot(out)


def test_aggregate_refuses_to_overwrite_without_force(
    national: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "national"
    before = previous_outputs(national, out)
    done = invoke("aggregate", national["returns"], "--out", out)
    assert done.exit_code == 2
    assert "already exists; use --force to overwrite" in done.output
    assert snapshot(out) == before


def test_a_late_failure_leaves_every_earlier_national_output_intact(
    national: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cjreturns.outputs.national_tables as national_tables

    out = tmp_path / "national"
    before = previous_outputs(national, out)

    def broken_workbook(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("workbook writer failed")  # aggregate.json is rendered by now

    monkeypatch.setattr(national_tables, "statistics_workbook", broken_workbook)
    done = invoke("aggregate", national["returns"], "--out", out, "--force")
    assert done.exit_code == 3
    assert "workbook writer failed" in done.output
    assert snapshot(out) == before  # byte-identical, and no temporary files left behind


def test_a_disk_failure_while_writing_leaves_outputs_intact(
    national: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cjreturns.outputs.files as files

    out = tmp_path / "national"
    before = previous_outputs(national, out)
    calls = {"n": 0}
    real_fsync = files.os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 5:  # part way through the 14 files
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", failing_fsync)
    done = invoke("aggregate", national["returns"], "--out", out, "--force")
    assert done.exit_code != 0
    assert "No space left on device" in done.output
    assert snapshot(out) == before


def test_report_is_never_overwritten_without_force_nor_broken_by_a_failure(
    national: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cjreturns.outputs.files as files

    report = tmp_path / "report.docx"
    shutil.copy(national["report"], report)
    before = snapshot(tmp_path)
    done = invoke("report", national["returns"], "--out", report)
    assert done.exit_code == 2
    assert "already exists; use --force" in done.output

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    done = invoke("report", national["returns"], "--out", report, "--force")
    assert done.exit_code != 0
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["template", "convert"])
def test_template_and_convert_never_overwrite_without_force(command: str, tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    out.write_bytes(b"a coordinator's only copy")
    args: list[str | Path] = (
        ["template", "--out", out]
        if command == "template"
        else ["convert", EXAMPLES / "angus.json", "--to", "xlsx", "--out", out]
    )
    done = invoke(*args)
    assert done.exit_code == 2
    assert "already exists; use --force" in done.output
    assert out.read_bytes() == b"a coordinator's only copy"
    done = invoke(*args, "--force")
    assert done.exit_code == 0, done.output
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["return.xlsx"]  # no temporary files


# -- --debug -----------------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("boom\nsecond line of a long message")


COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", str(EXAMPLES / "angus.json")],
    "aggregate": ["aggregate", str(EXAMPLES), "--out", "{tmp}/national"],
    "report": ["report", str(EXAMPLES), "--out", "{tmp}/report.docx"],
    "convert": ["convert", str(EXAMPLES / "angus.json"), "--to", "xlsx", "--out", "{tmp}/a.xlsx"],
    "template": ["template", "--out", "{tmp}/t.xlsx"],
}


@pytest.fixture
def bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A genuine bug deep in the library: reading any return, or building the template."""
    import cjreturns.validation.engine as engine
    import cjreturns.workbook as workbook

    convert = importlib.import_module("cjreturns.workbook.convert")  # `convert` is also a function

    monkeypatch.setattr(engine, "read_return", _boom)
    monkeypatch.setattr(convert, "read_return", _boom)
    monkeypatch.setattr(workbook, "generate_template", _boom)


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.usefixtures("bug")
def test_an_internal_bug_is_one_line_and_a_hint(command: str, tmp_path: Path) -> None:
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    done = runner.invoke(app, args)
    assert done.exit_code == 3
    lines = [line for line in done.output.splitlines() if line.strip()]
    assert lines == [
        "Error: internal error (RuntimeError: boom). This is a bug in cjreturns: run again "
        "with --debug to see the details and please report it."
    ]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.usefixtures("bug")
def test_debug_shows_the_traceback(command: str, tmp_path: Path) -> None:
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    done = runner.invoke(app, ["--debug", *args])
    assert done.exit_code == 3
    assert "Traceback (most recent call last)" in done.output
    assert "RuntimeError: boom" in done.output
    # --debug does not stick to later runs in the same process.
    again = runner.invoke(app, args)
    assert "Traceback" not in again.output


def test_a_closed_pipe_is_not_reported_as_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cjreturns aggregate ... | head -1`: the reader goes away while we are still writing."""
    import typer

    real_echo = typer.echo

    def echo(message: Any = None, *args: Any, err: bool = False, **kwargs: Any) -> None:
        if not err:
            raise BrokenPipeError(32, "Broken pipe")
        real_echo(message, *args, err=err, **kwargs)

    monkeypatch.setattr(typer, "echo", echo)
    done = runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(tmp_path / "out")])
    assert done.exit_code == 141
    assert done.output == ""


def test_a_file_that_cannot_be_replaced_rolls_back_the_others(
    national: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on Windows when national-tables.xlsx is open in Excel: aggregate.json has already
    been replaced when the workbook cannot be. Every output must be put back as it was."""
    import cjreturns.outputs.files as files

    out = tmp_path / "national"
    before = previous_outputs(national, out)
    real_replace = files.os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst).name == "national-tables.xlsx":
            raise PermissionError(13, "The file is open in another program", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    done = invoke("aggregate", national["returns"], "--out", out, "--force")
    assert done.exit_code != 0
    assert "open in another program" in done.output
    assert snapshot(out) == before
