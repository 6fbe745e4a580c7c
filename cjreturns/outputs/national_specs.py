"""The national tables of a 2016-framework collection (returns to 2022-23), each defined once:
national_tables.py renders them to the workbook and CSVs, the report's annex to its tables.

Every cell is read from the typed counts (`NationalCounts`) or, for tables by partnership, the
tidy tables and coverage; the annex reads the typed counts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cjreturns.aggregation.national import Aggregate
from cjreturns.aggregation.results import NationalCounts
from cjreturns.aggregation.tables import OUTCOME_KEYS
from cjreturns.contract.reference import Reference
from cjreturns.outputs.common_tables import (
    COVERAGE_COLUMNS,
    CountsSummary,
    challenges,
    coverage_records,
    coverage_report,
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


class Summary(CountsSummary[NationalCounts]):
    """What the annex's tables are built from: the typed counts and the reference."""


@dataclass(frozen=True)
class Sheets(Summary):
    """What the sheets are built from: the typed counts plus the aggregate's tidy tables and
    coverage, for the tables by partnership."""

    agg: Aggregate


Spec = TableSpec[Sheets, Summary]


OUTCOME = ReportColumn("Outcome", "Outcome", lambda o: f"Outcome {o.key}", "text")


# -- 1 coverage --------------------------------------------------------------------------------


def _coverage(s: Sheets) -> Body:
    return Body(
        positional(*COVERAGE_COLUMNS),
        coverage_records(s.agg.coverage, s.ref),
        f"Late: received after {s.ref.calendar.due_text()}. A partnership's latest return "
        "counts; see note 1.",
    )


# -- 2-5 by national outcome -------------------------------------------------------------------


def _outcomes(s: Sheets) -> Body:
    text = {str(k): v["text"] for k, v in s.ref.outcomes.items()}
    return Body(
        (
            Column("Outcome", lambda o: int(o.key)),
            Column("Outcome description", lambda o: text[o.key]),
            Column("Partnerships with activity", lambda o: o.partnerships_with_activity),
            Column("Quantifier", lambda o: s.q(o.partnerships_with_activity)),
            Column("Activities", lambda o: o.activities),
            *status_columns(s.ref.activity_status),
        ),
        list(s.counts.outcomes.values()),
        "Partnerships are counted once per outcome however many activities they report.",
    )


def _outcomes_report(s: Summary) -> ReportView:
    # the most advanced status first, as the report reads
    statuses = tuple(reversed(s.ref.activity_status))
    return ReportView(
        columns=(
            OUTCOME,
            ReportColumn("Partnerships", "Partnerships with activity",
                        lambda o: o.partnerships_with_activity),
            ReportColumn("Activities", "Activities", lambda o: o.activities),
            *(
                ReportColumn(x.replace("_", " ").capitalize(), f"Activities {x.replace('_', ' ')}",
                            cell(lambda o, x: o.by_status.get(x, 0), x))
                for x in statuses
            ),
        ),
        records=[s.counts.outcome(k) for k in OUTCOME_KEYS],
        description="For each outcome, partnerships with at least one activity, the number "
        "of activities and how many were completed, in progress or planned.",
    )  # fmt: skip


def _themes(s: Sheets) -> Body:
    return Body(
        (
            Column("Outcome", lambda r: int(r[0].key)),
            Column("Theme code", lambda r: r[1]),
            Column("Theme", lambda r: s.ref.label("themes", r[1])),
            Column("Partnerships", lambda r: r[2]),
            Column("Quantifier", lambda r: s.q(r[2])),
        ),
        [(o, code, n) for o in s.counts.outcomes.values() for code, n in o.themes.items()],
        "Each outcome lists its usual themes (even when no partnership reported them) and "
        "any other theme reported under it.",
    )


