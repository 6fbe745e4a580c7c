"""Each national table is defined once (outputs/national_specs.py, outputs/cjpf_specs.py): its
number, title and column headings read back the same from national-tables.xlsx, its CSV and the
report's annex, for both frameworks; a table in one output is in the others."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from cjreturns.aggregation.national import aggregate
from cjreturns.aggregation.results import NationalCounts
from cjreturns.contract.reference import load_reference
from cjreturns.outputs import national_tables
from cjreturns.outputs.national_specs import NATIONAL_TABLES, Sheets, Summary
from cjreturns.outputs.report import build_report
from cjreturns.outputs.report.context import load_context
from cjreturns.outputs.table_spec import TableSet
from cjreturns.outputs.tables_workbook import CONFIDENTIAL, HEADER_ROW, NOT_AVAILABLE

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2023, 1, 16)


@pytest.fixture(scope="module")
def result() -> Any:
    return aggregate(ROOT / "examples/returns/2021-22", year="2021-22")


@pytest.fixture(scope="module")
def files(result: Any) -> dict[str, bytes]:
    return national_tables.render_outputs(result)


@pytest.fixture(scope="module")
def document(result: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    context = load_context(ROOT / "examples/context-2021-22.yaml")
    data = build_report(result.results(), result.returns, context=context, generated_on=DAY)
    path = tmp_path_factory.mktemp("report") / "draft.docx"
    path.write_bytes(data)
    return docx.Document(str(path))


def sheet_headings(workbook: bytes) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each table sheet's title (A1) and header row, by sheet name."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    out = {}
    for ws in wb.worksheets:
        if ws.title.startswith("Table_"):
            header = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True))
            out[ws.title] = (str(ws["A1"].value), tuple(str(v) for v in header if v is not None))
    return out


def csv_header(data: bytes) -> tuple[str, ...]:
    return tuple(next(csv.reader(io.StringIO(data.decode("utf-8-sig")))))


def docx_tables(document: Any) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each numbered table of the document, "Table 6" -> (caption text, header cells), read in
    body order (a caption paragraph comes just before its table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    caption = ""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, document)
            if p.style is not None and p.style.name == "Caption":
                caption = p.text
        elif child.tag.endswith("}tbl") and caption.startswith("Table "):
            label, _, title = caption.partition(": ")
            header = tuple(c.text for c in Table(child, document).rows[0].cells)
            out[label] = (title, header)
            caption = ""
    return out


def check_every_output(
    tables: TableSet[Any, Any],
    inputs: Any,
    summary: Any,
    files: dict[str, bytes],
    in_docx: dict[str, tuple[str, tuple[str, ...]]] | None,
    *,
    year: str,
) -> None:
    sheets = sheet_headings(files[national_tables.WORKBOOK_NAME])
    numbered = tables.numbered()
    # the same tables everywhere: a sheet and a CSV for each spec, nothing else
    assert list(sheets) == [f"Table_{n}" for n, _ in numbered]
    assert sorted(k for k in files if k.startswith("table-")) == sorted(tables.csv_names())
    if in_docx is not None:
        national = {label for label in in_docx if label.split()[-1].isdigit()}
        assert national == {f"Table {tables.number(k)}" for k in tables.report_keys()}
    for n, spec in numbered:
        labels = spec.body(inputs).labels
        title, header = sheets[f"Table_{n}"]
        assert title == f"Table {n}: {spec.title}, {year}"
        assert header == labels
        assert csv_header(files[tables.csv_names()[n - 1]]) == labels
        if spec.report is None or in_docx is None:
            continue
        view = tables.report_table(spec.key, summary)
        caption, docx_header = in_docx[f"Table {n}"]
        assert caption.startswith(spec.title)
        assert caption == view.caption
        assert docx_header == view.headings
        # every annex column shows one of the sheet's columns, under a shorter heading
        assert {c.of for c in view.columns} <= set(labels), spec.key


def test_2016_tables_agree_in_the_workbook_csvs_and_report(
    result: Any, files: dict[str, bytes], document: Any
) -> None:
    ref = load_reference()
    counts = result.results()
    in_docx = docx_tables(document)
    assert "Table 6" in in_docx and "Table 7" not in in_docx  # by partnership: workbook only
    check_every_output(
        NATIONAL_TABLES,
        Sheets(counts=counts, ref=ref, agg=result),
        Summary(counts=counts, ref=ref),
        files,
        in_docx,
        year="2021-22",
    )


def test_suppression_hides_small_partnership_figures_only(result: Any) -> None:
    """Tables 7 and 8: [c] exactly where a partnership's figure is below the threshold, [x]
    where it gave none; table 6's national totals include the hidden figures."""
    tables = {t.csv_name: t for t in national_tables.build_sheet_tables(result)}
    values = tables["table-07-indicator-values.csv"]
    rates = tables["table-08-indicator-rates.csv"]
    low = result.settings.suppress_below
    frame = result.tables["indicators"]
    given = {(p, c): int(v) for p, c, v in zip(frame["partnership"], frame["indicator"],
                                              frame["value"], strict=True)}  # fmt: skip
    codes = list(load_reference().indicators)
    hidden = 0
    for vrow, rrow in zip(values.rows, rates.rows, strict=True):
        assert vrow[0] == rrow[0]
        for code, v, r in zip(codes, vrow[2:], rrow[2:], strict=True):
            figure = given.get((vrow[0], code))
            if figure is None:
                assert v == r == NOT_AVAILABLE
            elif figure < low:
                assert v == r == CONFIDENTIAL
                hidden += 1
            else:
                assert v == figure and r not in (CONFIDENTIAL,)
    assert hidden > 0  # the examples have small figures, so this checks something
    totals = {row[0]: row[3] for row in tables["table-06-indicators.csv"].rows}
    for code in codes:
        assert totals[code] == sum(v for (_, c), v in given.items() if c == code)


