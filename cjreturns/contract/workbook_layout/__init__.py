"""The return workbook's layout, built from the contract: its sheets, the blocks on each sheet,
every input cell's document path, its kind of value and the vocabulary behind each drop-down.
The reporting year decides the framework, and so the workbook; a filled-in workbook is known by
its sheets.

The shape itself is data (`cjreturns.readers.layout_model`). Here: `spec` (the one mechanism:
what a framework's workbook has of its own, put between what all share), `opif` and `cjpf` (the
two frameworks' specs), `parts` and `partnership` (the blocks and sheets they share) and
`vocabularies` (codes from the schema, labels from the reference). When the schema or the
reference changes, the workbook follows.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache

from cjreturns.contract.frameworks import OPIF_2016, FrameworkId, framework_for_year_or_latest
from cjreturns.contract.workbook_layout.cjpf import CJPF_WORKBOOK
from cjreturns.contract.workbook_layout.opif import OPIF_WORKBOOK
from cjreturns.contract.workbook_layout.spec import WorkbookSpec, build_layout
from cjreturns.readers.layout_model import LayoutChoice, WorkbookLayout

# Every framework's workbook, oldest first.
SPECS: dict[FrameworkId, WorkbookSpec] = {s.framework: s for s in (OPIF_WORKBOOK, CJPF_WORKBOOK)}


def workbook_layout(framework_id: FrameworkId = OPIF_2016) -> WorkbookLayout:
    """The layout of a framework's return workbook (the 2016 framework's unless given)."""
    return _built(framework_id)


@cache
def _built(framework_id: FrameworkId) -> WorkbookLayout:
    return build_layout(SPECS[framework_id])


def layout_for_year(year: str) -> WorkbookLayout:
    """The workbook a reporting year's return is written in (the year decides the framework)."""
    return workbook_layout(framework_for_year_or_latest(year).id)


def layout_for_sheets(names: Collection[str]) -> WorkbookLayout:
    """The layout a filled-in workbook was made with, known by its sheets: the newest framework
    whose own sheets it has, else the oldest."""
    for spec in reversed(SPECS.values()):
        if spec.marks() & set(names):
            return workbook_layout(spec.framework)
    return workbook_layout(next(iter(SPECS)))


@cache
def workbook_layouts() -> LayoutChoice:
    """Every framework's workbook, for a reader to tell which one it has been given."""
    return LayoutChoice(frozenset(every_sheet_name()), layout_for_sheets)


def every_sheet_name() -> set[str]:
    """The sheets any framework's workbook has."""
    return {s.name for f in SPECS for s in workbook_layout(f).sheets}


__all__ = [
    "SPECS",
    "every_sheet_name",
    "layout_for_sheets",
    "layout_for_year",
    "workbook_layout",
    "workbook_layouts",
]
