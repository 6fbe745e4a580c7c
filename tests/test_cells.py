"""The workbook cell codec and the one spreadsheet-text policy: writer and reader are inverses,
and no piece a spreadsheet could split text into starts a formula."""

from __future__ import annotations

import ast
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjreturns.outputs.tables_workbook import neutralise as output_neutralise
from cjreturns.readers.cells import (
    EMPTY,
    FORMULA_STARTERS,
    cell_to_value,
    cell_value,
    is_neutral,
    neutralise,
    unneutralise,
)

# Text rich in the characters the policy is about, plus anything else.
_RISKY = st.text(alphabet=st.sampled_from("=+-@\t\r\n,; 'ab"), max_size=30)
_ANY = st.one_of(_RISKY, st.text(max_size=30))


@given(_ANY)
def test_unneutralise_gives_back_exactly_what_neutralise_was_given(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


@given(_ANY)
def test_neutralised_text_starts_no_formula_at_any_separator(text: str) -> None:
    out = neutralise(text)
    assert is_neutral(out)
    # the same property, stated independently: split as a spreadsheet may, trim spaces
    for piece in re.split(r"[,;\t\r\n]", out):
        stripped = piece.lstrip(" ")
        assert not stripped or stripped[0] not in FORMULA_STARTERS - {"\t", "\r"}, (text, out)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc",)), max_size=40))
def test_outputs_and_the_workbook_share_one_policy(text: str) -> None:
    assert output_neutralise(text) == neutralise(text)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Angus;=1+2;", "Angus;'=1+2;"),
        ("Angus,=1+2", "Angus,'=1+2"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("one\n-two", "one\n'-two"),
        ("x, +1", "x, '+1"),
        ("=x", "'=x"),
        ("'=x", "''=x"),
        ("2021-22", "2021-22"),
        ("Fife", "Fife"),
    ],
)
def test_formula_starters_are_guarded_after_every_separator(text: str, written: str) -> None:
    assert neutralise(text) == written


def test_a_list_item_that_starts_with_a_quote_survives_the_round_trip() -> None:
    """The reader used to remove a quote from the whole cell and again from each line."""
    items = ["'=not a formula", "=sum", "plain"]
    shown = neutralise(cell_value("lines", items, None))
    assert cell_to_value("lines", shown, "s", None) == (items, None)


@given(st.lists(_RISKY.map(str.strip).filter(lambda t: t and ";" not in t and "\n" not in t)))
def test_lines_round_trip(items: list[str]) -> None:
    shown = neutralise(cell_value("lines", items, None))
    value, problem = cell_to_value("lines", shown, "s", None)
    assert problem is None
    assert value == ([i for i in items if i.strip()] or EMPTY)


# -- the zip guard, shared by the return reader and check-docx ------------------------------------


def _docx_with(extra: dict[str, bytes], tmp_path: Path) -> Path:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    path = tmp_path / "r.docx"
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        for name, data in extra.items():
            dst.writestr(name, data)
    return path


def test_check_docx_refuses_one_bomb_part_under_the_total_limit(tmp_path: Path) -> None:
    """The size check used to look only at the total (100 MB by default)."""
    from cjreturns.outputs.report.a11y import NotADocxError, check_docx

    path = _docx_with({"word/media/bomb.bin": b"\0" * (30 << 20)}, tmp_path)
    assert path.stat().st_size < 1 << 20
    with pytest.raises(NotADocxError, match=r"compressed [\d,]+ to 1.*zip bomb"):
        check_docx(path)


def test_check_docx_refuses_a_zip_of_many_parts(tmp_path: Path) -> None:
    from cjreturns.outputs.report.a11y import NotADocxError, check_docx
    from cjreturns.readers.package import MAX_MEMBERS

    path = _docx_with({f"x/{n}": b"" for n in range(MAX_MEMBERS + 1)}, tmp_path)
    with pytest.raises(NotADocxError, match=r"holds 10,0\d\d parts"):
        check_docx(path)


# -- platform-safe formatting --------------------------------------------------------------------

_PLATFORM_DIRECTIVE = re.compile(r"%[-#_^][A-Za-z]")  # glibc/BSD (%-d) or Windows (%#d) only


def test_no_platform_specific_strftime_directives_anywhere() -> None:
    """`%-d` raises ValueError on Windows, where the coordinators are. Docstrings may mention it."""
    root = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted([*(root / "cjreturns").rglob("*.py"), *(root / "benchmarks").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and _PLATFORM_DIRECTIVE.search(node.value)
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_the_platform_check_would_see_one() -> None:
    tree = ast.parse('x = f"{day:%-d %B}"\ny = d.strftime("%#d")')
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    assert sum(bool(_PLATFORM_DIRECTIVE.search(s)) for s in strings) == 2
