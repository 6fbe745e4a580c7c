"""Across the framework boundary only the counts marked comparable are given; the rest are
refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjreturns.aggregation.by_year import aggregate_for_year
from cjreturns.aggregation.comparable import NotComparable, compare, load_comparability

ROOT = Path(__file__).resolve().parent.parent / "examples" / "returns"


@pytest.fixture(scope="module")
def both() -> tuple[object, object]:
    return (
        aggregate_for_year(ROOT / "2021-22", year="2021-22"),
        aggregate_for_year(ROOT / "2024-25", year="2024-25"),
    )


def test_the_comparable_series_are_the_issues_list() -> None:
    series, refused = load_comparability()
    assert [s.id for s in series] == [
        "partner-participation", "partnership-development", "challenges",
        "priority-action-references", "returns-counted",
    ]  # fmt: skip
    assert {r.get("opif_2016") for r in refused} >= {"outcomes", "indicators", "themes"}


def test_compare_2021_22_with_2024_25(both: tuple[object, object]) -> None:
    old, new = both
    c = compare(old, new)
    assert c.crosses_boundary
    assert (c.earlier_year, c.later_year) == ("2021-22", "2024-25")
    before, after = c.count("partner-participation")
    assert set(before) == set(after) and set(before["police_scotland"]) == {
        "active", "regular", "occasional", "none", "not_stated"
    }  # fmt: skip
    assert sum(after["police_scotland"].values()) == 30
    refs_before, refs_after = c.count("priority-action-references")
    assert set(refs_before) == set(refs_after) == {str(i) for i in range(1, 14)}
    assert refs_after["1"] == new.counts["priority_actions"]["1"]["partnerships_referring"]  # type: ignore[attr-defined]
    frame = old.tables["priority_actions"]  # type: ignore[attr-defined]
    assert refs_before["13"] == frame[frame["priority_action"] == 13]["partnership"].nunique()
    assert "lower bounds" in c.cautions["priority-action-references"]
    assert c.count("returns-counted")[1]["accepted"] == 30


def test_counts_that_do_not_carry_over_are_refused(both: tuple[object, object]) -> None:
    c = compare(*both)
    with pytest.raises(NotComparable, match="seven 2016 national outcomes have no successor"):
        c.count("outcomes")
    with pytest.raises(NotComparable, match="defined separately"):
        c.count("measures")
    with pytest.raises(NotComparable, match="not one of the counts"):
        c.count("local_activity")
