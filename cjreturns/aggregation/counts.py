"""National counts over the accepted returns, each with the word a national report would use.

A count is of distinct partnerships unless its name says otherwise (`activities`, `by_status`
count activities). Beside every partnership count `K` sits `K_word` ("most", "a few" ... from
the reference `quantifiers`), and beside every table of partnership counts `K` sits `K_words`.
N, the number the words are out of, is `partnerships_counted`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml

from cjreturns.aggregation.tables import NOT_STATED, OUTCOME_KEYS
from cjreturns.contract.reference import Reference
from cjreturns.core.resources import schema_path

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class AggregationSettings:
    outlier_iqr_factor: float
    outliers_min_partnerships: int
    rate_decimals: int
    suppress_below: int
    person_centred_outcomes: tuple[str, ...]
    evidence_themes: tuple[str, ...]


@cache
def load_settings() -> AggregationSettings:
    """schemas/aggregation.yaml: the few numbers an analyst may want to change."""
    with schema_path("aggregation.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    person = raw["person_centred"]
    return AggregationSettings(
        outlier_iqr_factor=float(raw["outlier_iqr_factor"]),
        outliers_min_partnerships=int(raw["outliers_min_partnerships"]),
        rate_decimals=int(raw["rate_decimals"]),
        suppress_below=int(raw["suppress_below"]),
        person_centred_outcomes=tuple(str(o) for o in person["outcomes"]),
        evidence_themes=tuple(person["evidence_themes"]),
    )


class Words:
    """Quantifier words for counts out of N partnerships."""

    def __init__(self, reference: Reference, total: int) -> None:
        self.reference = reference
        self.total = total

    def __call__(self, n: int) -> str:
        # With nothing counted every count is 0; "all" (0 of 0) would mislead.
        return self.reference.quantifier(n, self.total) if self.total else "no"

    def table(self, counts: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self.table(v) if isinstance(v, Mapping) else self(v) for k, v in counts.items()}


def _partnerships(frame: pd.DataFrame) -> int:
    return int(frame["partnership"].nunique())


def _by(frame: pd.DataFrame, column: str, keys: Iterable[Any]) -> dict[str, int]:
    """Distinct partnerships for each key of `column` (every key present, zeros included)."""
    counts = frame.groupby(column)["partnership"].nunique().to_dict() if len(frame) else {}
    return {str(k): int(counts.get(k, 0)) for k in keys}


def _by_each(
    frame: pd.DataFrame, column: str, keys: Iterable[Any], by: str, levels: Iterable[Any]
) -> dict[str, dict[str, int]]:
    """For each key of `column`, distinct partnerships by each level of `by` (see _by)."""
    levels = tuple(levels)
    return {str(key): _by(frame[frame[column] == key], by, levels) for key in keys}


def _with_words(block: dict[str, Any], words: Words, keys: Iterable[str]) -> dict[str, Any]:
    """Add `K_word`/`K_words` after each partnership count `K` named in `keys`."""
    out: dict[str, Any] = {}
    wanted = set(keys)
    for k, v in block.items():
        out[k] = v
        if k in wanted:
            if isinstance(v, Mapping):
                out[f"{k}_words"] = words.table(v)
            else:
                out[f"{k}_word"] = words(v)
    return out


def outcome_counts(
    tables: Mapping[str, pd.DataFrame], reference: Reference, words: Words
) -> dict[str, dict[str, Any]]:
    activities, themes = tables["activities"], tables["themes"]
    self_eval, actions = tables["self_evaluation"], tables["priority_actions"]
    out: dict[str, dict[str, Any]] = {}
    # every counted partnership has one row per statutory partner, stated or not
    counted = sorted(set(tables["partners"]["partnership"]))
    for key in OUTCOME_KEYS:
        acts = activities[activities["outcome"] == key]
        by_status = acts["status"].value_counts().to_dict()
        home = [c for c, t in reference.themes.items() if str(t["outcome"]) == key]
        theme_counts = _by(themes[themes["outcome"] == key], "theme", reference.themes)
        block = {
            "partnerships_with_activity": _partnerships(acts),
            "activities": len(acts),
            "by_status": {s: int(by_status.get(s, 0)) for s in reference.activity_status},
            # The outcome's own themes always appear (a zero is news); others when used.
            "themes": {c: n for c, n in theme_counts.items() if n or c in home},
            "self_evaluation": _by(
                self_eval[self_eval["outcome"] == key],
                "self_evaluation",
                sorted(reference.self_evaluation),
            ),
            "priority_actions": _by(
                actions[actions["outcome"] == key],
                "priority_action",
                sorted(reference.priority_actions),
            ),
            # Who reported nothing under the outcome: the report names them with their reason.
            "partnerships_without_activity": sorted(set(counted) - set(acts["partnership"])),
        }
        out[key] = _with_words(
            block,
            words,
            ("partnerships_with_activity", "themes", "self_evaluation", "priority_actions"),
        )
    return out


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def indicator_counts(
    tables: Mapping[str, pd.DataFrame],
    reference: Reference,
    words: Words,
    settings: AggregationSettings,
) -> dict[str, dict[str, Any]]:
    """Totals, partnerships reporting and the spread of rates per 10,000 people."""
    frame = tables["indicators"]
    digits = settings.rate_decimals
    out: dict[str, dict[str, Any]] = {}
    for code in reference.indicators:
        rows = frame[frame["indicator"] == code].sort_values("partnership")
        rated = rows[rows["rate_per_10000"].notna()]
        rates = [float(r) for r in rated["rate_per_10000"]]
        block: dict[str, Any] = {
            "total": int(rows["value"].sum()),
            "partnerships_reporting": _partnerships(rows),
        }
        block["partnerships_reporting_word"] = words(block["partnerships_reporting"])
        stats: dict[str, Any] = dict.fromkeys(
            ("national_rate", "median_rate", "q1_rate", "q3_rate", "iqr", "min_rate", "max_rate")
        )
        outliers: list[str] = []
        if rates:
            q1, median, q3 = _quartiles(rates)
            iqr = q3 - q1
            population = int(rated["population"].sum())
            stats = {
                "national_rate": round(int(rated["value"].sum()) / population * 10_000, digits),
                "median_rate": round(median, digits),
                "q1_rate": round(q1, digits),
                "q3_rate": round(q3, digits),
                "iqr": round(iqr, digits),
                "min_rate": round(min(rates), digits),
                "max_rate": round(max(rates), digits),
            }
            if len(rates) >= settings.outliers_min_partnerships:
                low = q1 - settings.outlier_iqr_factor * iqr
                high = q3 + settings.outlier_iqr_factor * iqr
                outliers = [
                    str(p)
                    for p, r in zip(rated["partnership"], rates, strict=True)
                    if r < low or r > high
                ]
        block.update(stats)
        block["outliers"] = outliers
        # Partnership rates where the count itself could be published (see suppress_below).
        block["rates"] = {
            str(p): round(float(r), digits)
            for p, v, r in zip(rated["partnership"], rated["value"], rates, strict=True)
            if v >= settings.suppress_below
        }
        out[code] = block
    return out


def participation_counts(
    tables: Mapping[str, pd.DataFrame], reference: Reference
) -> dict[str, dict[str, int]]:
    levels = (*reference.participation_levels, NOT_STATED)
    return _by_each(tables["partners"], "partner", reference.statutory_partners, "level", levels)


def person_centred_counts(
    tables: Mapping[str, pd.DataFrame], settings: AggregationSettings, words: Words
) -> dict[str, Any]:
    """How partnerships evidence outcomes 5-7: exit questionnaires, monitoring tools, stories."""
    outcomes = list(settings.person_centred_outcomes)
    acts = tables["activities"][tables["activities"]["outcome"].isin(outcomes)]
    themes = tables["themes"][tables["themes"]["outcome"].isin(outcomes)]
    cases = tables["case_studies"][tables["case_studies"]["outcome"].isin(outcomes)]
    block = {
        "outcomes": outcomes,
        "partnerships_with_activity": _partnerships(acts),
        "evidence": _by(themes, "theme", settings.evidence_themes),
        "partnerships_with_case_studies": _partnerships(cases),
        "case_studies": len(cases),
    }
    return _with_words(
        block, words, ("partnerships_with_activity", "evidence", "partnerships_with_case_studies")
    )


def recommendation_counts(
    tables: Mapping[str, pd.DataFrame], reference: Reference
) -> dict[str, dict[str, int]]:
    """Partnerships responding to each of last year's recommendations, by the status they gave."""
    frame = tables["recommendations"]
    ids = sorted(frame["recommendation"].unique(), key=_natural)
    levels = (*reference.recommendation_status, NOT_STATED)
    return _by_each(frame, "recommendation", ids, "status", levels)


