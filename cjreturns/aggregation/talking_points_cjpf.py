"""Talking points for returns under the 2023 framework (CJPF): the shared scopes with scopes over
priority actions, aims and measures. The rules are data in schemas/cjpf-2023/talking-points.yaml;
the engine is talking_points.py.

A point's `outcome` is the CJPF outcome it belongs to (measures), and its `subject` the priority
action, aim or code it is about.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.counts import Words
from cjreturns.aggregation.talking_point_scopes import (
    Item,
    TalkingPointSpec,
    activity,
    mid_sentence,
    quantifiers,
    rates,
    scope_challenge,
    scope_coverage,
    scope_development,
    scope_partner,
)
from cjreturns.aggregation.talking_points import Rule, TalkingPoint, load_rules, talking_points
from cjreturns.contract.frameworks import load_cjpf
from cjreturns.contract.reference import Reference


def _scope_priority_action(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    q = Words(ref, cov.counted)
    for key, block in c["priority_actions"].items():
        scored = sum(block["self_evaluation"].values())
        good = sum(v for k, v in block["self_evaluation"].items() if int(k) >= 4)
        yield (
            key,
            None,
            {
                "priority_action": key,
                "label": block["short"],
                "label_lower": mid_sentence(block["short"]),
                "aim": block["aim"],
                **activity(block, cov, ref),
                "n_no_activity": block["partnerships_no_activity"],
                "n_self_evaluated": scored,
                "n_good_or_better": good,
                **quantifiers("_good", good, q),
            },
        )


def _scope_aim(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    for key, block in c["aims"].items():
        yield key, None, {"aim": key, "text": block["text"], **activity(block, cov, ref)}


def _scope_measure(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    for code, b in c["measures"].items():
        outcome = str(b["outcome"])
        yield code, outcome, {"measure": code, "outcome": outcome, **rates(b, b["label"], cov, ref)}


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


CJPF_TALKING_POINTS = TalkingPointSpec(
    "cjpf-2023/talking-points.yaml",
    {
        "coverage": scope_coverage,
        "priority_action": _scope_priority_action,
        "aim": _scope_aim,
        "measure": _scope_measure,
        "completion": _scope_completion,
        "partner": scope_partner,
        "development": scope_development,
        "challenge": scope_challenge,
    },
)


def load_cjpf_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The 2023 framework's rules (or those in `path`), checked against its scopes."""
    return load_rules(path, spec=CJPF_TALKING_POINTS)


def cjpf_talking_points(
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    *,
    rules: tuple[Rule, ...] | None = None,
) -> tuple[TalkingPoint, ...]:
    load_cjpf()  # the counts were built from it; fail early if the reference lacks it
    return talking_points(counts, coverage, reference, rules=rules, spec=CJPF_TALKING_POINTS)
