"""The national tables both frameworks have: coverage of returns, statutory partners'
participation, partnership development work and challenges (their return sections are the same
in 2016 and 2023 returns). Each framework's spec list (national_specs, cjpf_specs) uses these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.results import CoverageCounts
from cjreturns.contract.reference import Reference
from cjreturns.outputs.table_spec import Body, Column, ReportColumn, ReportView, cell
from cjreturns.outputs.tables_workbook import NOT_AVAILABLE


class _Counted(Protocol):
    @property
    def partnerships_counted(self) -> int: ...


Counts = TypeVar("Counts", bound=_Counted)


@dataclass(frozen=True)
class CountsSummary(Generic[Counts]):
    """What a draft's national tables are built from: the framework's typed counts and the
    reference (each framework's specs name their own counts type)."""

    counts: Counts
    ref: Reference

    @property
    def counted(self) -> int:
        return self.counts.partnerships_counted

    def q(self, n: int) -> str:
        """The quantifier word for n of the partnerships counted ("no" when none was)."""
        return self.ref.quantifier(n, self.counted) if self.counted else "no"


def status_columns(statuses: tuple[str, ...]) -> tuple[Column, ...]:
    """One column of activities per activity status (both frameworks' activities have them)."""
    return tuple(
        Column(f"Activities {x.replace('_', ' ')}", cell(lambda b, x: b.by_status[x], x))
        for x in statuses
    )


MISSING = "missing"
UNKNOWN = "not counted: errors (partnership not recognised)"


def _statuses(
    *,
    other_years: Iterable[str],
    rejected: Iterable[str],
    conflicts: Iterable[str],
    accepted: Iterable[tuple[str, bool, str | None]],
) -> dict[str, tuple[str, str | None]]:
    """Each partnership's status and date, in the one vocabulary the workbook and the drafts
    share (later groups win: a partnership counted after a rejected return is counted)."""
    status: dict[str, tuple[str, str | None]] = {}
    for name in other_years:
        status[name] = ("not counted: another reporting year", None)
    for name in rejected:
        status[name] = ("not counted: errors", None)
    for name in conflicts:
        status[name] = ("not counted: conflicting returns", None)
    for name, late, submitted_on in accepted:
        status[name] = ("counted (late)" if late else "counted", submitted_on)
    return status


def _unknown_files(rejected: Iterable[tuple[str, str]], ref: Reference) -> list[str]:
    """Rejected returns naming no known partnership: shown by their file name, never by the
    text they give as their partnership (untrusted: it may be a formula or a person's name)."""
    return sorted(file for name, file in rejected if ref.partnership(name) is None)


def coverage_records(cov: Coverage, ref: Reference) -> list[tuple[Any, ...]]:
    """One row per partnership (and per rejected file naming no known partnership)."""
    received: dict[str, int] = {}
    for r in cov.received:
        received[r.partnership or ""] = received.get(r.partnership or "", 0) + 1
    status = _statuses(
        other_years=(o.partnership or "" for o in cov.other_years),
        rejected=(r.partnership or "" for r in cov.rejected),
        conflicts=(c.partnership for c in cov.conflicts),
        accepted=((a.partnership or "", a.late, a.submitted_on) for a in cov.accepted),
    )
    rows: list[tuple[Any, ...]] = []
    for p in sorted(ref.partnerships, key=lambda p: p.name):
        label, day = status.get(p.name, (MISSING, None))
        rows.append((p.name, label, NOT_AVAILABLE if day is None else day, received.get(p.name, 0)))
    rejected = ((r.partnership or "", r.file) for r in cov.rejected)
    rows += [(f"File: {f}", UNKNOWN, NOT_AVAILABLE, 1) for f in _unknown_files(rejected, ref)]
    return rows


COVERAGE_COLUMNS = ("Partnership", "Status", "Submitted on", "Files received")


def coverage_report(cov: CoverageCounts, ref: Reference) -> ReportView:
    """Table 1 as the draft prints it, from the typed coverage (a draft may be made from an
    aggregate.json): the same statuses as the workbook; the workbook also counts the files."""
    late = {e.partnership for e in cov.late}
    status = _statuses(
        other_years=(e.partnership for e in cov.other_years),
        rejected=(e.partnership for e in cov.rejected),
        conflicts=(e.partnership for e in cov.conflicts),
        accepted=((e.partnership, e.partnership in late, e.submitted_on) for e in cov.accepted),
    )
    records = [
        (p.name, *status.get(p.name, (MISSING, None)))
        for p in sorted(ref.partnerships, key=lambda p: p.name)
    ]
    rejected = ((e.partnership, e.file) for e in cov.rejected)
    records += [(f"File: {f}", UNKNOWN, None) for f in _unknown_files(rejected, ref)]
    return ReportView(
        columns=(
            ReportColumn("Partnership", "Partnership", lambda r: r[0], "text"),
            ReportColumn("Status", "Status", lambda r: r[1], "text"),
            ReportColumn("Submitted on", "Submitted on", lambda r: r[2], "date"),
        ),
        records=records,
        description="Each partnership's return: counted, counted though late, not counted "
        "(and why) or not received, with the date it was submitted.",
    )


def participation_levels(ref: Reference) -> tuple[str, ...]:
    return (*ref.participation_levels, "not_stated")


def level_label(level: str) -> str:
    return level.replace("_", " ").capitalize()


def partner_participation(
    ref: Reference, table: Mapping[str, Mapping[str, int]], *, partner: str, note: str
) -> Body:
    """Statutory partners by participation level (`partner`: the name column's heading)."""
    return Body(
        (
            Column("Partner code", lambda r: r[0]),
            Column(partner, lambda r: r[1]),
            *(
                Column(level_label(lv), cell(lambda r, lv: table[r[0]][lv], lv))
                for lv in participation_levels(ref)
            ),
        ),
        list(ref.statutory_partners.items()),
        note,
    )


def development(
    ref: Reference, counts: Mapping[str, int], q: Callable[[int], str], *, note: str
) -> Body:
    return Body(
        (
            Column("Development code", lambda r: r[0]),
            Column("Development work", lambda r: r[1]),
            Column("Partnerships", lambda r: counts[r[0]]),
            Column("Quantifier", lambda r: q(counts[r[0]])),
        ),
        list(ref.development.items()),
        note,
    )


def challenges(
    ref: Reference, records: list[tuple[int | str, str, int]], q: Callable[[int], str]
) -> Body:
    """Challenges ranked: records are (rank or [x], code, partnerships)."""
    return Body(
        (
            Column("Rank", lambda r: r[0]),
            Column("Challenge code", lambda r: r[1]),
            Column("Challenge", lambda r: ref.challenges[r[1]]),
            Column("Partnerships", lambda r: r[2]),
            Column("Quantifier", lambda r: q(r[2])),
        ),
        records,
        "A challenge named anywhere in a return counts once for that partnership.",
    )
