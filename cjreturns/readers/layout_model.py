"""The return workbook's shape as data: sheets, blocks (forms and tables), fields, vocabularies.

Pure description, no knowledge of the contract: `cjreturns.contract.workbook_layout` builds one
per framework from its schema and the reference data, the writer (`cjreturns.workbook`) draws it
and the reader (`cjreturns.readers.workbook`) is handed it, so the two cannot drift apart.

Two shapes of block cover the whole return:

- a `Form`: one question per row, the label in column A and the answer in column B;
- a `Table`: a header row, then one row per item of a list (or a mapping, for indicators).

A field that holds a list of codes (an activity's themes and statutory partners, the
partnership's development work) is spread over numbered columns or rows ("Theme 1", "Theme 2"
...), each with its own drop-down list: Excel can only check one choice per cell, and a separate
cell per choice lets a finding point at the exact cell to fix. Lists of names and links are typed
one per line in a single cell (Alt+Enter starts a new line; a semicolon also separates items).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from cjreturns.core.findings import DocPath

# What a cell holds, which decides how it is written, checked in Excel and read back:
#   text, long   one piece of text (long: narrative, wrapped in a wide column)
#   date         a date (an Excel date; ISO text is accepted too)
#   whole        a whole number >= 0 (Excel checks it as you type)
#   yesno        Yes or No, read as true or false
#   choice       a label from a drop-down list, read as its code (the code itself is accepted)
#   numbers      whole numbers separated by commas (priority actions 1 to 13)
#   lines        several names or links, one per line
#   figures      one figure per line, written "what was counted: number unit"
Kind = Literal["text", "long", "date", "whole", "yesno", "choice", "numbers", "lines", "figures"]

# Sheets for people and for the drop-down lists; the reader does not read them.
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"

# Rows at the top of every data sheet: the sheet's heading, then one line of instructions.
TITLE_ROW = 1
INTRO_ROW = 2
FIRST_BLOCK_ROW = 3


# What a date cell asks for, in Excel's own words for it (the cell's check says the same).
DATE_ADVICE = "Type a date, e.g. 29/09/2022."

# The header of one column (or row) of a field spread over several: "Theme 2".
REPEAT_HEADER = re.compile(r"^(?P<label>.+?) (?P<n>\d+)$")


@dataclass(frozen=True)
class Field:
    """One input: a column of a table or a row of a form.

    `path` is relative to the table's item (or the form's base); `repeat` > 0 spreads a list
    over that many numbered columns or rows, each holding one element.
    """

    label: str
    path: tuple[str, ...]
    kind: Kind
    help: str
    vocabulary: str | None = None
    repeat: int = 0
    width: float = 20

    def labels(self, count: int | None = None) -> list[str]:
        """The header (or row label) of each column or row this field occupies."""
        if not self.repeat:
            return [self.label]
        return [f"{self.label} {n}" for n in range(1, (count or self.repeat) + 1)]


@dataclass(frozen=True)
class Form:
    """Questions, one per row: the label in column A, the answer in column B, help in C."""

    title: str
    base: DocPath
    fields: tuple[Field, ...]
    header: tuple[str, str] | None = None  # shown above the rows when the rows are a list
    anchor: int = 0  # the field whose cell a finding about the whole form points at
    # Every answer of the form left blank is a warning saying this (a person expects words here).
    if_blank: str = ""

    @property
    def first_label(self) -> str:
        return self.fields[0].labels()[0]


@dataclass(frozen=True)
class Table:
    """A header row and one row per item of the list (or mapping) at `path`.

    `mapping`: the first field is the key and the second the value of a mapping (indicators).
    A field with an empty `path` is the item itself (a list of plain text, as in next steps).
    `rows`: the blank rows the template offers (the generator adds more if a return needs them;
    the reader reads however many there are).
    """

    title: str
    path: DocPath
    fields: tuple[Field, ...]
    rows: int
    mapping: bool = False
    prefill: tuple[str, ...] = ()  # mapping keys written into the template's first rows
    keep_empty: bool = False  # an empty table reads as [] (else the key is left out)

    @property
    def first_label(self) -> str:
        return self.fields[0].labels()[0]


Block = Form | Table


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    intro: str
    blocks: tuple[Block, ...]
    freeze: str  # the top-left cell that stays in view when scrolling


@dataclass(frozen=True)
class Vocabulary:
    """The codes of one list with the label a person sees for each, in reference order."""

    name: str
    codes: tuple[Any, ...]
    labels: tuple[str, ...]
    strict: bool = True  # False: the list suggests names but other text is allowed
    _lookup: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def label(self, code: Any) -> str | None:
        for c, lab in zip(self.codes, self.labels, strict=True):
            if c == code:
                return lab
        return None

    def resolve(self, text: str) -> Any | None:
        """The code for a label or a code as typed (any case or spacing), or None."""
        return self._lookup.get(fold(text))


@dataclass(frozen=True)
class WorkbookLayout:
    sheets: tuple[Sheet, ...]
    vocabularies: dict[str, Vocabulary]
    schema: str = "return.schema.json"  # the framework's schema (see schemas/frameworks.yaml)
    # That schema itself, whose key order a workbook read back follows.
    schema_root: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    def fields(self) -> Iterator[tuple[Sheet, Block, Field]]:
        for s in self.sheets:
            for b in s.blocks:
                for f in b.fields:
                    yield s, b, f


def fold(text: str) -> str:
    """Compare labels as people type them: any case, any spacing, dashes alike."""
    return " ".join(text.replace("–", "-").replace("—", "-").casefold().split())


def humanise(code: str) -> str:
    """`in_progress` -> `In progress`: a readable label for codes the reference gives no name."""
    return code.replace("_", " ").capitalize()


# -- document order ------------------------------------------------------------------------------


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _child(node: Any, key: str | int, root: dict[str, Any]) -> Any:
    node = _resolve(node, root)
    if not isinstance(node, dict):
        return {}
    if isinstance(key, int):
        return node.get("items", {})
    props = node.get("properties", {})
    if key in props:
        return props[key]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


def order_like_schema(value: Any, root: dict[str, Any], *, like: DocPath = ()) -> Any:
    """`value` with every mapping's keys in the order the schema `root` lists them.

    `like` is where `value` sits in a return. Keys the schema does not know keep their order
    after the known ones. Used so a workbook, a conversion or a JSON dump reads like the
    contract, whatever order the source file had.
    """
    node: Any = root
    for key in like:
        node = _child(node, key, root)
    return _order(value, node, root)


def _order(value: Any, node: Any, root: dict[str, Any]) -> Any:
    node = _resolve(node, root)
    if isinstance(value, dict):
        node = node if isinstance(node, dict) else {}
        # Named fields in the schema's order; codes of a mapping (partners, indicators) in
        # their vocabulary's order.
        known = list(node.get("properties", {})) or list(
            node.get("propertyNames", {}).get("enum", [])
        )
        keys = [k for k in known if k in value] + [k for k in value if k not in known]
        return {k: _order(value[k], _child(node, k, root), root) for k in keys}
    if isinstance(value, list):
        return [_order(v, _child(node, 0, root), root) for v in value]
    return value


@dataclass(frozen=True)
class LayoutChoice:
    """The workbook layouts a reader may be given (one per framework), and how to tell which
    one a filled-in workbook was made with from the sheets it has."""

    sheet_names: frozenset[str]  # every sheet any of the layouts reads
    choose: Callable[[Collection[str]], WorkbookLayout]

    @classmethod
    def only(cls, layout: WorkbookLayout) -> LayoutChoice:
        """A choice of one layout."""
        return cls(frozenset(s.name for s in layout.sheets), lambda _names: layout)