def test_a_table_spec_added_reaches_every_output(result: Any) -> None:
    """The outputs are rendered from the spec list: a spec appended shows up as a sheet, a CSV
    and (with an annex view) an annex table, numbered next."""
    from cjreturns.outputs.table_spec import Body, Column, ReportColumn, ReportView, TableSpec

    extra = TableSpec(
        "local_activity",
        "Local activity",
        lambda s: Body(
            (Column("Partnerships", lambda r: r),), [s.counts.local_partnerships], "Local."
        ),
        lambda s: ReportView(
            (ReportColumn("Partnerships", "Partnerships", lambda r: r),),
            [s.counts.local_partnerships],
            "Local activity.",
        ),
    )
    tables = TableSet((*NATIONAL_TABLES.specs, extra))
    ref = load_reference()
    counts = result.results()
    sheets = tables.sheet_tables(Sheets(counts, ref, result), year="2021-22", source="Source.")
    assert sheets[-1].title == "Table 12: Local activity, 2021-22"
    assert sheets[-1].csv_name == "table-12-local-activity.csv"
    assert tables.report_keys()[-1] == "local_activity"
    annex = tables.report_table("local_activity", Summary(counts, ref))
    assert (annex.label, annex.rows) == ("Table 12", ((counts.local_partnerships,),))
    with pytest.raises(ValueError, match="used twice"):
        TableSet((*NATIONAL_TABLES.specs, NATIONAL_TABLES.specs[0]))
    with pytest.raises(KeyError):
        NATIONAL_TABLES.report_table("indicator_values", Summary(counts, ref))


@pytest.fixture(scope="module")
def cjpf_result() -> Any:
    from cjreturns.aggregation.by_year import aggregate_for_year

    return aggregate_for_year(ROOT / "examples/returns/2024-25", year="2024-25")


def test_2023_typed_counts_are_what_aggregate_json_holds(cjpf_result: Any) -> None:
    import json

    from cjreturns.aggregation.cjpf_results import CJPFCounts
    from cjreturns.outputs.national_tables import aggregate_json

    typed = cjpf_result.results()
    assert typed == CJPFCounts.from_json(json.loads(aggregate_json(cjpf_result)), expected=30)
    assert typed.priority_actions["1"].short == "Diversion and direct measures"
    assert typed.challenges_ranking == cjpf_result.counts["challenges_ranking"]
    # a hand-made aggregate.json missing whole sections still reads (as empty)
    sparse = CJPFCounts.from_json({"reporting_year": "2024-25", "partnerships_counted": 3})
    assert (sparse.partnerships_counted, sparse.priority_actions, sparse.measures) == (3, {}, {})
    # aggregation's own counts are read strictly: a section it did not write is a bug
    from cjreturns.aggregation.collection import Coverage

    with pytest.raises(KeyError):
        CJPFCounts.of(
            {"partnerships_counted": 3},
            reporting_year="2024-25",
            coverage=Coverage(None, (), (), (), (), (), (), ()),
            talking_points=(),
        )


