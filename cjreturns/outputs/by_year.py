"""National files for either framework's aggregate (see cjreturns.aggregation.by_year)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

# Given the rendered outputs, more files that belong to the same set (the manifest of them).
Extra = Callable[[Mapping[str, bytes]], Mapping[str, bytes]]

if TYPE_CHECKING:
    from cjreturns.aggregation.cjpf import CJPFAggregate
    from cjreturns.aggregation.national import Aggregate


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
