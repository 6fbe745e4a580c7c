"""The state a draft is written in (inputs, blocks, figures) and the helpers every section
of the report shares: count phrases, talking points, small formatting rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from cjreturns.contract.reference import Reference
from cjreturns.core.calendar import parse_year
from cjreturns.core.calendar import previous_year as calendar_previous_year
from cjreturns.outputs.report.blocks import (
    Block,
    Bullets,
    Chart,
    Figure,
    Paragraph,
    Report,
    para,
)
from cjreturns.outputs.report.context import ReportContext
from cjreturns.outputs.report.examples import Examples
from cjreturns.outputs.report.text import (
    clean_text,
    count_phrase,
    number,
    plural,
)

TITLE = "Community Justice Outcome Activity Annual Report"
SUBJECT = "Progress towards the national outcomes for community justice in Scotland"
STRUCTURAL = ("1", "2", "3", "4")
PERSON_CENTRED = ("5", "6", "7")
RATED_WELL = (4, 5, 6)  # good, very good, excellent on the Care Inspectorate scale
KEY_FINDINGS = "key-findings"
MAX_THEME_FINDINGS = 3
INDICATOR_CHARTS = 2
MIN_RATES_FOR_CHART = 3


def placeholder(what: str, key: str) -> Paragraph:
    """A clearly marked gap for the analysts to fill, in the Draft Marking style."""
    return para(
        f"Placeholder: add the {what} here, or as `{key}:` in the context file "
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
    """The draft being written: its inputs, the blocks so far and the helpers every section uses."""

    def __init__(
        self,
        aggregate: Mapping[str, Any],
        returns: Mapping[str, Mapping[str, Any]],
        context: ReportContext,
        *,
        generated_on: dt.date,
        reference: Reference,
    ) -> None:
        self.agg = aggregate
        self.ref = reference
        self.context = context
        self.examples = Examples(returns)
        self.generated_on = generated_on
        self.year = str(aggregate.get("reporting_year") or context.reporting_year or "")
        self.N = counted(aggregate)
        self.figures: list[Figure] = []
        self.report = Report(
            title=f"{TITLE} {self.year}".strip(),
            subject=SUBJECT,
            reporting_year=self.year,
        )

    # helpers ---------------------------------------------------------------------------------

    # helpers ---------------------------------------------------------------------------------

    def add(self, *blocks: Block) -> None:
        self.report.add(*blocks)

    def phrase(self, n: int, *, capital: bool = True) -> str:
        return count_phrase(int(n), self.N, self.ref, capital=capital)

    def outcome(self, key: str) -> Mapping[str, Any]:
        return (self.agg.get("outcomes") or {}).get(key) or {}

    def outcome_title(self, key: str) -> str:
        return f"Outcome {key}: {self.ref.outcomes[int(key)]['text']}"

    def theme_name(self, code: str) -> str:
        return self.ref.label("themes", code)

    def figure(self, chart: Chart, caption: str, alt: str) -> Figure:
        fig = Figure(len(self.figures) + 1, chart, caption, alt)
        self.figures.append(fig)
        self.add(fig)
        return fig

    def talking_points(self, predicate: Callable[[Mapping[str, Any]], bool]) -> list[Any]:
        return [tp for tp in self.agg.get("talking_points") or [] if predicate(tp)]

    def render_talking_points(self, points: list[dict[str, Any]], *, none_text: str) -> None:
        if not points:
            self.add(para(none_text))
            return
        for tp in points:
            self.add(para(clean_text(tp.get("text", ""))))
            evidence = self.evidence_text(tp.get("evidence"))
            if evidence:
                self.add(para(evidence, lead="Evidence: "))
            prompts = [clean_text(p) for p in tp.get("prompts") or [] if isinstance(p, str)]
            if prompts:
                self.add(para("Questions for discussion:"), Bullets(tuple(prompts)))

    def evidence_text(self, evidence: Any) -> str:
        """A talking point's numbers as a reader sees them: labels, not codes."""
        if not isinstance(evidence, Mapping):
            return plain_evidence(evidence)
        vocabularies = {
            "theme": "themes",
            "challenge": "challenges",
            "indicator": "indicators",
            "development": "partnership_development",
        }
        parts = []
        for key, value in evidence.items():
            name = _EVIDENCE_NAMES.get(str(key), str(key).replace("_", " "))
            if key in vocabularies and isinstance(value, str):
                text = self.ref.label(vocabularies[key], value)
            elif key == "partner" and isinstance(value, str):
                text = self.ref.statutory_partners.get(value, value)
            else:
                text = plain_evidence(value)
            parts.append(f"{name}: {text}")
        return "; ".join(parts)

    # sections --------------------------------------------------------------------------------

    def coverage_counts(self) -> Mapping[str, Any]:
        return self.agg.get("coverage") or {}


