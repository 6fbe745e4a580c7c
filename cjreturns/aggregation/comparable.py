"""Year-on-year across the framework boundary: only counts that mean the same in both.

schemas/comparability.yaml lists them. `comparable_counts` gives an aggregate's comparable
series under their shared ids; `compare` sets two aggregates side by side and refuses, with the
reason, any count that is not comparable when the years follow different frameworks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from cjreturns.core.errors import CJReturnsError
from cjreturns.core.resources import schema_path


class NotComparable(CJReturnsError):
    """A count was asked for across the framework boundary that does not mean the same."""


@dataclass(frozen=True)
class Series:
    id: str
    what: str
    why: str
    caution: str
    sources: dict[str, str]  # framework id -> where the count is


@cache
def load_comparability() -> tuple[tuple[Series, ...], tuple[dict[str, str], ...]]:
    with schema_path("comparability.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    series = tuple(
        Series(
            id=s["id"],
            what=s["what"],
            why=" ".join(str(s.get("why", "")).split()),
            caution=" ".join(str(s.get("caution", "")).split()),
            sources={k: s[k] for k in ("opif_2016", "cjpf_2023")},
        )
        for s in raw["comparable"]
    )
    return series, tuple(raw["not_comparable"])


def _framework_of(agg: Any) -> str:
    return str(getattr(agg, "framework", "opif_2016"))


def _value(agg: Any, where: str) -> Any:
    """The count at `where` in an aggregate (see comparability.yaml for the forms)."""
    if where == "tables.priority_actions":  # 2016: activities tagged with priority actions
        frame = agg.tables["priority_actions"]
        return {
            str(pa): int(frame[frame["priority_action"] == pa]["partnership"].nunique())
            for pa in range(1, 14)
        }
    data = agg.to_json_dict()
    if where.endswith(".*.partnerships_referring"):
        block = data[where.split(".", 1)[0]]
        return {k: v["partnerships_referring"] for k, v in block.items()}
    node: Any = data
    for key in where.split("."):
        node = node[key]
    return node


def comparable_counts(agg: Any) -> dict[str, Any]:
    """Every comparable series of one aggregate, by its shared id."""
    series, _ = load_comparability()
    fw = _framework_of(agg)
    return {s.id: _value(agg, s.sources[fw]) for s in series}


@dataclass(frozen=True)
class Comparison:
    earlier_year: str | None
    later_year: str | None
    crosses_boundary: bool
    series: dict[str, tuple[Any, Any]]  # id -> (earlier, later)
    cautions: dict[str, str]

    def count(self, name: str) -> tuple[Any, Any]:
        """Both years' values of a comparable series; NotComparable (with why) otherwise."""
        if name in self.series:
            return self.series[name]
        _, refused = load_comparability()
        for entry in refused:
            if name in (entry.get("opif_2016"), entry.get("cjpf_2023")):
                raise NotComparable(
                    f"`{name}` cannot be compared between {self.earlier_year} and "
                    f"{self.later_year}: {entry['why']}"
                )
        raise NotComparable(
            f"`{name}` is not one of the counts that mean the same under both frameworks "
            f"({', '.join(self.series)})."
        )


def compare(earlier: Any, later: Any) -> Comparison:
    """Two years' aggregates side by side, using only what means the same in both."""
    series, _ = load_comparability()
    a, b = comparable_counts(earlier), comparable_counts(later)
    return Comparison(
        earlier_year=earlier.reporting_year,
        later_year=later.reporting_year,
        crosses_boundary=_framework_of(earlier) != _framework_of(later),
        series={s.id: (a[s.id], b[s.id]) for s in series},
        cautions={s.id: s.caution for s in series if s.caution},
    )
