"""The state a draft is written in (typed counts, returns, context, blocks so far, figures) and
what every section of the report shares: count phrases, talking points, the analysts' inserted
sections and small formatting rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from cjreturns.aggregation.results import NationalCounts
from cjreturns.aggregation.talking_points import TalkingPoint
from cjreturns.contract.reference import Reference
from cjreturns.core.calendar import parse_year
from cjreturns.outputs.report.blocks import (
    Block,
    Bullets,
    Chart,
    Figure,
    Heading,
    Paragraph,
    Report,
    para,
)
from cjreturns.outputs.report.context import ReportContext
from cjreturns.outputs.report.examples import Examples
from cjreturns.outputs.report.text import clean_text, count_phrase

TITLE = "Community Justice Outcome Activity Annual Report"
SUBJECT = "Progress towards the national outcomes for community justice in Scotland"
STRUCTURAL = ("1", "2", "3", "4")
PERSON_CENTRED = ("5", "6", "7")
KEY_FINDINGS = "key-findings"
INDICATOR_CHARTS = 2
MIN_RATES_FOR_CHART = 5  # fewer partnerships than this make no distribution worth drawing


def placeholder(what: str, key: str) -> Paragraph:
    """A clearly marked gap for the analysts to fill, in the Draft Marking style."""
    return para(
        f"Placeholder: add the {what} here, or write it under “{key}” in the context file "
        "(see examples/context-2021-22.yaml) and build the draft again.",
        style="draft",
    )


def markdown_blocks(text: str) -> list[Block]:
    """The analysts' Markdown, kept simple: blank-line paragraphs, "- " bullet lists, **bold**."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("- ", "* ") for line in lines):
            blocks.append(Bullets(tuple(clean_text(line[2:]) for line in lines)))
        else:
            joined = clean_text(" ".join(line.lstrip("#").strip() for line in lines))
            blocks.append(Paragraph(tuple(_bold_runs(joined))))
    return blocks


def _bold_runs(text: str) -> Iterator[tuple[str, bool]]:
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unmatched ** is literal text
        yield text, False
        return
    for i, part in enumerate(parts):
        if part:
            yield part, i % 2 == 1


