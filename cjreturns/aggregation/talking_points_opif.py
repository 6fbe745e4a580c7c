"""Talking points for returns under the 2016 framework (OPIF): the shared scopes with scopes
over the seven national outcomes, themes, indicators and person-centred evidence. The rules are
data in schemas/talking-points.yaml.

A point's `outcome` is the national outcome whose section of the report it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.counts import Words
from cjreturns.aggregation.talking_point_scopes import (
    Item,
    TalkingPointSpec,
    activity,
    mid_sentence,
    name_list,
    quantifiers,
    rates,
    scope_challenge,
    scope_coverage,
    scope_development,
    scope_partner,
)
from cjreturns.contract.reference import Reference


def _scope_outcome(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    for key, block in c["outcomes"].items():
        yield (
            key,
            key,
            {
                "outcome": key,
                **activity(block, cov, ref),
                "without_names": name_list(block["partnerships_without_activity"]),
            },
        )


def _scope_theme(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, theme in ref.themes.items():
        home = str(theme["outcome"])
        n = c["outcomes"][home]["themes"].get(code, 0)
        n_any = c["themes"][code]
        yield (
            code,
            home,
            {
                "theme": code,
                "label": theme["name"],
                "label_lower": mid_sentence(theme["name"]),
                "outcome": home,
                "n": n,
                "n_any": n_any,
                "N": total,
                **quantifiers("", n, q),
                **quantifiers("_any", n_any, q),
            },
        )


def _scope_indicator(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    for code, ind in ref.indicators.items():
        outcome = str(ind["outcome"])
        yield (
            code,
            outcome,
            {
                "indicator": code,
                "outcome": outcome,
                **rates(c["indicators"][code], ind["name"], cov, ref),
            },
        )


def _scope_person_centred(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    b = c["person_centred"]
    evidence = {f"n_{theme}": n for theme, n in b["evidence"].items()}
    yield (
        None,
        "-".join((b["outcomes"][0], b["outcomes"][-1])),
        {
            "N": total,
            "n_any": b["partnerships_with_activity"],
            **quantifiers("_any", b["partnerships_with_activity"], q),
            **evidence,
            **{
                k: v
                for theme, n in b["evidence"].items()
                for k, v in quantifiers(f"_{theme}", n, q).items()
            },
            "n_case_studies": b["partnerships_with_case_studies"],
            "case_studies": b["case_studies"],
        },
    )


OPIF_TALKING_POINTS = TalkingPointSpec(
    "talking-points.yaml",
    {
        "coverage": scope_coverage,
        "outcome": _scope_outcome,
        "theme": _scope_theme,
        "indicator": _scope_indicator,
        "partner": scope_partner,
        "development": scope_development,
        "challenge": scope_challenge,
        "person_centred": _scope_person_centred,
    },
)