def test_2023_tables_agree_in_the_workbook_csvs_and_report(
    cjpf_result: Any, tmp_path: Path
) -> None:
    from cjreturns.contract.frameworks import load_cjpf
    from cjreturns.outputs import cjpf_specs, cjpf_tables
    from cjreturns.outputs.cjpf_report import build_cjpf_report

    ref = load_reference()
    counts = cjpf_result.results()
    context = load_context(ROOT / "examples/context-2024-25.yaml")
    path = tmp_path / "draft.docx"
    path.write_bytes(
        build_cjpf_report(counts, cjpf_result.returns, context=context, generated_on=DAY)
    )
    in_docx = docx_tables(docx.Document(str(path)))
    check_every_output(
        cjpf_specs.CJPF_TABLES,
        cjpf_specs.Sheets(counts=counts, ref=ref, agg=cjpf_result, cjpf=load_cjpf()),
        cjpf_specs.Summary(counts=counts, ref=ref),
        cjpf_tables.render_outputs(cjpf_result),
        in_docx,
        year="2024-25",
    )
    # one outcome's measures under its priority action: part of table 6, its columns
    assert in_docx["Table 6.1"] == ("Measures for outcome 1", in_docx["Table 6"][1])
    assert "Table 3" in in_docx and "Table 7" not in in_docx  # by partnership: workbook only


def test_2023_draft_from_typed_counts_or_aggregate_json_is_the_same(cjpf_result: Any) -> None:
    """`cjreturns report` hands the draft aggregation's typed counts; a draft from the
    aggregate.json dict (the library's other way in) reads them back the same."""
    from cjreturns.outputs.cjpf_report import build_cjpf_report

    context = load_context(ROOT / "examples/context-2024-25.yaml")
    typed = build_cjpf_report(
        cjpf_result.results(), cjpf_result.returns, context=context, generated_on=DAY
    )
    from_dict = build_cjpf_report(
        cjpf_result.to_json_dict(), cjpf_result.returns, context=context, generated_on=DAY
    )
    assert typed == from_dict


def test_coverage_reads_the_same_in_the_workbook_and_the_draft(tmp_path: Path) -> None:
    """Table 1's statuses are one vocabulary: a late return, a return for another year, a
    rejected one naming no known partnership and the partnerships that sent nothing read the
    same in the sheet and in the draft (which had said "no return" for "missing" and left out
    the other year's return and the unrecognised file)."""
    import json as json_module

    from aggregate_helpers import minimal_return, write_return

    folder = tmp_path / "returns"
    write_return(folder, "fife.yaml", minimal_return("Fife"))
    write_return(folder, "angus.yaml", minimal_return("Angus", submitted_on="2022-11-30"))
    write_return(folder, "moray.yaml", minimal_return("Moray", year="2020-21"))
    write_return(folder, "evil.yaml", minimal_return("=1+2"))
    agg = aggregate(folder)  # no --year: the year most returns give; Moray's is set aside
    ref = load_reference()
    sheet = {t.csv_name: t for t in national_tables.build_sheet_tables(agg, ref)}
    in_sheet = [row[:2] for row in sheet["table-01-coverage.csv"].rows]
    # the draft from the typed counts and from aggregate.json alike
    for counts in (
        agg.results(),
        NationalCounts.from_json(
            json_module.loads(national_tables.aggregate_json(agg)), expected=30
        ),
    ):
        table = NATIONAL_TABLES.report_table("coverage", Summary(counts, ref))
        assert [row[:2] for row in table.rows] == in_sheet
    statuses = dict(in_sheet)
    assert statuses["Angus"] == "counted (late)" and statuses["Fife"] == "counted"
    assert statuses["Moray"] == "not counted: another reporting year"
    assert statuses["File: evil.yaml"] == "not counted: errors (partnership not recognised)"
    assert statuses["Highland"] == "missing"


@pytest.mark.parametrize("framework", ["2016", "2023"])
def test_the_notes_name_the_tables_they_apply_to(
    framework: str, files: dict[str, bytes], cjpf_result: Any
) -> None:
    """Note 2 (suppression) names exactly the tables with [c] in them, by their numbers in the
    spec, so a table added or moved cannot leave a note pointing at the wrong one."""
    import re

    from cjreturns.outputs import cjpf_specs, cjpf_tables

    if framework == "2016":
        tables, workbook = NATIONAL_TABLES, files[national_tables.WORKBOOK_NAME]
    else:
        tables = cjpf_specs.CJPF_TABLES
        workbook = cjpf_tables.render_outputs(cjpf_result)[national_tables.WORKBOOK_NAME]
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    named = re.match(r"Suppression \(tables? ([\d, and]+)\)", str(notes["Note 2"]))
    assert named is not None, notes["Note 2"]
    in_note = {int(n) for n in re.findall(r"\d+", named.group(1))}
    with_c = {
        int(ws.title.split("_")[1])
        for ws in wb.worksheets
        if ws.title.startswith("Table_")
        and any(v == CONFIDENTIAL for row in ws.iter_rows(values_only=True) for v in row)
    }
    assert with_c and with_c <= in_note
    assert in_note <= {n for n, s in tables.numbered() if s.report is None}  # by partnership
    assert tables.mention("coverage") == "table 1"
    assert NATIONAL_TABLES.mention("indicator_values", "indicator_rates") == "tables 7 and 8"
