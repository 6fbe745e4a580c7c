"""The front of the draft: foreword, executive summary (key findings and next steps), and the
introduction with its context sections; key facts follow governance inside the introduction,
as the national report has them."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import Heading, Paragraph, Table, para
from cjreturns.outputs.report.draft import (
    PERSON_CENTRED,
    STRUCTURAL,
    Draft,
    markdown_blocks,
    placeholder,
)
from cjreturns.outputs.report.sections.outcomes import outcome_summary, person_centred_summary
from cjreturns.outputs.report.text import clean_text, number


def foreword(d: Draft) -> None:
    d.add(Heading(1, "Foreword"))
    if d.context.foreword:
        d.add(*markdown_blocks(d.context.foreword))
    else:
        d.add(placeholder("foreword", "foreword"))
    d.insertions("Foreword", 1)


def executive_summary(d: Draft, period: str) -> None:
    expected = d.counts.coverage.expected or len(d.ref.partnerships)
    if expected == d.N:
        based = f"the annual returns of all {d.N} community justice partnerships"
    else:
        based = f"the annual returns of {d.N} of the {expected} community justice partnerships"
    d.add(
        Heading(1, "Executive summary"),
        para(
            f"This report covers the period {period}."
            if period
            else "This report covers the reporting year."
        ),
        para(
            "It describes activity leading to progress towards the national outcomes for "
            f"community justice in Scotland. It is based on {based}."
        ),
        Heading(2, "Key findings"),
    )
    if d.context.summary:
        d.add(*markdown_blocks(d.context.summary))
    else:
        d.add(placeholder("overall key findings", "summary"))
    d.add(para(_reach(d)))
    for key in STRUCTURAL:
        d.add(Paragraph(((d.outcome_title(key), True),)), para(outcome_summary(d, key, short=True)))
    d.add(
        Paragraph((("Person-centred outcomes 5, 6 and 7", True),)),
        para(person_centred_summary(d)),
    )
    d.insertions("Executive summary", 1)
    d.add(Heading(2, "Next steps"))
    if d.context.next_steps:
        d.add(*markdown_blocks(d.context.next_steps))
    else:
        d.add(placeholder("next steps", "next_steps"))
    d.insertions("Next steps", 2)


def _reach(d: Draft) -> str:
    """Whether every partnership reported activity towards the outcomes, and if not who."""
    keys = (*STRUCTURAL, *PERSON_CENTRED)
    nowhere = set.intersection(
        *(set(d.counts.outcome(k).partnerships_without_activity) for k in keys)
    )
    if not d.N:
        return "No return was counted, so the draft cannot describe any activity yet."
    if not nowhere:
        every = [k for k in keys if d.counts.outcome(k).partnerships_with_activity == d.N]
        if len(every) == len(keys):
            return "Every partnership described activity towards every one of the outcomes."
        return (
            "Every partnership described activity aimed at progress towards the national "
            f"outcomes; {_count_words(len(every))} of the seven outcomes had activity reported "
            "by all of them."
        )
    return (
        f"{len(nowhere)} of the {d.N} partnerships counted reported no activity towards any "
        f"outcome ({', '.join(sorted(nowhere))})."
    )


def _count_words(n: int) -> str:
    from cjreturns.outputs.report.text import in_words

    return in_words(n)


def introduction(d: Draft) -> None:
    d.add(Heading(1, "Introduction"))
    if d.context.introduction:
        d.add(*markdown_blocks(d.context.introduction))
    else:
        d.add(placeholder("introduction", "introduction"))
    d.add(
        Heading(2, "Recommendations and talking points"),
        para(
            "Appendix A gives each of last year's recommendations with an account of progress "
            "and what partnerships said about it in their returns."
        ),
        para(
            "The evidence raises several talking points: areas for further discussion, locally "
            "and nationally. Each section ends with its talking points and the questions they "
            "raise. A talking point's numbers are those of its section, unless it says that it "
            "counts across all outcomes."
        ),
    )
    d.insertions("Introduction", 1)


def key_facts(d: Draft, level: int = 2) -> None:
    d.add(Heading(level, "Key facts"))
    facts = d.context.key_facts
    if not facts:
        d.add(placeholder("key facts (national statistics)", "key_facts"))
        d.insertions("Key facts", level)
        return
    if d.context.key_facts_note:
        d.add(para(clean_text(d.context.key_facts_note)))
    rows = []
    for f in facts:
        change = f.change_percent()
        rows.append(
            (
                clean_text(f.label),
                number(f.value),
                "not given" if change is None else f"{change:+d}%",
                _compared(f.compared_with, f.previous),
                clean_text(f.source) or "not given",
            )
        )
    d.add(
        Table(
            caption=f"Key facts for {d.year}",
            label="Table K1",
            columns=("Measure", d.year or "This year", "Change", "Compared with", "Source"),
            rows=tuple(rows),
            description=(
                f"National statistics for {d.year}, each with its change on the year it is "
                "compared with, as its source publishes it, one measure per row."
            ),
            numeric=frozenset({1, 2}),
        )
    )
    d.insertions("Key facts", level)


def _compared(year: str, previous: float | None) -> str:
    if not year:
        return "no comparison given"
    return f"{clean_text(year)} ({number(previous)})" if previous is not None else clean_text(year)
