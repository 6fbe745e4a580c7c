"""The report as plain data: headings, paragraphs, lists, tables and figures, in reading order.

`content.py` decides what the report says from the counts; `builder.py` only turns these blocks
into Word. Keeping them apart lets tests read the words without opening a .docx, and keeps every
string from a return a plain value that the builder writes as a run of text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs; each run is (text, bold)."""

    runs: tuple[tuple[str, bool], ...]
    style: str = "body"  # body | quote | draft | subtitle | title

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


def para(text: str, *, lead: str = "", style: str = "body") -> Paragraph:
    """A paragraph, optionally starting with a bold lead-in such as "Evidence: "."""
    runs = ((lead, True), (text, False)) if lead else ((text, False),)
    return Paragraph(runs, style)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False
    role: str = ""  # e.g. "key-findings": lets tests find the sentences that carry counts


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    description: str = ""  # alt text for the table as a whole
    numeric: frozenset[int] = frozenset()  # columns aligned right
    label: str = ""  # e.g. "Table 6": the number a national table has in the workbook too
    widths_mm: tuple[float, ...] = ()  # column widths when the content needs them set (else fitted)


@dataclass(frozen=True)
class Chart:
    """What to draw; charts.py turns it into a PNG."""

    kind: str  # themes | self_evaluation | indicator_rates | plan_status
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # (series name, one value per label)
    axis_label: str
    axis_max: float | None = None
    reference_line: tuple[str, float] | None = None  # e.g. ("Median", 4.2)


@dataclass(frozen=True)
class Figure:
    number: int
    chart: Chart
    caption: str
    alt_text: str


@dataclass(frozen=True)
class Contents:
    """The Word TOC field plus a plain list of the top-level sections."""


@dataclass(frozen=True)
class TitlePage:
    title: str
    reporting_year: str
    period: str
    generated_on: str
    returns_counted: int


Block = Heading | Paragraph | Bullets | Table | Figure | Contents | TitlePage


@dataclass
class Report:
    """The whole draft: blocks in order plus document properties."""

    title: str
    subject: str
    reporting_year: str
    blocks: list[Block] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]
