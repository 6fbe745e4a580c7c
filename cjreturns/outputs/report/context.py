"""The analysts' own material for the report: foreword, introduction, key facts, last year's
recommendations and a few choices about charts (a YAML file, e.g. examples/context-2021-22.yaml).

Everything here is optional: without a context file the draft carries clearly marked
placeholders. A context file that cannot be used is a usage problem with a clear message.
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
    label: str
    value: float
    previous: float | None = None
    source: str = ""
    code: str = ""


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
    introduction: str = ""
    key_facts_note: str = ""
    key_facts: tuple[KeyFact, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    chart_indicators: tuple[str, ...] = ()
    examples_per_theme: int = 2
    source: str = field(default="", compare=False)


_YEAR = re.compile(r"^\d{4}-\d{2}$")
_TOP_KEYS = {
    "reporting_year",
    "foreword",
    "introduction",
    "key_facts",
    "recommendations",
    "charts",
    "examples_per_theme",
}


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
            note = _text(key_facts.get("note"), f"{source}: key_facts.note")
            key_facts = key_facts.get("facts", [])
        facts = tuple(
            _key_fact(item, f"{source}: key_facts[{i}]")
            for i, item in enumerate(_list(key_facts, f"{source}: key_facts"))
        )

    recs = tuple(
        _recommendation(item, f"{source}: recommendations[{i}]")
        for i, item in enumerate(_list(raw.get("recommendations"), f"{source}: recommendations"))
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

    per_theme = raw.get("examples_per_theme", 2)
    if not isinstance(per_theme, int) or isinstance(per_theme, bool) or not 0 <= per_theme <= 10:
        raise ContextError(f"{source}: examples_per_theme must be a whole number from 0 to 10")

    return ReportContext(
        reporting_year=year,
        foreword=_text(raw.get("foreword"), f"{source}: foreword"),
        introduction=_text(raw.get("introduction"), f"{source}: introduction"),
        key_facts_note=note,
        key_facts=facts,
        recommendations=recs,
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
    unknown = sorted(set(item) - {"code", "label", "value", "previous", "source"})
    if unknown:
        raise ContextError(f"{where}: unknown key {unknown[0]!r}")
    label = _text(item.get("label"), f"{where}.label")
    if not label:
        raise ContextError(f"{where}.label is required: the measure as a reader should see it")
    value = _number(item.get("value"), f"{where}.value")
    assert value is not None
    return KeyFact(
        label=label,
        value=value,
        previous=_number(item.get("previous"), f"{where}.previous", optional=True),
        source=_text(item.get("source"), f"{where}.source"),
        code=_text(item.get("code"), f"{where}.code"),
    )


def _recommendation(item: Any, where: str) -> Recommendation:
    if not isinstance(item, dict):
        raise ContextError(f"{where} must be a mapping with id, to, text and progress")
    unknown = sorted(set(item) - {"id", "to", "text", "progress"})
    if unknown:
        raise ContextError(f"{where}: unknown key {unknown[0]!r}")
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
