"""Appendix B: coverage of returns, method and data quality, the national tables and the data
behind each chart.

The national tables are the ones national-tables.xlsx and the CSVs hold, from the same specs
(`national_specs.NATIONAL_TABLES`): each with its number, title and the short form of its
columns the spec gives, so "Table 6" is the same table everywhere; tables by partnership (7 and
8) are left to the workbook. The draft's own tables are labelled by what they belong to: K for
key facts, M for method, F for a figure's data.
"""

from __future__ import annotations

from typing import Any

from cjreturns.outputs.national_specs import NATIONAL_TABLES, Summary
from cjreturns.outputs.quantifiers import quantifier_rule
from cjreturns.outputs.report.blocks import Heading, Table, para
from cjreturns.outputs.report.draft import Draft
from cjreturns.outputs.report.text import long_date, number, rate
from cjreturns.outputs.table_spec import Kind, ReportTable
from cjreturns.outputs.tables_workbook import NOT_AVAILABLE


def cell_text(kind: Kind, value: Any) -> str:
    """A national table's cell as the draft prints it (both drafts: the 2023 one too)."""
    if kind in ("number", "rate") and value is None:
        return NOT_AVAILABLE
    if kind == "number":
        return number(value)
    if kind == "rate":
        return rate(value)
    if kind == "date":
        return long_date(value) if value else ""
    return str(value)


def spec_table(table: ReportTable) -> Table:
    """A national table's short form (from its spec) as a report table."""
    return Table(
        caption=table.caption,
        label=table.label,
        columns=table.headings,
        rows=tuple(
            tuple(cell_text(c.kind, v) for c, v in zip(table.columns, row, strict=True))
            for row in table.rows
        ),
        description=table.description,
        numeric=table.numeric,
    )


def national_table(d: Draft, key: str) -> Table:
    return spec_table(NATIONAL_TABLES.report_table(key, Summary(d.counts, d.ref)))


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
    d.add(national_table(d, "coverage"))
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
            "local indicator figures by partnership "
            f"({NATIONAL_TABLES.mention(*NATIONAL_TABLES.workbook_only())})."
        ),
    )
    for key in NATIONAL_TABLES.report_keys():
        if key != "coverage":  # under "Coverage of returns", above
            d.add(national_table(d, key))


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
