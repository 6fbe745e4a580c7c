"""The front of the draft: foreword, executive summary, introduction and key facts."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import (
    Bullets,
    Heading,
    Table,
    para,
)
from cjreturns.outputs.report.draft import (
    PERSON_CENTRED,
    STRUCTURAL,
    Draft,
    change,
    count_of,
    largest,
    markdown_blocks,
    placeholder,
    previous_year,
)
from cjreturns.outputs.report.text import (
    clean_text,
    lower_first,
    number,
)


def foreword(d: Draft) -> None:
    d.add(Heading(1, "Foreword"))
    if d.context.foreword:
        d.add(*markdown_blocks(d.context.foreword))
    else:
        d.add(placeholder("foreword", "foreword"))


def executive_summary(d: Draft, period: str) -> None:
    d.add(
        Heading(1, "Executive summary"),
        para(
            f"This report covers the period {period}."
            if period
            else "This report covers the reporting year."
        ),
        para(
            "It describes activity leading to progress towards the national outcomes for "
            "community justice in Scotland, as reported by community justice partnerships in "
            f"their annual returns. It is based on the returns of {d.N} of the "
            f"{count_of(d.coverage_counts().get('expected', len(d.ref.partnerships)))} "
            "partnerships."
        ),
        Heading(2, "Key findings"),
    )
    for key in STRUCTURAL:
        d.add(Heading(3, d.outcome_title(key)), para(_summary_line(d, key)))
    d.add(Heading(3, "Person-centred outcomes 5, 6 and 7"))
    d.add(Bullets(tuple(d.outcome_title(k) for k in PERSON_CENTRED)))
    pc = d.agg.get("person_centred") or {}
    lines = [_summary_line(d, k) for k in PERSON_CENTRED]
    if pc:
        lines.insert(
            0,
            f"{d.phrase(pc.get('partnerships_with_activity', 0))} reported activity "
            "towards at least one of the person-centred outcomes.",
        )
    d.add(para(" ".join(lines)))


def _summary_line(d: Draft, key: str) -> str:
    block = d.outcome(key)
    n = int(block.get("partnerships_with_activity", 0))
    line = f"{d.phrase(n)} reported activity towards outcome {key}."
    top = largest(block.get("themes") or {}, 1)
    if top and top[0][1] > 0:
        code, count = top[0]
        line += (
            f" The theme most often evidenced was {lower_first(d.theme_name(code))} "
            f"({count} of {d.N})."
        )
    return line


def introduction(d: Draft) -> None:
    d.add(Heading(1, "Introduction"))
    if d.context.introduction:
        d.add(*markdown_blocks(d.context.introduction))
    else:
        d.add(placeholder("introduction", "introduction"))
    d.add(
        para(
            "The evidence raises several talking points: areas for further discussion, "
            "locally and nationally. Each section ends with the talking points the counts "
            "suggest, with the numbers behind them."
        )
    )


def key_facts(d: Draft) -> None:
    d.add(Heading(1, "Key facts"))
    facts = d.context.key_facts
    if not facts:
        d.add(placeholder("key facts (national statistics)", "key_facts"))
        return
    if d.context.key_facts_note:
        d.add(para(clean_text(d.context.key_facts_note)))
    previous = previous_year(d.year)
    rows = tuple(
        (
            clean_text(f.label),
            number(f.value),
            number(f.previous) if f.previous is not None else "not available",
            change(f.value, f.previous),
            clean_text(f.source) or "not given",
        )
        for f in facts
    )
    d.add(
        Table(
            caption=f"Key facts for {d.year}",
            columns=(
                "Measure",
                d.year or "This year",
                previous or "Previous year",
                "Change",
                "Source",
            ),
            rows=rows,
            description=(
                f"National statistics for {d.year} with the previous year's value and "
                "the change, one measure per row."
            ),
            numeric=frozenset({1, 2, 3}),
        )
    )
