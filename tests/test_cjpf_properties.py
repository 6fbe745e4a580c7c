"""Properties over mutated 2024-25 example returns (contract 2.0): validation never raises and
never reports a crashed rule, whatever is deleted, retyped or renamed; the aggregate of any
mix of them counts no more partnerships than it accepted."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjreturns.aggregation.cjpf import aggregate_cjpf_results
from cjreturns.core.findings import CollectionResult, FileResult
from cjreturns.readers import read_return
from cjreturns.validation.engine import validate_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2024-25"
RETURNS: tuple[dict[str, Any], ...] = tuple(
    read_return(p).document  # type: ignore[misc]
    for p in sorted(EXAMPLES.iterdir())
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "2021-22", "2024-25", "1.0", "2.0", "14", "diversion_commenced"]),
    st.just([]),
    st.just({}),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(draw(st.sampled_from(RETURNS)))
    paths = [p for p in _paths(doc) if p]
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        path = draw(st.sampled_from(paths))
        node: Any = doc
        try:
            for key in path[:-1]:
                node = node[key]
            action = draw(st.sampled_from(["delete", "replace", "rename"]))
            if action == "delete" and isinstance(node, dict):
                node.pop(path[-1], None)
            elif action == "rename" and isinstance(node, dict) and path[-1] in node:
                node[str(draw(VALUES))] = node.pop(path[-1])
            else:
                node[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return doc


@SETTINGS
@given(mutated(), st.sampled_from([None, "2024-25", "2021-22"]))
def test_validation_never_raises_or_crashes_a_rule(doc: dict[str, Any], year: str | None) -> None:
    findings = validate_document(doc, year=year)
    assert not [f for f in findings if f.rule == "rule-crashed"]
    framework = [f for f in findings if f.rule == "framework-mismatch"]
    assert not framework or len(findings) == 1  # never a cascade after it


@SETTINGS
@given(st.lists(mutated(), min_size=1, max_size=6))
def test_aggregating_any_mix_counts_within_bounds(docs: list[dict[str, Any]]) -> None:
    files = tuple(
        FileResult(
            path=Path(f"r{i}.json"),
            findings=tuple(validate_document(d, year="2024-25")),
            document=d,
            partnership=d.get("partnership") if isinstance(d.get("partnership"), str) else None,
            reporting_year="2024-25",
            format="json",
        )
        for i, d in enumerate(docs)
    )
    agg = aggregate_cjpf_results(CollectionResult(files), year="2024-25")
    counted = agg.coverage.counted
    assert counted <= len(docs)
    for block in agg.counts["priority_actions"].values():
        assert 0 <= block["partnerships_with_activity"] <= counted
        assert block["partnerships_referring"] <= counted
    for block in agg.counts["aims"].values():
        assert block["partnerships_with_activity"] <= counted
    for block in agg.counts["measures"].values():
        assert block["partnerships_reporting"] <= counted