def count_of(value: Any) -> int:
    """A coverage entry as a number: a count, or a list of who."""
    if isinstance(value, list | tuple | dict):
        return len(value)
    return int(value or 0)


def counted(aggregate: Mapping[str, Any]) -> int:
    if "partnerships_counted" in aggregate:
        return int(aggregate["partnerships_counted"])
    return count_of((aggregate.get("coverage") or {}).get("accepted", 0))


def who(value: Any) -> str:
    if not isinstance(value, list | tuple):
        return ""
    names = []
    for item in value:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = item.get("partnership") or "partnership not recognised"
            detail = item.get("file") or ", ".join(item.get("files") or [])
            errors = item.get("errors")
            if isinstance(errors, list):
                detail += f"; {plural(len(errors), 'error')}"
            if item.get("submitted_on") and "file" not in item:
                detail = f"submitted {item['submitted_on']}"
            names.append(f"{name} ({detail})" if detail else str(name))
    return "; ".join(clean_text(n) for n in names)


def largest(counts: Mapping[str, Any], k: int) -> list[tuple[str, int]]:
    """The k largest counts, ties in the mapping's own (reference) order."""
    order = list(counts)
    items = sorted(
        ((str(c), int(n)) for c, n in counts.items()), key=lambda cn: (-cn[1], order.index(cn[0]))
    )
    return items[:k]


def section_of(tp: Mapping[str, Any]) -> str:
    """Where a talking point belongs: an outcome's section, or the section its scope is about."""
    scope = str(tp.get("scope") or "")
    outcome = tp.get("outcome")
    if scope == "person_centred":
        return "person_centred"
    if outcome is not None and str(outcome) in (*STRUCTURAL, *PERSON_CENTRED):
        return str(outcome)
    if scope == "challenge" or "challenge" in str(tp.get("id", "")):
        return "challenges"
    if scope in ("coverage", "indicator"):
        return scope
    return "governance"


_EVIDENCE_NAMES = {"N": "partnerships counted", "n": "partnerships"}


def plain_evidence(evidence: Any) -> str:
    if evidence is None or evidence == {} or evidence == []:
        return ""
    if isinstance(evidence, Mapping):
        return "; ".join(
            f"{str(k).replace('_', ' ')}: {plain_evidence(v)}" for k, v in evidence.items()
        )
    if isinstance(evidence, list | tuple):
        return ", ".join(plain_evidence(v) for v in evidence)
    if isinstance(evidence, bool):
        return "yes" if evidence else "no"
    if isinstance(evidence, int | float):
        return number(evidence)
    return clean_text(evidence)


def scale_label(reference: Reference, value: int) -> str:
    return reference.self_evaluation[value].replace("_", " ").capitalize()


def maybe(value: Any) -> str:
    """A statistic, or [x] (not available) as the Analysis Function tables style has it."""
    return "[x]" if value is None else number(value)


def change(value: float, previous: float | None) -> str:
    if previous is None:
        return "not available"
    diff = value - previous
    sign = "+" if diff > 0 else ""
    text = f"{sign}{number(diff)}"
    if previous:
        pct = round(diff / previous * 100)
        text += f" ({'+' if pct > 0 else ''}{pct}%)"
    return text


def previous_year(year: str) -> str:
    """ "2021-22" -> "2020-21" ("" if `year` is not a reporting year)."""
    return calendar_previous_year(year) or ""


def period(year: str, reference: Reference) -> str:
    """ "1 April 2021 to 31 March 2022" ("" if `year` is not a reporting year)."""
    if parse_year(year) is None:
        return ""
    return reference.calendar.period_text(year)
