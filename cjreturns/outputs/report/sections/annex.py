"""Appendix B: coverage of returns, method and data quality, the national tables and the data
behind each chart.

The national tables carry the numbers and titles they have in national-tables.xlsx and the CSVs
(`national_tables.TABLES`), so "Table 6" is the same table everywhere; tables by partnership
(7 and 8) are left to the workbook. The draft's own tables are labelled by what they belong to:
K for key facts, M for method, F for a figure's data.
"""

from __future__ import annotations

from cjreturns.outputs.quantifiers import quantifier_rule
from cjreturns.outputs.report.blocks import Heading, Table, para
from cjreturns.outputs.report.draft import PERSON_CENTRED, STRUCTURAL, Draft, scale_label
from cjreturns.outputs.report.text import long_date, number, rate

KEYS = (*STRUCTURAL, *PERSON_CENTRED)


def national_label(key: str) -> tuple[str, str]:
    """("Table 6", its title) for a national table, numbered as in the workbook."""
    from cjreturns.outputs.national_tables import TABLES

    for i, (k, title) in enumerate(TABLES, start=1):
        if k == key:
            return f"Table {i}", title
    raise KeyError(key)


def annex(d: Draft) -> None:
    d.add(Heading(1, "Appendix B: Coverage, method and tables"))
    coverage(d)
    method(d)
    count_tables(d)
    chart_data(d)


def coverage(d: Draft) -> None:
    cov = d.counts.coverage
    expected = cov.expected or len(d.ref.partnerships)
    late = [f"{e.partnership} ({long_date(e.submitted_on)})" for e in cov.late]
    text = (
        f"{number(cov.received)} files were received from the {number(expected)} partnerships. "
        f"The national counts are out of the {number(d.N)} accepted returns, one per partnership."
    )
    if late:
        text += f" Received after the due date but counted: {'; '.join(late)}."
    d.add(Heading(2, "Coverage of returns"), para(text))
    status: dict[str, tuple[str, str]] = {}
    for e in cov.rejected:
        status[e.partnership] = ("not counted: errors", "")
    for e in cov.conflicts:
        status[e.partnership] = ("not counted: conflicting returns", "")
    late_names = {e.partnership for e in cov.late}
    for e in cov.accepted:
        label = "counted (late)" if e.partnership in late_names else "counted"
        status[e.partnership] = (label, long_date(e.submitted_on) if e.submitted_on else "")
    rows = tuple(
        (p.name, *status.get(p.name, ("no return", "")))
        for p in sorted(d.ref.partnerships, key=lambda p: p.name)
    )
    label, title = national_label("coverage")
    d.add(
        Table(
            caption=title,
            label=label,
            columns=("Partnership", "Status", "Submitted on"),
            rows=rows,
            description="Each partnership's return: counted, counted though late, not counted "
            "(and why) or not received, with the date it was submitted.",
        )
    )
    points = d.talking_points("coverage")
    if points:
        d.add(Heading(3, "Talking points"))
        d.write_talking_points(points, none_text="", where="coverage of returns")


def method(d: Draft) -> None:
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
            "many of its activities carry it. One example is quoted for each theme, from an "
            "activity whose own words are about the theme; examples illustrate the counts and "
            "are not a ranking of areas."
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
            "Responses to last year's recommendations in Appendix A are counted from the same "
            "accepted returns, one response per partnership and recommendation."
        ),
        para("The words used for counts follow these rules, the first that applies:"),
        Table(
            caption="Words used for counts of partnerships",
            label="Table M1",
            columns=("Word", "When it is used"),
            rows=tuple((q.word, quantifier_rule(q.when)) for q in d.ref.quantifiers),
            description="The word used for each range of counts of partnerships.",
        ),
    )


