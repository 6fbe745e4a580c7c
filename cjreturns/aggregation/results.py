"""The national counts as typed results: what outputs read instead of the nested dict.

Aggregation builds them from its own counts (`NationalCounts.of`, strict: a key it did not
write is a bug); `NationalCounts.from_json` reads an aggregate.json dict made by hand or by an
older version, leniently (a missing section reads as empty). Both go through the one `Reader`,
so the two cannot read a count differently, and everything downstream uses attributes that
mypy checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.talking_points import TalkingPoint

RATED_WELL = ("4", "5", "6")  # good, very good, excellent on the Care Inspectorate scale


class Reader:
    """One way of reading counts, written once for both sources of them.

    Strict for the counts aggregation has just made: a missing or mistyped key is a bug and
    raises (KeyError, TypeError). Lenient for an aggregate.json made by hand or by an older
    version: a missing section reads as empty and a number that is not a number as 0.
    """

    def __init__(self, data: Any, *, strict: bool) -> None:
        if strict and not isinstance(data, Mapping):
            raise TypeError(f"counts must be a mapping, not {type(data).__name__}")
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.strict = strict

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data[key] if self.strict else self.data.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.data

    def sub(self, key: str) -> Reader:
        return Reader(self.raw(key), strict=self.strict)

    def items(self) -> list[tuple[str, Reader]]:
        return [(str(k), Reader(v, strict=self.strict)) for k, v in self.data.items()]

    def integer(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, list | tuple | dict):
            return len(value)
        if self.strict or isinstance(value, int | float):
            return int(value)
        return 0

    def decimal(self, key: str) -> float | None:
        value = self.raw(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if self.strict and value is not None:
            raise TypeError(f"{key}: not a number: {value!r}")
        return None

    def counts(self) -> dict[str, int]:
        """This mapping as counts by key."""
        if self.strict:
            return {str(k): int(v) for k, v in self.data.items()}
        return {str(k): int(v) for k, v in self.data.items() if isinstance(v, int | float)}

    def ints(self, key: str) -> dict[str, int]:
        return self.sub(key).counts()

    def table(self, key: str) -> dict[str, dict[str, int]]:
        """Counts by key within each key (partners by participation level ...)."""
        return {k: v.counts() for k, v in self.sub(key).items()}

    def text(self, key: str) -> str:
        value = self.raw(key)
        if self.strict:
            return str(value)
        return "" if value is None or isinstance(value, Mapping | list) else str(value)

    def integers(self, key: str) -> tuple[int, ...]:
        value = self.raw(key)
        if self.strict:
            return tuple(int(v) for v in value)
        if not isinstance(value, list | tuple):
            return ()
        return tuple(int(v) for v in value if isinstance(v, int | float))

    def names(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if self.strict or isinstance(value, list | tuple):
            return tuple(str(v) for v in value)
        return ()

    def talking_points(self) -> tuple[TalkingPoint, ...]:
        """The talking points of an aggregate.json dict (entries that are not objects are
        passed over)."""
        return tuple(
            TalkingPoint.from_dict(tp)
            for tp in self.raw("talking_points") or ()
            if isinstance(tp, Mapping)
        )

    def partnerships_counted(self, coverage: CoverageCounts) -> int:
        """How many partnerships were counted: as written, else the accepted returns."""
        if self.raw("partnerships_counted") is None:
            return len(coverage.accepted)
        return self.integer("partnerships_counted")


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
    def read(cls, key: str, r: Reader) -> OutcomeCounts:
        return cls(
            key=key,
            partnerships_with_activity=r.integer("partnerships_with_activity"),
            activities=r.integer("activities"),
            by_status=r.ints("by_status"),
            themes=r.ints("themes"),
            self_evaluation=r.ints("self_evaluation"),
            priority_actions=r.ints("priority_actions"),
            partnerships_without_activity=r.names("partnerships_without_activity"),
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
    def read(cls, code: str, r: Reader) -> IndicatorCounts:
        return cls(
            code=code,
            total=r.integer("total"),
            partnerships_reporting=r.integer("partnerships_reporting"),
            national_rate=r.decimal("national_rate"),
            median_rate=r.decimal("median_rate"),
            q1_rate=r.decimal("q1_rate"),
            q3_rate=r.decimal("q3_rate"),
            min_rate=r.decimal("min_rate"),
            max_rate=r.decimal("max_rate"),
            outliers=r.names("outliers"),
            rates={str(k): float(v) for k, v in r.sub("rates").data.items()},
        )


@dataclass(frozen=True)
class PersonCentredCounts:
    partnerships_with_activity: int = 0
    evidence: dict[str, int] = field(default_factory=dict)  # how progress is evidenced
    partnerships_with_case_studies: int = 0
    case_studies: int = 0
    present: bool = False  # the aggregate had this block at all

    @classmethod
    def read(cls, r: Reader) -> PersonCentredCounts:
        return cls(
            partnerships_with_activity=r.integer("partnerships_with_activity"),
            evidence=r.ints("evidence"),
            partnerships_with_case_studies=r.integer("partnerships_with_case_studies"),
            case_studies=r.integer("case_studies"),
            present=bool(r.data),
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
            files=Reader(data, strict=False).names("files"),
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
    other_years: tuple[Entry, ...] = ()  # returns for another reporting year, not counted

    @classmethod
    def of(cls, coverage: Coverage) -> CoverageCounts:
        """The coverage aggregation found, as the entries aggregate.json lists (the same
        fields `Coverage.to_dict` gives each group, so `from_json` of that dict is equal)."""

        def text(value: str | None) -> str:
            return value or ""

        return cls(
            expected=len(coverage.expected),
            received=len(coverage.received),
            accepted=tuple(
                Entry(text(a.partnership), a.file, submitted_on=text(a.submitted_on))
                for a in coverage.accepted
            ),
            late=tuple(
                Entry(text(a.partnership), submitted_on=text(a.submitted_on)) for a in coverage.late
            ),
            missing=tuple(Entry(name) for name in coverage.missing),
            rejected=tuple(
                Entry(text(r.partnership), r.file, errors=len(r.errors)) for r in coverage.rejected
            ),
            superseded=tuple(
                Entry(text(s.partnership), s.file, submitted_on=text(s.submitted_on))
                for s in coverage.superseded
            ),
            conflicts=tuple(
                Entry(c.partnership, files=c.files, submitted_on=c.submitted_on)
                for c in coverage.conflicts
            ),
            other_years=tuple(
                Entry(text(o.partnership), o.file, submitted_on=text(o.submitted_on))
                for o in coverage.other_years
            ),
        )

    @classmethod
    def from_json(cls, data: Any, *, expected: int) -> CoverageCounts:
        r = Reader(data, strict=False)

        def entries(key: str) -> tuple[Entry, ...]:
            value = r.raw(key)
            return tuple(Entry.from_json(v) for v in value) if isinstance(value, list) else ()

        return cls(
            expected=r.integer("expected") if r.has("expected") else expected,
            received=r.integer("received"),
            accepted=entries("accepted"),
            late=entries("late"),
            missing=entries("missing"),
            rejected=entries("rejected"),
            superseded=entries("superseded"),
            conflicts=entries("conflicts"),
            other_years=entries("other_years"),
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
    ) -> NationalCounts:
        """The counts aggregation has just made (`national_counts`), read strictly."""
        return cls.read(
            Reader(counts, strict=True),
            reporting_year=reporting_year or "",
            coverage=CoverageCounts.of(coverage),
            talking_points=talking_points,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, expected: int = 0) -> NationalCounts:
        """An aggregate.json dict, read leniently (it may be hand-made or from an older
        version)."""
        r = Reader(data, strict=False)
        return cls.read(
            r,
            reporting_year=str(r.raw("reporting_year") or ""),
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
    ) -> NationalCounts:
        local = r.sub("local_activity")
        return cls(
            reporting_year=reporting_year,
            partnerships_counted=r.partnerships_counted(coverage),
            coverage=coverage,
            outcomes={k: OutcomeCounts.read(k, v) for k, v in r.sub("outcomes").items()},
            themes=r.ints("themes"),
            local_partnerships=local.integer("partnerships_with_activity"),
            local_activities=local.integer("activities"),
            person_centred=PersonCentredCounts.read(r.sub("person_centred")),
            indicators={k: IndicatorCounts.read(k, v) for k, v in r.sub("indicators").items()},
            partner_participation=r.table("partner_participation"),
            partnership_development=r.ints("partnership_development"),
            challenges=r.ints("challenges"),
            recommendations=r.table("recommendations"),
            talking_points=talking_points,
        )
