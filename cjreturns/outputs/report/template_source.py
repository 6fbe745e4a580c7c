"""Generates templates/report-template.docx, the house style of the national report draft.

The builder only opens this template and uses its style names, so CJS can restyle the report in
Word (Modify Style) without touching code. Run `python -m cjreturns.outputs.report.template_source`
after changing it and commit the .docx. Arial 12pt body, clear heading sizes, A4, en-GB.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

TEMPLATE_NAME = "report-template.docx"
FONT = "Arial"
LANGUAGE = "en-GB"
# Near-black text and a dark blue for headings: both pass WCAG AA contrast on white.
TEXT_COLOUR = (0x1A, 0x1A, 0x1A)
HEADING_COLOUR = (0x1F, 0x3A, 0x5F)

# Style names the builder relies on; kept here so template and builder agree.
STYLE_TITLE = "Title"
STYLE_SUBTITLE = "Subtitle"
STYLE_HEADINGS = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
STYLE_BODY = "Normal"
STYLE_BULLET = "List Bullet"
STYLE_NUMBER = "List Number"
STYLE_CAPTION = "Caption"
STYLE_TABLE = "Report Table"
STYLE_DRAFT = "Draft Marking"
STYLE_QUOTE = "Quote"
STYLE_FIGURE = "Figure"


def build_template() -> Any:
    """A python-docx Document carrying the house styles and no content."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    _drop_leftovers(document)
    styles = document.styles
    _set_doc_defaults(document)

    body = styles[STYLE_BODY]
    _font(body, size=12, colour=TEXT_COLOUR)
    body.paragraph_format.space_after = Pt(8)
    body.paragraph_format.line_spacing = 1.15

    sizes = {"Heading 1": 20, "Heading 2": 16, "Heading 3": 14, "Heading 4": 12}
    for name in STYLE_HEADINGS:
        style = styles[name]
        _font(style, size=sizes[name], colour=HEADING_COLOUR, bold=True, italic=False)
        style.paragraph_format.space_before = Pt(18 if name == "Heading 1" else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    # Each top-level section starts on a new page: no empty paragraphs or breaks needed.
    styles["Heading 1"].paragraph_format.page_break_before = True

    _font(styles[STYLE_TITLE], size=28, colour=HEADING_COLOUR, bold=True)
    styles[STYLE_TITLE].paragraph_format.space_after = Pt(24)
    _remove_border(styles[STYLE_TITLE])
    _font(styles[STYLE_SUBTITLE], size=16, colour=TEXT_COLOUR, italic=False)
    styles[STYLE_SUBTITLE].paragraph_format.space_after = Pt(12)

    for name in (STYLE_BULLET, STYLE_NUMBER):
        _font(styles[name], size=12, colour=TEXT_COLOUR)
        styles[name].paragraph_format.space_after = Pt(4)

    caption = styles[STYLE_CAPTION]
    _font(caption, size=11, colour=TEXT_COLOUR, bold=True, italic=False)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(6)
    caption.paragraph_format.keep_with_next = True

    quote = styles[STYLE_QUOTE]
    _font(quote, size=12, colour=TEXT_COLOUR, italic=False)
    quote.paragraph_format.left_indent = Mm(10)

    draft = styles.add_style(STYLE_DRAFT, WD_STYLE_TYPE.PARAGRAPH)
    draft.base_style = body
    _font(draft, size=14, colour=(0xA0, 0x00, 0x00), bold=True)
    draft.paragraph_format.space_before = Pt(12)

    figure = styles.add_style(STYLE_FIGURE, WD_STYLE_TYPE.PARAGRAPH)
    figure.base_style = body
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True

    for name in ("Header", "Footer"):
        _font(styles[name], size=10, colour=TEXT_COLOUR)

    table = styles.add_style(STYLE_TABLE, WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Table Grid"]
    table.font.name = FONT
    table.font.size = Pt(11)
    table.font.color.rgb = RGBColor(*TEXT_COLOUR)
    _table_header_shading(table)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))

    props = document.core_properties
    props.title = "Community Justice Outcome Activity Annual Report"
    props.subject = "Progress towards the national outcomes for community justice in Scotland"
    props.author = "Community Justice Scotland"
    props.language = LANGUAGE
    props.keywords = "community justice; national outcomes; annual report"
    props.comments = "House style for the national report draft produced by cjreturns."
    props.last_modified_by = "cjreturns"
    props.revision = 1
    fixed = dt.datetime(2022, 4, 1)
    props.created = props.modified = props.last_printed = fixed
    return document


def _font(
    style: Any,
    *,
    size: float,
    colour: tuple[int, int, int],
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    from docx.shared import Pt, RGBColor

    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(*colour)
    style.font.color.theme_color = None
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    rpr = style.element.get_or_add_rPr()
    _plain_fonts(rpr)
    _set_lang(rpr)


def _plain_fonts(rpr: Any) -> None:
    """Name Arial for every script and drop theme fonts, which Word would use instead."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    colour = rpr.find(qn("w:color"))
    if colour is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def _set_lang(rpr: Any) -> None:
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), LANGUAGE)


def _set_doc_defaults(document: Any) -> None:
    """en-GB and Arial as the document defaults, so new text Word adds is en-GB Arial too."""
    from docx.oxml.ns import qn

    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _plain_fonts(rpr)
    _set_lang(rpr)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = settings.makeelement(qn("w:themeFontLang"), {})
        settings.append(theme_lang)
    theme_lang.set(qn("w:val"), LANGUAGE)


def _remove_border(style: Any) -> None:
    from docx.oxml.ns import qn

    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _table_header_shading(style: Any) -> None:
    """Bold header row on a light fill: visible without relying on colour alone."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    style.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">'
            "<w:rPr><w:b/></w:rPr>"
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE6F0"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


# Parts of python-docx's default template that the house template must not carry:
# stylesWithEffects (a Word 2010 copy of the styles that would no longer match ours; validators
# warn that Word may take the mismatch for unreadable content) and a thumbnail of that template.
_LEFTOVERS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def _drop_leftovers(document: Any) -> None:
    """Remove the _LEFTOVERS parts: a part no relationship reaches is not saved."""
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id in [r for r, rel in rels.items() if rel.reltype in _LEFTOVERS]:
            del rels[rel_id]


def render() -> bytes:
    from cjreturns.outputs.report.package import docx_bytes

    return docx_bytes(build_template())


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from pathlib import Path

    # The checkout's templates/ folder (not an installed copy): this is a maintenance command.
    target = Path(__file__).resolve().parents[3] / "templates" / TEMPLATE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render())
    print(f"wrote {target}")
