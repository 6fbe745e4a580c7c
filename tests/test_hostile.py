"""Hostile and broken input through every command: it ends, it says which file and what is wrong,
and it never shows a traceback.

The table is case x command. Commands run in-process through CliRunner under an alarm (so a hang
fails the test instead of stalling the suite) and a wall-clock bound; the cases that could hang a
real process (a FIFO, /dev/zero) also run as subprocesses with a timeout.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hostile.corpus import CASES, CASES_BY_NAME, ENTITY_BOMB, EXAMPLES, PWNED_MARKER, Case
from typer.testing import CliRunner, Result

from cjreturns.cli import app

BOUND_SECONDS = 20  # generous: every case takes well under a second or two on a laptop

runner = CliRunner()


class Hung(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in the code swallows it."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    if not hasattr(signal, "SIGALRM"):  # Windows: rely on the wall-clock assertion alone
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- how each command is pointed at a case ------------------------------------------------------

Args = Callable[[Case, Path, Path], list[str]]


def _returns_folder(case: Case, target: Path) -> Path:
    return target if case.folder else target.parent


def _single_file(case: Case, target: Path) -> Path:
    """The one file a single-file command is given: the case's file, or the named one inside."""
    assert not case.whole_folder
    if case.folder:
        assert case.shown is not None
        return target / case.shown
    return target


def _validate(case: Case, target: Path, out: Path) -> list[str]:
    return ["validate", str(target)]


def _aggregate(case: Case, target: Path, out: Path) -> list[str]:
    return ["aggregate", str(_returns_folder(case, target)), "--out", str(out / "national")]


def _report(case: Case, target: Path, out: Path) -> list[str]:
    return ["report", str(_returns_folder(case, target)), "--out", str(out / "report.docx")]


def _convert(case: Case, target: Path, out: Path) -> list[str]:
    file = _single_file(case, target)
    to = "json" if file.suffix.lower() in (".yaml", ".yml") else "yaml"
    return ["convert", str(file), "--to", to, "--out", str(out / f"converted.{to}")]


COMMANDS: dict[str, Args] = {
    "validate": _validate,
    "aggregate": _aggregate,
    "report": _report,
    "convert": _convert,
}


def expected_exit(case: Case, command: str) -> tuple[int, ...]:
    """Exact for validate; the others may refuse a file as input (2) or find nothing they can
    count (1), unless the case is a usage problem for every command."""
    if command == "validate" or case.validate_exit == (2,):
        return case.validate_exit
    return (1, 2)


def build(case: Case, tmp_path: Path) -> tuple[Path, Path]:
    if case.posix_only and os.name != "posix":
        pytest.skip("needs FIFOs and symlinks")
    returns = tmp_path / "returns"
    returns.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    return case.build(returns), out


def run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, case: Case) -> tuple[Result, float]:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    start = time.perf_counter()
    with time_limit(BOUND_SECONDS):
        result = runner.invoke(app, args)
    return result, time.perf_counter() - start


