"""Reading filled-in workbooks: values, cells in findings, mistakes, and files that are refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from workbook_helpers import blank_workbook, small_return, small_workbook, type_into

from cjreturns import read_return
from cjreturns.contract.workbook_layout import workbook_layout
from cjreturns.readers import Limits
from cjreturns.readers.workbook import read_workbook
from cjreturns.validation.engine import validate_file
from cjreturns.workbook import workbook_bytes

DESCRIPTION = "Partners ran sessions for people on orders and their families in three towns."


def _validate(tmp_path: Path, data: bytes, name: str = "return.xlsx") -> Any:
    path = tmp_path / name
    path.write_bytes(data)
    return validate_file(path, year="2021-22")


def _filled_by_hand() -> bytes:
    """A blank template filled in cell by cell, with labels from the drop-downs, as a person."""
    cells: dict[str, Any] = {
        "Partnership!B6": dt.datetime(2022, 9, 29),
        "Partnership!B10": "A. Coordinator",
        "Partnership!B11": "coordinator@example.org",
        "Partnership!B16": "A. Chair",
        "Partnership!B18": dt.datetime(2022, 9, 28),
        "Partnership!B19": "Yes",
        "Partnership!B20": "Yes",
        "Partnership!B23": "The partnership reports to the community planning board and meets "
        "every quarter with all statutory partners.",
        "Partnership!B24": "No",
        "Partnership!B27": "Community Planning Partnership Board\nChief Officers Group",
        "Partnership!B37": "Active",
        "Partnership!B45": "Induction processes for new partners",
    }
    themes = {
        1: "Challenging stigma and raising awareness",
        2: "Strategic needs and strengths assessment",
        3: "Housing (Housing First, rapid rehousing, SHORE)",
        4: "Diversion from prosecution",
        5: "Exit questionnaires",
        6: "Readiness for employment",
        7: "Resilience and self-management",
    }
    for n, theme in themes.items():
        cells[f"Outcome {n}!A5"] = f"Activity under outcome {n}"
        cells[f"Outcome {n}!B5"] = DESCRIPTION
        cells[f"Outcome {n}!C5"] = theme
        cells[f"Outcome {n}!F5"] = "In progress"
    cells.update(
        {
            "Outcome 1!D5": "Engagement events and campaigns",
            "Outcome 1!F5": "Completed",
            "Outcome 1!G5": "11, 13",
            "Outcome 1!H5": "Local authority",
            "Outcome 1!I5": "Chief Constable of the Police Service of Scotland",
            "Outcome 1!M5": "Sacro; Apex Scotland",
            "Outcome 1!O5": dt.datetime(2021, 10, 1),
            "Outcome 1!P5": "31/03/2022",
            "Outcome 1!R5": "people attending: 96 people\nsessions: 12",
            "Outcome 1!B22": "4 – Good",
            "Outcome 4!B27": 300,
            "Outcome 4!B28": "250",
        }
    )
    return type_into(blank_workbook("Fife"), cells)


def test_a_template_filled_in_by_hand_validates_without_findings(tmp_path: Path) -> None:
    result = _validate(tmp_path, _filled_by_hand())
    assert result.findings == ()
    doc = result.document
    assert doc["partnership"] == "Fife"
    assert doc["submitted_on"] == "2022-09-29"
    assert doc["governance"]["reporting_lines"] == [
        "Community Planning Partnership Board",
        "Chief Officers Group",
    ]
    assert doc["governance"]["partners"] == {"police_scotland": "active"}
    assert doc["governance"]["development"] == ["partner_induction"]
    act = doc["outcomes"]["1"]["activities"][0]
    assert act["themes"] == ["stigma_awareness", "engagement_events"]
    assert act["partners"] == ["local_authority", "police_scotland"]
    assert act["priority_actions"] == [11, 13]
    assert act["third_sector"] == ["Sacro", "Apex Scotland"]
    assert act["period"] == {"start": "2021-10-01", "end": "2022-03-31"}
    assert act["figures"] == [
        {"label": "people attending", "value": 96, "unit": "people"},
        {"label": "sessions", "value": 12},
    ]
    assert doc["outcomes"]["1"]["self_evaluation"] == 4
    # The template lists each outcome's usual indicators; a number typed as text is read too.
    assert doc["outcomes"]["4"]["indicators"] == {
        "diversion_referrals": 300,
        "diversion_commenced": 250,
    }


def test_codes_are_accepted_where_labels_are_offered(tmp_path: Path) -> None:
    data = type_into(
        _filled_by_hand(),
        {"Outcome 1!C5": "stigma_awareness", "Outcome 1!F5": "in_progress", "Outcome 1!B22": 5},
    )
    doc = _validate(tmp_path, data).document
    assert doc["outcomes"]["1"]["activities"][0]["themes"][0] == "stigma_awareness"
    assert doc["outcomes"]["1"]["activities"][0]["status"] == "in_progress"
    assert doc["outcomes"]["1"]["self_evaluation"] == 5


# Each mistake: cells typed into the valid small return's workbook -> the one finding expected.
MISTAKES: list[tuple[str, dict[str, Any], str, str]] = [
    ("unknown theme label", {"Outcome 1!D5": "Community events"}, "unknown-code", "Outcome 1!D5"),
    ("text in an indicator", {"Outcome 4!B28": "lots"}, "wrong-type", "Outcome 4!B28"),
    ("consent No", {"Outcome 5!C35": "No"}, "consent-not-confirmed", "Outcome 5!C35"),
    ("missing description", {"Outcome 2!B5": None}, "missing-field", "Outcome 2!B5"),
    ("missing theme", {"Outcome 3!C5": None}, "missing-field", "Outcome 3!C5"),
    ("bad email", {"Partnership!B11": "coordinator at fife"}, "bad-format", "Partnership!B11"),
    ("formula", {"Outcome 1!B5": "=A5&A5"}, "workbook-value", "Outcome 1!B5"),
    ("error value", {"Outcome 4!B28": "#N/A"}, "workbook-value", "Outcome 4!B28"),
    ("date as words", {"Outcome 1!O5": "next week"}, "bad-format", "Outcome 1!O5"),
    ("unknown status", {"Outcome 1!F5": "Done"}, "unknown-code", "Outcome 1!F5"),
    ("priority action 14", {"Outcome 1!G5": "14"}, "unknown-code", "Outcome 1!G5"),
    ("self-evaluation 7", {"Outcome 1!B22": 7}, "unknown-code", "Outcome 1!B22"),
    (
        "figure without a number",
        {"Outcome 1!R5": "lots of people"},
        "workbook-value",
        "Outcome 1!R5",
    ),
    (
        "link that is not a web address",
        {"Outcome 1!S5": "example.org"},
        "bad-format",
        "Outcome 1!S5",
    ),
    ("Maybe for Yes/No", {"Partnership!B19": "Maybe"}, "wrong-type", "Partnership!B19"),
    ("commenced above referrals", {"Outcome 4!B28": 400}, "count-exceeds", "Outcome 4!B28"),
    ("number without its indicator", {"Outcome 4!B33": 5}, "workbook-value", "Outcome 4!A33"),
    (
        "indicator chosen twice",
        {"Outcome 4!A29": "Diversion from prosecution referrals received", "Outcome 4!B29": 7},
        "duplicate-key",
        "Outcome 4!A29",
    ),
    ("end before start", {"Outcome 1!P5": dt.datetime(2021, 9, 1)}, "period-order", "Outcome 1!P5"),
    (
        "unknown partnership",
        {"Partnership!B4": "Atlantis"},
        "partnership-unknown",
        "Partnership!B4",
    ),
    ("partnership alias", {"Partnership!B4": "Fife CJP"}, "partnership-alias", "Partnership!B4"),
    ("placeholder text", {"Outcome 6!B5": "TBC"}, "placeholder-text", "Outcome 6!B5"),
    ("unknown challenge", {"Challenges!A5": "Weather"}, "unknown-code", "Challenges!A5"),
    ("negative number", {"Outcome 4!B27": -3}, "out-of-range", "Outcome 4!B27"),
]


@pytest.mark.parametrize(
    ("cells", "rule", "cell"),
    [pytest.param(c, r, x, id=name) for name, c, r, x in MISTAKES],
)
def test_a_mistake_in_a_cell_is_reported_at_that_cell(
    tmp_path: Path, cells: dict[str, Any], rule: str, cell: str
) -> None:
    data = type_into(small_workbook(), cells)
    result = _validate(tmp_path, data)
    found = {(f.rule, f.cell) for f in result.findings if f.rule != "too-short"}
    assert found == {(rule, cell)}


def test_findings_are_listed_tab_by_tab_then_row_and_column(tmp_path: Path) -> None:
    """A coordinator works through the workbook's tabs in order, not the return's key order."""
    cells = {
        "Outcome 6!B5": "TBC",
        "Outcome 1!O5": "next week",
        "Outcome 1!D5": "Community events",
        "Partnership!B11": "coordinator at fife",
        "Outcome 4!B28": "lots",
        "Challenges!A5": "Weather",
    }
    result = _validate(tmp_path, type_into(small_workbook(), cells))
    assert [f.cell for f in result.findings if f.rule != "too-short"] == [
        "Partnership!B11",
        "Outcome 1!D5",
        "Outcome 1!O5",
        "Outcome 4!B28",
        "Outcome 6!B5",
        "Challenges!A5",
    ]


def test_findings_match_those_for_the_same_return_as_json(tmp_path: Path) -> None:
    doc = small_return()
    act = doc["outcomes"]["1"]["activities"][0]
    act["themes"] = ["stigma_awarenes"]
    act["status"] = "finished"
    del doc["outcomes"]["2"]["activities"][0]["description"]
    doc["outcomes"]["4"]["indicators"]["diversion_commenced"] = 999
    doc["outcomes"]["5"]["case_studies"][0]["consent_confirmed"] = False
    doc["contact"]["email"] = "nobody"
    doc["submitted_on"] = "2022-10-14"
    (tmp_path / "r.json").write_text(json.dumps(doc), encoding="utf-8")
    from_json = validate_file(tmp_path / "r.json", year="2021-22")
    from_xlsx = _validate(tmp_path, workbook_bytes(doc))

    def key(result: Any) -> set[tuple[str, str, str]]:
        return {(f.rule, f.severity, f.dotted_path) for f in result.findings}

    # the same findings, each worded for its format (tests/test_wording.py)
    assert len(from_json.findings) == 7
    assert key(from_xlsx) == key(from_json)
    assert all(f.cell and f.line is None for f in from_xlsx.findings)
    assert {f.cell for f in from_xlsx.findings} == {
        "Outcome 1!C5",
        "Outcome 1!F5",
        "Outcome 2!B5",
        "Outcome 4!B28",
        "Outcome 5!C35",
        "Partnership!B11",
        "Partnership!B6",
    }


def test_rows_and_columns_beyond_the_blank_template_are_read() -> None:
    doc = small_return()
    many = [
        {
            "title": f"Activity {i}",
            "description": DESCRIPTION,
            "themes": ["stigma_awareness", "engagement_events", "social_media", "co_production"],
            "partners": ["local_authority", "health_board", "police_scotland", "sfrs", "sds"],
            "status": "planned",
        }
        for i in range(40)
    ]
    doc["outcomes"]["1"]["activities"] = many
    result = read_workbook(workbook_bytes(doc), Limits(), workbook_layout())
    assert result.findings == []
    assert result.document["outcomes"]["1"]["activities"] == many
    assert result.source_map.cells[("outcomes", "1", "activities", 39, "themes", 3)] == (
        "Outcome 1!F44"
    )


def test_text_that_looks_like_a_formula_is_kept_as_text() -> None:
    doc = small_return()
    doc["outcomes"]["1"]["activities"][0]["title"] = '=HYPERLINK("http://x")'
    doc["next_steps"] = ["+ more", "'=quoted", "@home", "-"]
    data = workbook_bytes(doc)
    wb = load_workbook(io.BytesIO(data))
    cell = wb["Outcome 1"]["A5"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x")'
    back = read_workbook(data, Limits(), workbook_layout())
    assert back.findings == []
    assert back.document == doc


# -- files that are refused --------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _with_macros() -> bytes:
    members = _members(blank_workbook())
    members["xl/vbaProject.bin"] = b"\x00" * 64
    return _zip(members)


def _macro_content_type() -> bytes:
    members = _members(blank_workbook())
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _zip(members)


def _zip_bomb() -> bytes:
    members = _members(blank_workbook())
    members["xl/worksheets/sheet2.xml"] = b" " * (40 * 1024 * 1024)
    return _zip(members)


def _renamed_docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _damaged_inside() -> bytes:
    members = _members(blank_workbook())
    members["xl/workbook.xml"] = b"<workbook this is not xml"
    return _zip(members)


def _not_the_template() -> bytes:
    wb = Workbook()
    wb.active.title = "Budget"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_removed() -> bytes:
    wb = load_workbook(io.BytesIO(small_workbook()))
    del wb["Outcome 6"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


REFUSED: list[tuple[str, Any, str, str]] = [
    ("macros inside an .xlsx", _with_macros, "file-type", "macro"),
    ("macro-enabled content type", _macro_content_type, "file-type", "macro"),
    ("truncated", lambda: blank_workbook()[:20_000], "workbook-unreadable", "damaged"),
    ("damaged XML inside", _damaged_inside, "workbook-unreadable", "damaged"),
    ("zip bomb", _zip_bomb, "too-large", "zip bomb"),
    ("a .docx renamed .xlsx", _renamed_docx, "workbook-unreadable", "Word document"),
    (
        "random bytes",
        lambda: b"hello, this is not a workbook" * 10,
        "workbook-unreadable",
        "not an Excel workbook",
    ),
    (
        "old .xls or password-protected",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "workbook-unreadable",
        "password",
    ),
    ("empty", lambda: b"", "file-empty", "empty"),
    ("another workbook", _not_the_template, "workbook-layout", "not a return workbook"),
    ("a sheet deleted", _sheet_removed, "workbook-layout", "'Outcome 6'"),
]


@pytest.mark.parametrize(
    ("make", "rule", "words"),
    [pytest.param(m, r, w, id=name) for name, m, r, w in REFUSED],
)
def test_files_that_cannot_be_read_are_refused_with_a_finding(
    tmp_path: Path, make: Any, rule: str, words: str
) -> None:
    result = _validate(tmp_path, make())
    assert [f.rule for f in result.findings] == [rule]
    assert words in result.findings[0].message
    assert result.document is None and not result.valid


def test_macro_enabled_suffix_is_refused_before_reading(tmp_path: Path) -> None:
    result = _validate(tmp_path, blank_workbook(), name="return.xlsm")
    assert [f.rule for f in result.findings] == ["file-type"]
    assert "Macro-enabled" in result.findings[0].message


def test_size_limits_apply_to_the_file_and_to_what_it_unzips_to(tmp_path: Path) -> None:
    data = blank_workbook()
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    small_file = read_return(path, limits=Limits(max_file_bytes=1000))
    assert [f.rule for f in small_file.findings] == ["too-large"]
    small_archive = read_return(path, limits=Limits(max_archive_bytes=100_000))
    assert [f.rule for f in small_archive.findings] == ["too-large"]
    assert "unzips to" in small_archive.findings[0].message


def test_a_renamed_heading_is_a_layout_finding_at_its_cell(tmp_path: Path) -> None:
    data = type_into(small_workbook(), {"Outcome 3!B4": "What we did"})
    result = _validate(tmp_path, data)
    assert [(f.rule, f.cell) for f in result.findings] == [("workbook-layout", "Outcome 3!A4")]
    assert "Description" in result.findings[0].message


# -- never a traceback ---------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    None, "", "  ", "\n\n", "; ;", 0, -1, 1.5, 1e308, float("nan"), True, False,
    dt.datetime(2022, 2, 3, 4, 5), dt.date(2022, 2, 3), dt.time(9, 30), dt.timedelta(hours=3),
    "=x", "'=x", "#N/A", "a" * 5000, "1,234", "31/02/2022", "0131 555 0000", "¼", "١٢",
]  # fmt: skip


def test_any_cell_value_of_any_kind_gives_json_data_or_a_message() -> None:
    from cjreturns.contract.workbook_layout import workbook_layout
    from cjreturns.readers.cells import EMPTY, cell_to_value

    layout = workbook_layout()
    fields = {f.kind + str(f.vocabulary): f for _, _, f in layout.fields()}
    for field in fields.values():
        vocab = layout.vocabularies.get(field.vocabulary) if field.vocabulary else None
        for raw in ODD_VALUES:
            for data_type in ("n", "s", "b", "d", "f", "e"):
                value, problem = cell_to_value(field.kind, raw, data_type, vocab)
                if value is not EMPTY:
                    json.dumps(value, allow_nan=False)
                assert problem is None or isinstance(problem, str)


def test_damaged_bytes_never_raise() -> None:
    import random

    original = small_workbook()
    for seed in range(12):
        rng = random.Random(seed)
        data = bytearray(original)
        for _ in range(8):
            data[rng.randrange(len(data))] = rng.randrange(256)
        result = read_workbook(bytes(data), Limits(), workbook_layout())
        assert result.document is not None or result.findings


def test_the_reader_finds_every_value_where_the_writer_put_it() -> None:
    """Generator and reader walk the same layout: a value's cell is the same for both."""
    from cjreturns.workbook.sheets import get_path
    from cjreturns.workbook.template import cell_map

    doc = small_return()
    written = {p: c for p, c in cell_map(doc).items() if get_path(doc, p) is not None}
    read = read_workbook(small_workbook(), Limits(), workbook_layout()).source_map.cells
    assert len(written) == 83  # the small return's values, each in its own cell
    assert {p: read.get(p) for p in written} == written


