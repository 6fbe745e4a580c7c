"""The national counts as typed results, read once from the aggregate.json shape.

Outputs take these instead of reading the nested dict with `.get()` wherever a number is needed:
the one lenient step (a section missing from a hand-made or older aggregate reads as empty) is
here, and everything downstream uses attributes that mypy checks. `NationalCounts.from_json`
reads what `Aggregate.to_json_dict()` writes (and so an aggregate.json file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cjreturns.aggregation.talking_points import TalkingPoint

RATED_WELL = ("4", "5", "6")  # good, very good, excellent on the Care Inspectorate scale


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _ints(value: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in _map(value).items() if isinstance(v, int | float)}


def _int(value: Any) -> int:
    if isinstance(value, list | tuple | dict):
        return len(value)
    return int(value) if isinstance(value, int | float) else 0


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _names(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True)
class OutcomeCounts:
    """One national outcome: partnerships and activities, themes, ratings, priority actions."""

    key: str
    partnerships_with_activity: int = 0
    activities: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    self_evaluation: dict[str, int] = field(default_factory=dict)  # "1" to "6" -> partnerships
    priority_actions: dict[str, int] = field(default_factory=dict)
    partnerships_without_activity: tuple[str, ...] = ()

    @property
    def rated(self) -> int:
        """Partnerships that gave this outcome a self-evaluation rating."""
        return sum(self.self_evaluation.values())

    @property
    def rated_well(self) -> int:
        """Partnerships rating their progress good or better (4 or above)."""
        return sum(self.self_evaluation.get(v, 0) for v in RATED_WELL)

    @classmethod
    def from_json(cls, key: str, data: Any) -> OutcomeCounts:
        d = _map(data)
        return cls(
            key=key,
            partnerships_with_activity=_int(d.get("partnerships_with_activity")),
            activities=_int(d.get("activities")),
            by_status=_ints(d.get("by_status")),
            themes=_ints(d.get("themes")),
            self_evaluation=_ints(d.get("self_evaluation")),
            priority_actions=_ints(d.get("priority_actions")),
            partnerships_without_activity=_names(d.get("partnerships_without_activity")),
        )


@dataclass(frozen=True)
class IndicatorCounts:
    """A local indicator: the national total and the spread of partnerships' rates."""

    code: str
    total: int = 0
    partnerships_reporting: int = 0
    national_rate: float | None = None
    median_rate: float | None = None
    q1_rate: float | None = None
    q3_rate: float | None = None
    min_rate: float | None = None
    max_rate: float | None = None
    outliers: tuple[str, ...] = ()
    rates: dict[str, float] = field(default_factory=dict)  # only where the count is publishable

    @classmethod
    def from_json(cls, code: str, data: Any) -> IndicatorCounts:
        d = _map(data)
        return cls(
            code=code,
            total=_int(d.get("total")),
            partnerships_reporting=_int(d.get("partnerships_reporting")),
            national_rate=_float(d.get("national_rate")),
            median_rate=_float(d.get("median_rate")),
            q1_rate=_float(d.get("q1_rate")),
            q3_rate=_float(d.get("q3_rate")),
            min_rate=_float(d.get("min_rate")),
            max_rate=_float(d.get("max_rate")),
            outliers=_names(d.get("outliers")),
            rates={str(k): float(v) for k, v in _map(d.get("rates")).items()},
        )


@dataclass(frozen=True)
class PersonCentredCounts:
    partnerships_with_activity: int = 0
    evidence: dict[str, int] = field(default_factory=dict)  # how progress is evidenced
    partnerships_with_case_studies: int = 0
    case_studies: int = 0
    present: bool = False  # the aggregate had this block at all

    @classmethod
    def from_json(cls, data: Any) -> PersonCentredCounts:
        d = _map(data)
        return cls(
            partnerships_with_activity=_int(d.get("partnerships_with_activity")),
            evidence=_ints(d.get("evidence")),
            partnerships_with_case_studies=_int(d.get("partnerships_with_case_studies")),
            case_studies=_int(d.get("case_studies")),
            present=bool(d),
        )


