"""`check-docx` catches each accessibility problem in small, deliberately bad documents."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image
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


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(out, format="PNG")
    out.seek(0)
    return out


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