def _themes_report(s: Summary) -> ReportView:
    """Pivoted to fit a page: a theme a row, outcomes across, then under any outcome."""
    used = [
        code
        for code in s.ref.themes
        if any(s.counts.outcome(k).themes.get(code, 0) for k in OUTCOME_KEYS)
        or s.counts.themes.get(code, 0)
    ]
    return ReportView(
        columns=(
            ReportColumn("Theme", "Theme", lambda c: s.ref.label("themes", c), "text"),
            *(
                ReportColumn(
                    k, "Partnerships", cell(lambda c, k: s.counts.outcome(k).themes.get(c, 0), k)
                )
                for k in OUTCOME_KEYS
            ),
            ReportColumn("Any", "Partnerships", lambda c: s.counts.themes.get(c, 0)),
        ),
        records=used,
        description="For each theme, the number of partnerships reporting an activity "
        "with that theme under each outcome, and under any outcome.",
        caption="columns: outcomes 1 to 7, then any outcome",
    )


def _scale_name(ref: Reference, value: int) -> str:
    return ref.self_evaluation[value].replace("_", " ").capitalize()


def _self_evaluation(s: Sheets) -> Body:
    scale = sorted(s.ref.self_evaluation, reverse=True)
    return Body(
        (
            Column("Outcome", lambda o: int(o.key)),
            *(
                Column(
                    f"{_scale_name(s.ref, v)} ({v})",
                    cell(lambda o, v: o.self_evaluation[str(v)], v),
                )
                for v in scale
            ),
            Column("Not given", lambda o: s.counted - o.rated),
        ),
        list(s.counts.outcomes.values()),
        "Care Inspectorate six-point scale, from excellent (6) to unsatisfactory (1).",
    )


def _self_evaluation_report(s: Summary) -> ReportView:
    # the ratings' names would not fit eight columns across: the caption gives them
    scale = sorted(s.ref.self_evaluation, reverse=True)
    top, bottom = scale[0], scale[-1]
    return ReportView(
        columns=(
            OUTCOME,
            *(
                ReportColumn(
                    str(v),
                    f"{_scale_name(s.ref, v)} ({v})",
                    cell(lambda o, v: o.self_evaluation.get(str(v), 0), v),
                )
                for v in scale
            ),
            ReportColumn("Not given", "Not given", lambda o: max(s.counted - o.rated, 0)),
        ),
        records=[s.counts.outcome(k) for k in OUTCOME_KEYS],
        description="For each outcome, how many partnerships gave each self-evaluation "
        "rating, and how many gave none.",
        caption=(
            f"columns: ratings from {top}, {_scale_name(s.ref, top).lower()}, to {bottom}, "
            f"{_scale_name(s.ref, bottom).lower()}"
        ),
    )


def _priority_actions(s: Sheets) -> Body:
    pa = s.agg.tables["priority_actions"]  # under any outcome: a count of the tidy table
    any_outcome = (
        pa.groupby("priority_action")["partnership"].nunique().to_dict() if len(pa) else {}
    )
    return Body(
        (
            Column("Priority action", lambda r: r[0]),
            Column("Description", lambda r: r[1]),
            Column("Partnerships (any outcome)", lambda r: int(any_outcome.get(r[0], 0))),
            Column("Quantifier", lambda r: s.q(int(any_outcome.get(r[0], 0)))),
            *(
                Column(f"Outcome {k}", cell(lambda r, o: o.priority_actions[str(r[0])], o))
                for k, o in s.counts.outcomes.items()
            ),
        ),
        sorted(s.ref.priority_actions.items()),
        "Priority actions of the National Strategy for Community Justice (2022) that "
        "activities refer to.",
    )


def _priority_actions_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Priority action", "Priority action", lambda r: f"{r[0]}. {r[1]}", "text"),
            *(
                ReportColumn(
                    k,
                    f"Outcome {k}",
                    cell(lambda r, k: s.counts.outcome(k).priority_actions.get(str(r[0]), 0), k),
                )
                for k in OUTCOME_KEYS
            ),
        ),
        records=sorted(s.ref.priority_actions.items()),
        description="For each priority action of the 2022 national strategy, the "
        "number of partnerships linking an activity to it under each outcome.",
        caption="columns: outcomes 1 to 7",
    )


# -- 6-8 local indicators ----------------------------------------------------------------------

RATE = "Rate per 10,000 people (reporting partnerships)"