class Draft:
    """The draft being written: its inputs, the blocks so far and the helpers sections share."""

    def __init__(
        self,
        aggregate: Mapping[str, Any] | NationalCounts,
        returns: Mapping[str, Mapping[str, Any]],
        context: ReportContext,
        *,
        generated_on: dt.date,
        reference: Reference,
    ) -> None:
        self.counts = (
            aggregate
            if isinstance(aggregate, NationalCounts)
            else NationalCounts.from_json(aggregate, expected=len(reference.partnerships))
        )
        self.ref = reference
        self.context = context
        self.returns = {name: returns[name] for name in sorted(returns)}
        self.examples = Examples(returns)
        self.generated_on = generated_on
        self.year = self.counts.reporting_year or context.reporting_year or ""
        self.N = self.counts.partnerships_counted
        self.figures: list[Figure] = []
        self._asked: dict[str, str] = {}  # talking-point rule -> where its questions were asked
        self.report = Report(
            title=f"{TITLE} {self.year}".strip(),
            subject=SUBJECT,
            reporting_year=self.year,
        )

    def add(self, *blocks: Block) -> None:
        self.report.add(*blocks)

    def phrase(self, n: int, *, capital: bool = True) -> str:
        return count_phrase(int(n), self.N, self.ref, capital=capital)

    def word(self, n: int) -> str:
        """The quantifier alone: "most", "a few" ..."""
        return self.ref.quantifier(n, self.N) if self.N else "no"

    def outcome_title(self, key: str) -> str:
        return f"Outcome {key}: {self.ref.outcomes[int(key)]['text']}"

    def theme_name(self, code: str) -> str:
        return self.ref.label("themes", code)

    def figure(self, chart: Chart, caption: str, alt: str) -> Figure:
        fig = Figure(len(self.figures) + 1, chart, caption, alt)
        self.figures.append(fig)
        self.add(fig)
        return fig

    def talking_points(self, *sections: str) -> list[TalkingPoint]:
        return [tp for tp in self.counts.talking_points if section_of(tp) in sections]

    def write_talking_points(
        self, points: list[TalkingPoint], *, none_text: str, where: str = ""
    ) -> None:
        """Each rule's points under its title, its questions asked once in the whole draft:
        where the same rule fires again, the draft points back to where they were asked."""
        if not points:
            self.add(para(none_text))
            return
        groups: dict[str, list[TalkingPoint]] = {}
        for tp in points:
            groups.setdefault(tp.id, []).append(tp)
        for rule, group in groups.items():
            title = clean_text(group[0].title or "Talking point")
            texts = [clean_text(tp.text) for tp in group]
            if len(texts) == 1:
                self.add(para(texts[0], lead=f"{title}. "))
            else:
                self.add(Paragraph(((title, True),)), Bullets(tuple(texts)))
            prompts = tuple(clean_text(p) for p in group[0].prompts)
            asked = self._asked.get(rule)
            if asked is not None and prompts:
                self.add(para(f"To discuss: the questions asked under {asked}."))
            elif len(prompts) == 1:
                self.add(para(prompts[0], lead="To discuss: "))
            elif prompts:
                self.add(para("Questions to discuss:"), Bullets(prompts))
            if where:
                self._asked.setdefault(rule, where)

    def insertions(self, name: str, level: int) -> None:
        """The analysts' sections that follow the named one (context `sections`)."""
        for section in self.context.sections_after(name):
            if section.title:
                self.add(Heading(level + 1, clean_text(section.title)))
            self.add(*markdown_blocks(section.text))
            for sub in section.sections:
                self.add(Heading(level + 2, clean_text(sub.title)), *markdown_blocks(sub.text))


def largest(counts: Mapping[str, int], k: int) -> list[tuple[str, int]]:
    """The k largest counts, ties in the mapping's own (reference) order."""
    order = list(counts)
    items = sorted(counts.items(), key=lambda cn: (-cn[1], order.index(cn[0])))
    return items[:k]


def section_of(tp: TalkingPoint) -> str:
    """The section a talking point sits in: an outcome's, or the one its scope is about."""
    if tp.scope == "person_centred":
        return "person_centred"
    if tp.scope in ("partner", "development"):
        return "governance"
    if tp.scope in ("coverage", "indicator"):
        return tp.scope
    if tp.scope == "challenge" or "challenge" in tp.id:
        return "challenges"
    if tp.outcome is not None and tp.outcome in (*STRUCTURAL, *PERSON_CENTRED):
        return tp.outcome
    return "governance"


def scale_label(reference: Reference, value: int) -> str:
    return reference.self_evaluation[value].replace("_", " ").capitalize()


def period(year: str, reference: Reference) -> str:
    """ "1 April 2021 to 31 March 2022" ("" if `year` is not a reporting year)."""
    if parse_year(year) is None:
        return ""
    return reference.calendar.period_text(year)


def number_headings(report: Report) -> None:
    """Number every heading as the national report does (1, 2.1, 4.5.2), and appendices by
    their letter (A.1, B.2.1). Only the contents heading has no number."""
    counters = [0, 0, 0, 0]
    letter = ""
    for i, block in enumerate(report.blocks):
        if not isinstance(block, Heading) or block.text == "Contents":
            continue
        level = block.level
        if level == 1 and block.text.startswith("Appendix "):
            letter = block.text.split()[1].rstrip(":")
            counters = [0, 0, 0, 0]
            continue
        counters[level - 1] += 1
        counters[level:] = [0] * (len(counters) - level)
        parts = [str(c) for c in counters[:level]]
        if letter:
            parts = [letter, *parts[1:]] if level > 1 else parts
        numbered = ".".join(parts)
        report.blocks[i] = Heading(level, f"{numbered} {block.text}")
