"""One call from a folder of returns to everything national: coverage, tidy tables, counts and
talking points (`aggregate`), and the JSON-ready form of the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjreturns.aggregation.collection import Coverage, build_collection
from cjreturns.aggregation.counts import AggregationSettings, load_settings, national_counts
from cjreturns.aggregation.results import NationalCounts
from cjreturns.aggregation.tables import build_tables
from cjreturns.aggregation.talking_points import TalkingPoint, load_rules, talking_points
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.findings import CollectionResult

if TYPE_CHECKING:
    import pandas as pd

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
class Aggregate:
    """Everything national for one collection of returns.

    `tables` are tidy DataFrames (see cjreturns.aggregation.tables.COLUMNS); `counts` is the
    nested dict of national counts (the shape aggregate.json holds); `returns` holds the accepted
    documents by partnership for library users who quote examples (they never go into the
    national files). `results()` gives the same counts typed, as outputs read them.
    """

    reporting_year: str | None
    coverage: Coverage
    tables: Mapping[str, pd.DataFrame]
    counts: dict[str, Any]
    talking_points: tuple[TalkingPoint, ...]
    settings: AggregationSettings
    returns: Mapping[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def results(self) -> NationalCounts:
        """The national counts as typed results (what the tables and the report draft read),
        exactly the numbers aggregate.json holds; built once, from the counts themselves."""
        return self._typed

    @cached_property
    def _typed(self) -> NationalCounts:
        # built once per aggregate (frozen: its counts never change), from the counts themselves
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
    settings = load_settings()
    collection = build_collection(result, reference, roots=roots, year=year)
    coverage = collection.coverage
    tables = build_tables(collection.returns, reference)
    counts = national_counts(tables, reference, counted=coverage.counted, settings=settings)
    points = talking_points(counts, coverage, reference, rules=rules)
    return Aggregate(
        reporting_year=coverage.reporting_year,
        coverage=coverage,
        tables=tables,
        counts=counts,
        talking_points=points,
        settings=settings,
        returns=collection.returns,
    )
