"""The annex: coverage of returns, method and data quality, count tables and chart data."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import (
    Heading,
    Table,
    para,
)
from cjreturns.outputs.report.draft import (
    PERSON_CENTRED,
    STRUCTURAL,
    Draft,
    count_of,
    maybe,
    scale_label,
    section_of,
    who,
)
from cjreturns.outputs.report.text import (
    number,
)


def annex(d: Draft) -> None:
    d.add(Heading(1, "Annex: coverage, method and count tables"))
    coverage(d)
    method(d)
    count_tables(d)
    chart_data(d)


def coverage(d: Draft) -> None:
    cov = d.coverage_counts()
    expected = count_of(cov.get("expected", len(d.ref.partnerships)))
    d.add(
        Heading(2, "Coverage of returns"),
        para(
            f"{number(count_of(cov.get('received', 0)))} files were received from the "
            f"{number(expected)} partnerships. The national counts are out of the "
            f"{number(d.N)} accepted returns, one per partnership."
        ),
    )
    rows = []
    for key, label in (
        ("received", "Files received"),
        ("accepted", "Returns accepted and counted"),
        ("late", "Accepted but received after the due date"),
        ("missing", "Partnerships with no return"),
        ("rejected", "Returns rejected (with errors)"),
        ("superseded", "Returns replaced by a later one"),
        ("conflicts", "Conflicting returns (same date, different content)"),
    ):
        value = cov.get(key, 0)
        listed = key not in ("received", "accepted")
        details = (who(value) or "none") if listed else "not listed here"
        rows.append((label, number(count_of(value)), details))
    d.add(
        Table(
            caption="Coverage of returns",
            columns=("Measure", "Number", "Partnerships"),
            rows=tuple(rows),
            description="How many returns were received, counted, late, missing, rejected, "
            "replaced or in conflict, naming the partnerships concerned.",
            numeric=frozenset({1}),
        )
    )
    points = d.talking_points(lambda tp: section_of(tp) == "coverage")
    if points:
        d.add(Heading(3, "Talking points"))
        d.render_talking_points(points, none_text="")


def method(d: Draft) -> None:
    quantifiers = d.ref.raw.get("quantifiers", [])
    d.add(
        Heading(2, "Method and data quality"),
        para(
            "Each return was read and checked against the return schema and rules with "
            "cjreturns. A return with any error is not counted. Where a partnership sent more "
            "than one return, the latest counts. Counts are of partnerships (how many "
            "partnerships reported something), unless they say activities."
        ),
        para(
            "Themes are the codes partnerships gave their activities, under the outcome they "
            "reported each activity against. A partnership counts once for a theme however "
            "many of its activities carry it. Examples are quoted from activity titles and "
            "descriptions to illustrate the counts; they are not a ranking of areas."
        ),
        para(
            "Rates per 10,000 people use the populations in the project's reference data. "
            "Partnership rates built on very small counts are not shown, to protect people's "
            "privacy and because they change a great deal from year to year."
        ),
        para(
            "Local indicator figures are the partnerships' own counts. Definitions and "
            "recording practice differ between areas, and not every partnership reports every "
            "indicator, so the totals are not official statistics and need not match the "
            "national figures in the key facts."
        ),
        para(
            "Self-evaluation ratings are each partnership's own judgement on the six-point "
            "scale; they are not inspected and are not comparable between areas."
        ),
        para(
            "Contact details, sign-off details and case studies are never copied from returns "
            "into this report: case studies are counted, and can be read in the returns "
            "themselves. Examples quoted from activities pass the personal-data check first."
        ),
        para(
            "Counts of responses to last year's recommendations in the appendix are counted "
            "from the same accepted returns (aggregate.json, `recommendations`)."
        ),
        para("The words used for counts follow these rules, the first that applies:"),
        Table(
            caption="Words used for counts of partnerships",
            columns=("Word", "When (n partnerships out of N counted)"),
            rows=tuple((str(q["word"]), str(q["when"])) for q in quantifiers),
            description="The quantifier word for each range of counts.",
        ),
    )


def count_tables(d: Draft) -> None:
    d.add(Heading(2, "Count tables"))
    keys = (*STRUCTURAL, *PERSON_CENTRED)
    outcome_cols = keys  # columns headed 1 to 7: "Outcome 1" would not fit eight across
    national = d.agg.get("themes") or {}
    theme_rows = []
    for code in d.ref.themes:
        per = [int((d.outcome(k).get("themes") or {}).get(code, 0)) for k in keys]
        total = int(national.get(code, 0))
        if any(per) or total:
            theme_rows.append((d.theme_name(code), *map(number, per), number(total)))
    d.add(
        Table(
            caption="Partnerships evidencing each theme, by outcome (columns: outcomes 1 to 7)",
            columns=("Theme", *outcome_cols, "Any"),
            rows=tuple(theme_rows),
            description="For each theme, the number of partnerships reporting an activity "
            "with that theme under each outcome, and under any outcome.",
            numeric=frozenset(range(1, 9)),
        )
    )
    status_rows = []
    for k in keys:
        b = d.outcome(k)
        st = b.get("by_status") or {}
        status_rows.append(
            (
                f"Outcome {k}",
                number(int(b.get("partnerships_with_activity", 0))),
                number(int(b.get("activities", 0))),
                *(number(int(st.get(s, 0))) for s in ("completed", "in_progress", "planned")),
            )
        )
    d.add(
        Table(
            caption="Activities by outcome and status",
            columns=(
                "Outcome",
                "Partnerships with activity",
                "Activities",
                "Completed",
                "In progress",
                "Planned",
            ),
            rows=tuple(status_rows),
            description="For each outcome, partnerships with at least one activity, the "
            "number of activities and how many were completed, in progress or planned.",
            numeric=frozenset(range(1, 6)),
        )
    )
    scale = sorted(d.ref.self_evaluation, reverse=True)
    d.add(
        Table(
            caption=(
                "Self-evaluation ratings by outcome: partnerships giving each rating, from "
                f"{scale[0]} ({scale_label(d.ref, scale[0]).lower()}) to {scale[-1]} "
                f"({scale_label(d.ref, scale[-1]).lower()})"
            ),
            columns=("Outcome", *(str(v) for v in scale), "Rated"),
            rows=tuple(
                (
                    f"Outcome {k}",
                    *(
                        number(int((d.outcome(k).get("self_evaluation") or {}).get(str(v), 0)))
                        for v in scale
                    ),
                    number(
                        sum(int(x) for x in (d.outcome(k).get("self_evaluation") or {}).values())
                    ),
                )
                for k in keys
            ),
            description="For each outcome, how many partnerships gave each self-evaluation rating.",
            numeric=frozenset(range(1, 8)),
        )
    )
    d.add(
        Table(
            caption="Partnerships linking activities to each 2022 priority action, by outcome "
            "(columns: outcomes 1 to 7)",
            columns=("Priority action", *outcome_cols),
            rows=tuple(
                (
                    f"{pa}. {short}",
                    *(
                        number(int((d.outcome(k).get("priority_actions") or {}).get(str(pa), 0)))
                        for k in keys
                    ),
                )
                for pa, short in sorted(d.ref.priority_actions.items())
            ),
            description="For each priority action of the 2022 national strategy, the "
            "number of partnerships linking an activity to it under each outcome.",
            numeric=frozenset(range(1, 8)),
        )
    )
    indicators = d.agg.get("indicators") or {}
    d.add(
        Table(
            caption="Local indicators: totals and rates per 10,000 people ([x]: no "
            "partnership reported it)",
            columns=(
                "Indicator",
                "Total",
                "Partnerships reporting",
                "National rate",
                "Median rate",
                "Lowest rate",
                "Highest rate",
            ),
            rows=tuple(
                (
                    d.ref.label("indicators", code),
                    number(int(b.get("total", 0))),
                    number(int(b.get("partnerships_reporting", 0))),
                    *(
                        maybe(b.get(k))
                        for k in ("national_rate", "median_rate", "min_rate", "max_rate")
                    ),
                )
                for code, b in indicators.items()
            ),
            description="For each local indicator, the national total, how many "
            "partnerships reported it and the spread of their rates per 10,000 people. "
            "[x] where no partnership reported it.",
            numeric=frozenset(range(1, 7)),
        )
    )
    participation = d.agg.get("partner_participation") or {}
    levels = (*d.ref.participation_levels, "not_stated")
    d.add(
        Table(
            caption="Statutory partner participation (number of partnerships)",
            columns=(
                "Statutory partner",
                *(lv.replace("_", " ").capitalize() for lv in levels),
            ),
            rows=tuple(
                (
                    d.ref.statutory_partners.get(code, code),
                    *(number(int((v or {}).get(lv, 0))) for lv in levels),
                )
                for code, v in participation.items()
            ),
            description="For each statutory partner, how many partnerships described its "
            "participation at each level.",
            numeric=frozenset(range(1, len(levels) + 1)),
        )
    )
    development = d.agg.get("partnership_development") or {}
    d.add(
        Table(
            caption="Partnership development work",
            columns=("Type of work", "Partnerships"),
            rows=tuple(
                (d.ref.label("partnership_development", c), number(int(n)))
                for c, n in development.items()
            ),
            description="How many partnerships described each type of partnership "
            "development work.",
            numeric=frozenset({1}),
        )
    )
    challenges = d.agg.get("challenges") or {}
    d.add(
        Table(
            caption="Gaps and challenges named",
            columns=("Gap or challenge", "Partnerships"),
            rows=tuple(
                (d.ref.label("challenges", c), number(int(n))) for c, n in challenges.items()
            ),
            description="How many partnerships named each gap or challenge anywhere in "
            "their return, most named first.",
            numeric=frozenset({1}),
        )
    )


def chart_data(d: Draft) -> None:
    d.add(Heading(2, "Chart data"))
    if not d.figures:
        d.add(para("This draft has no charts."))
        return
    for fig in d.figures:
        chart = fig.chart
        names = tuple(name for name, _ in chart.series)
        rows = tuple(
            (label, *(number(values[i]) for _, values in chart.series))
            for i, label in enumerate(chart.labels)
        )
        d.add(
            Table(
                caption=f"Data for Figure {fig.number}: {chart.title}",
                columns=("Category", *names),
                rows=rows,
                description=f"The values plotted in Figure {fig.number}.",
                numeric=frozenset(range(1, len(names) + 1)),
            )
        )
