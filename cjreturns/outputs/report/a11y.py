"""Accessibility checks for any .docx: the problems a screen-reader user meets first.

Used by `cjreturns check-docx` and by the report tests on the generated draft. Each rule is a
small function that yields findings (rule id, message, location); locations count body
paragraphs, tables and images from 1, as a person would find them in Word.
"""

from __future__ import annotations

import io
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cjreturns.core.errors import UsageError


class NotADocxError(UsageError):
    """The file is not a Word .docx that can be opened."""


@dataclass(frozen=True)
class A11yFinding:
    rule: str
    message: str
    location: str
    paragraph: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "location": self.location,
            "paragraph": self.paragraph,
            "message": self.message,
        }


A11yCheck = Callable[["_Doc"], Iterator[A11yFinding]]
RULES: dict[str, tuple[str, A11yCheck]] = {}


def _rule(rule_id: str, description: str) -> Callable[[A11yCheck], A11yCheck]:
    def register(fn: A11yCheck) -> A11yCheck:
        RULES[rule_id] = (description, fn)
        return fn

    return register


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)


class _Doc:
    """The opened document with the look-ups the rules share."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.body = document.element.body
        self.paragraphs = list(document.paragraphs)  # body-level, in order
        self.styles: dict[str, Any] = {}
        for s in document.styles:  # the first of a repeated id wins, as in Word and python-docx
            self.styles.setdefault(s.style_id, s)
        self._levels: dict[str | None, int | None] = {}  # by paragraph style id

    def heading_level(self, paragraph: Any) -> int | None:
        """Outline level 1-9 from the paragraph, its style or the styles it is based on."""
        direct = _outline(paragraph._p.pPr)
        if direct is not None:
            return direct
        # python-docx's paragraph.style scans every style to resolve the id (and again to find
        # the default): resolve each style id once for the whole document instead.
        style_id = paragraph._p.style
        if style_id not in self._levels:
            self._levels[style_id] = self._style_level(self._paragraph_style(style_id))
        return self._levels[style_id]

    def _paragraph_style(self, style_id: str | None) -> Any:
        """The style python-docx's `paragraph.style` gives for this id."""
        from docx.enum.style import WD_STYLE_TYPE

        style = self.styles.get(style_id) if style_id is not None else None
        if style is None or style.type != WD_STYLE_TYPE.PARAGRAPH:
            return self.document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        return style

    def _style_level(self, style: Any) -> int | None:
        seen = 0
        while style is not None and seen < 20:
            m = _HEADING.match(style.name or "")
            if m:
                return int(m.group(1))
            level = _outline(style.element.pPr)
            if level is not None:
                return level
            style = style.base_style
            seen += 1
        return None


def _outline(ppr: Any) -> int | None:
    if ppr is None:
        return None
    el = ppr.find(f"{W}outlineLvl")
    if el is None:
        return None
    value = int(el.get(f"{W}val", "9"))
    return value + 1 if value < 9 else None  # 9 means body text


def _where(n: int, paragraph: Any) -> str:
    text = " ".join(paragraph.text.split())
    if len(text) > 40:
        text = text[:40] + "…"
    return f"paragraph {n}" + (f" (“{text}”)" if text else "")


@_rule("heading-order", "Headings start at level 1 and never skip a level (1, 2, 3 ...).")
def _heading_order(doc: _Doc) -> Iterator[A11yFinding]:
    previous = 0
    for n, p in enumerate(doc.paragraphs, start=1):
        level = doc.heading_level(p)
        if level is None:
            continue
        if not p.text.strip():
            yield A11yFinding(
                "heading-order",
                f"Heading {level} is empty; screen readers "
                "announce it with nothing to say. Remove it or add its text.",
                _where(n, p),
                n,
            )
        elif previous == 0 and level != 1:
            yield A11yFinding(
                "heading-order",
                f"The first heading is level {level}; start with Heading 1.",
                _where(n, p),
                n,
            )
        elif level > previous + 1 and previous:
            skipped = ", ".join(str(lv) for lv in range(previous + 1, level))
            yield A11yFinding(
                "heading-order",
                f"Heading {level} follows Heading {previous}: "
                f"level {skipped} is skipped. Use Heading {previous + 1}.",
                _where(n, p),
                n,
            )
        previous = level


@_rule("image-alt-text", "Every picture has alternative text (Alt Text in Word).")
def _alt_text(doc: _Doc) -> Iterator[A11yFinding]:
    image = 0
    for n, p in enumerate(doc.paragraphs, start=1):
        for pr in p._p.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        ):
            image += 1
            if not (pr.get("descr") or "").strip():
                yield A11yFinding(
                    "image-alt-text",
                    f"Image {image} has no alternative text. "
                    "Right-click it, choose View Alt Text and describe what it "
                    "shows.",
                    f"image {image}, {_where(n, p)}",
                    n,
                )


