"""`cjreturns template` and `cjreturns convert` through the CLI, and `validate` on workbooks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from workbook_helpers import small_return, small_workbook, type_into

from cjreturns.cli import app
from cjreturns.contract.reference import load_reference

runner = CliRunner()


def test_template_writes_a_workbook_and_will_not_overwrite_it(tmp_path: Path) -> None:
    out = tmp_path / "return-2021-22.xlsx"
    result = runner.invoke(app, ["template", "--out", str(out), "--partnership", "Edinburgh"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}\n"
    assert load_workbook(out)["Partnership"]["B4"].value == "City of Edinburgh"
    again = runner.invoke(app, ["template", "--out", str(out)])
    assert again.exit_code == 2
    assert "already exists; use --force to overwrite" in again.output
    forced = runner.invoke(app, ["template", "--out", str(out), "--force", "--year", "2022-23"])
    assert forced.exit_code == 0
    assert load_workbook(out)["Partnership"]["B5"].value == "2022-23"


def test_template_usage_problems_exit_2(tmp_path: Path) -> None:
    cases = [
        (["--partnership", "Atlantis"], "'Atlantis' is not a partnership"),
        (["--year", "2022"], "'2022' is not a reporting year"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["template", "--out", str(tmp_path / "r.xlsx"), *extra])
        assert result.exit_code == 2 and message in result.output, result.output
    wrong = runner.invoke(app, ["template", "--out", str(tmp_path / "r.xls")])
    assert wrong.exit_code == 2 and "should end with .xlsx" in wrong.output
    assert not list(tmp_path.iterdir())


def test_convert_round_trip_through_the_cli(tmp_path: Path) -> None:
    source = tmp_path / "r.json"
    source.write_text(json.dumps(small_return()), encoding="utf-8")
    xlsx, yaml_out, back = tmp_path / "r.xlsx", tmp_path / "r.yaml", tmp_path / "back.json"
    for args in (
        [str(source), "--to", "xlsx", "--out", str(xlsx)],
        [str(xlsx), "--to", "yaml", "--out", str(yaml_out)],
        [str(yaml_out), "--to", "json", "--out", str(back)],
    ):
        result = runner.invoke(app, ["convert", *args])
        assert result.exit_code == 0, result.output
    assert json.loads(back.read_text(encoding="utf-8")) == small_return()


def test_convert_refuses_a_file_with_reading_errors_and_lists_them(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["convert", str(bad), "--to", "json", "--out", str(out)])
    assert result.exit_code == 1
    assert "workbook-unreadable" in result.output
    assert f"Error: {bad} cannot be converted: it has 1 error to fix first" in result.output
    assert not out.exists()


def test_convert_usage_problems_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "r.json"
    source.write_text(json.dumps(small_return()), encoding="utf-8")
    cases = [
        ([str(tmp_path / "missing.json"), "--to", "xlsx", "--out", str(tmp_path / "o.xlsx")],
         "no such file"),
        ([str(source), "--to", "yaml", "--out", str(tmp_path / "o.json")],
         "should end with .yaml or .yml"),
        ([str(source), "--to", "json", "--out", str(source), "--force"],
         "--out is the file being converted"),
    ]  # fmt: skip
    for args, message in cases:
        result = runner.invoke(app, ["convert", *args])
        assert result.exit_code == 2 and message in result.output, result.output


def test_validate_reports_workbook_cells_in_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "fife.xlsx"
    path.write_bytes(type_into(small_workbook(), {"Outcome 1!D5": "Community events"}))
    text = runner.invoke(app, ["validate", str(path)])
    assert text.exit_code == 1
    assert (
        "  Outcome 1!D5  error    unknown-code  Outcome 1 sheet, 'Theme 2' (D5): 'Community "
        "events' is not one of the choices in the drop-down list." in text.output
    )
    as_json = runner.invoke(app, ["validate", str(path), "--format", "json"])
    findings = json.loads(as_json.output)["files"][0]["findings"]
    assert [(f["rule"], f["cell"], f["line"]) for f in findings] == [
        ("unknown-code", "Outcome 1!D5", None)
    ]


def test_validate_reads_workbooks_among_other_returns_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(small_workbook())
    (tmp_path / "b.json").write_text(json.dumps(small_return()), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "--year", "2021-22"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("2 files checked: 2 valid, 0 invalid; 0 errors, 0 warnings.\n")


def _without_file_names(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_file_names(v) for k, v in value.items() if k != "file"}
    if isinstance(value, list):
        return [_without_file_names(v) for v in value]
    return value


def test_aggregate_counts_workbooks_like_any_other_return(tmp_path: Path) -> None:
    examples = sorted((Path(__file__).resolve().parent.parent / "examples" / "returns" /
                       "2021-22").glob("*.*"))[:6]  # fmt: skip
    if not examples:
        pytest.skip("examples/returns/2021-22 holds no returns yet")
    plain, mixed = tmp_path / "plain", tmp_path / "mixed"
    for folder in (plain, mixed):
        folder.mkdir()
        for p in examples:
            shutil.copy(p, folder / p.name)
    for p in examples[:3]:
        converted = runner.invoke(
            app, ["convert", str(p), "--to", "xlsx", "--out", str(mixed / f"{p.stem}.xlsx")]
        )
        assert converted.exit_code == 0, converted.output
        (mixed / p.name).unlink()
    for folder in (plain, mixed):
        out = tmp_path / f"{folder.name}-out"
        result = runner.invoke(app, ["aggregate", str(folder), "--out", str(out)])
        assert result.exit_code == 0, result.output

    def counts(folder: Path) -> object:
        data = json.loads((tmp_path / f"{folder.name}-out" / "aggregate.json").read_text("utf-8"))
        return _without_file_names(data)

    assert counts(mixed) == counts(plain)
    accepted = json.loads((tmp_path / "mixed-out" / "aggregate.json").read_text("utf-8"))
    files = sorted(a["file"] for a in accepted["coverage"]["accepted"])
    assert len(files) == 6 and sum(f.endswith(".xlsx") for f in files) == 3


@pytest.mark.parametrize(
    ("day", "year"),
    [
        ("2026-03-31", "2025-26"),  # 2024-25 returns were due in September: 2025-26 next
        ("2026-04-01", "2025-26"),  # 2025-26 has just ended; its returns are due 30 September
        ("2026-09-30", "2025-26"),
        ("2026-10-01", "2026-27"),  # past the due date: the year in progress
        ("2027-02-01", "2026-27"),
        ("1999-12-31", "1999-00"),
    ],
)
def test_the_default_year_is_the_one_whose_return_is_being_prepared(
    day: str, year: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    date = dt.date.fromisoformat(day)
    assert load_reference().return_year_on(date) == year
    # the command takes today from SOURCE_DATE_EPOCH, as `report` does, so it can be fixed
    epoch = int(dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    out = tmp_path / "return.xlsx"
    result = runner.invoke(app, ["template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["Partnership"]["B5"].value == year
