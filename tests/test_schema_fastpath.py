"""The schema fast path never says "valid" when jsonschema would find an error.

`quick_check` lets valid returns skip jsonschema; findings must stay exactly jsonschema's, so
every document it accepts must be one jsonschema accepts. Checked on valid returns, on returns
mutated at random, and on arbitrary JSON values.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cjreturns.validation.fastpath import compile_schema
from cjreturns.validation.schema import load_schema, quick_check, validator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "returns" / "2021-22"

_VALID: dict[str, Any] = {
    "schema_version": "1.0",
    "partnership": "Fife",
    "reporting_year": "2021-22",
    "submitted_on": "2022-09-29",
    "contact": {"name": "A. Coordinator", "email": "c@example.org"},
    "sign_off": {"name": "A. Chair", "date": "2022-09-28", "section_27_return": True},
    "governance": {
        "description": "How the partnership is governed.",
        "partners": {"police_scotland": "active", "sds": "none"},
        "development": ["partner_induction"],
    },
    "outcomes": {
        str(k): {
            "self_evaluation": 4,
            "activities": [
                {
                    "title": "Activity",
                    "description": "What was done, by whom and for whom.",
                    "themes": ["diversion"],
                    "priority_actions": [1, 13],
                    "partners": ["local_authority"],
                    "status": "completed",
                    "period": {"start": "2021-04-01", "end": "2022-03-31"},
                    "figures": [{"label": "people", "value": 3.5, "unit": "people"}],
                    "links": ["https://example.org/x"],
                }
            ],
            "indicators": {"diversion_referrals": 10},
            "challenges": [{"code": "workforce", "description": "Recruitment."}],
            "case_studies": [{"title": "T", "summary": "S", "consent_confirmed": True}],
        }
        for k in range(1, 8)
    },
    "recommendations": [{"id": "R1", "status": "in_progress"}],
    "next_steps": ["More."],
}

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.sampled_from(["", "x", "2022-02-30", "2022-09-29", "none", "diversion", "1.0", "R1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


def _errors(document: Any) -> list[Any]:
    return list(validator().iter_errors(document))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def test_the_schema_compiles_and_accepts_valid_returns() -> None:
    quick = quick_check()
    assert quick is not None
    assert _errors(_VALID) == []
    assert quick(_VALID) is True
    for path in sorted(EXAMPLES.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert quick(document) is (not _errors(document)), path.name


def test_an_unknown_keyword_turns_the_fast_path_off() -> None:
    schema = copy.deepcopy(load_schema())
    schema["$defs"]["activity"]["maxItems"] = 3
    assert compile_schema(schema) is None
    assert compile_schema({"type": "object", "properties": {"a": {"const": 1}}}) is None
    assert compile_schema({"type": "object", "title": "annotations are fine"}) is not None


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_mutated_returns_are_never_wrongly_accepted(data: st.DataObject) -> None:
    document = copy.deepcopy(_VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = data.draw(st.sampled_from(paths))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(_JSON)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6))] = data.draw(_JSON)
        else:
            parent.append(data.draw(_JSON))
    if quick_check()(document):  # type: ignore[misc]
        assert _errors(document) == []


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_arbitrary_values_are_never_wrongly_accepted(value: Any) -> None:
    if quick_check()(value):  # type: ignore[misc]
        assert _errors(value) == []