@dataclass(frozen=True)
class Entry:
    """A file or partnership in the coverage lists."""

    partnership: str
    file: str = ""
    files: tuple[str, ...] = ()
    submitted_on: str = ""
    errors: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> Entry:
        if not isinstance(data, Mapping):
            return cls(partnership=str(data))
        errors = data.get("errors")
        return cls(
            partnership=str(data.get("partnership") or ""),
            file=str(data.get("file") or ""),
            files=_names(data.get("files")),
            submitted_on=str(data.get("submitted_on") or ""),
            errors=len(errors) if isinstance(errors, list) else None,
        )


@dataclass(frozen=True)
class CoverageCounts:
    expected: int = 0
    received: int = 0
    accepted: tuple[Entry, ...] = ()
    late: tuple[Entry, ...] = ()
    missing: tuple[Entry, ...] = ()
    rejected: tuple[Entry, ...] = ()
    superseded: tuple[Entry, ...] = ()
    conflicts: tuple[Entry, ...] = ()

    @classmethod
    def from_json(cls, data: Any, *, expected: int) -> CoverageCounts:
        d = _map(data)

        def entries(key: str) -> tuple[Entry, ...]:
            value = d.get(key)
            return tuple(Entry.from_json(v) for v in value) if isinstance(value, list) else ()

        return cls(
            expected=_int(d.get("expected", expected)),
            received=_int(d.get("received")),
            accepted=entries("accepted"),
            late=entries("late"),
            missing=entries("missing"),
            rejected=entries("rejected"),
            superseded=entries("superseded"),
            conflicts=entries("conflicts"),
        )


@dataclass(frozen=True)
class NationalCounts:
    """Everything national a report needs, typed."""

    reporting_year: str
    partnerships_counted: int
    coverage: CoverageCounts
    outcomes: dict[str, OutcomeCounts]
    themes: dict[str, int]  # partnerships evidencing each theme under any outcome
    local_partnerships: int
    local_activities: int
    person_centred: PersonCentredCounts
    indicators: dict[str, IndicatorCounts]
    partner_participation: dict[str, dict[str, int]]
    partnership_development: dict[str, int]
    challenges: dict[str, int]  # ranked, most named first
    recommendations: dict[str, dict[str, int]]
    talking_points: tuple[TalkingPoint, ...]

    def outcome(self, key: str) -> OutcomeCounts:
        return self.outcomes.get(key) or OutcomeCounts(key)

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, expected: int = 0) -> NationalCounts:
        coverage = CoverageCounts.from_json(data.get("coverage"), expected=expected)
        counted = data.get("partnerships_counted")
        local = _map(data.get("local_activity"))
        return cls(
            reporting_year=str(data.get("reporting_year") or ""),
            partnerships_counted=_int(counted) if counted is not None else len(coverage.accepted),
            coverage=coverage,
            outcomes={
                str(k): OutcomeCounts.from_json(str(k), v)
                for k, v in _map(data.get("outcomes")).items()
            },
            themes=_ints(data.get("themes")),
            local_partnerships=_int(local.get("partnerships_with_activity")),
            local_activities=_int(local.get("activities")),
            person_centred=PersonCentredCounts.from_json(data.get("person_centred")),
            indicators={
                str(k): IndicatorCounts.from_json(str(k), v)
                for k, v in _map(data.get("indicators")).items()
            },
            partner_participation={
                str(k): _ints(v) for k, v in _map(data.get("partner_participation")).items()
            },
            partnership_development=_ints(data.get("partnership_development")),
            challenges=_ints(data.get("challenges")),
            recommendations={
                str(k): _ints(v) for k, v in _map(data.get("recommendations")).items()
            },
            talking_points=tuple(
                TalkingPoint.from_dict(tp)
                for tp in data.get("talking_points") or ()
                if isinstance(tp, Mapping)
            ),
        )