def _indicators(s: Sheets) -> Body:
    return Body(
        (
            Column("Indicator code", lambda b: b.code),
            Column("Indicator", lambda b: s.ref.label("indicators", b.code)),
            Column("Outcome", lambda b: int(s.ref.indicators[b.code]["outcome"])),
            Column("National total", lambda b: b.total),
            Column("Partnerships reporting", lambda b: b.partnerships_reporting),
            Column("Quantifier", lambda b: s.q(b.partnerships_reporting)),
            Column(RATE, lambda b: stat(b.national_rate)),
            Column("Lowest rate", lambda b: stat(b.min_rate)),
            Column("Lower quartile rate", lambda b: stat(b.q1_rate)),
            Column("Median rate", lambda b: stat(b.median_rate)),
            Column("Upper quartile rate", lambda b: stat(b.q3_rate)),
            Column("Highest rate", lambda b: stat(b.max_rate)),
            Column("Outlying partnerships", lambda b: "; ".join(b.outliers) or "none"),
        ),
        list(s.counts.indicators.values()),
        f"Outliers: rates more than {s.agg.settings.outlier_iqr_factor:g} times the "
        "interquartile range beyond the quartiles (see note 3).",
    )


def _indicators_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Indicator", "Indicator", lambda b: s.ref.label("indicators", b.code),
                        "text"),
            ReportColumn("Total", "National total", lambda b: b.total),
            ReportColumn("Reporting", "Partnerships reporting", lambda b: b.partnerships_reporting),
            ReportColumn("Rate", RATE, lambda b: b.national_rate, "rate"),
            ReportColumn("Median", "Median rate", lambda b: b.median_rate, "rate"),
            ReportColumn("Lowest", "Lowest rate", lambda b: b.min_rate, "rate"),
            ReportColumn("Highest", "Highest rate", lambda b: b.max_rate, "rate"),
        ),
        records=list(s.counts.indicators.values()),
        description="For each local indicator, the national total, how many partnerships "
        "reported it and the spread of their rates per 10,000 people. [x] where no "
        "partnership reported it.",
        caption="rate: Scotland's, from the partnerships reporting; then the median, lowest and "
        "highest of their rates. [x]: no partnership reported it",
    )  # fmt: skip


