"""`cjreturns validate`, `cjreturns rules` and `cjreturns codes` through the CLI runner.

Exit codes: 0 no errors (warnings allowed), 1 any error, 2 usage problems. Never a traceback.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from cjreturns.cli import app
from cjreturns.contract.reference import load_reference
from cjreturns.validation.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "examples" / "invalid" / "returns"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (INVALID.parent / "expected.yaml").read_text(encoding="utf-8")
)

runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def as_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# -- exit codes -----------------------------------------------------------------------------------


def test_valid_file_exits_0() -> None:
    result = run("validate", INVALID / "valid-bom-gaelic.yaml")
    assert result.exit_code == 0
    assert result.stdout.endswith("1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings.\n")


def test_warnings_alone_exit_0() -> None:
    result = run("validate", INVALID / "partnership-alias.yaml", INVALID / "submitted-late.yaml")
    assert result.exit_code == 0
    assert "2 files checked: 2 valid, 0 invalid; 0 errors, 2 warnings." in result.stdout


def test_any_error_exits_1() -> None:
    result = run("validate", INVALID / "valid-bom-gaelic.yaml", INVALID / "bad-format.yaml")
    assert result.exit_code == 1
    assert "2 files checked: 1 valid, 1 invalid; 1 error, 0 warnings." in result.stdout


def test_unreadable_file_is_an_error_with_its_line() -> None:
    result = run("validate", INVALID / "json-syntax.json")
    assert result.exit_code == 1
    assert "  15:3  error    json-syntax  The file is not valid JSON" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "no/such/return.yaml"], "no such file or folder: no/such/return.yaml"),
        (["validate", "--year", "2021-2022", str(INVALID)], "--year '2021-2022' is not"),
        (["validate", "--year", "2021-23", str(INVALID)], "is not a reporting year like 2021-22"),
        (["validate", "--format", "xml", str(INVALID)], "--format"),
        (["validate", "--colour", str(INVALID)], "--colour"),
        (["validate"], "Missing argument"),
        (["codes", "colours"], "no list called 'colours'"),
        (["rules", "--format", "pdf"], "--format"),
        (["no-such-command"], "No such command"),
    ],
)
def test_usage_problems_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert result.stdout == ""


def test_empty_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a return")
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no return files" in result.stderr


# -- JSON output ---------------------------------------------------------------------------------

FILE_KEYS = {"path", "partnership", "reporting_year", "valid", "errors", "warnings", "findings"}
FINDING_KEYS = {"rule", "severity", "path", "line", "column", "message"}


def test_json_output_shape_over_the_whole_invalid_folder() -> None:
    result = run("validate", "--format", "json", INVALID)
    assert result.exit_code == 1
    data = as_json(result)
    assert set(data) == {"files", "summary"}
    assert set(data["summary"]) == {"files", "valid", "invalid", "errors", "warnings"}
    assert len(data["files"]) == len(EXPECTED)
    for f in data["files"]:
        assert set(f) >= FILE_KEYS, f.keys()
        assert set(f) - FILE_KEYS <= {"format"}
        assert isinstance(f["valid"], bool)
        assert f["errors"] == sum(1 for x in f["findings"] if x["severity"] == "error")
        assert f["warnings"] == sum(1 for x in f["findings"] if x["severity"] == "warning")
        assert f["valid"] is (f["errors"] == 0)
        for x in f["findings"]:
            assert set(x) == FINDING_KEYS
            assert x["severity"] in {"error", "warning"}
            assert x["rule"] in RULES
            assert isinstance(x["path"], str)
    # Files come in path order.
    names = [Path(f["path"]).name for f in data["files"]]
    assert names == sorted(EXPECTED)
    summary = data["summary"]
    expected_findings = [x for case in EXPECTED.values() for x in case.get("findings") or []]
    # reporting-year-mismatch only fires with --year, so it is not counted here.
    expected_findings = [x for x in expected_findings if x["rule"] != "reporting-year-mismatch"]
    assert summary["files"] == len(EXPECTED)
    assert summary["errors"] == sum(1 for x in expected_findings if x["severity"] == "error")
    assert summary["warnings"] == sum(1 for x in expected_findings if x["severity"] == "warning")
    assert summary["valid"] + summary["invalid"] == summary["files"]
    assert summary["valid"] == sum(1 for f in data["files"] if f["valid"])


def test_json_finding_paths_are_dotted_with_numeric_indices() -> None:
    result = run("validate", "-f", "json", INVALID / "unknown-code.json")
    (f,) = as_json(result)["files"]
    assert f["partnership"] == "Fife"
    assert f["reporting_year"] == "2021-22"
    assert f["valid"] is False
    assert f["findings"] == [
        {
            "rule": "unknown-code",
            "severity": "error",
            "path": "outcomes.3.activities.0.themes.1",
            "line": 50,
            "column": 13,
            "message": "'substance_use_service' is not a recognised theme code. Did you mean "
            "'substance_use_services'? `cjreturns codes themes` lists them.",
        }
    ]


def test_json_for_an_unreadable_file_has_nulls_not_missing_keys() -> None:
    (f,) = as_json(run("validate", "-f", "json", INVALID / "file-empty.yaml"))["files"]
    assert f["partnership"] is None
    assert f["reporting_year"] is None
    assert f["findings"][0]["rule"] == "file-empty"
    assert f["findings"][0]["path"] == ""
    assert f["findings"][0]["line"] is None


def test_alias_is_reported_with_the_reference_name() -> None:
    (f,) = as_json(run("validate", "-f", "json", INVALID / "partnership-alias.yaml"))["files"]
    assert f["partnership"] == "Glasgow City"
    assert f["valid"] is True
    assert [x["rule"] for x in f["findings"]] == ["partnership-alias"]


def test_findings_are_grouped_by_file_and_ordered_by_position(tmp_path: Path) -> None:
    text = (INVALID / "valid-bom-gaelic.yaml").read_text(encoding="utf-8-sig")
    text = (
        text.replace("reporting_year: 2021-22", "reporting_year: 2021/22")
        .replace("themes: [needs_assessment]", "themes: [needs_asessment]")
        .replace("submitted_on: 2022-09-29", "submitted_on: 29/09/2022")
        .replace("  7:\n", "  7:\n    self_evaluation: 9\n")
    )
    many = tmp_path / "many.yaml"
    many.write_text(text, encoding="utf-8")
    result = run("validate", "-f", "json", many, INVALID / "yaml-syntax.yaml")
    first, second = as_json(result)["files"]
    assert Path(first["path"]).name == "many.yaml"
    assert Path(second["path"]).name == "yaml-syntax.yaml"
    rules = [x["rule"] for x in first["findings"]]
    assert rules == ["reporting-year-format", "bad-format", "unknown-code", "unknown-code"]
    lines = [(x["line"], x["column"]) for x in first["findings"]]
    assert lines == sorted(lines)
    assert first["findings"][-1]["path"] == "outcomes.7.self_evaluation"


# -- text output ---------------------------------------------------------------------------------


def test_text_output_gives_line_column_rule_path_and_message() -> None:
    result = run("validate", INVALID / "count-exceeds.yaml", INVALID / "file-empty.yaml")
    lines = result.stdout.splitlines()
    assert lines[0].endswith("count-exceeds.yaml (Fife 2021-22): INVALID, 1 error, 0 warnings")
    assert lines[1].startswith(
        "  41:7  error    count-exceeds  outcomes.4.indicators.diversion_commenced: "
        "`diversion_commenced` is 210, more than `diversion_referrals` (120)"
    )
    assert lines[2].endswith("file-empty.yaml: INVALID, 1 error, 0 warnings")
    assert lines[3] == (
        "  (file)  error    file-empty  The file is empty. Fill in the return or remove the file."
    )
    assert lines[4] == "2 files checked: 0 valid, 2 invalid; 2 errors, 0 warnings."
    assert len(lines) == 5


def test_year_option_checks_the_reporting_year() -> None:
    case = INVALID / "reporting-year-mismatch.yaml"
    assert run("validate", "--year", "2021-22", case).exit_code == 0
    result = run("validate", "--year", "2022-23", case)
    assert result.exit_code == 1
    assert (
        "  4:1  error    reporting-year-mismatch  reporting_year: This return is for 2021-22, "
        "but 2022-23 returns are being checked"
    ) in result.stdout


def test_a_folder_is_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "north").mkdir()
    shutil.copy(INVALID / "valid-bom-gaelic.yaml", tmp_path / "north" / "siar.yaml")
    shutil.copy(INVALID / "partnership-alias.yaml", tmp_path / "glasgow.yaml")
    (tmp_path / "~$lock.xlsx").write_bytes(b"")
    result = run("validate", "-f", "json", tmp_path)
    assert result.exit_code == 0
    names = [Path(f["path"]).name for f in as_json(result)["files"]]
    assert names == ["glasgow.yaml", "siar.yaml"]


def test_a_word_document_is_refused_with_advice(tmp_path: Path) -> None:
    doc = tmp_path / "return.docx"
    doc.write_bytes(b"PK\x03\x04")
    result = run("validate", doc)
    assert result.exit_code == 1
    assert "file-type" in result.stdout
    assert "Word documents cannot be read" in result.stdout


# -- rules and codes -------------------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    result = run("rules")
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line and line[0] != " "}
    listed.discard(f"{len(RULES)}")
    assert listed == set(RULES)
    assert result.stdout.endswith(f"{len(RULES)} rules.\n")


def test_rules_csv_parses_with_the_csv_module() -> None:
    result = run("rules", "--format", "csv")
    assert result.exit_code == 0
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == ["id", "severity", "stage", "checks", "fix", "workbook_fix"]
    rows = list(reader)
    assert {r["id"] for r in rows} == set(RULES)
    assert len(rows) == len(RULES)
    for r in rows:
        rule = RULES[r["id"]]
        assert (r["severity"], r["stage"], r["checks"], r["fix"], r["workbook_fix"]) == (
            rule.severity,
            rule.stage,
            rule.title,
            rule.fix,
            rule.workbook_fix or rule.fix,
        )
        assert "`" not in r["workbook_fix"] and "cjreturns " not in r["workbook_fix"], r["id"]


def test_rules_json() -> None:
    rows = json.loads(run("rules", "--format", "json").stdout)
    assert {r["id"] for r in rows} == set(RULES)


def test_codes_themes_lists_every_theme() -> None:
    result = run("codes", "themes")
    assert result.exit_code == 0
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert codes == list(load_reference().themes)
    housing = next(line for line in result.stdout.splitlines() if line.startswith("housing "))
    assert housing.split(None, 1)[1] == (
        "Housing (Housing First, rapid rehousing, SHORE) (usually outcome 3)"
    )


def test_codes_without_a_name_lists_the_lists() -> None:
    result = run("codes")
    assert result.exit_code == 0
    assert result.stdout.startswith("Lists: partnerships, themes,")


def test_codes_partnerships_lists_thirty_with_aliases() -> None:
    lines = run("codes", "partnerships").stdout.splitlines()
    assert len(lines) == 30
    assert any(line.startswith("Na h-Eileanan Siar") and "Western Isles" in line for line in lines)


def test_every_command_has_help() -> None:
    for command in ("validate", "rules", "codes"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_no_traceback_for_hostile_files(tmp_path: Path) -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    files = {
        "bomb.yaml": "\n".join(bomb).encode(),
        "deep.json": b"[" * 50_000 + b"]" * 50_000,
        "binary.yaml": bytes(range(256)),
        "tag.yaml": b"!!python/object/apply:os.system [echo hi]\n",
        "list.yaml": b"- 1\n- 2\n",
        "null.json": b"null",
        "huge.json": b'{"a": ' + b"9" * 5000 + b"}",
        "utf16.yaml": "partnership: Fife\n".encode("utf-16"),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    result = run("validate", "-f", "json", tmp_path)
    assert result.exit_code == 1
    data = as_json(result)
    assert data["summary"]["invalid"] == len(files)
    by_name = {Path(f["path"]).name: [x["rule"] for x in f["findings"]] for f in data["files"]}
    assert by_name == {
        "binary.yaml": ["file-binary"],
        "bomb.yaml": ["too-large"],
        "deep.json": ["too-deep"],
        "huge.json": ["too-large"],
        "list.yaml": ["wrong-type"],
        "null.json": ["wrong-type"],
        "tag.yaml": ["yaml-tag"],
        "utf16.yaml": ["file-encoding"],
    }


def test_an_internal_error_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import cjreturns.validation.engine as engine

    # The package attribute `cjreturns.cli.app` is the Typer app, so fetch the module itself.
    app_module = importlib.import_module("cjreturns.cli.app")

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "validate_paths", boom)
    monkeypatch.setitem(app_module._state, "debug", False)
    result = run("validate", INVALID / "valid-bom-gaelic.yaml")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: internal error (RuntimeError: boom).")
    assert "--debug" in result.stderr
    debug = runner.invoke(app, ["--debug", "validate", str(INVALID / "valid-bom-gaelic.yaml")])
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr
    assert "RuntimeError: boom" in debug.stderr


def test_a_mistake_repeated_thousands_of_times_is_listed_100_times_and_counted(
    tmp_path: Path,
) -> None:
    doc = json.loads((ROOT / "examples" / "returns" / "2021-22" / "west-lothian.json").read_text())
    first = doc["outcomes"]["1"]["activities"][0]
    doc["outcomes"]["1"]["activities"] = [
        dict(first, title=f"Activity {i} TBC") for i in range(2_500)
    ]
    path = tmp_path / "west-lothian.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 0  # placeholders are warnings
    findings = as_json(result)["files"][0]["findings"]
    placeholders = [f for f in findings if f["rule"] == "placeholder-text"]
    assert len(placeholders) == 101
    assert sum(1 for f in placeholders if f["path"].startswith("outcomes.1.activities.")) == 100
    (summary,) = [f for f in placeholders if f["path"] == ""]
    assert summary["severity"] == "warning"
    assert summary["message"].startswith(
        "2,400 more findings of this kind (placeholder-text) are not listed: only the first 100"
    )