def count_tables(d: Draft) -> None:
    d.add(
        Heading(2, "National tables"),
        para(
            "These tables have the numbers and titles they have in the national tables "
            "workbook (national-tables.xlsx) and its CSV files; the workbook also gives "
            "local indicator figures by partnership (tables 7 and 8)."
        ),
    )
    cols = KEYS  # columns headed 1 to 7: "Outcome 1" would not fit eight across
    label, title = national_label("outcomes")
    d.add(
        Table(
            caption=title,
            label=label,
            columns=(
                "Outcome",
                "Partnerships",
                "Activities",
                "Completed",
                "In progress",
                "Planned",
            ),
            rows=tuple(
                (
                    f"Outcome {k}",
                    number(o.partnerships_with_activity),
                    number(o.activities),
                    *(
                        number(o.by_status.get(s, 0))
                        for s in ("completed", "in_progress", "planned")
                    ),
                )
                for k in KEYS
                for o in (d.counts.outcome(k),)
            ),
            description="For each outcome, partnerships with at least one activity, the number "
            "of activities and how many were completed, in progress or planned.",
            numeric=frozenset(range(1, 6)),
        )
    )
    theme_rows = []
    for code in d.ref.themes:
        per = [d.counts.outcome(k).themes.get(code, 0) for k in KEYS]
        total = d.counts.themes.get(code, 0)
        if any(per) or total:
            theme_rows.append((d.theme_name(code), *map(number, per), number(total)))
    label, title = national_label("themes")
    d.add(
        Table(
            caption=f"{title} (columns: outcomes 1 to 7, then any outcome)",
            label=label,
            columns=("Theme", *cols, "Any"),
            rows=tuple(theme_rows),
            description="For each theme, the number of partnerships reporting an activity "
            "with that theme under each outcome, and under any outcome.",
            numeric=frozenset(range(1, 9)),
        )
    )
    scale = sorted(d.ref.self_evaluation, reverse=True)
    label, title = national_label("self_evaluation")
    top, bottom = scale[0], scale[-1]
    d.add(
        Table(
            # the ratings' names would not fit eight columns across: the caption gives them
            caption=(
                f"{title} (columns: ratings from {top}, {scale_label(d.ref, top).lower()}, to "
                f"{bottom}, {scale_label(d.ref, bottom).lower()})"
            ),
            label=label,
            columns=("Outcome", *(str(v) for v in scale), "Not given"),
            rows=tuple(
                (
                    f"Outcome {k}",
                    *(number(o.self_evaluation.get(str(v), 0)) for v in scale),
                    number(max(d.N - o.rated, 0)),
                )
                for k in KEYS
                for o in (d.counts.outcome(k),)
            ),
            description="For each outcome, how many partnerships gave each self-evaluation "
            "rating, and how many gave none.",
            numeric=frozenset(range(1, len(scale) + 2)),
        )
    )
    label, title = national_label("priority_actions")
    d.add(
        Table(
            caption=f"{title} (columns: outcomes 1 to 7)",
            label=label,
            columns=("Priority action", *cols),
            rows=tuple(
                (
                    f"{pa}. {short}",
                    *(number(d.counts.outcome(k).priority_actions.get(str(pa), 0)) for k in KEYS),
                )
                for pa, short in sorted(d.ref.priority_actions.items())
            ),
            description="For each priority action of the 2022 national strategy, the "
            "number of partnerships linking an activity to it under each outcome.",
            numeric=frozenset(range(1, 8)),
        )
    )
    label, title = national_label("indicators")
    d.add(
        Table(
            caption=(
                f"{title} (rate: Scotland's, from the partnerships reporting; then the median, "
                "lowest and highest of their rates. [x]: no partnership reported it)"
            ),
            label=label,
            columns=("Indicator", "Total", "Reporting", "Rate", "Median", "Lowest", "Highest"),
            rows=tuple(
                (
                    d.ref.label("indicators", code),
                    number(b.total),
                    number(b.partnerships_reporting),
                    *(
                        "[x]" if v is None else rate(v)
                        for v in (b.national_rate, b.median_rate, b.min_rate, b.max_rate)
                    ),
                )
                for code, b in d.counts.indicators.items()
            ),
            description="For each local indicator, the national total, how many partnerships "
            "reported it and the spread of their rates per 10,000 people. [x] where no "
            "partnership reported it.",
            numeric=frozenset(range(1, 7)),
        )
    )
    levels = (*d.ref.participation_levels, "not_stated")
    label, title = national_label("partner_participation")
    d.add(
        Table(
            caption=f"{title} (number of partnerships)",
            label=label,
            columns=(
                "Statutory partner",
                *("Not stated" if lv == "not_stated" else lv.capitalize() for lv in levels),
            ),
            rows=tuple(
                (
                    d.ref.statutory_partners.get(code, code),
                    *(number(v.get(lv, 0)) for lv in levels),
                )
                for code, v in d.counts.partner_participation.items()
            ),
            description="For each statutory partner, how many partnerships described its "
            "participation at each level.",
            numeric=frozenset(range(1, len(levels) + 1)),
        )
    )
    label, title = national_label("development")
    d.add(
        Table(
            caption=title,
            label=label,
            columns=("Type of work", "Partnerships"),
            rows=tuple(
                (d.ref.label("partnership_development", c), number(n))
                for c, n in d.counts.partnership_development.items()
            ),
            description="How many partnerships described each type of partnership "
            "development work.",
            numeric=frozenset({1}),
        )
    )
    label, title = national_label("challenges")
    d.add(
        Table(
            caption=title,
            label=label,
            columns=("Gap or challenge", "Partnerships"),
            rows=tuple(
                (d.ref.label("challenges", c), number(n)) for c, n in d.counts.challenges.items()
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
                label=f"Table F{fig.number}",
                columns=("Category", *names),
                rows=rows,
                description=f"The values plotted in Figure {fig.number}.",
                numeric=frozenset(range(1, len(names) + 1)),
            )
        )
