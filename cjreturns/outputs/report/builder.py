"""Writes the report's blocks into Word, in the house style of templates/report-template.docx.

Only style names are used, never direct formatting, so CJS can restyle the draft in Word. Text
from returns arrives here as plain strings and goes into plain runs: python-docx escapes it as
XML text, so nothing a partnership types can become a field, a hyperlink or markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from cjreturns.core.resources import template_path
from cjreturns.outputs.report import template_source as house
from cjreturns.outputs.report.blocks import (
    Bullets,
    Contents,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    TitlePage,
)
from cjreturns.outputs.report.package import docx_bytes
from cjreturns.outputs.report.text import xml_safe

_PARAGRAPH_STYLES = {
    "body": house.STYLE_BODY,
    "quote": house.STYLE_QUOTE,
    "draft": house.STYLE_DRAFT,
    "subtitle": house.STYLE_SUBTITLE,
    "title": house.STYLE_TITLE,
}


def render_docx(report: Report, *, generated_on: dt.date, template: Path | None = None) -> bytes:
    """The report as .docx bytes; the same report and date always give the same bytes."""
    import docx

    document = docx.Document(str(template or template_path(house.TEMPLATE_NAME)))
    _clear_body(document)
    writer = _Writer(document, report)
    for block in report.blocks:
        writer.write(block)
    writer.flush()
    _header_footer(document, report)
    _properties(document, report, generated_on)
    _update_fields_on_open(document)
    return docx_bytes(document)


class _Writer:
    def __init__(self, document: Any, report: Report) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.doc = document
        self.report = report
        self.tables = 0
        # python-docx looks a style up by scanning every style, twice, for each paragraph;
        # resolving each name once makes writing ~1,300 paragraphs a fraction of the time.
        self._style_ids = {s.name: s.style_id for s in document.styles}
        self._default_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH).name
        # Headings, paragraphs and list items are written as XML text and parsed a run of them
        # at a time (the same XML python-docx's add_paragraph writes, tested against it).
        self._pending: list[str] = []
        self._theme: bytes | None = None  # the template's theme, for the charts' workbooks

    def flush(self) -> None:
        """Put the paragraphs written as XML into the document, before anything else goes in."""
        if not self._pending:
            return
        from docx.oxml import parse_xml
        from docx.oxml.ns import qn

        parsed = parse_xml(f"<w:body {_W_NS}>{''.join(self._pending)}</w:body>")
        self._pending.clear()
        body = self.doc.element.body
        section = body.find(qn("w:sectPr"))  # the body's last child: paragraphs go before it
        for element in list(parsed):
            if section is None:
                body.append(element)
            else:
                section.addprevious(element)

    def para_xml(self, runs: Iterable[tuple[str, bool]], style: str | None) -> None:
        """A paragraph (as XML text) in a template style (by name), with runs (text, bold)."""
        props = ""
        if style is not None and style != self._default_style:
            props = f"<w:pPr><w:pStyle w:val={quoteattr(self._style_ids[style])}/></w:pPr>"
        body = "".join(_run_xml(xml_safe(text), bold=bold) for text, bold in runs)
        self._pending.append(f"<w:p>{props}{body}</w:p>")

    def para(self, text: str = "", style: str | None = None) -> Any:
        """A new body paragraph in a template style (by name), as add_paragraph would make."""
        self.flush()
        p = self.doc.add_paragraph(text)
        if style is not None and style != self._default_style:
            p._p.get_or_add_pPr().style = self._style_ids[style]
        return p

    def write(self, block: Any) -> None:
        # add_paragraph(text) makes a run only for text that is not empty
        if isinstance(block, Heading):
            runs = ((block.text, False),) if block.text else ()
            self.para_xml(runs, house.STYLE_HEADINGS[block.level - 1])
        elif isinstance(block, Paragraph):
            self.para_xml(block.runs, _PARAGRAPH_STYLES[block.style])
        elif isinstance(block, Bullets):
            style = house.STYLE_NUMBER if block.numbered else house.STYLE_BULLET
            for item in block.items:
                self.para_xml(((item, False),) if item else (), style)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Contents):
            self.contents()
        elif isinstance(block, TitlePage):
            self.title_page(block)
        else:  # pragma: no cover - a new block type without a writer
            raise TypeError(f"no writer for {type(block).__name__}")

    def title_page(self, page: TitlePage) -> None:
        self.para(page.title, style=house.STYLE_TITLE)
        sub = f"Reporting year {page.reporting_year}" if page.reporting_year else "Draft"
        if page.period:
            sub += f" ({page.period})"
        self.para(sub, style=house.STYLE_SUBTITLE)
        self.para("DRAFT: not for publication", style=house.STYLE_DRAFT)
        self.para(
            f"Generated on {page.generated_on} by cjreturns from the annual returns of "
            f"{page.returns_counted} community justice partnerships. Every number in this draft "
            "is counted from the returns; the foreword, introduction, key facts and progress on "
            "recommendations come from the analysts' context file. Check and edit every section "
            "before publication.",
            style=house.STYLE_BODY,
        )

    def contents(self) -> None:
        """The TOC field with the headings already in it as its result, so the contents show
        before Word updates the field (it is asked to on opening; LibreOffice shows them as
        they are). Page numbers come with Word's update."""
        entries = [
            h.text for h in self.report.headings() if h.level <= 2 and h.text != "Contents"
        ] or ["Right-click here and choose Update Field to show the table of contents."]
        paragraphs = [self.para(style=house.STYLE_BODY) for _ in entries]
        _field_over(paragraphs, 'TOC \\o "1-2" \\h \\z \\u', entries)

    def table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import parse_xml
        from docx.shared import Mm

        self.tables += 1
        label = block.label or f"Table {self.tables}"
        self.para(f"{label}: {block.caption}", style=house.STYLE_CAPTION)
        rows = block.rows or (tuple("none" if i == 0 else "" for i in range(len(block.columns))),)
        table = self.doc.add_table(rows=0, cols=len(block.columns))
        table.style = self.doc.styles[house.STYLE_TABLE]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = [Mm(w) for w in block.widths_mm] if block.widths_mm else _column_widths(block)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: what LibreOffice reads
        _table_alt_text(table, block.caption, block.description)
        # The rows are written as XML text and parsed once: python-docx's cell-by-cell API
        # (width, run, bold, alignment) was half the report's time. This is the same XML it
        # wrote, a run of plain escaped text per cell, so nothing in a value becomes markup.
        twips = [w.twips for w in widths]
        xml = []
        for r, values in enumerate((block.columns, *rows)):
            # <w:tblHeader/> means on; Word's schema takes only on/off for it, not "true".
            # No row breaks across a page; the header row repeats on every page.
            xml.append(
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                if r == 0
                else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            )
            padded = (*values, *([""] * (len(widths) - len(values))))
            for c, value in enumerate(padded[: len(widths)]):
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[c]}"/></w:tcPr><w:p>'
                    + ('<w:pPr><w:jc w:val="right"/></w:pPr>' if c in block.numeric else "")
                    + _run_xml(xml_safe(value), bold=r == 0)
                    + "</w:p></w:tc>"
                )
            xml.append("</w:tr>")
        parsed = parse_xml(f"<w:tbl {_W_NS}>{''.join(xml)}</w:tbl>")
        table._tbl.extend(list(parsed))

    def figure(self, block: Figure) -> None:
        """A native Word chart (see charts.py) with its alt text, then its caption."""
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml

        from cjreturns.outputs.report.charts import build

        n = block.number
        package = self.doc.part.package
        if self._theme is None:
            self._theme = self.doc.part.part_related_by(RT.THEME).blob
        parts = build(block.chart, workbook_rel_id="rId1", theme=self._theme)
        chart_part = Part(PackURI(f"/word/charts/chart{n}.xml"), CT.DML_CHART, parts.xml, package)
        workbook = Part(
            PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"),
            CT.SML_SHEET,
            parts.workbook,
            package,
        )
        # a new part's first relationship is always rId1, the id the chart XML names
        if chart_part.relate_to(workbook, RT.PACKAGE) != "rId1":  # pragma: no cover
            raise RuntimeError("the chart's workbook relationship is not rId1")
        rel_id = self.doc.part.relate_to(chart_part, RT.CHART)
        p = self.para(style=house.STYLE_FIGURE)
        p.add_run()._r.append(
            parse_xml(
                _CHART_INLINE.format(
                    cx=parts.width_emu,
                    cy=parts.height_emu,
                    id=CHART_DRAWING_ID_BASE + n,  # figures are numbered 1, 2 ... in order
                    name=quoteattr(f"Figure {n}"),
                    descr=quoteattr(xml_safe(block.alt_text)),
                    title=quoteattr(xml_safe(block.chart.title)),
                    rid=rel_id,
                )
            )
        )
        self.para(f"Figure {n}: {block.caption}", style=house.STYLE_CAPTION)


