"""`check-docx` catches each accessibility problem in small, deliberately bad documents."""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.outputs.report.a11y import RULES, NotADocxError, check_docx


def good() -> Any:
    """A small document with no problems: title, language, headings in order."""
    document = docx.Document()
    document.core_properties.title = "A small report"
    document.core_properties.language = "en-GB"
    document.add_heading("Introduction", level=1)
    document.add_paragraph("Some text.")
    document.add_heading("Background", level=2)
    document.add_paragraph("More text.")
    return document


def save(document: Any, tmp_path: Path, name: str = "doc.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 20 x 10 navy PNG, built here so the tests need no imaging library.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 20, 10, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress((b"\x00" + b"\x1f\x3a\x5f" * 20) * 10))
    + _chunk(b"IEND", b"")
)


def png() -> io.BytesIO:
    return io.BytesIO(TINY_PNG)


def skipped_level(d: Any) -> None:
    d.add_heading("Detail", level=4)


def first_heading_not_1(d: Any) -> None:
    d.paragraphs[0].style = d.styles["Heading 2"]


def empty_heading(d: Any) -> None:
    d.add_heading("", level=2)


def picture_without_alt(d: Any) -> None:
    d.add_picture(png())


def table_without_header(d: Any) -> None:
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    d.add_paragraph("After the table.")


def empty_paragraph(d: Any) -> None:
    d.add_paragraph("")
    d.add_paragraph("Text after a gap.")


def no_title(d: Any) -> None:
    d.core_properties.title = ""


def no_language(d: Any) -> None:
    d.core_properties.language = ""
    for lang in list(d.styles.element.iter(qn("w:lang"))):
        lang.getparent().remove(lang)


CASES: list[tuple[Callable[[Any], None], str, str]] = [
    (skipped_level, "heading-order", "paragraph 5 (“Detail”)"),
    (first_heading_not_1, "heading-order", "paragraph 1 (“Introduction”)"),
    (empty_heading, "heading-order", "paragraph 5"),
    (picture_without_alt, "image-alt-text", "image 1, paragraph 5"),
    (table_without_header, "table-header-row", "table 1"),
    (empty_paragraph, "empty-paragraph", "paragraph 5"),
    (no_title, "document-title", "document properties"),
    (no_language, "document-language", "document properties"),
]


def test_the_good_document_is_clean(tmp_path: Path) -> None:
    assert check_docx(save(good(), tmp_path)) == []


@pytest.mark.parametrize(("spoil", "rule", "location"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_problem_is_found_where_it_is(
    spoil: Callable[[Any], None], rule: str, location: str, tmp_path: Path
) -> None:
    document = good()
    spoil(document)
    findings = check_docx(save(document, tmp_path))
    assert [(f.rule, f.location) for f in findings][:1] == [(rule, location)]


def test_every_rule_has_a_case_and_a_description() -> None:
    assert {rule for _, rule, _ in CASES} == set(RULES)
    assert all(text.endswith(".") for text, _ in RULES.values())


def test_alt_text_and_header_row_fixes_make_it_clean(tmp_path: Path) -> None:
    document = good()
    shape = document.add_picture(png())
    shape._inline.docPr.set("descr", "A navy rectangle.")
    table = document.add_table(rows=2, cols=2)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(header)
    document.add_paragraph("After the table.")
    assert check_docx(save(document, tmp_path)) == []


def test_a_paragraph_after_a_final_table_is_not_spacing(tmp_path: Path) -> None:
    document = good()
    table = document.add_table(rows=1, cols=1)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    document.add_paragraph("")  # Word always ends a body with a paragraph
    assert check_docx(save(document, tmp_path)) == []


def test_not_a_docx_is_a_usage_problem(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("just text", encoding="utf-8")
    with pytest.raises(NotADocxError, match=r"not a Word \.docx file"):
        check_docx(text)
    with pytest.raises(NotADocxError, match="no such file"):
        check_docx(tmp_path / "missing.docx")


# -- the command ---------------------------------------------------------------------------------

runner = CliRunner()


def test_check_docx_clean_exit_0(tmp_path: Path) -> None:
    path = save(good(), tmp_path)
    result = runner.invoke(app, ["check-docx", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{path}: no accessibility problems found (6 checks).\n"


def test_check_docx_problems_exit_1_with_locations(tmp_path: Path) -> None:
    document = good()
    skipped_level(document)
    table_without_header(document)
    path = save(document, tmp_path)
    result = runner.invoke(app, ["check-docx", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}: paragraph 5 (“Detail”): heading-order: Heading 4 follows")
    assert lines[1].startswith(f"{path}: table 1: table-header-row: Table 1 has no header row")
    assert lines[-1] == f"2 accessibility problems in {path}."


def test_check_docx_json(tmp_path: Path) -> None:
    document = good()
    empty_paragraph(document)
    path = save(document, tmp_path)
    result = runner.invoke(app, ["check-docx", str(path), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["problems"] == [
        {
            "rule": "empty-paragraph",
            "location": "paragraph 5",
            "paragraph": 5,
            "message": "Empty paragraph: screen readers announce it as blank. Delete it and use "
            "spacing before or after in the style.",
        }
    ]
    assert set(data["rules"]) == set(RULES)


def test_check_docx_usage_problems_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-docx", str(tmp_path / "missing.docx")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    result = runner.invoke(app, ["check-docx", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_heading_levels_resolve_styles_as_python_docx_does() -> None:
    """The checker resolves each style id once; it must agree with `paragraph.style` for
    headings, body text, unknown style ids, character-style ids and outline levels."""
    from cjreturns.outputs.report.a11y import _Doc, _outline

    d = good()
    d.add_paragraph("Quote", style="Quote")
    d.add_paragraph("Title", style="Title")
    d.add_heading("Three", level=3)
    unknown = d.add_paragraph("Unknown style id")
    unknown._p.get_or_add_pPr().style = "NoSuchStyle"
    character = d.add_paragraph("A character style's id")
    character._p.get_or_add_pPr().style = "Strong"
    based = d.styles.add_style("Custom heading", 1)  # WD_STYLE_TYPE.PARAGRAPH
    based.base_style = d.styles["Heading 2"]
    d.add_paragraph("Based on Heading 2", style="Custom heading")
    document = docx.Document(io.BytesIO(_saved(d)))
    doc = _Doc(document)

    def reference(p: Any) -> int | None:
        direct = _outline(p._p.pPr)
        if direct is not None:
            return direct
        style = p.style
        while style is not None:
            if style.name and style.name.lower().startswith("heading "):
                return int(style.name.split()[-1])
            level = _outline(style.element.pPr)
            if level is not None:
                return level
            style = style.base_style
        return None

    got = [doc.heading_level(p) for p in document.paragraphs]
    assert got == [reference(p) for p in document.paragraphs]
    assert got == [1, None, 2, None, None, None, 3, None, None, 2]


def _saved(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
