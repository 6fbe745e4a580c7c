"""What both frameworks' aggregation share: an aggregate's fields and its typed results, and
the steps on either side of the counting (coverage of the collection first, the aggregate
assembled last). national.py (2016 framework) and cjpf.py (2023) count in their own ways."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from cjreturns.aggregation.collection import Collection, Coverage, build_collection
from cjreturns.aggregation.counts import AggregationSettings, load_settings
from cjreturns.aggregation.talking_points import TalkingPoint
from cjreturns.contract.reference import Reference
from cjreturns.core.findings import CollectionResult

if TYPE_CHECKING:
    import pandas as pd

Typed = TypeVar("Typed")  # the framework's typed counts (NationalCounts, CJPFCounts)


@dataclass(frozen=True, eq=False)
class NationalAggregate(ABC, Generic[Typed]):
    """Everything national for one collection of returns, whichever its framework.

    `tables` are tidy DataFrames; `counts` is the nested dict of national counts (the shape
    aggregate.json holds); `returns` holds the accepted documents by partnership for library
    users who quote examples (they never go into the national files). `results()` gives the
    same counts typed, as outputs read them.
    """

    reporting_year: str | None
    coverage: Coverage
    tables: Mapping[str, pd.DataFrame]
    counts: dict[str, Any]
    talking_points: tuple[TalkingPoint, ...]
    settings: AggregationSettings
    returns: Mapping[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def assemble(
        cls,
        collection: Collection,
        settings: AggregationSettings,
        *,
        tables: Mapping[str, pd.DataFrame],
        counts: dict[str, Any],
        talking_points: tuple[TalkingPoint, ...],
    ) -> Self:
        return cls(
            reporting_year=collection.coverage.reporting_year,
            coverage=collection.coverage,
            tables=tables,
            counts=counts,
            talking_points=talking_points,
            settings=settings,
            returns=collection.returns,
        )

    def results(self) -> Typed:
        """The national counts as typed results (what the tables and the drafts read), exactly
        the numbers aggregate.json holds; built once, from the counts themselves."""
        return self._typed

    @cached_property
    def _typed(self) -> Typed:
        return self.read_counts()  # frozen: the counts never change, so once is enough

    @abstractmethod
    def read_counts(self) -> Typed:
        """The framework's typed counts, read strictly from `counts`."""

    @abstractmethod
    def to_json_dict(self) -> dict[str, Any]:
        """The aggregate.json shape: fixed keys first, in a fixed order, no timestamps."""


def collect(
    result: CollectionResult,
    reference: Reference,
    *,
    roots: Sequence[Path],
    year: str | None,
) -> tuple[Collection, AggregationSettings]:
    """The collection's coverage and the returns that count, with the counting settings."""
    settings = load_settings()
    return build_collection(result, reference, roots=roots, year=year), settings
