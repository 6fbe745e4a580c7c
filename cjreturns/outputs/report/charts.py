"""Writes the report's charts as native Word charts (DrawingML chart parts), not pictures.

A native chart is what an analyst would insert by hand: Word and LibreOffice draw it from the
numbers in the chart, its text is real text at any zoom, CJS can restyle it with the rest of the
draft, and Word's Edit Data opens the small workbook embedded beside it. Writing one is building
a few kilobytes of XML, so a whole report's charts take milliseconds (drawing them as PNGs with
matplotlib took most of the report's time).

The XML follows the element order of the Office Open XML chart schema (ECMA-376 Part 1, dml-chart
.xsd); every value is escaped, and the output is deterministic (the same chart, the same bytes).
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from cjreturns.outputs.report.blocks import Chart
from cjreturns.outputs.report.text import xml_safe

WIDTH_MM = 160  # the text width of an A4 page with 25 mm margins
MAX_HEIGHT_MM = 200  # leaves room for the caption on the same page
EMU_PER_MM = 36000
FONT = "Arial"  # the house body font
FONT_SIZE = 900  # hundredths of a point
BAR_COLOUR = "1F3A5F"  # the heading blue: strong contrast on white
HIGHLIGHT_COLOUR = "B35900"  # the median bar: 4.9:1 on white, and unlike the blue in greyscale
GRID_COLOUR = "D9D9D9"
# Six steps, dark to light, distinguishable in greyscale and by people with colour blindness.
SCALE_COLOURS = ("08306B", "2171B5", "6BAED6", "C6DBEF", "FDAE6B", "D94801")
MEDIAN_LABEL = "Median of these partnerships"

NS = (
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
# Stacked column charts, each with the title of its category axis: the national report's
# self-evaluation by outcome (by priority action under the 2023 framework), and the delivery
# plan update's statuses by aim.
STACKED = {
    "self_evaluation": "Outcome",
    "self_evaluation_priority_actions": "Priority action",
    "plan_status": "Aim",
}
CAT_AX, VAL_AX = 505142784, 505143168  # any two distinct ids; fixed so output is repeatable


@dataclass(frozen=True)
class ChartParts:
    """One chart ready for the package: its XML, its embedded workbook and its size."""

    xml: bytes
    workbook: bytes
    width_emu: int
    height_emu: int


def build(chart: Chart, *, workbook_rel_id: str = "rId1", theme: bytes | None = None) -> ChartParts:
    """The chart part (XML), the data workbook embedded for Edit Data, and the frame's size.

    `theme` is the document's theme part, copied into the workbook (Excel expects one).
    """
    labels, series, highlight = _plotted(chart)
    if chart.kind in STACKED:
        plot, legend, height = _stacked(chart, labels, series), _legend(), 95.0
    elif chart.kind in ("themes", "indicator_rates"):
        plot, legend = _horizontal(chart, labels, series, highlight), ""
        height = _horizontal_height(labels)
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<c:chartSpace {NS}>"
        '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/>'  # the caption under the chart is its title
        f"<c:plotArea><c:layout/>{plot}</c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        f"{_text_properties(FONT_SIZE)}"
        f'<c:externalData r:id="{workbook_rel_id}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )
    return ChartParts(
        xml=xml.encode("utf-8"),
        workbook=_workbook(labels, series, theme),
        width_emu=WIDTH_MM * EMU_PER_MM,
        height_emu=round(height * EMU_PER_MM),
    )


def _plotted(
    chart: Chart,
) -> tuple[list[str], list[tuple[str, list[float]]], int | None]:
    """Labels and series as drawn, and the index of the highlighted (median) bar if any.

    Horizontal bar charts draw the first category at the bottom, so their data are reversed to
    put the first label at the top, where the reader starts. A reference value (the median) is
    drawn as one more bar in its own colour, in its place among the others.
    """
    labels = [xml_safe(label) for label in chart.labels]
    if chart.kind in STACKED:  # "Outcome 1" under every bar would crowd the axis
        labels = [label.removeprefix(f"{STACKED[chart.kind]} ") for label in labels]
    series = [(xml_safe(name), [float(v) for v in values]) for name, values in chart.series]
    highlight = None
    if chart.reference_line is not None and chart.kind not in STACKED and len(series) == 1:
        name, value = chart.reference_line
        values = series[0][1]
        at = next((i for i, v in enumerate(values) if v < value), len(values))
        labels.insert(at, MEDIAN_LABEL if name == "Median" else xml_safe(name))
        values.insert(at, float(value))
        highlight = at
    if chart.kind not in STACKED:
        labels.reverse()
        series = [(name, values[::-1]) for name, values in series]
        if highlight is not None:
            highlight = len(labels) - 1 - highlight
    return labels, series, highlight


def _horizontal(
    chart: Chart, labels: list[str], series: list[tuple[str, list[float]]], highlight: int | None
) -> str:
    name, values = series[0]
    finite = [v for v in values if math.isfinite(v)]
    decimals = 0 if all(v.is_integer() for v in finite) else 1
    fmt = "#,##0" if decimals == 0 else "#,##0.0"
    point = ""
    if highlight is not None:
        point = (
            f'<c:dPt><c:idx val="{highlight}"/><c:invertIfNegative val="0"/>'
            f'<c:bubble3D val="0"/>{_fill(HIGHLIGHT_COLOUR)}</c:dPt>'
        )
    ser = (
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        f"{_series_name(name, 0)}{_fill(BAR_COLOUR)}"
        f'<c:invertIfNegative val="0"/>{point}'
        f"{_value_labels(fmt)}"
        f"{_categories(labels)}{_values(values, 0, fmt)}</c:ser>"
    )
    # room past the longest bar for its value, unless the axis is "of N" partnerships
    top = chart.axis_max or (max(finite, default=0.0) * 1.1) or 1.0
    return (
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/>'
        f'<c:varyColors val="0"/>{ser}<c:gapWidth val="50"/>'
        f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/></c:barChart>'
        f"{_category_axis('l', None)}"
        f"{_value_axis('b', chart.axis_label, top, integer=chart.kind == 'themes')}"
    )


def _stacked(chart: Chart, labels: list[str], series: list[tuple[str, list[float]]]) -> str:
    # A rating nobody gave is left out of the plot and its legend (an empty legend entry in a
    # colour close to its neighbour's reads as data); its column stays in the data workbook.
    # Each rating keeps its own colour whatever else is drawn.
    given = [
        i for i, (_, values) in enumerate(series) if any(math.isfinite(v) and v for v in values)
    ]
    sers = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{_series_name(name, i)}'
        f"{_fill(SCALE_COLOURS[i % len(SCALE_COLOURS)], edge='FFFFFF')}"
        f'<c:invertIfNegative val="0"/>{_categories(labels)}{_values(values, i, "#,##0")}</c:ser>'
        for i, (name, values) in enumerate(series)
        if i in given or not given
    )
    top = chart.axis_max or max(
        (
            sum(v for v in column if math.isfinite(v))
            for column in zip(*(s[1] for s in series), strict=True)
        ),
        default=1.0,
    )
    return (
        '<c:barChart><c:barDir val="col"/><c:grouping val="stacked"/>'
        f'<c:varyColors val="0"/>{sers}<c:gapWidth val="60"/><c:overlap val="100"/>'
        f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/></c:barChart>'
        f"{_category_axis('b', STACKED[chart.kind])}"
        f"{_value_axis('l', chart.axis_label, top, integer=True)}"
    )


def _horizontal_height(labels: list[str]) -> float:
    """Millimetres: a row per bar, more for labels long enough to wrap, within one page."""
    # LibreOffice drops category labels that would overlap rather than wrapping them, so
    # every bar gets room for its label's lines (about 30 characters a line at 9pt).
    lines = sum(1 + len(label) // 30 for label in labels)
    return min(MAX_HEIGHT_MM, max(55.0, 22 + 3.9 * lines + 1.6 * len(labels)))


# -- pieces ------------------------------------------------------------------------------------


def _column(i: int) -> str:
    """Spreadsheet column letters for column index i (0 = A)."""
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _series_name(name: str, i: int) -> str:
    return (
        f"<c:tx><c:strRef><c:f>Sheet1!${_column(i + 1)}$1</c:f>"
        f'<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{escape(name)}</c:v></c:pt>'
        "</c:strCache></c:strRef></c:tx>"
    )


def _categories(labels: list[str]) -> str:
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(label)}</c:v></c:pt>' for i, label in enumerate(labels)
    )
    return (
        f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${len(labels) + 1}</c:f>"
        f'<c:strCache><c:ptCount val="{len(labels)}"/>{points}</c:strCache></c:strRef></c:cat>'
    )


def _values(values: list[float], i: int, fmt: str) -> str:
    col = _column(i + 1)
    points = "".join(  # a value that is not a finite number is left out: a gap, not "nan"
        f'<c:pt idx="{n}"><c:v>{_number(v)}</c:v></c:pt>'
        for n, v in enumerate(values)
        if math.isfinite(v)
    )
    return (
        f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${len(values) + 1}</c:f>"
        f"<c:numCache><c:formatCode>{escape(fmt)}</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef></c:val>'
    )


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _fill(colour: str, *, edge: str | None = None) -> str:
    line = (
        f'<a:ln w="6350"><a:solidFill><a:srgbClr val="{edge}"/></a:solidFill></a:ln>'
        if edge
        else "<a:ln><a:noFill/></a:ln>"
    )
    return f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>{line}</c:spPr>'


def _value_labels(fmt: str) -> str:
    return (
        f'<c:dLbls><c:numFmt formatCode={quoteattr(fmt)} sourceLinked="0"/>'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        f"{_text_properties(800)}"
        '<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
        '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
        '<c:showBubbleSize val="0"/></c:dLbls>'
    )


def _title(text: str) -> str:
    return (
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{FONT_SIZE}" b="0"/></a:pPr><a:r><a:rPr lang="en-GB" sz="{FONT_SIZE}" '
        f'b="0"/><a:t>{escape(xml_safe(text))}</a:t></a:r></a:p></c:rich></c:tx>'
        '<c:overlay val="0"/></c:title>'
    )


def _line(colour: str) -> str:
    return (
        f'<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        "</a:ln></c:spPr>"
    )


def _category_axis(position: str, title: str | None) -> str:
    return (
        f'<c:catAx><c:axId val="{CAT_AX}"/><c:scaling><c:orientation val="minMax"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="{position}"/>'
        f"{_title(title) if title else ''}"
        '<c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'{_line("808080")}<c:crossAx val="{VAL_AX}"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(position: str, title: str, top: float, *, integer: bool) -> str:
    maximum = _axis_max(top, integer=integer)
    unit = _major_unit(maximum, integer=integer)
    fmt = "#,##0" if unit.is_integer() else "#,##0.0##"
    return (
        f'<c:valAx><c:axId val="{VAL_AX}"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:max val="{_number(maximum)}"/><c:min val="0"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{position}"/><c:majorGridlines>{_line(GRID_COLOUR)}</c:majorGridlines>'
        f'{_title(title)}<c:numFmt formatCode={quoteattr(fmt)} sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        "<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>"
        f'<c:crossAx val="{CAT_AX}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        f'<c:majorUnit val="{_number(unit)}"/></c:valAx>'
    )


def _axis_max(top: float, *, integer: bool) -> float:
    """A round axis end at or above the largest value (whole numbers for counts)."""
    if not math.isfinite(top) or top <= 0:
        return 1.0
    unit = _major_unit(top, integer=integer)
    rounded = float(-(-top // unit) * unit)
    return rounded if math.isfinite(rounded) else top


def _major_unit(top: float, *, integer: bool) -> float:
    """About five gridlines: 1, 2 or 5 times a power of ten (at least 1 for counts)."""
    rough = top / 5
    if not math.isfinite(rough) or rough <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(rough))
    unit = next(step * power for step in (1, 2, 5, 10) if step * power >= rough)
    return max(unit, 1.0) if integer else unit


def _text_properties(size: int) -> str:
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{size}"><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr></a:pPr>'
        '<a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )


def _legend() -> str:
    return f'<c:legend><c:legendPos val="r"/><c:overlay val="0"/>{_text_properties(800)}</c:legend>'


# -- the embedded workbook ---------------------------------------------------------------------

_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# One font, the two fills and the border every workbook has, one cell format: what Excel
# expects to find (a workbook without a styles part is "repaired" when opened).
_XLSX_STYLES = (
    _XML_HEAD + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Arial"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(
    labels: list[str], series: list[tuple[str, list[float]]], theme: bytes | None = None
) -> bytes:
    """The chart's data as a one-sheet .xlsx: categories in column A, a series a column.

    Word opens this when someone chooses Edit Data; the chart's cached values (in its XML) are
    what is drawn, and both hold the same numbers. Text goes in a shared-strings part, as Excel
    writes it; `theme` is the document's theme part, so the workbook's colours are the draft's.
    """
    strings: dict[str, int] = {}

    def cell(ref: str, value: str | float) -> str:
        if isinstance(value, str):
            index = strings.setdefault(value, len(strings))
            return f'<c r="{ref}" t="s"><v>{index}</v></c>'
        if not math.isfinite(value):
            return ""
        return f'<c r="{ref}"><v>{_number(value)}</v></c>'

    header = [cell(f"{_column(i + 1)}1", n) for i, (n, _) in enumerate(series)]
    rows = [f'<row r="1">{"".join(header)}</row>']
    for r, label in enumerate(labels, start=2):
        cells = [cell(f"A{r}", label)] + [
            cell(f"{_column(i + 1)}{r}", values[r - 2]) for i, (_, values) in enumerate(series)
        ]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = (
        _XML_HEAD + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    shared = (
        _XML_HEAD + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
        + "</sst>"
    )
    related = [
        ("worksheet", "worksheets/sheet1.xml", f"{_SML}.worksheet+xml"),
        ("styles", "styles.xml", f"{_SML}.styles+xml"),
        ("sharedStrings", "sharedStrings.xml", f"{_SML}.sharedStrings+xml"),
    ]
    if theme is not None:
        related.append(
            ("theme", "theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml")
        )
    types = (
        _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/{t}" ContentType="{ct}"/>' for _, t, ct in related)
        + "</Types>"
    )
    package_rels = (
        _XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        _XML_HEAD + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    workbook_rels = (
        _XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/{kind}" Target="{target}"/>'
            for i, (kind, target, _) in enumerate(related, start=1)
        )
        + "</Relationships>"
    )
    parts: list[tuple[str, bytes]] = [
        ("[Content_Types].xml", types.encode("utf-8")),
        ("_rels/.rels", package_rels.encode("utf-8")),
        ("xl/workbook.xml", workbook.encode("utf-8")),
        ("xl/_rels/workbook.xml.rels", workbook_rels.encode("utf-8")),
        ("xl/worksheets/sheet1.xml", sheet.encode("utf-8")),
        ("xl/styles.xml", _XLSX_STYLES.encode("utf-8")),
        ("xl/sharedStrings.xml", shared.encode("utf-8")),
    ]
    if theme is not None:
        parts.append(("xl/theme/theme1.xml", theme))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()