CHART_DRAWING_ID_BASE = 1000  # drawing ids are unique in a document; pictures count from 1
_CHART_INLINE = (
    '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name={name} descr={descr} title={title}/>'
    "<wp:cNvGraphicFramePr/>"
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing>'
)


TEXT_WIDTH_MM = 160


# Table cells take the body style (12pt Arial); header cells are bold. Widths of bold Arial
# (Helvetica-Bold metrics, which Liberation Sans shares) in thousandths of the type size.
_BOLD_WIDTHS = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()-,.:'",
        (
            556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611,
            611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 722, 722, 722, 722, 667, 611,
            778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667,
            944, 667, 667, 611, *([556] * 10), 333, 333, 333, 278, 278, 333, 278,
        ),
        strict=True,
    )
)  # fmt: skip
FONT_MM = 12 * 0.3528  # the cells' type size, in millimetres
VALUE_CHAR_MM = 2.4  # a 12pt Arial digit (and about an average letter)
CELL_PADDING_MM = 3.8 + 1.2  # Word's default cell margins (1.9 mm a side), and some slack
MIN_TEXT_MM = 30.0


MIN_NUMBER_MM = 12.0


def heading_word_mm(word: str, *, bold: bool = True) -> float:
    """How wide a word is set in 12pt Arial (bold for headings), cell margins included."""
    em = sum(_BOLD_WIDTHS.get(ch, 667) for ch in word) / 1000
    return em * (1.0 if bold else 0.93) * FONT_MM + CELL_PADDING_MM  # regular is ~7% narrower


