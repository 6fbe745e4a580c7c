"""Converting returns between workbook, YAML and JSON: identical content, readable output."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from workbook_helpers import small_return, small_workbook

from cjreturns import read_return
from cjreturns.contract.workbook_layout import workbook_layout
from cjreturns.readers import Limits
from cjreturns.readers.workbook import read_workbook
from cjreturns.workbook import ConversionError, convert, dump_json, dump_yaml, workbook_bytes

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2021-22"
EXAMPLE_FILES = sorted(
    p for p in EXAMPLES.glob("*") if p.suffix in (".json", ".yaml", ".yml")
) if EXAMPLES.is_dir() else []  # fmt: skip


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_every_example_survives_a_workbook_unchanged(example: Path) -> None:
    original = read_return(example).document
    back = read_workbook(workbook_bytes(original), Limits(), workbook_layout())
    # a return without a sign-off shows a blank sign-off block, which the workbook warns about
    expected = [] if "sign_off" in original else [("workbook-blank", "Partnership!B16")]
    assert [(f.rule, f.cell) for f in back.findings] == expected
    assert back.document == original
    assert dump_json(back.document) == dump_json(original)  # same keys in the same order too


def test_json_to_workbook_to_json_through_convert(tmp_path: Path) -> None:
    example = EXAMPLE_FILES[0] if EXAMPLE_FILES else None
    if example is None:
        pytest.skip("examples/returns/2021-22 holds no returns yet")
    as_json = tmp_path / "r.json"
    as_json.write_bytes(convert(example, "json"))
    as_xlsx = tmp_path / "r.xlsx"
    as_xlsx.write_bytes(convert(as_json, "xlsx"))
    back = tmp_path / "back.json"
    back.write_bytes(convert(as_xlsx, "json"))
    assert back.read_bytes() == as_json.read_bytes()
    assert json.loads(back.read_text(encoding="utf-8")) == read_return(example).document


def test_the_examples_folder_is_not_empty() -> None:
    if not EXAMPLE_FILES:
        pytest.skip("examples/returns/2021-22 holds no returns yet")
    assert len(EXAMPLE_FILES) == 30


def test_yaml_is_block_style_in_contract_order_with_plain_dates(tmp_path: Path) -> None:
    text = dump_yaml(small_return())
    lines = text.splitlines()
    assert lines[:4] == [
        "schema_version: '1.0'",
        "partnership: Fife",
        "reporting_year: 2021-22",
        "submitted_on: 2022-09-29",
    ]
    assert "  date: 2022-09-28" in lines
    assert "  '1':" in lines and "  '7':" in lines
    assert "        period:" in lines and "          start: 2021-10-01" in lines
    assert "{" not in text  # no flow style
    assert [k.split(":")[0] for k in lines if not k.startswith(" ")] == [
        "schema_version", "partnership", "reporting_year", "submitted_on", "contact",
        "sign_off", "governance", "outcomes", "achievements", "challenges", "recommendations",
        "next_steps",
    ]  # fmt: skip
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    read = read_return(path)
    assert read.findings == [] and read.document == small_return()


def test_multi_line_text_is_a_literal_block_in_yaml() -> None:
    doc = small_return()
    doc["context"] = {"local_context": "First paragraph.\n\nSecond paragraph."}
    assert "  local_context: |-\n    First paragraph.\n\n    Second paragraph.\n" in dump_yaml(doc)


def test_json_keys_follow_the_contract() -> None:
    doc = small_return()
    shuffled = dict(reversed(list(doc.items())))
    assert list(json.loads(dump_json(shuffled))) == list(doc)


def test_a_file_with_reading_errors_is_not_converted(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("partnership: Fife\noutcomes: [\n", encoding="utf-8")
    with pytest.raises(ConversionError) as caught:
        convert(bad, "xlsx")
    assert [f.rule for f in caught.value.findings] == ["yaml-syntax"]


def test_schema_errors_do_not_stop_a_conversion(tmp_path: Path) -> None:
    """A coordinator converts a return to fix it in the workbook: mistakes travel with it."""
    doc = small_return()
    doc["outcomes"]["4"]["indicators"]["diversion_commenced"] = "about 250"
    doc["outcomes"]["1"]["activities"][0]["themes"] = ["no_such_theme"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    back = read_workbook(convert(path, "xlsx"), Limits(), workbook_layout())
    assert back.document == doc


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["outcomes"]["1"]["activities"][0].update(colour="red"),
         "outcomes.1.activities.0.colour"),
        (lambda d: d["governance"].update(subgroups=["Sub; group"]), "governance.subgroups"),
        (lambda d: d["governance"]["partners"].update(coastguard="active"),
         "governance.partners.coastguard"),
    ],
)  # fmt: skip
def test_what_a_workbook_cannot_hold_stops_the_conversion(change: Any, where: str) -> None:
    doc = small_return()
    change(doc)
    from cjreturns.workbook.convert import render

    with pytest.raises(ConversionError, match=where.replace(".", r"\.")):
        render(doc, "xlsx")


def test_a_control_character_stops_the_conversion_with_its_path() -> None:
    doc = small_return()
    doc["next_steps"] = ["Bell\x07"]
    from cjreturns.workbook.convert import render

    with pytest.raises(ConversionError, match=r"next_steps\.0: .*control character"):
        render(doc, "xlsx")


@pytest.mark.slow
def test_a_workbook_saved_again_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "in" / "r.xlsx"
    source.parent.mkdir()
    source.write_bytes(small_workbook())
    out = tmp_path / "out"
    run = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
         str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    if not (out / "r.xlsx").exists():
        pytest.skip(f"LibreOffice Calc could not convert the workbook: {run.stderr[-200:]}")
    read = read_return(out / "r.xlsx")
    assert read.findings == []
    assert read.document == small_return()
