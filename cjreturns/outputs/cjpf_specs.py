"""The national tables of a 2023-framework collection (returns from 2023-24), each defined once,
in the 2023-24 report's order: aims, priority actions, self-evaluation, themes, the CJPF
outcomes' measures, then statutory partners, development work and challenges. cjpf_tables.py
renders them to the workbook and CSVs, the draft (cjpf_report.py) to its tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cjreturns.aggregation.cjpf import CJPFAggregate
from cjreturns.aggregation.cjpf_results import CJPFCounts
from cjreturns.contract.frameworks import CJPF
from cjreturns.contract.reference import Reference
from cjreturns.outputs.common_tables import (
    COVERAGE_COLUMNS,
    CountsSummary,
    challenges,
    coverage_records,
    development,
    level_label,
    participation_levels,
    partner_participation,
    status_columns,
)
from cjreturns.outputs.table_spec import (
    Body,
    Column,
    ReportColumn,
    ReportView,
    TableSet,
    TableSpec,
    cell,
    positional,
    stat,
)
from cjreturns.outputs.tables_workbook import CONFIDENTIAL, NOT_AVAILABLE


class Summary(CountsSummary[CJPFCounts]):
    """What the draft's national tables are built from: the typed counts and the reference."""


@dataclass(frozen=True)
class Sheets(Summary):
    """What the sheets are built from: the typed counts plus the aggregate's tidy tables and
    coverage (for tables by partnership) and the framework."""

    agg: CJPFAggregate
    cjpf: CJPF


Spec = TableSpec[Sheets, Summary]


def _coverage(s: Sheets) -> Body:
    return Body(
        positional(*COVERAGE_COLUMNS),
        coverage_records(s.agg.coverage, s.ref),
        "One row per partnership; see note 1.",
    )


def _aims(s: Sheets) -> Body:
    return Body(
        (
            Column("Aim", lambda b: int(b.key)),
            Column("Aim text", lambda b: b.text),
            Column("Priority actions", lambda b: ", ".join(map(str, b.priority_actions))),
            Column("Partnerships with activity", lambda b: b.partnerships_with_activity),
            Column("Quantifier", lambda b: s.q(b.partnerships_with_activity)),
            Column("Activities", lambda b: b.activities),
            *status_columns(s.ref.activity_status),
        ),
        list(s.counts.aims.values()),
        f"Partnerships out of the {s.counted} counted; activities counted one by one.",
    )


def _priority_actions(s: Sheets) -> Body:
    return Body(
        (
            Column("Priority action", lambda b: int(b.key)),
            Column("Short title", lambda b: b.short),
            Column("Aim", lambda b: b.aim),
            Column("Partnerships with activity", lambda b: b.partnerships_with_activity),
            Column("Quantifier", lambda b: s.q(b.partnerships_with_activity)),
            Column("Partnerships reporting no activity", lambda b: b.partnerships_no_activity),
            Column("Activities", lambda b: b.activities),
            *status_columns(s.ref.activity_status),
        ),
        list(s.counts.priority_actions.values()),
        "An activity is counted under the priority action it is reported under.",
    )


PRIORITY_ACTION = ReportColumn(
    "Priority action", "Priority action", lambda b: f"{b.key}: {b.short}", "text"
)


def _priority_actions_report(s: Summary) -> ReportView:
    # the most advanced status first, as the report reads
    statuses = tuple(reversed(s.ref.activity_status))
    return ReportView(
        columns=(
            PRIORITY_ACTION,
            ReportColumn("Aim", "Aim", lambda b: b.aim, "id"),
            ReportColumn("Partnerships with activity", "Partnerships with activity",
                        lambda b: b.partnerships_with_activity),
            ReportColumn("Partnerships reporting no activity", "Partnerships reporting no activity",
                        lambda b: b.partnerships_no_activity),
            ReportColumn("Activities", "Activities", lambda b: b.activities),
            *(
                ReportColumn(x.replace("_", " ").capitalize(), f"Activities {x.replace('_', ' ')}",
                            cell(lambda b, x: b.status(x), x))
                for x in statuses
            ),
        ),
        records=list(s.counts.priority_actions.values()),
        description="For each priority action, the partnerships reporting activity or "
        "none, and the activities reported by status. The data behind figures 1 to 4.",
    )  # fmt: skip


def _scale_heading(ref: Reference, value: int) -> str:
    return f"{value} {ref.self_evaluation[value].replace('_', ' ')}"


def _self_evaluation(s: Sheets) -> Body:
    scale = sorted(s.ref.self_evaluation, reverse=True)
    return Body(
        (
            Column("Priority action", lambda b: int(b.key)),
            Column("Short title", lambda b: b.short),
            *(
                Column(_scale_heading(s.ref, v), cell(lambda b, v: b.self_evaluation[str(v)], v))
                for v in scale
            ),
        ),
        list(s.counts.priority_actions.values()),
        "Partnerships giving each score (Care Inspectorate six-point scale).",
    )


def _self_evaluation_report(s: Summary) -> ReportView:
    scale = sorted(s.ref.self_evaluation, reverse=True)
    return ReportView(
        columns=(
            PRIORITY_ACTION,
            *(
                ReportColumn(str(v), _scale_heading(s.ref, v),
                            cell(lambda b, v: b.self_evaluation.get(str(v), 0), v))
                for v in scale
            ),
        ),
        records=list(s.counts.priority_actions.values()),
        description="Partnerships giving each rating from 6 (excellent) to 1 "
        "(unsatisfactory), for each priority action. The data behind figure 5.",
    )  # fmt: skip


