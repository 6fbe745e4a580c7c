"""What a talking-point rule can talk about: its scope (`for_each`) gives one item at a time,
each with the names a rule's condition and text may use.

A framework's talking points are its rules file and its scopes (`TalkingPointSpec`). Here are
the scopes both frameworks share (coverage, statutory partners, development work, challenges:
those sections of the return are the same in both), and the names shared by every heading
activity is reported under (2016 outcomes, 2023 priority actions and aims) and by every rate
(2016 indicators, 2023 measures). Each framework's own scopes are in talking_points_opif.py and
talking_points_cjpf.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.counts import Words
from cjreturns.contract.reference import Reference

# One item of a scope: (subject, outcome, variables). The subject is what the item is about (a
# code, a number), None for a scope of one item; the outcome is the section of the report it
# belongs to, None where it belongs to none.
Item = tuple[str | None, str | None, dict[str, Any]]
Scope = Callable[[Mapping[str, Any], Coverage, Reference], Iterator[Item]]


@dataclass(frozen=True)
class TalkingPointSpec:
    """One framework's talking points: its rules file (under schemas/) and its scopes by name."""

    rules_file: str
    scopes: Mapping[str, Scope]


def mid_sentence(label: str) -> str:
    """Sentence-case label for use mid-sentence ("Housing" -> "housing"; "MAPPA" stays)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def quantifiers(prefix: str, n: int, word: Callable[[int], str]) -> dict[str, Any]:
    """The quantifier word for `n` as `word{prefix}`, and capitalised as `Word{prefix}`."""
    w = word(n)
    return {f"word{prefix}": w, f"Word{prefix}": w[:1].upper() + w[1:]}


def name_list(items: Any) -> str:
    """Names joined for a sentence, as in "A, B and C" (one name alone, none as "")."""
    found = [str(x) for x in items]
    if len(found) <= 1:
        return "".join(found)
    return ", ".join(found[:-1]) + " and " + found[-1]


def activity(block: Mapping[str, Any], cov: Coverage, ref: Reference) -> dict[str, Any]:
    """The names of a heading partnerships report activity under (a 2016 outcome, a 2023
    priority action or aim): how many partnerships did and did not, and the activities by
    status."""
    total, q = cov.counted, Words(ref, cov.counted)
    n = block["partnerships_with_activity"]
    return {
        "n": n,
        "N": total,
        **quantifiers("", n, q),
        "without": total - n,
        **quantifiers("_without", total - n, q),
        "activities": block["activities"],
        **block["by_status"],
    }


def rates(b: Mapping[str, Any], label: str, cov: Coverage, ref: Reference) -> dict[str, Any]:
    """The names of a count reported as a rate per 10,000 people (an indicator, a measure)."""
    total, q = cov.counted, Words(ref, cov.counted)
    n = b["partnerships_reporting"]
    q1, q3 = b["q1_rate"], b["q3_rate"]
    return {
        "label": label,
        "label_lower": mid_sentence(label),
        "total": b["total"],
        "n": n,
        "N": total,
        **quantifiers("", n, q),
        "median": b["median_rate"],
        "q1": q1,
        "q3": q3,
        "iqr": b["iqr"],
        "min": b["min_rate"],
        "max": b["max_rate"],
        "national_rate": b["national_rate"],
        "spread": (q3 / q1) if q1 else None,
        "outliers": len(b["outliers"]),
        "outlier_names": name_list(b["outliers"]),
    }


def scope_coverage(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    s = cov.summary()
    yield (
        None,
        None,
        {
            **s,  # expected, received, accepted, rejected ... as counts
            "N": cov.counted,
            "missing_names": name_list(cov.missing),
            "late_names": name_list(a.partnership for a in cov.late),
            "rejected_names": name_list(sorted({r.partnership or r.file for r in cov.rejected})),
            "conflict_names": name_list(x.partnership for x in cov.conflicts),
        },
    )


def scope_partner(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, name in ref.statutory_partners.items():
        levels = c["partner_participation"][code]
        low = levels["occasional"] + levels["none"] + levels["not_stated"]
        engaged = levels["active"] + levels["regular"]
        yield (
            code,
            None,
            {
                "partner": code,
                "label": name,
                "N": total,
                **levels,
                "n_low": low,
                **quantifiers("_low", low, q),
                "n_engaged": engaged,
                **quantifiers("_engaged", engaged, q),
            },
        )


def scope_development(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, name in ref.development.items():
        n = c["partnership_development"][code]
        yield (
            code,
            None,  # governance and partnership working, not an outcome's section
            {
                "development": code,
                "label": name,
                "label_lower": mid_sentence(name),
                "n": n,
                "N": total,
                **quantifiers("", n, q),
            },
        )


def scope_challenge(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    ranking = c["challenges_ranking"]
    for code, n in c["challenges"].items():
        yield (
            code,
            None,
            {
                "challenge": code,
                "label": ref.challenges[code],
                "label_lower": mid_sentence(ref.challenges[code]),
                "n": n,
                "N": total,
                **quantifiers("", n, q),
                "rank": ranking.index(code) + 1 if code in ranking else None,
            },
        )
