"""The national tables both frameworks have: coverage of returns, statutory partners'
participation, partnership development work and challenges (their return sections are the same
in 2016 and 2023 returns). Each framework's spec list (national_specs, cjpf_specs) uses these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.results import CoverageCounts
from cjreturns.contract.reference import Reference
from cjreturns.outputs.table_spec import Body, Column, ReportColumn, ReportView, cell
from cjreturns.outputs.tables_workbook import NOT_AVAILABLE


def coverage_records(cov: Coverage, ref: Reference) -> list[tuple[Any, ...]]:
    """One row per partnership (and per rejected file naming no known partnership)."""
    received: dict[str, int] = {}
    for r in cov.received:
        received[r.partnership or ""] = received.get(r.partnership or "", 0) + 1
    status: dict[str, tuple[str, Any]] = {}
    for o in cov.other_years:
        status[o.partnership or ""] = ("not counted: another reporting year", NOT_AVAILABLE)
    for r in cov.rejected:
        status[r.partnership or ""] = ("not counted: errors", NOT_AVAILABLE)
    for c in cov.conflicts:
        status[c.partnership] = ("not counted: conflicting returns", NOT_AVAILABLE)
    for a in cov.accepted:
        status[a.partnership or ""] = ("counted (late)" if a.late else "counted", a.submitted_on)
    rows = [
        (p.name, *status.get(p.name, ("missing", NOT_AVAILABLE)), received.get(p.name, 0))
        for p in sorted(ref.partnerships, key=lambda p: p.name)
    ]
    # A rejected return naming no known partnership is shown by its file name, never by the
    # text it gives as its partnership (untrusted: it may be a formula or a person's name).
    unknown = sorted(r.file for r in cov.rejected if ref.partnership(r.partnership or "") is None)
    rows += [
        (f"File: {file}", "not counted: errors (partnership not recognised)", NOT_AVAILABLE, 1)
        for file in unknown
    ]
    return rows


COVERAGE_COLUMNS = ("Partnership", "Status", "Submitted on", "Files received")


def coverage_report(cov: CoverageCounts, ref: Reference) -> ReportView:
    """Each partnership's return as the typed coverage gives it (a report may be drafted from
    an aggregate.json); the workbook also counts the files received."""
    status: dict[str, tuple[str, str]] = {}
    for e in cov.rejected:
        status[e.partnership] = ("not counted: errors", "")
    for e in cov.conflicts:
        status[e.partnership] = ("not counted: conflicting returns", "")
    late_names = {e.partnership for e in cov.late}
    for e in cov.accepted:
        label = "counted (late)" if e.partnership in late_names else "counted"
        status[e.partnership] = (label, e.submitted_on)
    return ReportView(
        columns=(
            ReportColumn("Partnership", "Partnership", lambda r: r[0], "text"),
            ReportColumn("Status", "Status", lambda r: r[1], "text"),
            ReportColumn("Submitted on", "Submitted on", lambda r: r[2], "date"),
        ),
        records=[
            (p.name, *status.get(p.name, ("no return", "")))
            for p in sorted(ref.partnerships, key=lambda p: p.name)
        ],
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