def _column_widths(block: Table) -> list[Any]:
    """Every column at least as wide as its longest heading word, so no heading breaks inside
    a word ("Numbe r"); number columns as wide as their longest value; text columns share the
    rest. When even the heading words do not fit the page, every column keeps its floor and
    text columns give up their share first."""
    from docx.shared import Mm

    count = len(block.columns)

    def floor(i: int) -> float:
        return max(heading_word_mm(w) for w in block.columns[i].split() or [""])

    def needed(i: int) -> float:
        values = [str(row[i]) for row in block.rows if i < len(row)]
        longest = max([len(v) for v in values] + [1])
        return max(floor(i), MIN_NUMBER_MM, min(30.0, longest * VALUE_CHAR_MM + CELL_PADDING_MM))

    def text_floor(i: int) -> float:
        """A text column also fits its longest word, so no value breaks inside a word."""
        words = [w for row in block.rows if i < len(row) for w in str(row[i]).split()]
        longest = max((heading_word_mm(w, bold=False) for w in words), default=0.0)
        return max(floor(i), min(longest, 45.0))

    numeric = {i: needed(i) for i in range(count) if i in block.numeric}
    text = [i for i in range(count) if i not in numeric]
    floors = {i: text_floor(i) for i in text}
    spare = TEXT_WIDTH_MM - sum(numeric.values())
    if text and spare < sum(max(MIN_TEXT_MM, floors[i]) for i in text):
        # narrow the numbers towards their floors before the words
        squeeze = {i: w - floor(i) for i, w in numeric.items()}
        short = sum(max(MIN_TEXT_MM, floors[i]) for i in text) - spare
        room = sum(squeeze.values())
        if room > 0:
            take = min(1.0, short / room)
            numeric = {i: w - squeeze[i] * take for i, w in numeric.items()}
        spare = TEXT_WIDTH_MM - sum(numeric.values())
    elif not text and spare < 0:  # numbers only, and too many of them: down to their floors
        over = -spare
        room = sum(w - floor(i) for i, w in numeric.items())
        take = min(1.0, over / room) if room > 0 else 0.0
        numeric = {i: w - (w - floor(i)) * take for i, w in numeric.items()}
    widths: dict[int, float] = dict(numeric)
    if text:
        share = [max(floors[i], 1.0) for i in text]
        left = max(spare, sum(floors.values()))
        extra = left - sum(floors.values())
        # the space beyond the floors goes to text columns in proportion to their content
        content = [
            max([len(str(row[i])) for row in block.rows if i < len(row)] + [1]) for i in text
        ]
        total = sum(content)
        for i, base, size in zip(text, share, content, strict=True):
            widths[i] = base + extra * size / total
    return [Mm(widths[i]) for i in range(count)]


