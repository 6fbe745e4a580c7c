"""`cjreturns aggregate` through CliRunner: exit codes, summary and refusing to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from aggregate_helpers import minimal_return, write_return
from typer.testing import CliRunner

from cjreturns.cli import app

runner = CliRunner()


@pytest.fixture()
def returns(tmp_path: Path) -> Path:
    d = tmp_path / "returns"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    write_return(d, "angus.yaml", minimal_return("Angus", submitted_on="2022-10-01"))
    bad = minimal_return("Moray")
    del bad["outcomes"]["3"]
    write_return(d, "moray.yaml", bad)
    return d


def test_aggregate_runs_and_summarises(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["aggregate", str(returns), "--out", str(out)])
    assert result.exit_code == 1, result.output  # Moray's return was rejected
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "2021-22: 2 of 30 partnerships counted (1 late); 3 files read, "
        "1 rejected, 0 superseded, 0 in conflict, 27 missing."
    )
    assert lines[1] == (
        "  rejected: moray.yaml: missing-field at 17:1: Outcome 3 is missing. "
        "Add it, with its activities or a `no_activity_reason`."
    )
    assert lines[-1] == (
        f"Wrote 15 files to {out}: aggregate.json, national-tables.xlsx, "
        "talking-points.md, manifest.json and 11 CSV tables."
    )
    assert (out / "aggregate.json").exists()


def test_refuses_to_overwrite_without_force(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["aggregate", str(returns), "--out", str(out)]).exit_code == 1
    before = (out / "aggregate.json").stat().st_mtime_ns
    again = runner.invoke(app, ["aggregate", str(returns), "--out", str(out)])
    assert again.exit_code == 2
    assert "already exists; use --force to overwrite" in again.stderr
    assert (out / "aggregate.json").stat().st_mtime_ns == before
    forced = runner.invoke(app, ["aggregate", str(returns), "--out", str(out), "--force"])
    assert forced.exit_code == 1, forced.output
    assert (out / "aggregate.json").stat().st_mtime_ns != before


def test_exit_code_is_0_when_every_return_counts(tmp_path: Path) -> None:
    returns = tmp_path / "returns"
    write_return(returns, "fife.yaml", minimal_return("Fife"))
    result = runner.invoke(app, ["aggregate", str(returns), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}", "--out", "{out}"], "no such folder"),
        (
            ["{returns}", "--out", "{out}", "--year", "2021/22"],
            "--year '2021/22' is not a reporting year like 2021-22",
        ),
        (["{returns}", "--out", "{returns}/out"], "is inside"),
        (["{empty}", "--out", "{out}"], "no return files"),
        (["{returns}", "--out", "{out}", "--talking-points", "{missing}"], "no such file"),
    ],
)
def test_usage_problems_exit_2(
    returns: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    values = {
        "returns": str(returns),
        "out": str(tmp_path / "out"),
        "missing": str(tmp_path / "nope"),
        "empty": str(tmp_path / "empty"),
    }
    result = runner.invoke(app, ["aggregate", *(a.format(**values) for a in args)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_nothing_counted_exits_1_and_writes_nothing(returns: Path, tmp_path: Path) -> None:
    # With --year 2022-23 every 2021-22 return has an error (wrong year): none can count.
    result = runner.invoke(
        app, ["aggregate", str(returns), "--out", str(tmp_path / "o"), "--year", "2022-23"]
    )
    assert result.exit_code == 1
    assert "could be counted (3 read, 3 rejected); nothing was written" in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_talking_points_file_exits_2(returns: Path, tmp_path: Path) -> None:
    rules = tmp_path / "tp.yaml"
    rules.write_text(
        "rules:\n  - {id: a, for_each: coverage, when: 'N >', text: x}\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        ["aggregate", str(returns), "--out", str(tmp_path / "o"), "--talking-points", str(rules)],
    )
    assert result.exit_code == 2
    assert "talking-point rule `a`: cannot read the condition" in result.stderr


def test_help_lists_aggregate() -> None:
    result = runner.invoke(app, ["--help"])
    assert "aggregate" in result.stdout
