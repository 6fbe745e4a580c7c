"""Aggregation by collection year: the year decides which framework's counts are built.

With no year given, the year most valid returns give decides (as for 2016 collections).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cjreturns.aggregation.collection import infer_year
from cjreturns.contract.frameworks import CJPF_2023, framework_for_year_or_latest

if TYPE_CHECKING:
    from cjreturns.aggregation.cjpf import CJPFAggregate
    from cjreturns.aggregation.national import Aggregate

Progress = Callable[[int, int, Path], None]


def aggregate_for_year(
    returns_dir: Path | str | Sequence[Path | str],
    *,
    year: str | None = None,
    progress: Progress | None = None,
    talking_points_file: Path | None = None,
) -> Aggregate | CJPFAggregate:
    """Validate every return under `returns_dir` and aggregate under its year's framework."""
    from cjreturns.validation.engine import validate_paths

    paths = (
        [Path(returns_dir)]
        if isinstance(returns_dir, str | Path)
        else [Path(p) for p in returns_dir]
    )
    result = validate_paths(paths, year=year, progress=progress)
    deciding = year or infer_year(result.files)
    if deciding is not None and framework_for_year_or_latest(deciding).id == CJPF_2023:
        from cjreturns.aggregation.cjpf import aggregate_cjpf_results

        return aggregate_cjpf_results(
            result, roots=paths, year=year, talking_points_file=talking_points_file
        )
    from cjreturns.aggregation.national import aggregate_results

    return aggregate_results(
        result, roots=paths, year=year, talking_points_file=talking_points_file
    )