def assert_told(result: Result, case: Case, target: Path, exits: tuple[int, ...]) -> None:
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in exits, output
    shown = case.shown or target.name
    assert shown in output, f"{shown!r} not named in:\n{output}"
    assert re.search(case.problem, output), f"{case.problem!r} not in:\n{output}"


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(
    case: Case, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if command == "convert" and case.whole_folder:
        pytest.skip(f"{command} takes one file; {case.name} is about a whole folder")
    target, out = build(case, tmp_path)
    args = COMMANDS[command](case, target, out)
    result, seconds = run_cli(args, monkeypatch, case)
    assert seconds < BOUND_SECONDS
    if command == "convert" and case.converts:
        assert result.exit_code == 0, result.output
        return
    assert_told(result, case, target, expected_exit(case, command))
    if command != "validate":  # a refused input leaves nothing behind
        assert sorted(p.name for p in out.iterdir()) == []
    assert not (tmp_path / PWNED_MARKER).exists()


def test_a_hostile_file_among_good_returns_is_named_and_the_rest_counted(tmp_path: Path) -> None:
    """One bad file in the reporting window must not stop the national count, nor vanish."""
    returns = tmp_path / "returns"
    shutil.copytree(EXAMPLES, returns)
    bomb = CASES_BY_NAME["yaml-alias-bomb"].build(returns)
    result = runner.invoke(app, ["aggregate", str(returns), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output  # input was left out, though outputs are written
    assert (tmp_path / "out" / "aggregate.json").is_file()
    assert "30 of 30 partnerships counted" in result.output
    assert re.search(rf"rejected: {bomb.name}: too-large .*expands to more than", result.output)


@pytest.mark.skipif(os.name != "posix", reason="needs FIFOs")
@pytest.mark.parametrize("command", ["validate", "aggregate", "report", "convert"])
def test_a_fifo_never_hangs_a_real_process(command: str, tmp_path: Path) -> None:
    """Out of process, with a timeout: the one case where a hang would block a person's shell."""
    case = CASES_BY_NAME["fifo"]
    target, out = build(case, tmp_path)
    args = COMMANDS[command](case, target, out)
    done = subprocess.run(
        [sys.executable, "-m", "cjreturns", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode in (1, 2), output
    assert "pipe.json" in output
    assert "Traceback" not in output


def test_control_characters_from_a_return_cannot_rewrite_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a partnership's name, a key or a file name is shown as \\x.. codes
    (run as if in a terminal, where click would otherwise pass escape sequences through)."""
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / "clear\x1b[2J.json").write_text(
        '{"partnership": "Angus\\u001b[2J\\u0007", "bad\\u001b]0;pwned\\u0007key": 1}',
        encoding="utf-8",
    )
    for args in (
        ["validate", str(returns)],
        ["aggregate", str(returns), "--out", str(tmp_path / "out")],
    ):
        done = runner.invoke(app, args, color=True)
        assert done.exit_code == 1, done.output
        assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", done.output), repr(done.output)
        assert "clear\\x1b[2J.json" in done.output
    done = runner.invoke(app, ["validate", str(returns)], color=True)
    assert "(Angus\\x1b[2J\\x07)" in done.output
    assert "bad\\x1b]0;pwned\\x07key" in done.output


def _docx_with_entities(where: Path) -> Path:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    path = where / "laughs.docx"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                head, body = data.decode("utf-8").split("?>", 1)
                body = body.replace("<w:body>", "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>", 1)
                data = (
                    head + "?>" + ENTITY_BOMB.replace("worksheet", "w:document") + body
                ).encode()
            dst.writestr(name, data)
    return path


DOCX_CASES = {
    "not-a-zip": (
        lambda w: CASES_BY_NAME["json-malformed"].build(w).rename(w / "r.docx"),
        r"not a Word \.docx file",
    ),
    "zip-bomb": (
        lambda w: CASES_BY_NAME["zip-bomb-xlsx"].build(w).rename(w / "bomb.docx"),
        r"unzips to 20 MB, over the limit",
    ),
    "entity-bomb": (_docx_with_entities, r"declares XML entities"),
    "workbook-as-docx": (
        lambda w: CASES_BY_NAME["xlsm"].build(w).rename(w / "book.docx"),
        r"not a Word \.docx",
    ),
    "fifo": (
        lambda w: CASES_BY_NAME["fifo"].build(w).rename(w / "pipe.docx"),
        r"not an ordinary file",
    ),
}


@pytest.mark.parametrize("name", list(DOCX_CASES))
def test_check_docx_refuses_hostile_documents(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "fifo" and os.name != "posix":
        pytest.skip("needs FIFOs")
    monkeypatch.setenv("CJRETURNS_MAX_ARCHIVE_BYTES", "1000000")
    build_docx, problem = DOCX_CASES[name]
    path = build_docx(tmp_path)
    with time_limit(BOUND_SECONDS):
        done = runner.invoke(app, ["check-docx", str(path)])
    assert "Traceback" not in done.output
    assert done.exit_code == 2, done.output
    assert path.name in done.output
    assert re.search(problem, done.output), done.output


_YAML_CASES = [
    c for c in CASES if not c.folder and not c.whole_folder and not c.posix_only and not c.env
]


@pytest.mark.parametrize("case", _YAML_CASES, ids=lambda c: c.name)
def test_hostile_yaml_reads_the_same_under_both_parsers(case: Case, tmp_path: Path) -> None:
    """libyaml and PyYAML's pure-Python parser give the same findings at the same places."""
    from cjreturns.readers import Limits, yaml_reader

    path = case.build(tmp_path)
    if path.suffix not in (".yaml", ".yml"):
        pytest.skip("not a YAML case")
    data = path.read_bytes()
    seen = {}
    for name, loader in yaml_reader.LOADERS.items():
        original = yaml_reader._Loader
        yaml_reader._Loader = loader
        try:
            result = yaml_reader.read_yaml(data, Limits())
        finally:
            yaml_reader._Loader = original
        seen[name] = [(f.rule, f.line) for f in result.findings]
    assert seen["c"] == seen["python"]
