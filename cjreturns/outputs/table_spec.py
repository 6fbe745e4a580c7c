"""Each national table defined once, for every output that shows it.

A table's spec gives its key, title, columns (heading and cell), rows from the typed counts, its
note, and the short form the report draft prints (shorter headings over some of the same
columns). A framework's tables are a `TableSet`, whose order numbers them, so "Table 6" and its
title are the same table in national-tables.xlsx, its CSV and the draft. The workbook sheets
and CSVs are rendered here; the draft turns `ReportTable`s into its table blocks
(outputs/report/sections/annex.py formats their cells), so this module knows nothing of Word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, Literal, TypeVar

from cjreturns.outputs.tables_workbook import NOT_AVAILABLE, SheetTable

Inputs = TypeVar("Inputs")  # what a framework's sheets are built from (aggregate, typed counts)
Counts = TypeVar("Counts")  # what the draft's form is built from (typed counts, reference)
Key = TypeVar("Key")

# How the draft prints a cell: text as it is, a date in words, an identifier (right-aligned as
# a number is), a count with thousands separators, a rate to two places ([x] when either is
# missing).
Kind = Literal["text", "date", "id", "number", "rate"]
RIGHT_ALIGNED: frozenset[Kind] = frozenset({"id", "number", "rate"})
SHEET_NOTE = "This worksheet contains one table."


@dataclass(frozen=True)
class Column:
    """A column of the sheet and CSV: its heading and its cell for one row's record."""

    label: str
    value: Callable[[Any], Any]


def cell(get: Callable[[Any, Key], Any], key: Key) -> Callable[[Any], Any]:
    """The cell of one of a run of like columns, `get(record, key)`, with `key` bound now (a
    lambda made in a loop would see the loop's last key)."""
    return lambda record: get(record, key)


def positional(*labels: str) -> tuple[Column, ...]:
    """Columns over records that are tuples already in column order."""
    return tuple(Column(label, itemgetter(i)) for i, label in enumerate(labels))


@dataclass(frozen=True)
class Body:
    """A table's columns, its records (one a row) and the note the sheet prints above it."""

    columns: tuple[Column, ...]
    records: Sequence[Any]
    note: str

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)

    def rows(self) -> tuple[tuple[Any, ...], ...]:
        return tuple(tuple(c.value(r) for c in self.columns) for r in self.records)


@dataclass(frozen=True)
class ReportColumn:
    """A column of the draft's short form. `of` is the heading of the sheet column it shows
    (tests hold the draft to it), `label` the shorter heading that fits a page."""

    label: str
    of: str
    value: Callable[[Any], Any]
    kind: Kind = "number"


@dataclass(frozen=True)
class ReportView:
    """What the draft prints of a table: some of its columns, from the typed counts alone (a
    draft may be made from an aggregate.json, without the tidy tables)."""

    columns: tuple[ReportColumn, ...]
    records: Sequence[Any]
    description: str  # alt text for the table as a whole
    caption: str = ""  # what the short headings stand for: after the title, in brackets


@dataclass(frozen=True)
class ReportTable:
    """A national table as the draft prints it: its number, title, headings and raw cells."""

    label: str  # "Table 6"
    caption: str
    columns: tuple[ReportColumn, ...]
    rows: tuple[tuple[Any, ...], ...]
    description: str

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)

    @property
    def numeric(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.columns) if c.kind in RIGHT_ALIGNED)


@dataclass(frozen=True)
class TableSpec(Generic[Inputs, Counts]):
    """One national table. `report` is None for a table the draft leaves to the workbook."""

    key: str
    title: str
    body: Callable[[Inputs], Body]
    report: Callable[[Counts], ReportView] | None = None


def csv_name(number: int, key: str) -> str:
    return f"table-{number:02d}-{key.replace('_', '-')}.csv"


@dataclass(frozen=True)
class TableSet(Generic[Inputs, Counts]):
    """A framework's national tables, numbered in this order everywhere they appear."""

    specs: tuple[TableSpec[Inputs, Counts], ...]

    def __post_init__(self) -> None:
        keys = [s.key for s in self.specs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a table key is used twice: {keys}")

    def numbered(self) -> list[tuple[int, TableSpec[Inputs, Counts]]]:
        return list(enumerate(self.specs, start=1))

    def number(self, key: str) -> int:
        for n, spec in self.numbered():
            if spec.key == key:
                return n
        raise KeyError(key)

    def csv_names(self) -> list[str]:
        return [csv_name(n, s.key) for n, s in self.numbered()]

    def sheet_tables(self, inputs: Inputs, *, year: str, source: str) -> list[SheetTable]:
        """Every table for the workbook and CSVs, with [c] and [x] applied by its body."""
        tables = []
        for n, spec in self.numbered():
            body = spec.body(inputs)
            tables.append(
                SheetTable(
                    sheet=f"Table_{n}",
                    title=f"Table {n}: {spec.title}, {year}",
                    notes=(SHEET_NOTE, body.note, source),
                    columns=body.labels,
                    rows=body.rows(),
                    csv_name=csv_name(n, spec.key),
                )
            )
        return tables

    def report_table(self, key: str, counts: Counts) -> ReportTable:
        """The named table's short form for the draft (KeyError if the draft has none)."""
        n, spec, view = self._view(key, counts)
        return ReportTable(
            label=f"Table {n}",
            caption=f"{spec.title} ({view.caption})" if view.caption else spec.title,
            columns=view.columns,
            rows=tuple(tuple(c.value(r) for c in view.columns) for r in view.records),
            description=view.description,
        )

    def report_part(
        self, key: str, counts: Counts, *, part: int, caption: str, keep: Callable[[Any], bool]
    ) -> ReportTable:
        """Some of the named table's rows, as "Table 6.1" (e.g. one outcome's measures, under
        the priority action they belong to): the same columns, numbered as part of it."""
        n, _, view = self._view(key, counts)
        return ReportTable(
            label=f"Table {n}.{part}",
            caption=caption,
            columns=view.columns,
            rows=tuple(tuple(c.value(r) for c in view.columns) for r in view.records if keep(r)),
            description=view.description,
        )

    def _view(self, key: str, counts: Counts) -> tuple[int, TableSpec[Inputs, Counts], ReportView]:
        n = self.number(key)
        spec = self.specs[n - 1]
        if spec.report is None:
            raise KeyError(f"table {key} is left to the workbook")
        return n, spec, spec.report(counts)

    def mention(self, *keys: str) -> str:
        """How notes and text refer to tables: "table 6", "tables 7 and 8" (so a table added
        or moved renumbers every mention of it too)."""
        numbers = [str(self.number(k)) for k in keys]
        if len(numbers) == 1:
            return f"table {numbers[0]}"
        return f"tables {', '.join(numbers[:-1])} and {numbers[-1]}"

    def workbook_only(self) -> list[str]:
        """The tables the draft leaves to the workbook (tables by partnership)."""
        return [s.key for s in self.specs if s.report is None]

    def report_keys(self) -> list[str]:
        return [s.key for s in self.specs if s.report is not None]


def stat(value: Any) -> Any:
    """A statistic that may not exist (no partnership reported): [x] in its place."""
    return NOT_AVAILABLE if value is None else value
