"""Checking a document against schemas/return.schema.json, in plain English.

jsonschema's own messages are written for programmers ("'x' is not of type 'integer'"); each
error is translated here into a finding that says what to change. The validator is compiled
once per process.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from cjreturns.contract.schema import V1_SCHEMA, load_schema
from cjreturns.contract.schema_source import NOT_BLANK
from cjreturns.core.findings import DocPath, dotted
from cjreturns.validation.fastpath import SchemaCheck, compile_schema

if TYPE_CHECKING:  # jsonschema is imported on first use, so `cjreturns --help` stays fast
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

# (rule id, path, message) before locations are added; the severity is the catalogue's.
RawFinding = tuple[str, DocPath, str]

MAX_SCHEMA_ERRORS = 1_000  # listed for one file; beyond this a summary finding says so

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a section of named fields",
    "null": "empty",
}

_VOCABULARY_WORDS = {
    "themes": "theme code",
    "priority_actions": "priority action number (1 to 13)",
    "statutory_partners": "statutory partner code",
    "activity_status": "activity status",
    "challenges": "challenge code",
    "indicators": "indicator code",
    "self_evaluation": "self-evaluation score (1 to 6)",
    "partner_participation_levels": "participation level",
    "partnership_development": "partnership development code",
    "recommendation_status": "recommendation status",
    "measures": "measure code",
}


@cache
def validator(name: str = V1_SCHEMA) -> Draft202012Validator:
    """The compiled validator: built once per schema, reused for every file."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema(name)
    # No check_schema here: the schema is generated and shipped with the package, and
    # tests/test_schema.py checks it against the 2020-12 metaschema (checking it on every run
    # cost a twentieth of a second).
    checker = FormatChecker(formats=("date",))
    if importlib.util.find_spec("referencing") is None:
        # jsonschema before 4.18 (the check page's: its successors need rpds-py, compiled and
        # not in Pyodide's core) joins "#/$defs/x" to our urn: $id as "" and then cannot find
        # "": the schema is registered under "" as well.
        from jsonschema import RefResolver

        resolver = RefResolver("", schema, store={schema.get("$id", ""): schema})
        return Draft202012Validator(schema, format_checker=checker, resolver=resolver)
    return Draft202012Validator(schema, format_checker=checker)


@cache
def coded_field_patterns(name: str = V1_SCHEMA) -> tuple[tuple[str, ...], ...]:
    """Paths (with * for any key or item) of string fields that hold codes, dates or links.

    Text rules (placeholders, personal data) read narrative only: `none` is a participation
    level, not a placeholder.
    """
    schema = load_schema(name)
    defs = schema.get("$defs", {})
    found: list[tuple[str, ...]] = []
    stack: list[tuple[tuple[str, ...], dict[str, Any], int]] = [((), schema, 0)]
    while stack:
        path, node, depth = stack.pop()
        if depth > 12:
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            node = defs[ref.rsplit("/", 1)[-1]]
        coded = "enum" in node or "format" in node or node.get("pattern", NOT_BLANK) != NOT_BLANK
        if node.get("type") == "string" and coded:
            found.append(path)
        for key, child in node.get("properties", {}).items():
            stack.append(((*path, key), child, depth + 1))
        for keyword in ("items", "additionalProperties"):
            child = node.get(keyword)
            if isinstance(child, dict):
                stack.append(((*path, "*"), child, depth + 1))
    return tuple(sorted(set(found)))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "empty"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a section of named fields"
    return type(value).__name__


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _name(path: DocPath) -> str:
    """How a field is named in a message: its key, or its list position in words."""
    if not path:
        return "The return"
    last = path[-1]
    if isinstance(last, int):
        parent = path[-2] if len(path) > 1 else "list"
        return f"Item {last + 1} of `{parent}`"
    return f"`{last}`"


@cache
def quick_check(name: str = V1_SCHEMA) -> SchemaCheck | None:
    """The schema compiled into plain checks that recognise valid documents quickly."""
    checker = validator(name).format_checker
    if checker is None:
        return compile_schema(load_schema(name))
    return compile_schema(
        load_schema(name), formats=checker.conforms, known_formats=frozenset(checker.checkers)
    )