def _clear_body(document: Any) -> None:
    """Keep the template's section settings, drop any sample content it carries."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _field_over(paragraphs: list[Any], instruction: str, results: list[str]) -> None:
    """A complex field whose result runs over several paragraphs (as Word writes a TOC): it
    begins in the first paragraph and ends in the last, one result line in each."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run.append(fld)
        return run

    def text_run(value: str) -> Any:
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = xml_safe(value)
        run.append(text)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    first = paragraphs[0]._p
    for element in (char("begin"), instr_run, char("separate")):
        first.append(element)
    for paragraph, value in zip(paragraphs, results, strict=True):
        paragraph._p.append(text_run(value))
    paragraphs[-1]._p.append(char("end"))


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A complex field (fldChar begin/instr/separate/result/end), as Word itself writes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run.append(fld)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    result = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    result.append(text)
    for element in (char("begin"), instr_run, char("separate"), result, char("end")):
        paragraph._p.append(element)


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


_BREAKS = re.compile(r"([\t\r\n])")


def _run_xml(text: str, *, bold: bool) -> str:
    """A run as python-docx's `add_run(text)` writes one: optional bold, the text escaped, a tab
    as <w:tab/> and each CR or LF as <w:br/>."""
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    content = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    if not props and not content:
        return "<w:r/>"
    return f"<w:r>{props}{''.join(content)}</w:r>"


def _table_alt_text(table: Any, caption: str, description: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description or caption)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        tbl_pr.append(el)


def _header_footer(document: Any, report: Report) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"DRAFT: {report.title}"
    header.style = document.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")


def _properties(document: Any, report: Report, generated_on: dt.date) -> None:
    props = document.core_properties
    meta = report.properties
    props.title = meta.get("title", report.title)
    props.subject = meta.get("subject", report.subject)
    props.language = meta.get("language", "en-GB")
    props.keywords = meta.get("keywords", "")
    props.comments = meta.get("comments", "")
    props.author = "Community Justice Scotland"
    props.last_modified_by = "cjreturns"
    props.revision = 1
    stamp = dt.datetime(generated_on.year, generated_on.month, generated_on.day)
    props.created = props.modified = props.last_printed = stamp


def _update_fields_on_open(document: Any) -> None:
    """Ask Word to refresh the contents and page numbers when the draft is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # Word checks the order of settings: updateFields comes before any of these.
    for tag in _AFTER_UPDATE_FIELDS:
        later = settings.find(qn(tag))
        if later is not None:
            later.addprevious(update)
            return
    settings.append(update)


_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