def test_the_text_length_limit_applies_to_cells() -> None:
    result = read_workbook(small_workbook(), Limits(max_string_chars=90), workbook_layout())
    assert {(f.rule, f.cell) for f in result.findings} == {
        ("too-large", "Partnership!B23"),  # the governance description
        ("too-large", "Outcome 5!B35"),  # the case study's summary
    }
    assert "summary" not in result.document["outcomes"]["5"]["case_studies"][0]


def test_merged_cells_over_inputs_are_a_finding_not_lost_values(tmp_path: Path) -> None:
    """Merging F5:F7 keeps only F5's status: the other two activities' statuses would vanish."""
    cells: dict[str, Any] = {}
    for row in (6, 7):
        cells.update(
            {
                f"Outcome 1!A{row}": f"Activity {row}",
                f"Outcome 1!B{row}": DESCRIPTION,
                f"Outcome 1!C{row}": "Engagement events and campaigns",
                f"Outcome 1!F{row}": "Completed",
            }
        )
    filled = type_into(small_workbook(), cells)
    assert [f.rule for f in _validate(tmp_path, filled).findings] == []
    wb = load_workbook(io.BytesIO(filled))
    wb["Outcome 1"].merge_cells("F5:F7")
    wb["Outcome 1"].merge_cells("A40:C40")  # over headings and empty rows: harmless
    buf = io.BytesIO()
    wb.save(buf)
    result = _validate(tmp_path, buf.getvalue())
    merged = [f for f in result.findings if "merged" in f.message]
    assert [(f.rule, f.cell) for f in merged] == [("workbook-value", "Outcome 1!F5")]
    assert "Outcome 1!F5:F7 are merged" in merged[0].message
    assert not result.valid


def test_the_templates_merge_no_cells_on_the_sheets_that_are_read() -> None:
    """The guidance sheet may merge its text; a sheet the reader reads must not merge at all."""
    from cjreturns.readers.workbook import _merged_ranges

    for data in (blank_workbook(), small_workbook()):
        merged = _merged_ranges(data)
        assert {sheet for sheet in merged if sheet != "Guidance"} == set()
    result = read_workbook(small_workbook(), Limits(), workbook_layout())
    assert [f for f in result.findings if "merged" in f.message] == []