def indicators_by_partnership(
    s: Sheets,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Partnership x indicator values and rates, with [c] under the suppression threshold and
    [x] where absent (counted returns only)."""
    agg, ref = s.agg, s.ref
    frame = agg.tables["indicators"]
    low, digits = agg.settings.suppress_below, agg.settings.rate_decimals
    found = {
        (p, code): (int(v), r)
        for p, code, v, r in zip(
            frame["partnership"],
            frame["indicator"],
            frame["value"],
            frame["rate_per_10000"],
            strict=True,
        )
    }
    values_rows, rates_rows = [], []
    for a in agg.coverage.accepted:
        name = a.partnership or ""
        partnership = ref.partnership(name)
        population = partnership.population if partnership else NOT_AVAILABLE
        values: list[Any] = [name, population]
        rates: list[Any] = [name, population]
        for code in ref.indicators:
            if (name, code) not in found:
                values.append(NOT_AVAILABLE)
                rates.append(NOT_AVAILABLE)
                continue
            value, rate = found[(name, code)]
            hidden = value < low
            values.append(CONFIDENTIAL if hidden else value)
            rates.append(
                CONFIDENTIAL
                if hidden
                else (NOT_AVAILABLE if rate is None else round(float(rate), digits))
            )
        values_rows.append(tuple(values))
        rates_rows.append(tuple(rates))
    return values_rows, rates_rows


def _by_partnership_columns(s: Sheets) -> tuple[Column, ...]:
    names = tuple(s.ref.label("indicators", code) for code in s.ref.indicators)
    return positional("Partnership", "Population", *names)


def _indicator_values(s: Sheets) -> Body:
    low = s.agg.settings.suppress_below
    return Body(
        _by_partnership_columns(s),
        indicators_by_partnership(s)[0],
        f"{CONFIDENTIAL}: a figure below {low}, not shown. {NOT_AVAILABLE}: not reported. "
        f"{NATIONAL_TABLES.mention('indicators').capitalize()} gives each indicator's code.",
    )


def _indicator_rates(s: Sheets) -> Body:
    low = s.agg.settings.suppress_below
    return Body(
        _by_partnership_columns(s),
        indicators_by_partnership(s)[1],
        f"Rates per 10,000 people. {CONFIDENTIAL}: based on a figure below {low}. "
        f"{NOT_AVAILABLE}: not reported.",
    )


# -- 9-11 governance and challenges (the same sections in both frameworks) --------------------


def _partner_participation(s: Sheets) -> Body:
    return partner_participation(
        s.ref,
        s.counts.partner_participation,
        partner="Statutory partner",
        note="Partnerships by the level of participation their return gives for each partner.",
    )


def _partner_participation_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Statutory partner", "Statutory partner",
                        lambda r: s.ref.statutory_partners.get(r[0], r[0]), "text"),
            *(
                ReportColumn(level_label(lv), level_label(lv),
                            cell(lambda r, x: r[1].get(x, 0), lv))
                for lv in participation_levels(s.ref)
            ),
        ),
        records=list(s.counts.partner_participation.items()),
        description="For each statutory partner, how many partnerships described its "
        "participation at each level.",
        caption="number of partnerships",
    )  # fmt: skip


def _development(s: Sheets) -> Body:
    return development(
        s.ref,
        s.counts.partnership_development,
        s.q,
        note="Partnerships describing each kind of development work in their governance section.",
    )


def _development_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Type of work", "Development work",
                        lambda r: s.ref.label("partnership_development", r[0]), "text"),
            ReportColumn("Partnerships", "Partnerships", lambda r: r[1]),
        ),
        records=list(s.counts.partnership_development.items()),
        description="How many partnerships described each type of partnership "
        "development work.",
    )  # fmt: skip


def _challenges(s: Sheets) -> Body:
    ranking = s.counts.challenges_ranking
    return challenges(
        s.ref,
        [
            (ranking.index(code) + 1 if code in ranking else NOT_AVAILABLE, code, n)
            for code, n in s.counts.challenges.items()
        ],
        s.q,
    )


def _challenges_report(s: Summary) -> ReportView:
    return ReportView(
        columns=(
            ReportColumn("Gap or challenge", "Challenge",
                        lambda r: s.ref.label("challenges", r[0]), "text"),
            ReportColumn("Partnerships", "Partnerships", lambda r: r[1]),
        ),
        records=list(s.counts.challenges.items()),
        description="How many partnerships named each gap or challenge anywhere in "
        "their return, most named first.",
    )  # fmt: skip


NATIONAL_TABLES: TableSet[Sheets, Summary] = TableSet(
    (
        Spec("coverage", "Returns received and counted, by partnership", _coverage,
             lambda s: coverage_report(s.counts.coverage, s.ref)),
        Spec("outcomes", "Partnerships and activities, by national outcome", _outcomes,
             _outcomes_report),
        Spec("themes", "Partnerships evidencing each theme, by national outcome", _themes,
             _themes_report),
        Spec("self_evaluation", "Partnerships' self-evaluation, by national outcome",
             _self_evaluation, _self_evaluation_report),
        Spec("priority_actions", "Partnerships referring to each 2022 strategy priority action",
             _priority_actions, _priority_actions_report),
        Spec("indicators", "Local indicators: national totals and rates per 10,000 people",
             _indicators, _indicators_report),
        Spec("indicator_values", "Local indicators, by partnership", _indicator_values),
        Spec("indicator_rates", "Local indicators per 10,000 people, by partnership",
             _indicator_rates),
        Spec("partner_participation", "Statutory partners' participation in partnerships",
             _partner_participation, _partner_participation_report),
        Spec("development", "Partnership development work",
             _development, _development_report),
        Spec("challenges", "Gaps and challenges named by partnerships, ranked", _challenges,
             _challenges_report),
    )
)  # fmt: skip
