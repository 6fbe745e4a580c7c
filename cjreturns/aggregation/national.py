"""One call from a folder of returns to everything national: coverage, tidy tables, counts and
talking points (`aggregate`), and the JSON-ready form of the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cjreturns.aggregation.counts import national_counts
from cjreturns.aggregation.pipeline import NationalAggregate, collect
from cjreturns.aggregation.results import NationalCounts
from cjreturns.aggregation.tables import build_tables
from cjreturns.aggregation.talking_points import load_rules, talking_points
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.findings import CollectionResult

Progress = Callable[[int, int, Path], None]

# Keys of each outcome block in aggregate.json, in the order the issue fixes (more may follow).
OUTCOME_KEYS_ORDER = (
    "partnerships_with_activity",
    "activities",
    "by_status",
    "themes",
    "self_evaluation",
    "priority_actions",
)


@dataclass(frozen=True, eq=False)
class Aggregate(NationalAggregate[NationalCounts]):
    """Everything national for one 2016-framework collection (see NationalAggregate)."""

    def read_counts(self) -> NationalCounts:
        return NationalCounts.of(
            self.counts,
            reporting_year=self.reporting_year,
            coverage=self.coverage,
            talking_points=self.talking_points,
        )

    def to_json_dict(self) -> dict[str, Any]:
        """The aggregate.json shape: fixed keys first, in a fixed order, no timestamps."""
        c = self.counts
        outcomes = {
            key: {
                **{k: block[k] for k in OUTCOME_KEYS_ORDER},
                **{k: v for k, v in block.items() if k not in OUTCOME_KEYS_ORDER},
            }
            for key, block in c["outcomes"].items()
        }
        head = {
            "reporting_year": self.reporting_year,
            "coverage": self.coverage.to_dict(),
            "outcomes": outcomes,
            "indicators": c["indicators"],
            "partner_participation": c["partner_participation"],
            "partnership_development": c["partnership_development"],
            "challenges": c["challenges"],
            "talking_points": [t.to_dict() for t in self.talking_points],
        }
        extra = {k: v for k, v in c.items() if k not in head}
        return {**head, **extra}


def aggregate(
    returns_dir: Path | str | Sequence[Path | str],
    *,
    year: str | None = None,
    progress: Progress | None = None,
    talking_points_file: Path | None = None,
    reference: Reference | None = None,
) -> Aggregate:
    """Validate every return under `returns_dir` and build the national aggregate.

    Rejected, superseded and conflicting returns are reported in `coverage`, never counted.
    With no `year`, the year most valid returns give is used and others are set aside.
    """
    from cjreturns.validation.engine import validate_paths

    paths = (
        [Path(returns_dir)]
        if isinstance(returns_dir, str | Path)
        else [Path(p) for p in returns_dir]
    )
    result = validate_paths(paths, year=year, progress=progress)
    return aggregate_results(
        result,
        roots=paths,
        year=year,
        talking_points_file=talking_points_file,
        reference=reference,
    )


def aggregate_results(
    result: CollectionResult,
    *,
    roots: Sequence[Path] = (),
    year: str | None = None,
    talking_points_file: Path | None = None,
    reference: Reference | None = None,
) -> Aggregate:
    """The aggregate of an already-validated collection (no file is read again)."""
    reference = reference or load_reference()
    rules = load_rules(talking_points_file)  # a broken rules file stops us before any work
    collection, settings = collect(result, reference, roots=roots, year=year)
    coverage = collection.coverage
    tables = build_tables(collection.returns, reference)
    counts = national_counts(tables, reference, counted=coverage.counted, settings=settings)
    points = talking_points(counts, coverage, reference, rules=rules)
    return Aggregate.assemble(
        collection, settings, tables=tables, counts=counts, talking_points=points
    )
