"""Tidy tables (pandas) from accepted returns: one row per partnership x activity, theme,
indicator, partner, challenge ... for analysts' notebooks, and the input to the national counts.

Only codes, numbers and statuses go into these tables: never narrative, contacts or case studies,
so anything built from them is safe to publish.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from cjreturns.contract.reference import Reference

# The shape of the national report's recommendation ids (a letter code and a number).
RECOMMENDATION_ID = re.compile(r"[A-Z]{1,4}[0-9]{1,3}(?:\.[0-9]{1,2})?")

if TYPE_CHECKING:
    import pandas as pd

OUTCOME_KEYS = tuple(str(i) for i in range(1, 8))
LOCAL = "local"  # activities beyond the national outcomes
NOT_STATED = "not_stated"

# Table name -> its columns, in order. The names are the CSV/notebook contract.
COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": ("partnership", "outcome", "activity", "status"),
    "themes": ("partnership", "outcome", "activity", "theme"),
    "priority_actions": ("partnership", "outcome", "activity", "priority_action"),
    "activity_partners": ("partnership", "outcome", "activity", "partner"),
    "self_evaluation": ("partnership", "outcome", "self_evaluation"),
    "indicators": (
        "partnership",
        "outcome",
        "indicator",
        "value",
        "population",
        "rate_per_10000",
    ),
    "partners": ("partnership", "partner", "level"),
    "development": ("partnership", "development"),
    "challenges": ("partnership", "where", "challenge"),
    # Only that a case study exists: its title and summary never leave the return.
    "case_studies": ("partnership", "outcome", "case_study"),
    # Responses to last year's national recommendations: id and status, never the response text.
    "recommendations": ("partnership", "recommendation", "status"),
}


def _items(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _outcomes(document: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    outcomes = document.get("outcomes")
    if isinstance(outcomes, dict):
        for key, value in outcomes.items():
            if isinstance(value, dict) and str(key) in OUTCOME_KEYS:
                yield str(key), value


def _activities(document: Mapping[str, Any]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for key, outcome in _outcomes(document):
        for i, act in enumerate(_items(outcome.get("activities")), start=1):
            yield key, i, act
    for i, act in enumerate(_items(document.get("local_activity")), start=1):
        yield LOCAL, i, act


def table_rows(
    returns: Mapping[str, Mapping[str, Any]], reference: Reference
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every tidy table, in partnership then document order."""
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    for name in sorted(returns):
        doc = returns[name]
        for key, i, act in _activities(doc):
            rows["activities"].append((name, key, i, act.get("status")))
            rows["themes"].extend((name, key, i, t) for t in act.get("themes") or ())
            rows["priority_actions"].extend(
                (name, key, i, int(p)) for p in act.get("priority_actions") or ()
            )
            rows["activity_partners"].extend(
                (name, key, i, p) for p in dict.fromkeys(act.get("partners") or ())
            )
        _outcome_rows(rows, name, doc, reference)
        governance = _mapping(doc.get("governance"))
        stated = _mapping(governance.get("partners"))
        rows["partners"].extend(
            (name, code, stated.get(code, NOT_STATED)) for code in reference.statutory_partners
        )
        rows["development"].extend(
            (name, code) for code in dict.fromkeys(governance.get("development") or ())
        )
        rows["challenges"].extend(
            (name, "partnership", c.get("code")) for c in _items(doc.get("challenges"))
        )
        responses: dict[str, str] = {}
        for item in _items(doc.get("recommendations")):
            rec_id = str(item.get("id", "")).strip()
            # An id is free text that would become a key of aggregate.json: only an id shaped
            # like one the national report gives (R2, SG1, R2.1) is counted and published.
            if RECOMMENDATION_ID.fullmatch(rec_id):  # one response per recommendation: the first
                responses.setdefault(rec_id, str(item.get("status") or NOT_STATED))
        rows["recommendations"].extend((name, r, s) for r, s in responses.items())
    return rows


def _outcome_rows(
    rows: dict[str, list[tuple[Any, ...]]],
    name: str,
    doc: Mapping[str, Any],
    reference: Reference,
) -> None:
    partnership = reference.partnership(name)
    population = partnership.population if partnership else None
    seen: set[str] = set()
    for key, outcome in _outcomes(doc):
        if outcome.get("self_evaluation") is not None:
            rows["self_evaluation"].append((name, key, int(outcome["self_evaluation"])))
        indicators = outcome.get("indicators")
        for code, value in indicators.items() if isinstance(indicators, dict) else ():
            if code in seen:  # the validator warns; the first value is the one counted
                continue
            seen.add(code)
            rate = round(value / population * 10_000, 4) if population else None
            rows["indicators"].append((name, key, code, int(value), population, rate))
        rows["challenges"].extend(
            (name, f"outcome {key}", c.get("code")) for c in _items(outcome.get("challenges"))
        )
        rows["case_studies"].extend(
            (name, key, i) for i, _ in enumerate(_items(outcome.get("case_studies")), start=1)
        )


def build_tables(
    returns: Mapping[str, Mapping[str, Any]], reference: Reference
) -> dict[str, pd.DataFrame]:
    """Every tidy table as a DataFrame (empty tables keep their columns)."""
    import pandas as pd

    rows = table_rows(returns, reference)
    return {
        name: pd.DataFrame(rows[name], columns=list(columns)) for name, columns in COLUMNS.items()
    }
