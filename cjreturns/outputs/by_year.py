"""National files for either framework's aggregate (see cjreturns.aggregation.by_year)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

# Given the rendered outputs, more files that belong to the same set (the manifest of them).
Extra = Callable[[Mapping[str, bytes]], Mapping[str, bytes]]

if TYPE_CHECKING:
    from cjreturns.aggregation.cjpf import CJPFAggregate
    from cjreturns.aggregation.national import Aggregate
    from cjreturns.outputs.report.context import ReportContext


def all_output_paths(out_dir: Path | str) -> list[Path]:
    """Every file either framework's outputs may write, to refuse before any work is done."""
    from cjreturns.outputs import cjpf_tables, national_tables

    found = national_tables.output_paths(out_dir) + cjpf_tables.output_paths(out_dir)
    return list(dict.fromkeys(found))


def write_outputs_for(
    agg: Aggregate | CJPFAggregate,
    out_dir: Path | str,
    *,
    force: bool = False,
    extra: Extra | None = None,
) -> list[Path]:
    from cjreturns.aggregation.cjpf import CJPFAggregate

    if isinstance(agg, CJPFAggregate):
        from cjreturns.outputs.cjpf_tables import write_cjpf_outputs

        return write_cjpf_outputs(agg, out_dir, force=force, extra=extra)
    from cjreturns.outputs.national_tables import write_outputs

    return write_outputs(agg, out_dir, force=force, extra=extra)


def build_report_for(
    agg: Aggregate | CJPFAggregate,
    *,
    context: ReportContext | None = None,
    generated_on: dt.date | None = None,
) -> bytes:
    """The draft for the aggregate's framework, as .docx bytes: the year's framework decides
    the draft's structure (the CLI and the register's report run both come here)."""
    from cjreturns.aggregation.cjpf import CJPFAggregate

    if isinstance(agg, CJPFAggregate):
        from cjreturns.outputs.cjpf_report import build_cjpf_report

        return build_cjpf_report(
            agg.results(), agg.returns, context=context, generated_on=generated_on
        )
    from cjreturns.outputs.report import build_report

    return build_report(agg.results(), agg.returns, context=context, generated_on=generated_on)
