"""The national report draft in Word: content from the counts, charts, house style, a11y check.

content.py   what the draft says (blocks), section by section (sections/, draft.py, examples.py)
charts.py    the charts, as native Word charts (chart XML and the workbook behind Edit Data)
builder.py   blocks -> .docx in the house style of templates/report-template.docx
a11y.py      the accessibility checker behind `cjreturns check-docx`
context.py   the analysts' context file: every section the returns cannot give
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjreturns.outputs.report.a11y import A11yFinding, check_docx
from cjreturns.outputs.report.context import ContextError, ReportContext, load_context

if TYPE_CHECKING:
    from cjreturns.aggregation.results import NationalCounts


def build_report(
    aggregate: Mapping[str, Any] | NationalCounts,
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    context: ReportContext | None = None,
    generated_on: dt.date | None = None,
    template: Path | None = None,
) -> bytes:
    """The national report draft as .docx bytes.

    `aggregate` is the typed counts (`Aggregate.results()`) or an aggregate.json dict (read
    leniently: it may be hand-made or from an older version); `returns` the accepted
    documents by partnership, used only for quoted examples. `generated_on` is the one thing
    not taken from the inputs (today by default): same inputs and date, same bytes.
    """
    from cjreturns.outputs.report.builder import render_docx
    from cjreturns.outputs.report.content import build_content

    day = generated_on or dt.date.today()
    report = build_content(aggregate, returns, context, generated_on=day)
    return render_docx(report, generated_on=day, template=template)


def write_report(
    path: Path,
    aggregate: Mapping[str, Any] | NationalCounts,
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    context: ReportContext | None = None,
    generated_on: dt.date | None = None,
    force: bool = False,
) -> Path:
    """Build the draft and write it atomically; refuse to overwrite unless `force`."""
    from cjreturns.outputs.files import atomic_write_bytes, check_writable

    check_writable([path], force=force)  # refuse before the work, not after
    data = build_report(aggregate, returns, context=context, generated_on=generated_on)
    return atomic_write_bytes(path, data, force=force)


__all__ = [
    "A11yFinding",
    "ContextError",
    "ReportContext",
    "build_report",
    "check_docx",
    "load_context",
    "write_report",
]