def _themes(s: Sheets) -> Body:
    return Body(
        (
            Column("Priority action", lambda r: int(r[0])),
            Column("Theme code", lambda r: r[1]),
            Column("Theme", lambda r: s.ref.label("themes", r[1])),
            Column("Partnerships", lambda r: r[2]),
        ),
        [
            (k, code, n)
            for k, b in s.counts.priority_actions.items()
            for code, n in sorted(b.themes.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "Themes of the activities reported under each priority action.",
    )


def _wording(source: str) -> str:
    """Whose wording a measure has (see note 5)."""
    return "the framework" if source == "cjpf" else "cjreturns"


def _measures(s: Sheets) -> Body:
    return Body(
        (
            Column("Measure code", lambda m: m.code),
            Column("Measure", lambda m: m.label),
            Column("CJPF outcome", lambda m: m.outcome),
            Column(
                "Wording from", lambda m: "the framework" if m.source == "cjpf" else "cjreturns"
            ),
            Column("Total", lambda m: m.total),
            Column("Partnerships reporting", lambda m: m.partnerships_reporting),
            Column("National rate per 10,000", lambda m: stat(m.national_rate)),
            Column("Median rate", lambda m: stat(m.median_rate)),
            Column("Lower quartile rate", lambda m: stat(m.q1_rate)),
            Column("Upper quartile rate", lambda m: stat(m.q3_rate)),
        ),
        list(s.counts.measures.values()),
        "Rates over the populations of the partnerships reporting; see notes 3 and 5.",
    )


def _measures_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Measure", "Measure", lambda m: m.label, "text"),
            ReportColumn("Total", "Total", lambda m: m.total),
            ReportColumn("Partnerships reporting", "Partnerships reporting",
                         lambda m: m.partnerships_reporting),
            ReportColumn("Rate per 10,000 people", "National rate per 10,000",
                         lambda m: m.national_rate),
        ),
        records=list(s.counts.measures.values()),
        description="National totals of the measures partnerships reported, with the number "
        "of partnerships reporting each and the rate over their populations.",
    )  # fmt: skip


def measure_values(s: Sheets) -> list[tuple[Any, ...]]:
    """Partnership x measure, with [c] under the suppression threshold and [x] where absent
    (counted returns only)."""
    frame = s.agg.tables["measures"]
    found = {
        (p, m): int(v)
        for p, m, v in zip(frame["partnership"], frame["measure"], frame["value"], strict=True)
    }
    low = s.agg.settings.suppress_below

    def shown(partnership: str | None, code: str) -> Any:
        value = found.get((partnership, code))
        if value is None:
            return NOT_AVAILABLE
        return CONFIDENTIAL if value < low else value

    rows = []
    for a in s.agg.coverage.accepted:
        p = s.ref.partnership(a.partnership or "")
        population = p.population if p else NOT_AVAILABLE
        rows.append(
            (a.partnership or "", population, *(shown(a.partnership, c) for c in s.cjpf.measures))
        )
    return rows


def _measure_values(s: Sheets) -> Body:
    low = s.agg.settings.suppress_below
    return Body(
        positional("Partnership", "Population", *s.cjpf.measures),
        measure_values(s),
        f"Counted returns only; {CONFIDENTIAL} below {low}, {NOT_AVAILABLE} not reported.",
    )


def _partner_participation(s: Sheets) -> Body:
    return partner_participation(
        s.ref,
        s.counts.partner_participation,
        partner="Partner",
        note="Partnerships giving each participation level in their governance section.",
    )


def _partner_participation_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Partner", "Partner", lambda r: r[1], "text"),
            *(
                ReportColumn(level_label(lv), level_label(lv),
                             cell(lambda r, lv: s.counts.partner_participation[r[0]][lv], lv))
                for lv in participation_levels(s.ref)
            ),
        ),
        records=list(s.ref.statutory_partners.items()),
        description="Partnerships giving each level of participation for each partner.",
    )  # fmt: skip


def _development(s: Sheets) -> Body:
    return development(
        s.ref,
        s.counts.partnership_development,
        s.q,
        note="Partnerships noting each kind of development work.",
    )


def _challenges(s: Sheets) -> Body:
    return challenges(
        s.ref,
        [
            (i, code, s.counts.challenges[code])
            for i, code in enumerate(s.counts.challenges_ranking, start=1)
        ],
        s.q,
    )


def _challenges_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Rank", "Rank", lambda r: r[0], "id"),
            ReportColumn("Challenge", "Challenge", lambda r: s.ref.challenges[r[1]], "text"),
            ReportColumn("Partnerships", "Partnerships", lambda r: s.counts.challenges[r[1]]),
        ),
        records=list(enumerate(s.counts.challenges_ranking, start=1)),
        description="Challenges ranked by the number of partnerships naming each.",
    )


CJPF_TABLES: TableSet[Sheets, Summary] = TableSet(
    (
        Spec("coverage", "Returns received and counted, by partnership", _coverage),
        Spec("aims", "Partnerships and activities, by aim of the 2022 National Strategy", _aims),
        Spec("priority_actions", "Partnerships and activities, by priority action",
             _priority_actions, _priority_actions_report),
        Spec("self_evaluation", "Partnerships' self-evaluation, by priority action",
             _self_evaluation, _self_evaluation_report),
        Spec("themes", "Partnerships evidencing each theme, by priority action", _themes),
        Spec("measures", "CJPF outcome measures: national totals and rates per 10,000 people",
             _measures, _measures_report),
        Spec("measure_values", "CJPF outcome measures, by partnership", _measure_values),
        Spec("partner_participation", "Statutory partners' participation in partnerships",
             _partner_participation, _partner_participation_report),
        Spec("development", "Partnership development work", _development),
        Spec("challenges", "Gaps and challenges named by partnerships, ranked", _challenges,
             _challenges_report),
    )
)  # fmt: skip
