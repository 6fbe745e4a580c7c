"""The reference data (schemas/reference.yaml): outcomes, partnerships, codes and quantifiers.

Everything that names a code reads it from here, so the schema, the rules, the workbook and the
report can never disagree about vocabularies.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from cjreturns.core.calendar import ReportingCalendar
from cjreturns.core.resources import schema_path
from cjreturns.readers.layout_model import humanise

_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_CONDITION = re.compile(r"^\s*(n|n\s*/\s*N)\s*(==|!=|>=|<=|>|<)\s*(N|\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Quantifier:
    """One row of the quantifier table: a condition on n (with feature) and N (counted)."""

    when: str
    word: str

    def matches(self, n: int, total: int) -> bool:
        m = _CONDITION.match(self.when)
        if m is None:  # pragma: no cover - rejected when the reference loads
            raise ValueError(f"unsupported quantifier condition {self.when!r}")
        lhs_text, op, rhs_text = m.groups()
        lhs: float = n if lhs_text == "n" else (n / total if total else 0.0)
        rhs: float = total if rhs_text == "N" else float(rhs_text)
        return bool(_OPS[op](lhs, rhs))


@dataclass(frozen=True)
class Partnership:
    id: str
    name: str
    local_authorities: tuple[str, ...]
    aliases: tuple[str, ...]
    population: int


@dataclass(frozen=True)
class Reference:
    """Parsed reference data with the look-ups the rest of the package needs."""

    raw: dict[str, Any]
    outcomes: dict[int, dict[str, Any]]
    partnerships: tuple[Partnership, ...]
    themes: dict[str, dict[str, Any]]
    statutory_partners: dict[str, str]
    participation_levels: tuple[str, ...]
    development: dict[str, str]
    challenges: dict[str, str]
    indicators: dict[str, dict[str, Any]]
    priority_actions: dict[int, str]
    self_evaluation: dict[int, str]
    activity_status: tuple[str, ...]
    recommendation_status: tuple[str, ...]
    quantifiers: tuple[Quantifier, ...]
    calendar: ReportingCalendar
    _names: dict[str, Partnership] = field(repr=False, default_factory=dict)
    _aliases: dict[str, Partnership] = field(repr=False, default_factory=dict)

    def partnership(self, name: str) -> Partnership | None:
        """The partnership with this exact reference name."""
        return self._names.get(name)

    def resolve_partnership(self, name: str) -> tuple[Partnership | None, bool]:
        """Find a partnership by name or alias; the flag says whether an alias was used.

        Matching of aliases ignores case and spacing, since that is how people type them.
        """
        exact = self._names.get(name)
        if exact is not None:
            return exact, False
        found = self._aliases.get(_fold(name))
        return found, found is not None

    def return_year_on(self, day: dt.date) -> str:
        """The reporting year whose return partnerships are preparing on `day`, as "2025-26".

        Until a year's returns are due it is the year that has ended; from then on, the year
        in progress (see `ReportingCalendar.return_year_on`).
        """
        return self.calendar.return_year_on(day)

    def quantifier(self, n: int, total: int) -> str:
        """The word national reports use for n of total partnerships ("most", "a few" ...)."""
        for q in self.quantifiers:
            if q.matches(n, total):
                return q.word
        return "no"

    def vocabulary(self, name: str) -> dict[Any, str]:
        """Each code of a vocabulary with its readable label, in the reference's order: the one
        place labels come from (the workbook's drop-downs, the report, `cjreturns codes`)."""
        return _vocabulary(self, name)

    def label(self, vocabulary: str, code: Any) -> str:
        """A readable label for a code, falling back to the code itself."""
        return str(self.vocabulary(vocabulary).get(code, code))


def _vocabulary(ref: Reference, name: str) -> dict[Any, str]:
    tables: dict[str, Any] = {
        "themes": lambda: {k: v["name"] for k, v in ref.themes.items()},
        "statutory_partners": lambda: dict(ref.statutory_partners),
        "partnership_development": lambda: dict(ref.development),
        "challenges": lambda: dict(ref.challenges),
        "indicators": lambda: {k: v["name"] for k, v in ref.indicators.items()},
        "priority_actions": lambda: dict(ref.priority_actions),
        "self_evaluation": lambda: {k: humanise(v) for k, v in ref.self_evaluation.items()},
        "activity_status": lambda: {c: humanise(c) for c in ref.activity_status},
        "recommendation_status": lambda: {c: humanise(c) for c in ref.recommendation_status},
        "participation_levels": lambda: {c: humanise(c) for c in ref.participation_levels},
        # the schema's name for the same list
        "partner_participation_levels": lambda: {c: humanise(c) for c in ref.participation_levels},
        "partnerships": lambda: {p.name: p.name for p in ref.partnerships},
    }
    if name not in tables:
        raise KeyError(f"no vocabulary {name!r}; known: {', '.join(sorted(tables))}")
    table: dict[Any, str] = tables[name]()
    return table


def _fold(text: str) -> str:
    return " ".join(text.replace("&", "and").casefold().split())


@cache
def load_reference() -> Reference:
    """Load and index the project's copy of the reference data (cached: it never changes)."""
    with schema_path("reference.yaml").open(encoding="utf-8") as fh:
        # libyaml's loader where PyYAML has it; the pure one where it has not (the check page)
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return build_reference(raw)


def build_reference(raw: dict[str, Any]) -> Reference:
    populations = {la["code"]: int(la["population"]) for la in raw["local_authorities"]}
    partnerships = tuple(
        Partnership(
            id=str(p["id"]),
            name=p["name"],
            local_authorities=tuple(p["local_authorities"]),
            aliases=tuple(p.get("aliases", ())),
            population=sum(populations[c] for c in p["local_authorities"]),
        )
        for p in raw["partnerships"]
    )
    names = {p.name: p for p in partnerships}
    aliases: dict[str, Partnership] = {}
    for p in partnerships:
        forms = list(p.aliases) + [pat.format(name=p.name) for pat in raw.get("alias_patterns", [])]
        forms.append(p.name)  # the name itself in another case or spacing
        for form in forms:
            aliases.setdefault(_fold(form), p)
    quantifiers = tuple(Quantifier(q["when"], q["word"]) for q in raw["quantifiers"])
    for q in quantifiers:
        if not _CONDITION.match(q.when):
            raise ValueError(f"reference.yaml: unsupported quantifier condition {q.when!r}")
    strategy = raw["strategy_2022"]
    return Reference(
        raw=raw,
        outcomes={int(o["id"]): o for o in raw["national_outcomes"]},
        partnerships=partnerships,
        themes={t["code"]: t for t in raw["themes"]},
        statutory_partners={p["code"]: p["name"] for p in raw["statutory_partners"]},
        participation_levels=tuple(raw["partner_participation_levels"]),
        development={d["code"]: d["name"] for d in raw["partnership_development"]},
        challenges={c["code"]: c["name"] for c in raw["challenges"]},
        indicators={i["code"]: i for i in raw["indicators"]},
        priority_actions={int(a["id"]): a["short"] for a in strategy["priority_actions"]},
        self_evaluation={int(s["value"]): s["label"] for s in raw["self_evaluation_scale"]},
        activity_status=tuple(raw["activity_status"]),
        recommendation_status=tuple(raw["recommendation_status"]),
        quantifiers=quantifiers,
        calendar=ReportingCalendar.from_reference(raw["reporting_calendar"]),
        _names=names,
        _aliases=aliases,
    )
