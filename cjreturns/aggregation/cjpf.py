"""National counts for a collection under the 2023 Community Justice Performance Framework.

The same discipline as the 2016 counts (counts.py): a count is of distinct partnerships unless
its name says otherwise, and beside each sits its quantifier word (`K_word`, `K_words`). Per
priority action: partnerships with activity, activities by status, themes, self-evaluation;
per aim the same over its priority actions; the CJPF outcomes' measures with totals,
partnerships reporting and rates per 10,000 people (computed exactly as the 2016 indicators
are); statutory partners, development work and challenges as in 2016 (the sections are the
same). Coverage (accepted, late, superseded ...) is the 2016 collection logic unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjreturns.aggregation.cjpf_results import CJPFCounts
from cjreturns.aggregation.counts import (
    AggregationSettings,
    Words,
    _with_words,
    indicator_counts,
    participation_counts,
)
from cjreturns.aggregation.pipeline import NationalAggregate, collect
from cjreturns.aggregation.tables import build_tables
from cjreturns.contract.frameworks import CJPF, CJPF_2023, load_cjpf
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.findings import CollectionResult

if TYPE_CHECKING:
    import pandas as pd


# Table name -> columns: codes, numbers and statuses only, never narrative or personal data.
COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": ("partnership", "aim", "priority_action", "activity", "status"),
    "themes": ("partnership", "priority_action", "activity", "theme"),
    "also_priority_actions": ("partnership", "priority_action", "activity", "also"),
    "self_evaluation": ("partnership", "priority_action", "self_evaluation"),
    "no_activity": ("partnership", "priority_action"),
    "measures": ("partnership", "outcome", "measure", "value", "population", "rate_per_10000"),
    "outcome_narrative": ("partnership", "outcome"),
    "case_studies": ("partnership", "priority_action", "case_study"),
    "challenges": ("partnership", "where", "challenge"),
    "improvement_tool": ("partnership", "used"),
}
LOCAL = "local"


def _items(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


def _sections(doc: Mapping[str, Any], key: str, known: Sequence[int]) -> Iterator[tuple[str, Any]]:
    found = doc.get(key)
    if isinstance(found, dict):
        for k in (str(n) for n in known):
            if isinstance(found.get(k), dict):
                yield k, found[k]


def table_rows(
    returns: Mapping[str, Mapping[str, Any]], reference: Reference, cjpf: CJPF
) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    for name in sorted(returns):
        doc = returns[name]
        partnership = reference.partnership(name)
        population = partnership.population if partnership else None
        for pa, action in _sections(doc, "priority_actions", sorted(cjpf.priority_actions)):
            aim = str(cjpf.aim_of(int(pa)).id)
            acts = list(_items(action.get("activities")))
            if not acts:
                rows["no_activity"].append((name, pa))
            for i, act in enumerate(acts, start=1):
                rows["activities"].append((name, aim, pa, i, act.get("status")))
                rows["themes"].extend(
                    (name, pa, i, t) for t in dict.fromkeys(act.get("themes") or ())
                )
                rows["also_priority_actions"].extend(
                    (name, pa, i, str(a))
                    for a in dict.fromkeys(act.get("also_priority_actions") or ())
                )
            if action.get("self_evaluation") is not None:
                rows["self_evaluation"].append((name, pa, int(action["self_evaluation"])))
            rows["challenges"].extend(
                (name, f"priority action {pa}", c.get("code"))
                for c in _items(action.get("challenges"))
            )
            rows["case_studies"].extend(
                (name, pa, i) for i, _ in enumerate(_items(action.get("case_studies")), start=1)
            )
        for i, act in enumerate(_items(doc.get("local_activity")), start=1):
            rows["activities"].append((name, LOCAL, LOCAL, i, act.get("status")))
        seen: set[str] = set()
        for key, outcome in _sections(doc, "outcomes", sorted(cjpf.outcomes)):
            measures = outcome.get("measures")
            for code, value in measures.items() if isinstance(measures, dict) else ():
                if code in seen:
                    continue
                seen.add(code)
                rate = round(value / population * 10_000, 4) if population else None
                rows["measures"].append((name, key, code, int(value), population, rate))
            if isinstance(outcome.get("narrative"), str):
                rows["outcome_narrative"].append((name, key))
        rows["challenges"].extend(
            (name, "partnership", c.get("code")) for c in _items(doc.get("challenges"))
        )
        tool = doc.get("improvement_tool")
        if isinstance(tool, dict) and tool.get("used") is not None:
            rows["improvement_tool"].append((name, bool(tool["used"])))
    return rows


def _distinct(rows: Sequence[tuple[Any, ...]], where: Mapping[int, Any] | None = None) -> int:
    """Distinct partnerships (column 0) among `rows` whose columns (by position) equal `where`."""
    match = where or {}
    return len({r[0] for r in rows if all(r[i] == v for i, v in match.items())})


@dataclass(frozen=True, eq=False)
class CJPFAggregate(NationalAggregate[CJPFCounts]):
    """Everything national for one 2023-framework collection (see NationalAggregate: the same
    fields as the 2016 one, so the CLI and outputs treat both alike)."""

    framework: str = CJPF_2023

    def read_counts(self) -> CJPFCounts:
        return CJPFCounts.of(
            self.counts,
            reporting_year=self.reporting_year,
            coverage=self.coverage,
            talking_points=self.talking_points,
        )

    def to_json_dict(self) -> dict[str, Any]:
        c = self.counts
        head = {
            "reporting_year": self.reporting_year,
            "framework": self.framework,
            "coverage": self.coverage.to_dict(),
        }
        return {**head, **c, "talking_points": [t.to_dict() for t in self.talking_points]}


def cjpf_counts(
    rows: Mapping[str, Sequence[tuple[Any, ...]]],
    v1_tables: Mapping[str, pd.DataFrame],
    reference: Reference,
    cjpf: CJPF,
    *,
    counted: int,
    settings: AggregationSettings,
) -> dict[str, Any]:
    """Every national count for the 2023 framework, with quantifier words."""
    import pandas as pd

    words = Words(reference, counted)
    statuses = reference.activity_status
    acts, themes = rows["activities"], rows["themes"]
    also = rows["also_priority_actions"]
    priority_actions: dict[str, Any] = {}
    for number, short in cjpf.priority_actions.items():
        pa = str(number)
        mine = [r for r in acts if r[2] == pa]
        used = dict.fromkeys(t[3] for t in themes if t[1] == pa)
        served_also = {r[0] for r in also if r[3] == pa}
        block: dict[str, Any] = {
            "aim": cjpf.aim_of(number).id,
            "short": short,
            "partnerships_with_activity": _distinct(mine),
            "activities": len(mine),
            "by_status": {s: sum(1 for r in mine if r[4] == s) for s in statuses},
            "themes": {t: _distinct(themes, {1: pa, 3: t}) for t in used},
            "self_evaluation": {
                str(v): _distinct(rows["self_evaluation"], {1: pa, 2: v})
                for v in sorted(reference.self_evaluation)
            },
            "partnerships_no_activity": _distinct(rows["no_activity"], {1: pa}),
            # Under this priority action or naming it as one an activity also serves: the
            # count that compares with 2016 returns' `priority_actions` references.
            "partnerships_referring": len({r[0] for r in mine} | served_also),
            "challenges": {
                code: n
                for code in reference.challenges
                if (n := _distinct(rows["challenges"], {1: f"priority action {pa}", 2: code}))
            },
        }
        priority_actions[pa] = _with_words(
            block,
            words,
            (
                "partnerships_with_activity",
                "themes",
                "self_evaluation",
                "partnerships_no_activity",
                "partnerships_referring",
                "challenges",
            ),
        )
    aims: dict[str, Any] = {}
    for aim in cjpf.aims:
        keys = {str(p) for p in aim.priority_actions}
        mine = [r for r in acts if r[2] in keys]
        block = {
            "text": aim.text,
            "priority_actions": list(aim.priority_actions),
            "partnerships_with_activity": _distinct(mine),
            "activities": len(mine),
            "by_status": {s: sum(1 for r in mine if r[4] == s) for s in statuses},
            "self_evaluation_median": _median(
                [r[2] for r in rows["self_evaluation"] if r[1] in keys]
            ),
        }
        aims[str(aim.id)] = _with_words(block, words, ("partnerships_with_activity",))

    measures_frame = pd.DataFrame(
        rows["measures"],
        columns=["partnership", "outcome", "indicator", "value", "population", "rate_per_10000"],
    )
    as_indicators = dataclasses.replace(
        reference,
        indicators={m.code: {"code": m.code, "outcome": m.outcome} for m in cjpf.measures.values()},
    )
    measures = indicator_counts({"indicators": measures_frame}, as_indicators, words, settings)
    for code, block in measures.items():
        m = cjpf.measures[code]
        measures[code] = {"outcome": m.outcome, "label": m.label, "source": m.source, **block}
    outcomes: dict[str, Any] = {}
    for number, outcome in cjpf.outcomes.items():
        key = str(number)
        codes = [m.code for m in cjpf.measures_of(number)]
        block = {
            "text": outcome.text,
            "priority_action": outcome.priority_action,
            "measures": codes,
            "partnerships_reporting": _distinct(rows["measures"], {1: key}),
            "partnerships_with_narrative": _distinct(rows["outcome_narrative"], {1: key}),
        }
        outcomes[key] = _with_words(
            block, words, ("partnerships_reporting", "partnerships_with_narrative")
        )

    local = [r for r in acts if r[2] == LOCAL]
    challenges = {code: _distinct(rows["challenges"], {2: code}) for code in reference.challenges}
    order = list(reference.challenges)
    ranked = dict(sorted(challenges.items(), key=lambda kv: (-kv[1], order.index(kv[0]))))
    development = v1_tables["development"]
    counts: dict[str, Any] = {
        "partnerships_counted": counted,
        "aims": aims,
        "priority_actions": priority_actions,
        "outcomes": outcomes,
        "measures": measures,
        "local_activity": _with_words(
            {"partnerships_with_activity": _distinct(local), "activities": len(local)},
            words,
            ("partnerships_with_activity",),
        ),
        "case_studies": {
            "partnerships": _distinct(rows["case_studies"]),
            "case_studies": len(rows["case_studies"]),
        },
        "improvement_tool": _with_words(
            {"partnerships_used": _distinct(rows["improvement_tool"], {1: True})},
            words,
            ("partnerships_used",),
        ),
        "partner_participation": participation_counts(v1_tables, reference),
        "partnership_development": {
            code: int(development[development["development"] == code]["partnership"].nunique())
            for code in reference.development
        },
        "challenges": ranked,
        "challenges_ranking": [c for c, n in ranked.items() if n],
    }
    return _with_words(
        counts, words, ("partner_participation", "partnership_development", "challenges")
    )


def _median(values: Sequence[int]) -> float | None:
    import statistics

    return float(statistics.median(values)) if values else None


def build_cjpf_tables(rows: Mapping[str, Sequence[tuple[Any, ...]]]) -> dict[str, pd.DataFrame]:
    import pandas as pd

    return {name: pd.DataFrame(rows[name], columns=list(cols)) for name, cols in COLUMNS.items()}


def aggregate_cjpf_results(
    result: CollectionResult,
    *,
    roots: Sequence[Path] = (),
    year: str | None = None,
    talking_points_file: Path | None = None,
    reference: Reference | None = None,
) -> CJPFAggregate:
    """The 2023-framework aggregate of an already-validated collection."""
    from cjreturns.aggregation.talking_points_cjpf import cjpf_talking_points, load_cjpf_rules

    reference = reference or load_reference()
    cjpf = load_cjpf()
    rules = load_cjpf_rules(talking_points_file)  # a broken rules file stops us before any work
    collection, settings = collect(result, reference, roots=roots, year=year)
    coverage = collection.coverage
    rows = table_rows(collection.returns, reference, cjpf)
    v1_tables = build_tables(collection.returns, reference)  # governance sections are shared
    counts = cjpf_counts(
        rows, v1_tables, reference, cjpf, counted=coverage.counted, settings=settings
    )
    tables = {
        **build_cjpf_tables(rows),
        "partners": v1_tables["partners"],
        "development": v1_tables["development"],
        "recommendations": v1_tables["recommendations"],
    }
    points = cjpf_talking_points(counts, coverage, reference, rules=rules)
    return CJPFAggregate.assemble(
        collection, settings, tables=tables, counts=counts, talking_points=points
    )
