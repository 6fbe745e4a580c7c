"""Properties: validation and reading never raise, whatever they are given.

Arbitrary JSON-like documents, near-valid returns with one thing broken, and arbitrary bytes all
come back as findings (data), never as an exception or a `rule-crashed` finding.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjreturns import read_return
from cjreturns.core.findings import Finding
from cjreturns.readers import Limits, SourceMap
from cjreturns.readers.json_reader import read_json
from cjreturns.readers.yaml_reader import read_yaml
from cjreturns.validation.engine import result_from_read, validate_document
from cjreturns.validation.rules import RULES

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMITS = Limits()
REPO = Path(__file__).resolve().parent.parent
VALID_CASE = REPO / "examples" / "invalid" / "returns" / "valid-bom-gaelic.yaml"
_read = read_return(VALID_CASE)
assert _read.findings == [] and isinstance(_read.document, dict)
VALID: dict[str, Any] = _read.document
VALID_MAP: SourceMap = _read.source_map

# Words that mean something to a return, so random documents reach the rules, not only the schema.
WORDS = st.sampled_from(
    [
        "outcomes",
        "activities",
        "themes",
        "indicators",
        "case_studies",
        "period",
        "start",
        "end",
        "title",
        "description",
        "partnership",
        "reporting_year",
        "submitted_on",
        "sign_off",
        "date",
        "contact",
        "consent_confirmed",
        "no_activity_reason",
        "1",
        "4",
        "7",
        "housing",
        "cpo_commenced",
        "diversion_commenced",
        "diversion_referrals",
        "2021-22",
        "2022-09-29",
        "Fife",
        "Glasgow",
        "TBC",
        "Mr Smith",
        "a@b.org",
        "",
        " ",
    ]
)
KEYS = st.one_of(WORDS, st.text(max_size=12))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    WORDS,
    st.text(max_size=40),
)


def _json_like(max_leaves: int) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=6)
        ),
        max_leaves=max_leaves,
    )


JSON_LIKE = _json_like(40)
SMALL_JSON_LIKE = _json_like(8)  # keeps generating wide mappings quick


def _check(findings: list[Finding]) -> None:
    assert isinstance(findings, list)
    for f in findings:
        assert isinstance(f, Finding)
        assert f.severity in ("error", "warning")
        assert f.rule in RULES
        assert f.rule != "rule-crashed", f.message
        assert isinstance(f.message, str) and f.message


@SETTINGS
@given(JSON_LIKE)
def test_validate_document_never_raises_for_anything_json_like(document: Any) -> None:
    _check(validate_document(document))


@SETTINGS
@given(st.dictionaries(KEYS, SMALL_JSON_LIKE, max_size=8), st.sampled_from([None, "2021-22", "x"]))
def test_validate_document_never_raises_for_return_like_mappings(
    document: dict[str, Any], year: str | None
) -> None:
    findings = validate_document(document, year=year)
    _check(findings)
    assert findings, "a mapping missing required fields always has findings"


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*path, i)))
    return out


def _mutate(document: Any, data: st.DataObject) -> Any:
    """One coordinator's slip: a key deleted, a value of another type, or junk inserted."""
    document = json.loads(json.dumps(document))
    paths = _paths(document)
    path = data.draw(st.sampled_from(paths[1:]))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = data.draw(st.sampled_from(["delete", "replace", "insert", "wrap", "empty"]))
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = data.draw(JSON_LIKE)
    elif action == "insert":
        target = parent[last]
        if isinstance(target, dict):
            target[data.draw(KEYS)] = data.draw(JSON_LIKE)
        elif isinstance(target, list):
            target.insert(data.draw(st.integers(0, len(target))), data.draw(JSON_LIKE))
        else:
            parent[last] = [target, data.draw(JSON_LIKE)]
    elif action == "wrap":
        parent[last] = {"value": parent[last]}
    else:
        parent[last] = type(parent[last])() if isinstance(parent[last], list | dict | str) else 0
    return document


@SETTINGS
@given(st.data(), st.integers(1, 3))
def test_near_valid_returns_give_findings_not_exceptions(data: st.DataObject, slips: int) -> None:
    document: Any = VALID
    for _ in range(slips):
        document = _mutate(document, data)
    findings = validate_document(document, source_map=VALID_MAP, year="2021-22")
    _check(findings)
    for f in findings:
        # Located through the valid file's map: every path has a located ancestor (the root).
        assert f.line is not None or f.rule == "rule-crashed"


def test_the_unmutated_return_is_valid() -> None:
    assert validate_document(VALID, source_map=VALID_MAP, year="2021-22") == []


@SETTINGS
@given(st.binary(max_size=2000))
def test_readers_never_raise_for_arbitrary_bytes(data: bytes) -> None:
    for reader, name in ((read_yaml, "r.yaml"), (read_json, "r.json")):
        result = reader(data, LIMITS)
        assert all(f.rule in RULES for f in result.findings)
        # Whatever the bytes, the file either is a return or says why not: nothing passes
        # silently (a YAML `~` or JSON `null` is a document, and not a return).
        checked = result_from_read(Path(name), result)
        assert checked.findings or isinstance(checked.document, dict)


YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab1:-[]{},&*!|>'\"#%@`?~.\n\t  \u00e8\ufeff")), max_size=300
)


@SETTINGS
@given(st.one_of(YAMLISH, st.text(max_size=300)))
def test_readers_never_raise_for_arbitrary_text(text: str) -> None:
    for reader in (read_yaml, read_json):
        result = reader(text.encode("utf-8", "surrogatepass"), LIMITS)
        assert all(f.rule in RULES for f in result.findings)
        if result.document is not None:
            # Whatever was read is plain JSON data (no dates, sets or marker objects left in).
            json.dumps(result.document, allow_nan=False)
            result.source_map.locate(())


# Text as people type it (YAML 1.1 reads NEL and the Unicode line separators as line breaks, so
# they cannot round-trip through any YAML loader; the reader is compared with PyYAML for those).
TYPED = st.text(
    alphabet=st.characters(
        exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\ufeff"
    ),
    max_size=20,
)


def _plain(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            text,
        ),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)
        ),
        max_leaves=25,
    )


@SETTINGS
@given(_plain(TYPED))
def test_yaml_and_json_of_the_same_data_read_back_identically(document: Any) -> None:
    as_yaml = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    as_json = json.dumps(document, ensure_ascii=False).encode("utf-8")
    from_yaml, from_json = read_yaml(as_yaml, LIMITS), read_json(as_json, LIMITS)
    assert from_yaml.findings == []
    assert from_json.findings == []
    assert from_yaml.document == document
    assert from_json.document == document


@SETTINGS
@given(_plain(st.text(max_size=20)))
def test_yaml_reader_agrees_with_pyyaml_safe_load(document: Any) -> None:
    as_yaml = yaml.safe_dump(document, allow_unicode=True)
    result = read_yaml(as_yaml.encode("utf-8"), LIMITS)
    assert result.findings == []
    assert result.document == yaml.safe_load(as_yaml)
