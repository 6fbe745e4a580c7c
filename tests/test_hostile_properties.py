"""Properties over mutated example returns and the aggregation built from them.

tests/test_properties.py covers validate_document on arbitrary documents; here the inputs are
the 30 real example returns, mutated and written out as JSON or YAML, then read, validated and
aggregated together:

- reading and validating never raises, and never reports a crashed rule;
- whatever mix of valid, broken, duplicated and superseded returns comes in, every file lands in
  exactly one coverage group and no count exceeds what was counted (never more partnerships than
  returns);
- the same returns in any order give byte-identical aggregate.json, with no timestamps.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjreturns import read_return
from cjreturns.aggregation import aggregate_results
from cjreturns.core.findings import CollectionResult, FileResult
from cjreturns.outputs.national_tables import aggregate_json
from cjreturns.readers import READERS, Limits, ReadResult, SourceMap
from cjreturns.validation.engine import result_from_read
from cjreturns.validation.rules import RULES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2021-22"
RETURNS: tuple[dict[str, Any], ...] = tuple(
    read_return(p).document
    for p in sorted(EXAMPLES.iterdir())  # type: ignore[misc]
)
assert len(RETURNS) == 30 and all(isinstance(d, dict) for d in RETURNS)

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
    st.text(max_size=40),
    st.sampled_from(
        ["", "2022-09-30", "2021-22", "2020-21", "housing", "Fife", "=1+2", "n/a", "TBC", "-1"]
    ),
    st.just([]),
    st.just({}),
)
SUBMITTED = st.sampled_from(["2022-09-20", "2022-09-30", "2022-10-14", "30/09/2022"])


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def mutate(doc: dict[str, Any], data: st.DataObject, slips: int) -> dict[str, Any]:
    """`slips` random edits: delete, replace or duplicate something somewhere in the return."""
    doc = copy.deepcopy(doc)
    for _ in range(slips):
        parent: Any = doc
        key: Any = data.draw(st.sampled_from(_children(doc)))
        while _children(parent[key]) and data.draw(st.booleans()):
            parent, key = parent[key], data.draw(st.sampled_from(_children(parent[key])))
        op = data.draw(st.sampled_from(["delete", "replace", "duplicate"]))
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = data.draw(VALUES)
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        else:
            parent[f"{key}_copy"] = copy.deepcopy(parent[key])
        if not _children(doc):
            break
    return doc


def as_bytes(doc: Any, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(doc, allow_nan=True, ensure_ascii=False).encode("utf-8")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


@SETTINGS
@given(
    data=st.data(),
    index=st.integers(0, 29),
    slips=st.integers(0, 4),
    fmt=st.sampled_from(["json", "yaml"]),
)
def test_mutated_returns_read_and_validate_without_raising(
    data: st.DataObject, index: int, slips: int, fmt: str
) -> None:
    doc = mutate(RETURNS[index], data, slips)
    read = READERS[f".{fmt}"](as_bytes(doc, fmt), Limits())
    result = result_from_read(Path(f"return.{fmt}"), read)
    assert [f for f in result.findings if f.rule == "rule-crashed"] == []
    assert {f.rule for f in result.findings} <= set(RULES)
    if slips == 0:
        assert result.valid, result.findings


# -- aggregation ------------------------------------------------------------------------------


def file_result(i: int, doc: dict[str, Any]) -> FileResult:
    return result_from_read(Path(f"returns/r{i:02d}.json"), ReadResult(doc, SourceMap({})))


@st.composite
def collections(draw: st.DrawFn) -> list[FileResult]:
    """1-8 returns: some untouched, some mutated, some a partnership's second return (a later
    or same-day resubmission) so supersession and conflicts come up."""
    # Mostly different partnerships, often the same one twice.
    picks = draw(st.lists(st.integers(0, 29) | st.sampled_from([0, 1]), min_size=1, max_size=8))
    docs = []
    for i in picks:
        doc = copy.deepcopy(RETURNS[i])
        if draw(st.booleans()):
            doc["submitted_on"] = draw(SUBMITTED)
        if draw(st.booleans()):  # a revised return: the same day gives a conflict
            doc["governance"]["description"] += " Revised after the partnership meeting."
        if draw(st.integers(0, 3)) == 0:
            doc = mutate(doc, draw(st.data()), draw(st.integers(1, 3)))
        docs.append(doc)
    return [file_result(i, doc) for i, doc in enumerate(docs)]


def _ints(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _ints(v, (*path, str(k)))
    elif isinstance(node, int) and not isinstance(node, bool):
        yield path, node


@SETTINGS
@given(files=collections())
def test_aggregation_counts_stay_within_bounds(files: list[FileResult]) -> None:
    agg = aggregate_results(CollectionResult(tuple(files)))
    cov = agg.coverage
    accepted = len(cov.accepted)
    valid_partnerships = {f.partnership for f in files if f.valid}
    assert accepted <= len(valid_partnerships) <= len(files)
    assert len({a.partnership for a in cov.accepted}) == accepted  # one return per partnership
    assert len(cov.received) == len(files)
    in_conflict = sum(len(c.files) for c in cov.conflicts)
    d = agg.to_json_dict()
    placed = (
        accepted
        + len(cov.rejected)
        + len(cov.superseded)
        + in_conflict
        + len(d["coverage"]["other_years"])
    )
    assert placed == len(files)  # every file is in exactly one group: none lost
    if not files[0].valid:
        assert any(r.file == "r00.json" for r in cov.rejected)
    for key, block in d["outcomes"].items():
        assert 0 <= block["partnerships_with_activity"] <= accepted, key
        assert block["partnerships_with_activity"] <= block["activities"] or (
            block["activities"] == 0 == block["partnerships_with_activity"]
        )
        assert sum(block["by_status"].values()) == block["activities"]
        for part in ("themes", "priority_actions"):
            for code, n in block[part].items():
                assert 0 <= n <= accepted, (key, part, code)
        assert sum(block["self_evaluation"].values()) <= accepted
    for code, ind in d["indicators"].items():
        assert 0 <= ind["partnerships_reporting"] <= accepted, code
    for path, n in _ints(d):
        assert n >= 0, path
        if any(p.startswith("partnerships") for p in path) and path[0] != "coverage":
            assert n <= accepted, path


@SETTINGS
@given(files=collections(), order=st.randoms(use_true_random=False))
def test_the_same_returns_in_any_order_give_identical_aggregate_json(
    files: list[FileResult], order: Any
) -> None:
    first = aggregate_json(aggregate_results(CollectionResult(tuple(files))))
    shuffled = list(files)
    order.shuffle(shuffled)
    again = aggregate_json(aggregate_results(CollectionResult(tuple(shuffled))))
    assert first == again
    today = dt.date.today().isoformat()
    assert today.encode() not in first
    assert not re.search(rb"\d{4}-\d\d-\d\dT\d\d:\d\d", first)  # no timestamps of any day


def test_rerunning_aggregate_gives_byte_identical_outputs(tmp_path: Path) -> None:
    """Every national file, the workbook included (its dates are fixed, not "now")."""
    from typer.testing import CliRunner

    from cjreturns.cli import app

    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        done = CliRunner().invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out)])
        assert done.exit_code == 0, done.output
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(runs[0]) == 15
    # The manifest says when it was made (SOURCE_DATE_EPOCH fixes that); nothing else may differ.
    manifests = [json.loads(run.pop("manifest.json")) for run in runs]
    assert [m.pop("generated_at") for m in manifests] != [None, None]
    assert manifests[0] == manifests[1]
    assert runs[0] == runs[1]
