"""The analysts' own material for the report: every section the returns cannot give (foreword,
overall key findings, next steps, introduction and its context sections, key facts, last year's
recommendations and progress, paragraphs to insert after a named section) and a few choices
about charts (a YAML file, e.g. examples/context-2021-22.yaml).

Because all of it lives here, the draft can be built again after a late return without losing
the analysts' work. Everything is optional: without a context file the draft carries clearly
marked placeholders. A context file that cannot be used is a usage problem with a clear message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cjreturns.core.errors import UsageError


class ContextError(UsageError):
    """The context file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class KeyFact:
    """A national statistic. `change` is the percentage change as the source publishes it
    (worked out from unrounded figures); without it the draft works it out from `previous`."""

    label: str
    value: float
    previous: float | None = None
    source: str = ""
    code: str = ""
    compared_with: str = ""  # the year the change is measured from, e.g. "2019-20"
    change: float | None = None

    def change_percent(self) -> int | None:
        if self.change is not None:
            return round(self.change)
        if self.previous:
            return round((self.value - self.previous) / self.previous * 100)
        return None


@dataclass(frozen=True)
class Section:
    """Analysts' text placed in the draft: under a heading `title` (a subsection of the named
    section) or, without a title, as paragraphs at the end of the named section."""

    after: str
    text: str
    title: str = ""
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    to: str
    text: str
    progress: str = ""


@dataclass(frozen=True)
class ReportContext:
    """What the analysts add to the counts. Text fields hold Markdown paragraphs."""

    reporting_year: str | None = None
    foreword: str = ""
    summary: str = ""  # the executive summary's overall key findings
    next_steps: str = ""
    introduction: str = ""
    key_facts_note: str = ""
    key_facts: tuple[KeyFact, ...] = ()
    recommendations_note: str = ""
    recommendations: tuple[Recommendation, ...] = ()
    sections: tuple[Section, ...] = ()
    chart_indicators: tuple[str, ...] = ()
    examples_per_theme: int = 1
    source: str = field(default="", compare=False)

    def sections_after(self, name: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.after.casefold() == name.casefold())


# The sections analysts' text can follow (`sections[].after`), as the draft's headings name them.
SECTION_NAMES = (
    "Foreword",
    "Executive summary",
    "Next steps",
    "Introduction",
    "Governance",
    "Key facts",
    *(f"Outcome {k}" for k in range(1, 5)),
    "Person-centred outcomes",
    "Local indicators",
    "Gaps and challenges",
)


_YEAR = re.compile(r"^\d{4}-\d{2}$")
_TOP_KEYS = {
    "reporting_year",
    "foreword",
    "summary",
    "next_steps",
    "introduction",
    "sections",
    "key_facts",
    "recommendations",
    "charts",
    "examples_per_theme",
}
_FACT_KEYS = {"code", "label", "value", "previous", "compared_with", "change", "source"}
_SECTION_KEYS = {"after", "title", "text", "sections"}


