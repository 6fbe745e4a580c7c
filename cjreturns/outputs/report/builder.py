"""Writes the report's blocks into Word, in the house style of templates/report-template.docx.

Only style names are used, never direct formatting, so CJS can restyle the draft in Word. Text
from returns arrives here as plain strings and goes into plain runs: python-docx escapes it as
XML text, so nothing a partnership types can become a field, a hyperlink or markup.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

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
from cjreturns.resources import template_path

_PARAGRAPH_STYLES = {
    "body": house.STYLE_BODY,
    "quote": house.STYLE_QUOTE,
    "draft": house.STYLE_DRAFT,
    "subtitle": house.STYLE_SUBTITLE,
    "title": house.STYLE_TITLE,
}
FIGURE_WIDTH_MM = 160


def render_docx(report: Report, *, generated_on: dt.date, template: Path | None = None) -> bytes:
    """The report as .docx bytes; the same report and date always give the same bytes."""
    import docx

    document = docx.Document(str(template or template_path(house.TEMPLATE_NAME)))
    _clear_body(document)
    writer = _Writer(document, report)
    for block in report.blocks:
        writer.write(block)
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

    def para(self, text: str = "", style: str | None = None) -> Any:
        """A new body paragraph in a template style (by name), as add_paragraph would make."""
        p = self.doc.add_paragraph(text)
        if style is not None and style != self._default_style:
            p._p.get_or_add_pPr().style = self._style_ids[style]
        return p

    def write(self, block: Any) -> None:
        if isinstance(block, Heading):
            self.para(block.text, style=house.STYLE_HEADINGS[block.level - 1])
        elif isinstance(block, Paragraph):
            p = self.para(style=_PARAGRAPH_STYLES[block.style])
            for text, bold in block.runs:
                run = p.add_run(text)
                if bold:
                    run.bold = True
        elif isinstance(block, Bullets):
            style = house.STYLE_NUMBER if block.numbered else house.STYLE_BULLET
            for item in block.items:
                self.para(item, style=style)
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
        p = self.para(style=house.STYLE_BODY)
        _field(
            p,
            'TOC \\o "1-3" \\h \\z \\u',
            "Right-click here and choose Update Field to show the table of contents.",
        )
        self.para(
            "This report has these sections (Word lists their pages above when fields are "
            "updated):",
            style=house.STYLE_BODY,
        )
        for heading in self.report.headings():
            if heading.level == 1 and heading.text != "Contents":
                self.para(heading.text, style=house.STYLE_BULLET)

    def table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.tables += 1
        self.para(f"Table {self.tables}: {block.caption}", style=house.STYLE_CAPTION)
        rows = block.rows or (tuple("none" if i == 0 else "" for i in range(len(block.columns))),)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(block.columns))
        table.style = self.doc.styles[house.STYLE_TABLE]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = _column_widths(block)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid: what LibreOffice reads
        _table_alt_text(table, block.caption, block.description)
        for r, values in enumerate((block.columns, *rows)):
            row = table.rows[r]
            if r == 0:
                _repeat_header(row)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = widths[c]  # each cell: what Word reads
                para = cell.paragraphs[0]
                run = para.add_run(str(value))
                if r == 0:
                    run.bold = True
                if c in block.numeric:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def figure(self, block: Figure) -> None:
        from docx.shared import Mm

        from cjreturns.outputs.report.charts import draw

        png = draw(block.chart)
        p = self.para(style=house.STYLE_FIGURE)
        shape = p.add_run().add_picture(io.BytesIO(png), width=Mm(FIGURE_WIDTH_MM))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", block.alt_text)
        doc_pr.set("title", block.chart.title)
        doc_pr.set("name", f"Figure {block.number}")
        self.para(f"Figure {block.number}: {block.caption}", style=house.STYLE_CAPTION)


TEXT_WIDTH_MM = 160


def _column_widths(block: Table) -> list[Any]:
    """Number columns as wide as their longest value or header word; text shares the rest."""
    from docx.shared import Mm

    count = len(block.columns)
    char_mm = 2.4  # about one character of Arial 11pt (bold headers are wider than digits)

    def needed(i: int) -> float:
        values = [row[i] for row in block.rows if i < len(row)]
        words = block.columns[i].split()
        longest = max([len(v) for v in values] + [len(w) for w in words] + [1])
        return min(30.0, max(10.0, longest * char_mm + 5))

    numeric = {i: needed(i) for i in range(count) if i in block.numeric}
    text = [i for i in range(count) if i not in numeric]
    spare = TEXT_WIDTH_MM - sum(numeric.values())
    minimum_text = 35.0 * len(text)
    if text and spare < minimum_text:  # squeeze the numbers before the words
        scale = (TEXT_WIDTH_MM - minimum_text) / sum(numeric.values())
        numeric = {i: w * scale for i, w in numeric.items()}
        spare = minimum_text
    text_mm = spare / len(text) if text else 0.0
    return [Mm(numeric.get(i, text_mm)) for i in range(count)]


def _clear_body(document: Any) -> None:
    """Keep the template's section settings, drop any sample content it carries."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


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


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


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