@_rule("table-header-row", "Every table's first row is marked as a header row that repeats.")
def _header_rows(doc: _Doc) -> Iterator[A11yFinding]:
    for t, table in enumerate(doc.document.tables, start=1):
        rows = table._tbl.findall(f"{W}tr")
        if not rows:
            continue
        tr_pr = rows[0].find(f"{W}trPr")
        header = tr_pr.find(f"{W}tblHeader") if tr_pr is not None else None
        if header is None or header.get(f"{W}val", "true") in ("false", "0", "off"):
            yield A11yFinding(
                "table-header-row",
                f"Table {t} has no header row marked. Select "
                "its first row, then Table Properties > Row > Repeat as header "
                "row at the top of each page.",
                f"table {t}",
            )


_CONTENT = {f"{W}drawing", f"{W}pict", f"{W}object", f"{W}fldChar", f"{W}fldSimple", f"{W}sym"}


@_rule("empty-paragraph", "No empty paragraphs used for spacing (use paragraph spacing).")
def _empty_paragraphs(doc: _Doc) -> Iterator[A11yFinding]:
    children = list(doc.body)
    last = len(doc.paragraphs)
    for n, p in enumerate(doc.paragraphs, start=1):
        if p.text.strip():
            continue
        el = p._p
        if any(child.tag in _CONTENT for child in el.iter()):
            continue
        if el.pPr is not None and el.pPr.find(f"{W}sectPr") is not None:
            continue  # a section break, not spacing
        index = children.index(el)
        if n == last and index and children[index - 1].tag == f"{W}tbl":
            continue  # Word needs a paragraph after a table that ends the document
        yield A11yFinding(
            "empty-paragraph",
            "Empty paragraph: screen readers announce it as "
            "blank. Delete it and use spacing before or after in the style.",
            f"paragraph {n}",
            n,
        )


@_rule("document-title", "The document has a title in its properties (File > Info).")
def _title(doc: _Doc) -> Iterator[A11yFinding]:
    if not (doc.document.core_properties.title or "").strip():
        yield A11yFinding(
            "document-title",
            "The document has no title: screen readers and "
            "PDF viewers show the file name instead. Add one in File > Info > "
            "Properties.",
            "document properties",
        )


@_rule("document-language", "The document's language is set (properties and default style).")
def _language(doc: _Doc) -> Iterator[A11yFinding]:
    if not (doc.document.core_properties.language or "").strip():
        yield A11yFinding(
            "document-language",
            "The document properties give no language. "
            "Set it (for example en-GB) so PDFs and readers announce it.",
            "document properties",
        )
    styles = doc.document.styles.element
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang")
    if not any(el is not None and el.get(f"{W}val") for el in (lang, normal)):
        yield A11yFinding(
            "document-language",
            "The default text language is not set, so "
            "screen readers may read the text in the wrong voice. Set it in "
            "Review > Language for the Normal style.",
            "styles",
        )


def check_docx(source: Path | bytes) -> list[A11yFinding]:
    """Every accessibility problem found, in rule order then document order."""
    import docx

    data = source if isinstance(source, bytes) else _read(source)
    try:
        _check_size(data, source)
        document = docx.Document(io.BytesIO(data))
    except NotADocxError:
        raise
    except Exception as exc:  # python-docx on a damaged or hostile file fails in many ways
        raise NotADocxError(
            f"{_name(source)} is not a Word .docx file that can be opened ({type(exc).__name__})"
        ) from exc
    doc = _Doc(document)
    return [finding for _, check in RULES.values() for finding in check(doc)]


def _check_size(data: bytes, source: Path | bytes) -> None:
    """python-docx unzips every part into memory: refuse what the return reader would refuse
    (too many parts, too much in total, one part a zip bomb, entity declarations) first."""
    from cjreturns.readers import Limits
    from cjreturns.readers.package import check_package

    problem = check_package(data, Limits.from_env(), kind="docx")
    if problem is not None:
        raise NotADocxError(f"{_name(source)} was not opened: {problem.message}")


def _read(path: Path) -> bytes:
    try:
        if path.exists() and not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            # a named pipe would block for ever, a device never end
            raise NotADocxError(f"{path} is not an ordinary file")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise NotADocxError(f"no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise NotADocxError(f"{path} is a folder, not a .docx file") from exc


def _name(source: Path | bytes) -> str:
    return str(source) if isinstance(source, Path) else "the data"