def _natural(text: str) -> tuple[str, int, str]:
    """R2 before R10."""
    head = text.rstrip("0123456789")
    tail = text[len(head) :]
    return (head, int(tail) if tail else -1, text)


def national_counts(
    tables: Mapping[str, pd.DataFrame],
    reference: Reference,
    *,
    counted: int,
    settings: AggregationSettings | None = None,
) -> dict[str, Any]:
    """Every national count: outcomes, themes, indicators, partners, development, challenges."""
    settings = settings or load_settings()
    words = Words(reference, counted)
    local = tables["activities"][tables["activities"]["outcome"] == "local"]
    national_themes = tables["themes"][tables["themes"]["outcome"].isin(OUTCOME_KEYS)]
    challenges = _by(tables["challenges"], "challenge", reference.challenges)
    order = list(reference.challenges)
    ranked = dict(sorted(challenges.items(), key=lambda kv: (-kv[1], order.index(kv[0]))))
    counts: dict[str, Any] = {
        "partnerships_counted": counted,
        "outcomes": outcome_counts(tables, reference, words),
        "themes": _by(national_themes, "theme", reference.themes),
        "local_activity": _with_words(
            {"partnerships_with_activity": _partnerships(local), "activities": len(local)},
            words,
            ("partnerships_with_activity",),
        ),
        "person_centred": person_centred_counts(tables, settings, words),
        "indicators": indicator_counts(tables, reference, words, settings),
        "partner_participation": participation_counts(tables, reference),
        "partnership_development": _by(tables["development"], "development", reference.development),
        "challenges": ranked,
        "challenges_ranking": [c for c, n in ranked.items() if n],
        "recommendations": recommendation_counts(tables, reference),
    }
    return _with_words(
        counts,
        words,
        ("themes", "partner_participation", "partnership_development", "challenges"),
    )
