"""The report's native Word charts: what they plot, how they are packaged, and that nothing in a
label can break the XML.

Every chart must show the same numbers as its data table in the annex, in its cached values (what
Word and LibreOffice draw) and in the workbook embedded for Edit Data.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import docx
import openpyxl
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from hypothesis import given, settings
from hypothesis import strategies as st

from cjreturns.aggregation import aggregate
from cjreturns.outputs.report import build_report, check_docx, load_context
from cjreturns.outputs.report.blocks import Chart
from cjreturns.outputs.report.charts import MEDIAN_LABEL, _axis_max, _major_unit, build

ROOT = Path(__file__).resolve().parents[1]
RETURNS = ROOT / "examples" / "returns" / "2021-22"
CONTEXT = ROOT / "examples" / "context-2021-22.yaml"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def themes_chart(**kw: Any) -> Chart:
    values = dict(
        kind="themes",
        title="Partnerships evidencing each theme, outcome 1",
        labels=("Challenging stigma", "Engagement events", "Co-production"),
        series=(("Partnerships", (20.0, 19.0, 12.0)),),
        axis_label="Number of partnerships (of 30)",
        axis_max=30.0,
    )
    values.update(kw)
    return Chart(**values)  # type: ignore[arg-type]


def plotted(xml: bytes) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Categories and (series name, values) as the chart's cached data hold them."""
    root = ET.fromstring(xml)
    series = []
    labels: list[str] = []
    for ser in root.iter(f"{C}ser"):
        name = ser.find(f"{C}tx//{C}v")
        labels = [v.text or "" for v in ser.findall(f"{C}cat//{C}pt/{C}v")]
        values = [float(v.text or "nan") for v in ser.findall(f"{C}val//{C}pt/{C}v")]
        series.append((name.text if name is not None else "", values))
    return labels, series