def schema_findings(document: Any, *, schema: str = V1_SCHEMA) -> Iterator[RawFinding]:
    """Translate every schema error in `document` into (rule, path, message).

    A value of the wrong type also fails `enum` ("1.0" typed as 1.0): only the type is
    reported, so one mistake gives one finding.
    """
    quick = quick_check(schema)
    if quick is not None and quick(document):
        return  # certainly valid: jsonschema would find nothing (see fastpath.py)
    raw: list[RawFinding] = []
    more = False
    for error in validator(schema).iter_errors(document):
        for f in _translate(error):  # one error can be many findings (240,000 unknown keys)
            more = len(raw) >= MAX_SCHEMA_ERRORS
            if more:
                break
            raw.append(f)
        if more:
            break
    if more:
        # Thousands of schema errors are one mistake repeated (a list of the wrong thing);
        # listing them all took minutes and gigabytes for a 3 MB file.
        raw.append(
            (
                "too-many-problems",
                (),
                f"The file has more than {MAX_SCHEMA_ERRORS:,} problems against the return's "
                f"structure; only the first {MAX_SCHEMA_ERRORS:,} are listed. Correct those (often "
                "one mistake repeated) and check again.",
            )
        )
    mistyped = {path for rule, path, _ in raw if rule == "wrong-type"}
    for f in raw:
        if f[0] == "wrong-type" or f[1] not in mistyped:
            yield f


def _translate(error: ValidationError) -> Iterator[RawFinding]:
    path: DocPath = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = f" (at {dotted(path)})" if path else ""
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in instance and path == ("outcomes",):
                yield (
                    "missing-field",
                    (*path, key),
                    f"Outcome {key} is missing. Add it, with its activities or a "
                    "`no_activity_reason`.",
                )
            elif key not in instance and path == ("priority_actions",):
                yield (
                    "missing-field",
                    (*path, key),
                    f"Priority action {key} is missing. Add it, with its activities or a "
                    "`no_activity_reason`.",
                )
            elif key not in instance:
                yield (
                    "missing-field",
                    (*path, key),
                    f"`{key}` is missing{where}. Add it: it is required here.",
                )
        return
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            if path == ("outcomes",):
                msg = (
                    f"`{key}` is not a national outcome: outcomes are numbered 1 to {len(known)}. "
                    "It will be ignored; move its content under the right outcome number."
                )
            elif path == ("priority_actions",):
                msg = (
                    f"`{key}` is not a priority action: they are numbered 1 to {len(known)}. It "
                    "will be ignored; move its content under the right priority action."
                )
            else:
                msg = f"`{key}` is not a field of the return here{where}; it will be ignored.{hint}"
            yield ("unknown-field", (*path, key), msg)
        return
    if kind == "type":
        expected = error.validator_value
        kinds = expected if isinstance(expected, list) else [expected]
        wanted = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in kinds)
        got = _describe(error.instance)
        hint = ""
        if expected == "string" and isinstance(error.instance, int | float):
            hint = " Put the value in quotes."
        elif expected == "array" and isinstance(error.instance, str):
            hint = " Write it as a list, even with one item: [" + _show(error.instance) + "]."
        yield (
            "wrong-type",
            path,
            f"{_name(path)} should be {wanted}, not {got}{where}.{hint}",
        )
        return
    if kind == "enum":
        vocab = schema.get("x-vocabulary")
        in_names = "propertyNames" in error.schema_path
        value = error.instance
        target = (*path, value) if in_names else path
        if vocab:
            word = _VOCABULARY_WORDS.get(vocab, vocab)
            options = [str(o) for o in error.validator_value]
            close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
            hint = f" Did you mean {_show(close[0])}?" if close else ""
            listing = (
                f"Use one of: {', '.join(options)}."
                if len(options) <= 8
                else f"`cjreturns codes {vocab}` lists them."
            )
            yield (
                "unknown-code",
                target,
                f"{_show(value)} is not a recognised {word}.{hint} {listing}",
            )
        else:
            allowed = ", ".join(_show(o) for o in error.validator_value)
            yield ("bad-value", target, f"{_name(path)} must be {allowed}{where}.")
        return
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = error.validator_value
        relation = "at least" if "inimum" in kind else "at most"
        yield (
            "out-of-range",
            path,
            f"{_name(path)} is {_show(error.instance)}; it must be {relation} {bound}{where}.",
        )
        return
    if kind == "minItems":
        yield (
            "empty-list",
            path,
            f"{_name(path)} is empty{where}. Give at least {error.validator_value}.",
        )
        return
    if kind == "minLength" or (kind == "pattern" and error.validator_value == NOT_BLANK):
        yield (
            "empty-text",
            path,
            f"{_name(path)} is blank{where}. Write something or remove the field.",
        )
        return
    if kind in ("format", "pattern"):
        if schema.get("format") == "date" or "date" in error.schema_path:
            msg = (
                f"{_show(error.instance)} is not a date written as YYYY-MM-DD{where}, "
                "e.g. 2022-09-29."
            )
        elif path and path[-1] == "email":
            msg = f"{_name(path)} is not an email address{where}."
        elif path and path[-2:-1] == ("links",):
            msg = f"{_show(error.instance)} is not a web address starting http:// or https://."
        else:
            msg = f"{_show(error.instance)} is not in the expected form{where}."
        yield ("bad-format", path, msg)
        return
    yield ("schema", path, f"{error.message}{where}.")
