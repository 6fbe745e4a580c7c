"""The 2023-framework national counts as typed results, as `results.py` gives the 2016 ones:
built by aggregation from its own counts (strict), or read leniently from an aggregate.json
dict (`CJPFCounts.from_json`), both through the one `Reader`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.results import RATED_WELL, CoverageCounts, IndicatorCounts, Reader
from cjreturns.aggregation.talking_points import TalkingPoint


@dataclass(frozen=True)
class ActivityCounts:
    """Partnerships with activity and the activities they reported, by status."""

    partnerships_with_activity: int = 0
    activities: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def status(self, name: str) -> int:
        return self.by_status.get(name, 0)


@dataclass(frozen=True)
class AimCounts(ActivityCounts):
    """One aim of the 2022 National Strategy, over its priority actions."""

    key: str = ""
    text: str = ""
    priority_actions: tuple[int, ...] = ()

    @classmethod
    def read(cls, key: str, r: Reader) -> AimCounts:
        return cls(
            key=key,
            text=r.text("text"),
            priority_actions=r.integers("priority_actions"),
            partnerships_with_activity=r.integer("partnerships_with_activity"),
            activities=r.integer("activities"),
            by_status=r.ints("by_status"),
        )


@dataclass(frozen=True)
class PriorityActionCounts(ActivityCounts):
    """One priority action: activity, themes, self-evaluation and partnerships with none."""

    key: str = ""
    aim: int = 0
    short: str = ""
    themes: dict[str, int] = field(default_factory=dict)
    self_evaluation: dict[str, int] = field(default_factory=dict)  # "1" to "6" -> partnerships
    partnerships_no_activity: int = 0

    @property
    def rated(self) -> int:
        return sum(self.self_evaluation.values())

    @property
    def rated_well(self) -> int:
        return sum(self.self_evaluation.get(v, 0) for v in RATED_WELL)

    @classmethod
    def read(cls, key: str, r: Reader) -> PriorityActionCounts:
        return cls(
            key=key,
            aim=r.integer("aim"),
            short=r.text("short"),
            partnerships_with_activity=r.integer("partnerships_with_activity"),
            activities=r.integer("activities"),
            by_status=r.ints("by_status"),
            themes=r.ints("themes"),
            self_evaluation=r.ints("self_evaluation"),
            partnerships_no_activity=r.integer("partnerships_no_activity"),
        )


@dataclass(frozen=True)
class MeasureCounts(IndicatorCounts):
    """A CJPF outcome's measure: the indicator statistics plus where its wording comes from."""

    outcome: int = 0
    label: str = ""
    source: str = ""  # "cjpf": the framework's wording; otherwise this project's

    @classmethod
    def read(cls, code: str, r: Reader) -> MeasureCounts:
        stats = IndicatorCounts.read(code, r)
        return cls(
            **{f: getattr(stats, f) for f in stats.__dataclass_fields__},
            outcome=r.integer("outcome"),
            label=r.text("label"),
            source=r.text("source"),
        )


@dataclass(frozen=True)
class CJPFCounts:
    """Everything national a 2023-framework report and tables need, typed."""

    reporting_year: str
    partnerships_counted: int
    coverage: CoverageCounts
    aims: dict[str, AimCounts]
    priority_actions: dict[str, PriorityActionCounts]
    measures: dict[str, MeasureCounts]
    partner_participation: dict[str, dict[str, int]]
    partnership_development: dict[str, int]
    challenges: dict[str, int]  # ranked, most named first
    talking_points: tuple[TalkingPoint, ...]

    @property
    def challenges_ranking(self) -> list[str]:
        """The challenges some partnership named, most named first (as aggregate.json ranks)."""
        return [code for code, n in self.challenges.items() if n]

    @classmethod
    def of(
        cls,
        counts: Mapping[str, Any],
        *,
        reporting_year: str | None,
        coverage: Coverage,
        talking_points: tuple[TalkingPoint, ...],
    ) -> CJPFCounts:
        """The counts aggregation has just made (`cjpf_counts`), read strictly."""
        return cls.read(
            Reader(counts, strict=True),
            reporting_year=reporting_year or "",
            coverage=CoverageCounts.of(coverage),
            talking_points=talking_points,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, expected: int = 0) -> CJPFCounts:
        """A 2023-framework aggregate.json dict, read leniently."""
        r = Reader(data, strict=False)
        return cls.read(
            r,
            reporting_year=r.text("reporting_year"),
            coverage=CoverageCounts.from_json(r.raw("coverage"), expected=expected),
            talking_points=r.talking_points(),
        )

    @classmethod
    def read(
        cls,
        r: Reader,
        *,
        reporting_year: str,
        coverage: CoverageCounts,
        talking_points: tuple[TalkingPoint, ...],
    ) -> CJPFCounts:
        return cls(
            reporting_year=reporting_year,
            partnerships_counted=r.partnerships_counted(coverage),
            coverage=coverage,
            aims={k: AimCounts.read(k, v) for k, v in r.sub("aims").items()},
            priority_actions={
                k: PriorityActionCounts.read(k, v) for k, v in r.sub("priority_actions").items()
            },
            measures={k: MeasureCounts.read(k, v) for k, v in r.sub("measures").items()},
            partner_participation=r.table("partner_participation"),
            partnership_development=r.ints("partnership_development"),
            challenges=r.ints("challenges"),
            talking_points=talking_points,
        )