def load_context(path: Path) -> ReportContext:
    """Read and check a context file; raise ContextError naming the problem and its place."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContextError(f"context file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContextError(f"context file {path} cannot be read: {exc}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ContextError(f"context file {path} is not valid YAML{where}: {problem}") from exc
    if raw is None:
        raw = {}
    return parse_context(raw, source=str(path))


def parse_context(raw: Any, *, source: str = "context") -> ReportContext:
    """Check a context mapping (already parsed) and build a ReportContext."""
    if not isinstance(raw, dict):
        raise ContextError(f"{source}: expected a mapping of keys such as foreword, key_facts")
    unknown = sorted(str(k) for k in raw if k not in _TOP_KEYS)
    if unknown:
        known = ", ".join(sorted(_TOP_KEYS))
        raise ContextError(f"{source}: unknown key {unknown[0]!r} (known keys: {known})")

    year = raw.get("reporting_year")
    if year is not None and not (isinstance(year, str) and _YEAR.match(year)):
        raise ContextError(f'{source}: reporting_year must be a year like "2021-22" in quotes')

    note = ""
    facts: tuple[KeyFact, ...] = ()
    key_facts = raw.get("key_facts")
    if key_facts is not None:
        if isinstance(key_facts, dict):
            _known(key_facts, {"note", "facts"}, f"{source}: key_facts")
            note = _text(key_facts.get("note"), f"{source}: key_facts.note")
            key_facts = key_facts.get("facts", [])
        facts = tuple(
            _key_fact(item, f"{source}: key_facts[{i}]")
            for i, item in enumerate(_list(key_facts, f"{source}: key_facts"))
        )

    rec_note = ""
    recommendations = raw.get("recommendations")
    if isinstance(recommendations, dict):
        _known(recommendations, {"note", "items"}, f"{source}: recommendations")
        rec_note = _text(recommendations.get("note"), f"{source}: recommendations.note")
        recommendations = recommendations.get("items", [])
    recs = tuple(
        _recommendation(item, f"{source}: recommendations[{i}]")
        for i, item in enumerate(_list(recommendations, f"{source}: recommendations"))
    )
    sections = tuple(
        _section(item, f"{source}: sections[{i}]", top=True)
        for i, item in enumerate(_list(raw.get("sections"), f"{source}: sections"))
    )

    charts = raw.get("charts") or {}
    if not isinstance(charts, dict):
        raise ContextError(f"{source}: charts must be a mapping, e.g. {{indicators: [...]}}")
    where = f"{source}: charts.indicators"
    indicators = tuple(
        _text(code, f"{where}[{i}]")
        for i, code in enumerate(_list(charts.get("indicators"), where))
    )
    _check_codes(indicators, source)

    per_theme = raw.get("examples_per_theme", 1)
    if not isinstance(per_theme, int) or isinstance(per_theme, bool) or not 0 <= per_theme <= 10:
        raise ContextError(f"{source}: examples_per_theme must be a whole number from 0 to 10")

    return ReportContext(
        reporting_year=year,
        foreword=_text(raw.get("foreword"), f"{source}: foreword"),
        summary=_text(raw.get("summary"), f"{source}: summary"),
        next_steps=_text(raw.get("next_steps"), f"{source}: next_steps"),
        introduction=_text(raw.get("introduction"), f"{source}: introduction"),
        key_facts_note=note,
        key_facts=facts,
        recommendations_note=rec_note,
        recommendations=recs,
        sections=sections,
        chart_indicators=indicators,
        examples_per_theme=per_theme,
        source=source,
    )


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContextError(f"{where} must be a list")
    return value


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ContextError(f"{where} must be text")
    return value.strip()


def _number(value: Any, where: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ContextError(f"{where} must be a number" + (" or null" if optional else ""))
    return value


def _key_fact(item: Any, where: str) -> KeyFact:
    if not isinstance(item, dict):
        raise ContextError(f"{where} must be a mapping with label, value, previous and source")
    _known(item, _FACT_KEYS, where)
    label = _text(item.get("label"), f"{where}.label")
    if not label:
        raise ContextError(f"{where}.label is required: the measure as a reader should see it")
    value = _number(item.get("value"), f"{where}.value")
    assert value is not None
    previous = _number(item.get("previous"), f"{where}.previous", optional=True)
    change = _number(item.get("change"), f"{where}.change", optional=True)
    compared = item.get("compared_with")
    if compared is not None and not isinstance(compared, str):
        raise ContextError(f'{where}.compared_with must be text in quotes, e.g. "2019-20"')
    compared = (compared or "").strip()
    if (previous is not None or change is not None) and not compared:
        raise ContextError(
            f"{where}.compared_with is required with previous or change: the year the change "
            'is measured from, e.g. "2020-21"'
        )
    if change is not None and previous:
        worked_out = (value - previous) / previous * 100
        if abs(worked_out - change) > CHANGE_TOLERANCE:
            raise ContextError(
                f"{where}: change {change:g}% does not agree with value {value:g} and previous "
                f"{previous:g} ({worked_out:+.0f}%); check both against the source"
            )
    return KeyFact(
        label=label,
        value=value,
        previous=previous,
        source=_text(item.get("source"), f"{where}.source"),
        code=_text(item.get("code"), f"{where}.code"),
        compared_with=compared,
        change=change,
    )


# Published changes are worked out from unrounded figures, and the figures printed beside them
# are rounded (570 and 470 bail cases: 21%, published as 20%); a bigger gap is a typing slip.
CHANGE_TOLERANCE = 2.0


def _known(item: dict[Any, Any], keys: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in item if k not in keys)
    if unknown:
        raise ContextError(
            f"{where}: unknown key {unknown[0]!r} (known keys: {', '.join(sorted(keys))})"
        )


def _section(item: Any, where: str, *, top: bool) -> Section:
    if not isinstance(item, dict):
        raise ContextError(f"{where} must be a mapping with after, title and text")
    _known(item, _SECTION_KEYS if top else _SECTION_KEYS - {"after"}, where)
    after = _text(item.get("after"), f"{where}.after") if top else ""
    if top:
        names = {n.casefold(): n for n in SECTION_NAMES}
        if after.casefold() not in names:
            raise ContextError(
                f"{where}.after must name a section of the draft, one of: "
                + ", ".join(SECTION_NAMES)
            )
        after = names[after.casefold()]
    title = _text(item.get("title"), f"{where}.title")
    text = _text(item.get("text"), f"{where}.text")
    subsections = tuple(
        _section(sub, f"{where}.sections[{i}]", top=False)
        for i, sub in enumerate(_list(item.get("sections"), f"{where}.sections"))
    )
    if subsections and not title:
        raise ContextError(f"{where}.title is required when it has its own sections")
    if not (text or subsections):
        raise ContextError(f"{where}.text is required")
    return Section(after=after, text=text, title=title, sections=subsections)


def _recommendation(item: Any, where: str) -> Recommendation:
    if not isinstance(item, dict):
        raise ContextError(f"{where} must be a mapping with id, to, text and progress")
    _known(item, {"id", "to", "text", "progress"}, where)
    rec_id = item.get("id")
    if not isinstance(rec_id, str | int) or isinstance(rec_id, bool) or str(rec_id).strip() == "":
        raise ContextError(f"{where}.id is required (e.g. R2)")
    text = _text(item.get("text"), f"{where}.text")
    if not text:
        raise ContextError(f"{where}.text is required: the recommendation as it was made")
    return Recommendation(
        id=str(rec_id).strip(),
        to=_text(item.get("to"), f"{where}.to"),
        text=text,
        progress=_text(item.get("progress"), f"{where}.progress"),
    )


def _check_codes(indicators: tuple[str, ...], source: str) -> None:
    from cjreturns.contract.reference import load_reference

    known = load_reference().indicators
    for code in indicators:
        if code not in known:
            raise ContextError(
                f"{source}: charts.indicators names {code!r}, which is not an indicator code "
                "(see `cjreturns codes`)"
            )