def workbook_rows(blob: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# -- one chart ---------------------------------------------------------------------------------


def test_a_horizontal_chart_puts_the_first_label_at_the_top() -> None:
    parts = build(themes_chart())
    labels, series = plotted(parts.xml)
    # Word draws a bar chart's first category at the bottom: the data go in reversed
    assert labels == ["Co-production", "Engagement events", "Challenging stigma"]
    assert series == [("Partnerships", [12.0, 19.0, 20.0])]
    root = ET.fromstring(parts.xml)
    assert root.find(f".//{C}barDir").get("val") == "bar"  # type: ignore[union-attr]
    assert root.find(f".//{C}valAx/{C}scaling/{C}max").get("val") == "30"  # type: ignore[union-attr]
    assert root.find(f".//{C}dLbls/{C}showVal").get("val") == "1"  # type: ignore[union-attr]
    assert root.find(f".//{C}lang").get("val") == "en-GB"  # type: ignore[union-attr]


def test_the_embedded_workbook_holds_the_plotted_numbers() -> None:
    parts = build(themes_chart())
    assert workbook_rows(parts.workbook) == [
        (None, "Partnerships"),
        ("Co-production", 12),
        ("Engagement events", 19),
        ("Challenging stigma", 20),
    ]
    refs = [f.text for f in ET.fromstring(parts.xml).iter(f"{C}f")]
    assert refs == ["Sheet1!$B$1", "Sheet1!$A$2:$A$4", "Sheet1!$B$2:$B$4"]


def test_the_median_is_a_highlighted_bar_in_its_place() -> None:
    chart = themes_chart(
        kind="indicator_rates",
        labels=("Inverclyde", "Moray", "Fife", "Falkirk"),
        series=(("Rate per 10,000 people", (27.0, 25.0, 19.4, 18.2)),),
        axis_label="Rate per 10,000 people",
        axis_max=None,
        reference_line=("Median", 22.2),
    )
    parts = build(chart)
    labels, series = plotted(parts.xml)
    assert labels == ["Falkirk", "Fife", MEDIAN_LABEL, "Moray", "Inverclyde"]
    assert series[0][1] == [18.2, 19.4, 22.2, 25.0, 27.0]
    root = ET.fromstring(parts.xml)
    points = root.findall(f".//{C}ser/{C}dPt")
    assert len(points) == 1
    assert points[0].find(f"{C}idx").get("val") == "2"  # type: ignore[union-attr]
    colours = [c.get("val") for c in points[0].iter(f"{A}srgbClr")]
    assert colours == ["B35900"]
    # rates have decimals: labels show one; the axis runs to a round number past the longest bar
    assert root.find(f".//{C}dLbls/{C}numFmt").get("formatCode") == "#,##0.0"  # type: ignore[union-attr]
    assert root.find(f".//{C}valAx/{C}scaling/{C}max").get("val") == "30"  # type: ignore[union-attr]


def test_a_stacked_chart_has_a_series_per_rating_and_a_legend() -> None:
    chart = Chart(
        kind="self_evaluation",
        title="Self-evaluation ratings by outcome",
        labels=tuple(f"Outcome {n}" for n in range(1, 8)),
        series=(
            ("Excellent (6)", (2, 5, 5, 6, 1, 2, 1)),
            ("Good (4)", (12, 20, 18, 21, 17, 15, 16)),
        ),
        axis_label="Number of partnerships",
        axis_max=30.0,
    )
    parts = build(chart)
    labels, series = plotted(parts.xml)
    assert labels == ["1", "2", "3", "4", "5", "6", "7"]
    assert [name for name, _ in series] == ["Excellent (6)", "Good (4)"]
    assert series[1][1] == [12, 20, 18, 21, 17, 15, 16]
    root = ET.fromstring(parts.xml)
    assert root.find(f".//{C}grouping").get("val") == "stacked"  # type: ignore[union-attr]
    assert root.find(f".//{C}overlap").get("val") == "100"  # type: ignore[union-attr]
    assert root.find(f".//{C}legend") is not None
    assert workbook_rows(parts.workbook)[0] == (None, "Excellent (6)", "Good (4)")
    assert parts.height_emu < parts.width_emu


def test_a_chart_is_the_same_bytes_every_time() -> None:
    assert build(themes_chart()) == build(themes_chart())


def test_tall_charts_stay_within_a_page() -> None:
    labels = tuple(f"Partnership number {n} with a long name" for n in range(40))
    parts = build(themes_chart(labels=labels, series=(("Partnerships", (1.0,) * 40),)))
    assert parts.height_emu == 200 * 36000


def test_an_unknown_chart_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown chart kind 'pie'"):
        build(themes_chart(kind="pie"))


@pytest.mark.parametrize(
    ("top", "integer", "maximum", "unit"),
    [
        (30, True, 30, 10),
        (33, True, 40, 10),
        (7, True, 8, 2),
        (3, True, 3, 1),
        (0.5, False, 0.5, 0.1),
        (1234.5, False, 1500, 500),
        (0, True, 1, 1),
    ],
)
def test_value_axes_end_on_round_numbers(
    top: float, integer: bool, maximum: float, unit: float
) -> None:
    got = _axis_max(top, integer=integer)
    assert got == pytest.approx(maximum)
    assert _major_unit(got, integer=integer) == pytest.approx(unit)


TEXT = st.text(st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=200, deadline=None)
@given(
    labels=st.lists(TEXT, max_size=12),
    name=TEXT,
    title=TEXT,
    scale=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    median=st.none() | st.floats(min_value=0, max_value=1e9, allow_nan=False),
    odd=st.lists(st.sampled_from([math.nan, math.inf, 1.7e308, 0.0, 1e-12]), max_size=3),
    kind=st.sampled_from(["themes", "indicator_rates", "self_evaluation"]),
)
def test_any_label_gives_well_formed_xml_and_the_same_numbers(
    labels: list[str],
    name: str,
    title: str,
    scale: float,
    median: float | None,
    kind: str,
    odd: list[float],
) -> None:
    values = tuple(scale * (i + 1) / len(labels) for i in range(len(labels)))
    # values no real count has (not a number, infinite, huge) must not break the chart either
    values = tuple(odd[i] if i < len(odd) else v for i, v in enumerate(values))
    chart = Chart(
        kind=kind,
        title=title,
        labels=tuple(labels),
        series=((name, values),),
        axis_label=title,
        reference_line=("Median", median) if median is not None else None,
    )
    parts = build(chart)
    got_labels, series = plotted(parts.xml)  # parses: nothing in a label breaks the XML
    expected = len(labels) + (median is not None and kind != "self_evaluation")
    finite = [
        v for v in (*values, *([median] if expected > len(labels) else [])) if math.isfinite(v)
    ]
    assert len(got_labels) == expected
    assert sorted(series[0][1]) == sorted(finite)  # a value that is not finite is a gap
    rows = workbook_rows(parts.workbook)
    assert len(rows) == expected + 1
    assert sorted(series[0][1]) == sorted(float(row[1]) for row in rows[1:] if row[1] is not None)
    root = ET.fromstring(parts.xml)
    numbers = [v.text or "" for v in root.iterfind(f".//{C}numCache/{C}pt/{C}v")]
    for tag in ("max", "min", "majorUnit"):
        numbers += [e.get("val") or "" for e in root.iter(f"{C}{tag}")]
    assert all(math.isfinite(float(n)) for n in numbers), numbers  # no "nan" or "inf" drawn


# -- the charts in the draft ------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = aggregate(RETURNS, year="2021-22")
    data = build_report(
        result.to_json_dict(),
        result.returns,
        context=load_context(CONTEXT),
        generated_on=dt.date(2023, 1, 31),
    )
    path = tmp_path_factory.mktemp("charts") / "draft.docx"
    path.write_bytes(data)
    return path


def annex_tables(path: Path) -> dict[int, list[list[str]]]:
    """'Data for Figure n' tables from the annex: their rows as text, header first."""
    document = docx.Document(str(path))
    out: dict[int, list[list[str]]] = {}
    captions = [p.text for p in document.paragraphs if p.text.startswith("Table ")]
    tables = document.tables
    for i, caption in enumerate(captions):  # every table has its caption, in order
        m = re.search(r"Data for Figure (\d+):", caption)
        if m:
            out[int(m.group(1))] = [[c.text for c in row.cells] for row in tables[i].rows]
    return out


def test_every_chart_in_the_draft_plots_its_annex_table(draft: Path) -> None:
    z = zipfile.ZipFile(draft)
    charts = sorted(
        (n for n in z.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n)),
        key=lambda n: int(re.sub(r"\D", "", n)),
    )
    tables = annex_tables(draft)
    assert len(charts) == len(tables) == 8
    for number, name in enumerate(charts, start=1):
        labels, series = plotted(z.read(name))
        rows = tables[number]
        header, body = rows[0], rows[1:]
        drawn = {
            label: [values[i] for _, values in series]
            for i, label in enumerate(labels)
            if label != MEDIAN_LABEL
        }
        columns = list(zip(*(row[1:] for row in body), strict=True))
        # a rating nobody gave is not drawn (nor in the legend); every other column is
        kept = [i for i, col in enumerate(columns) if any(float(v) for v in col)] or list(
            range(len(columns))
        )
        expected = {row[0]: [float(row[1 + i].replace(",", "")) for i in kept] for row in body}
        if len(header) > 2:  # the stacked chart numbers its outcomes
            expected = {k.removeprefix("Outcome "): v for k, v in expected.items()}
        assert drawn == expected, name
        assert [s for s, _ in series] == [header[1 + i] for i in kept], name
        rels = z.read(name.replace("charts/", "charts/_rels/") + ".rels").decode()
        target = re.search(r'Target="\.\./embeddings/([^"]+)"', rels)
        assert target is not None
        rows_in_workbook = workbook_rows(z.read(f"word/embeddings/{target.group(1)}"))
        assert [r[0] for r in rows_in_workbook[1:]] == labels


