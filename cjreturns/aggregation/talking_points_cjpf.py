"""Talking points for the 2023 framework: the same rule engine (talking_points.py), with scopes
over priority actions, aims and measures. The rules are data in
schemas/cjpf-2023/talking-points.yaml.

A point's `outcome` is the CJPF outcome it belongs to (measures), and its `subject` the priority
action, aim or code it is about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.counts import Words
from cjreturns.aggregation.talking_points import (
    SCOPES,
    Item,
    Rule,
    Scope,
    TalkingPoint,
    _lower,
    _names,
    _words,
    load_rules,
    talking_points,
)
from cjreturns.contract.frameworks import load_cjpf
from cjreturns.contract.reference import Reference

RULES_FILE = "cjpf-2023/talking-points.yaml"


def _scope_priority_action(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for key, block in c["priority_actions"].items():
        n = block["partnerships_with_activity"]
        scored = sum(block["self_evaluation"].values())
        good = sum(v for k, v in block["self_evaluation"].items() if int(k) >= 4)
        yield (
            key,
            None,
            {
                "priority_action": key,
                "label": block["short"],
                "label_lower": _lower(block["short"]),
                "aim": block["aim"],
                "n": n,
                "N": total,
                **_words("", n, q),
                "without": total - n,
                **_words("_without", total - n, q),
                "n_no_activity": block["partnerships_no_activity"],
                "activities": block["activities"],
                **block["by_status"],
                "n_self_evaluated": scored,
                "n_good_or_better": good,
                **_words("_good", good, q),
            },
        )


def _scope_aim(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for key, block in c["aims"].items():
        n = block["partnerships_with_activity"]
        yield (
            key,
            None,
            {
                "aim": key,
                "text": block["text"],
                "n": n,
                "N": total,
                **_words("", n, q),
                "activities": block["activities"],
                **block["by_status"],
            },
        )


def _scope_measure(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, b in c["measures"].items():
        n = b["partnerships_reporting"]
        q1, q3 = b["q1_rate"], b["q3_rate"]
        yield (
            code,
            str(b["outcome"]),
            {
                "measure": code,
                "label": b["label"],
                "label_lower": _lower(b["label"]),
                "outcome": str(b["outcome"]),
                "total": b["total"],
                "n": n,
                "N": total,
                **_words("", n, q),
                "median": b["median_rate"],
                "q1": q1,
                "q3": q3,
                "national_rate": b["national_rate"],
                "spread": (q3 / q1) if q1 else None,
                "outliers": len(b["outliers"]),
                "outlier_names": _names(b["outliers"]),
            },
        )


def _scope_completion(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    """Completed as a share of commenced, nationally, for each pair the framework counts."""
    m = c["measures"]
    for kind, done, started in (
        ("diversion from prosecution", "diversion_completed", "diversion_commenced"),
        ("bail supervision", "bail_supervision_completed", "bail_supervision_commenced"),
        ("community payback order", "cpo_completed", "cpo_commenced"),
    ):
        completed, commenced = m[done]["total"], m[started]["total"]
        yield (
            done,
            str(m[done]["outcome"]),
            {
                "kind": kind,
                "completed": completed,
                "commenced": commenced,
                "percent": round(100 * completed / commenced, 1) if commenced else None,
                "n": m[done]["partnerships_reporting"],
                "N": cov.counted,
            },
        )


def _scope_development(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    # As in 2016, but development work is no longer filed under an outcome.
    for subject, _, variables in SCOPES["development"](c, cov, ref):
        yield subject, None, variables


CJPF_SCOPES: dict[str, Scope] = {
    "coverage": SCOPES["coverage"],
    "priority_action": _scope_priority_action,
    "aim": _scope_aim,
    "measure": _scope_measure,
    "completion": _scope_completion,
    "partner": SCOPES["partner"],
    "development": _scope_development,
    "challenge": SCOPES["challenge"],
}


def load_cjpf_rules(path: Path | None = None) -> tuple[Rule, ...]:
    return load_rules(path, scopes=CJPF_SCOPES, default=RULES_FILE)


def cjpf_talking_points(
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    *,
    rules: tuple[Rule, ...] | None = None,
) -> tuple[TalkingPoint, ...]:
    load_cjpf()  # the counts were built from it; fail early if the reference lacks it
    return talking_points(
        counts,
        coverage,
        reference,
        rules=load_cjpf_rules() if rules is None else rules,
        scopes=CJPF_SCOPES,
    )
