"""The builder writes runs and table rows as XML text instead of through python-docx's object API
(which was most of the report's time). These tests hold that XML to what python-docx itself writes
for the same text, so the shortcut changes nothing in the document.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from cjreturns.outputs.report import template_source as house
from cjreturns.outputs.report.blocks import Bullets, Heading, Paragraph, Report, Table
from cjreturns.outputs.report.builder import (
    _W_NS,
    _column_widths,
    _run_xml,
    heading_word_mm,
    render_docx,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DAY = dt.date(2023, 1, 31)
# XML 1.0 text without the characters clean_text/xml_safe remove before anything is written
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\t\n\r"),
    max_size=30,
)


def bare(element: Any) -> str:
    """An element's XML without namespace declarations (which depend on where it was parsed)."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(element, encoding="unicode"))


# python-docx's default document, parsed once: each example adds a new paragraph to it (what
# add_run writes does not depend on the paragraphs before it)
DEFAULT = docx.Document()


@settings(max_examples=300, deadline=None)
@given(text=TEXT, bold=st.booleans())
def test_run_xml_is_what_add_run_writes(text: str, bold: bool) -> None:
    paragraph = DEFAULT.add_paragraph()
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    mine = parse_xml(f"<w:p {_W_NS}>{_run_xml(text, bold=bold)}</w:p>")[0]
    assert bare(mine) == bare(run._r)


BLOCK = st.one_of(
    st.builds(Heading, st.integers(1, 3), TEXT),
    st.builds(
        Paragraph,
        st.lists(st.tuples(TEXT, st.booleans()), max_size=3).map(tuple),
        st.sampled_from(["body", "quote", "draft", "subtitle", "title"]),
    ),
    st.builds(Bullets, st.lists(TEXT, max_size=3).map(tuple), st.booleans()),
)


def body(document: bytes) -> Any:
    """The body of a .docx the builder wrote, parsed as python-docx parses it but from the document
    part alone (loading the whole package would parse styles, headers and the rest for nothing)."""
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        return parse_xml(z.read("word/document.xml")).find(f"{W}body")


@functools.cache
def empty(title: str, subject: str) -> bytes:
    """A report with no blocks: what python-docx's API writes into, rendered once per title."""
    return render_docx(Report(title, subject, "2021-22"), generated_on=DAY)


def reference_body(blocks: list[Any]) -> Any:
    """The blocks written with python-docx's own API, as the builder did before the shortcut."""
    from cjreturns.outputs.report.builder import _PARAGRAPH_STYLES

    document = docx.Document(io.BytesIO(empty("T", "S")))
    default = document.styles.default(1).name  # WD_STYLE_TYPE.PARAGRAPH
    ids = {s.name: s.style_id for s in document.styles}

    def para(text: str, style: str) -> Any:
        p = document.add_paragraph(text)
        if style != default:
            p._p.get_or_add_pPr().style = ids[style]
        return p

    for block in blocks:
        if isinstance(block, Heading):
            para(block.text, house.STYLE_HEADINGS[block.level - 1])
        elif isinstance(block, Paragraph):
            p = para("", _PARAGRAPH_STYLES[block.style])
            for text, bold in block.runs:
                run = p.add_run(text)
                if bold:
                    run.bold = True
        else:
            for item in block.items:
                para(item, house.STYLE_NUMBER if block.numbered else house.STYLE_BULLET)
    return document.element.body


@settings(max_examples=150, deadline=None)
@given(blocks=st.lists(BLOCK, max_size=6))
def test_paragraph_xml_is_what_add_paragraph_writes(blocks: list[Any]) -> None:
    report = Report("T", "S", "2021-22", blocks=list(blocks))
    got = body(render_docx(report, generated_on=DAY))
    expected = reference_body(blocks)
    assert [bare(p) for p in got.iterchildren()] == [bare(p) for p in expected.iterchildren()]


def reference_table(document: Any, block: Table) -> Any:
    """The table as the builder wrote it cell by cell with python-docx before the shortcut."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    rows = block.rows or (tuple("none" if i == 0 else "" for i in range(len(block.columns))),)
    table = document.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = document.styles[house.STYLE_TABLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = _column_widths(block)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    from cjreturns.outputs.report.builder import _table_alt_text

    _table_alt_text(table, block.caption, block.description)
    for r, values in enumerate((block.columns, *rows)):
        row = table.rows[r]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:cantSplit {_W_NS}/>"))  # rows never break across pages
        if r == 0:
            tr_pr.append(parse_xml(f"<w:tblHeader {_W_NS}/>"))
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = widths[c]
            para = cell.paragraphs[0]
            run = para.add_run(str(value))
            if r == 0:
                run.bold = True
            if c in block.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table._tbl


CELL = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    columns=st.lists(CELL.filter(str.strip), min_size=1, max_size=5),
)
def test_table_xml_is_what_the_cell_api_writes(data: Any, columns: list[str]) -> None:
    n = len(columns)
    rows = data.draw(st.lists(st.tuples(*[CELL] * n), max_size=6))
    numeric = frozenset(data.draw(st.sets(st.integers(0, n - 1))))
    block = Table("A caption", tuple(columns), tuple(rows), "What it shows", numeric)
    report = Report("Title", "Subject", "2021-22", blocks=[block])
    got = body(render_docx(report, generated_on=dt.date(2023, 1, 31))).find(f"{W}tbl")
    expected = reference_table(docx.Document(io.BytesIO(empty("Title", "Subject"))), block)
    assert bare(got) == bare(expected)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    columns=st.lists(CELL.filter(str.strip), min_size=1, max_size=9),
)
def test_column_widths_fill_the_text_width_and_are_never_negative(
    data: Any, columns: list[str]
) -> None:
    n = len(columns)
    rows = data.draw(st.lists(st.tuples(*[CELL] * n), max_size=4))
    numeric = frozenset(data.draw(st.sets(st.integers(0, n - 1))))
    widths = [w.mm for w in _column_widths(Table("c", tuple(columns), tuple(rows), "", numeric))]
    assert all(w > 0 for w in widths)
    floors = [max(heading_word_mm(w) for w in c.split() or [""]) for c in columns]
    # no column is narrower than its longest heading word (so no heading breaks inside a word)
    assert all(w >= f - 0.01 for w, f in zip(widths, floors, strict=True))
    # and the table fits the text width unless its words alone do not (a text column also
    # keeps its longest word whole, up to 45 mm)
    for i in range(n):
        if i not in numeric:
            words = [w for row in rows for w in str(row[i]).split()]
            longest = max((heading_word_mm(w, bold=False) for w in words), default=0.0)
            floors[i] = max(floors[i], min(longest, 45.0))
    assert sum(widths) <= max(160.0, sum(floors)) + 0.01