def test_the_workbooks_behind_the_charts_are_valid_for_excel(draft: Path, tmp_path: Path) -> None:
    """What Word opens for Edit Data: styles, shared strings and the draft's theme included,
    valid by the Office Open XML schemas and Excel's own rules (openxml-audit)."""
    from openxml_audit import OpenXmlValidator

    z = zipfile.ZipFile(draft)
    names = [n for n in z.namelist() if n.startswith("word/embeddings/")]
    assert len(names) == 8
    theme = z.read("word/theme/theme1.xml")
    for name in names:
        path = tmp_path / Path(name).name
        path.write_bytes(z.read(name))
        result = OpenXmlValidator().validate(str(path))
        assert [str(e) for e in result.errors] == [], name
        assert result.warning_count == 0, name
        assert zipfile.ZipFile(path).read("xl/theme/theme1.xml") == theme


def test_chart_frames_have_alt_text_unique_ids_and_resolve(draft: Path) -> None:
    z = zipfile.ZipFile(draft)
    body = ET.fromstring(z.read("word/document.xml"))
    rels = {
        r.get("Id"): r.get("Target")
        for r in ET.fromstring(z.read("word/_rels/document.xml.rels")).iter(
            f"{PKG_RELS}Relationship"
        )
    }
    frames = list(body.iter(f"{WP}inline"))
    assert len(frames) == 8
    ids = [f.find(f"{WP}docPr").get("id") for f in frames]  # type: ignore[union-attr]
    assert len(set(ids)) == len(ids)
    for frame in frames:
        pr = frame.find(f"{WP}docPr")
        assert pr is not None and len(pr.get("descr") or "") > 60
        assert (pr.get("name") or "").startswith("Figure ")
        chart = frame.find(f".//{C}chart")
        assert chart is not None
        assert rels[chart.get(f"{R}id")].startswith("charts/chart")
    types = z.read("[Content_Types].xml").decode()
    assert "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" in types
    assert check_docx(draft) == []
    # python-docx reads it back, and sees eight chart frames
    shapes = docx.Document(str(draft)).inline_shapes
    assert [s.type for s in shapes] == [WD_INLINE_SHAPE.CHART] * 8
