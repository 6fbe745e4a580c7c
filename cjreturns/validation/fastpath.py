"""A quick yes for schema-valid returns, so jsonschema only runs when there is something to say.

jsonschema walks a return with a general-purpose engine (a new validator object per node);
most returns are valid, and for them that work finds nothing. The schema is compiled here once
into plain Python checks that answer one question: is the document certainly valid? Each check
is as strict as jsonschema's or stricter (a float where an integer is wanted, say, is left to
jsonschema), so "yes" is always right and "no" only means "ask jsonschema", which then finds
and explains the errors. Findings are exactly what jsonschema alone would give.

A schema keyword this module does not know makes `compile_schema` return None, and every
document then goes to jsonschema: a change to the schema can slow validation, never weaken it.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from typing import Any

SchemaCheck = Callable[[Any], bool]

# Keywords that describe but never constrain.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples",
     "version", "x-vocabulary", "deprecated", "readOnly", "writeOnly"}
)  # fmt: skip


class _Unsupported(Exception):
    """The schema uses something the fast path does not check: use jsonschema alone."""


def _is_string(v: Any) -> bool:
    return isinstance(v, str)


def _is_integer(v: Any) -> bool:  # stricter than jsonschema: 2.0 goes to jsonschema
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:  # stricter: Decimal and friends go to jsonschema
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_boolean(v: Any) -> bool:
    return isinstance(v, bool)


def _is_array(v: Any) -> bool:
    return isinstance(v, list)


def _is_object(v: Any) -> bool:
    return isinstance(v, dict)


def _is_null(v: Any) -> bool:
    return v is None


_TYPES: dict[str, SchemaCheck] = {
    "string": _is_string,
    "integer": _is_integer,
    "number": _is_number,
    "boolean": _is_boolean,
    "array": _is_array,
    "object": _is_object,
    "null": _is_null,
}


class _Compiler:
    def __init__(self, root: dict[str, Any], formats: Callable[[Any, str], bool] | None,
                 known_formats: frozenset[str]) -> None:  # fmt: skip
        self.root = root
        self.formats = formats
        self.known_formats = known_formats
        self.refs: dict[str, SchemaCheck] = {}

    def ref(self, ref: str) -> SchemaCheck:
        if not ref.startswith("#/$defs/") or "/" in ref[len("#/$defs/") :]:
            raise _Unsupported(f"$ref {ref}")
        if ref not in self.refs:
            target = self.root.get("$defs", {}).get(ref[len("#/$defs/") :])
            if target is None:
                raise _Unsupported(f"$ref {ref}")
            holder: list[SchemaCheck] = []
            self.refs[ref] = lambda v: holder[0](v)  # allows a definition to refer to itself
            holder.append(self.compile(target))
            self.refs[ref] = holder[0]
        return self.refs[ref]

    def compile(self, schema: Any) -> SchemaCheck:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise _Unsupported("schema is not an object")
        unknown = set(schema) - _ANNOTATIONS - set(_KEYWORDS)
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        checks: list[SchemaCheck] = []
        for keyword in _KEYWORDS:
            if keyword in schema:
                checks.append(getattr(self, "_" + keyword.lstrip("$"))(schema[keyword], schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        checks_ = tuple(checks)

        def every(v: Any) -> bool:  # loops, not all(...): this runs for every value
            for check in checks_:  # noqa: SIM110  (a loop is faster than all() here)
                if not check(v):
                    return False
            return True

        return every

    # -- one method per keyword: each returns a check for the instance -------------------------

    def _type(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        names = value if isinstance(value, list) else [value]
        if not all(isinstance(n, str) and n in _TYPES for n in names):
            raise _Unsupported(f"type {value}")
        tests = tuple(_TYPES[n] for n in names)
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _enum(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        if not isinstance(value, list):
            raise _Unsupported("enum")
        texts = frozenset(x for x in value if isinstance(x, str))
        ints = frozenset(x for x in value if isinstance(x, int) and not isinstance(x, bool))
        # Anything else (a float, a list, True) is left to jsonschema's own comparison.
        return lambda v: (v in texts) if isinstance(v, str) else (type(v) is int and v in ints)

    def _required(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        keys = tuple(value)

        def check(v: Any) -> bool:
            if isinstance(v, dict):
                for k in keys:
                    if k not in v:
                        return False
            return True

        return check

    def _properties(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        props = {k: self.compile(s) for k, s in value.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, child in v.items():
                test = props.get(key)
                if test is not None and not test(child):
                    return False
            return True

        return check

    def _additionalProperties(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        if "patternProperties" in schema:
            raise _Unsupported("patternProperties")
        known = frozenset(schema.get("properties", {}))
        if value is False:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        test = self.compile(value)
        return lambda v: (
            not isinstance(v, dict) or all(test(child) for k, child in v.items() if k not in known)
        )

    def _propertyNames(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        test = self.compile(value)
        return lambda v: not isinstance(v, dict) or all(test(k) for k in v)

    def _items(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        if "prefixItems" in schema or not isinstance(value, dict | bool):
            raise _Unsupported("items")
        test = self.compile(value)

        def check(v: Any) -> bool:
            if isinstance(v, list):
                for item in v:
                    if not test(item):
                        return False
            return True

        return check

    def _minItems(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _minLength(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _minimum(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        def check(v: Any) -> bool:
            if isinstance(v, bool) or not isinstance(v, numbers.Number):
                return True  # not a number: jsonschema does not apply `minimum` either
            return _is_number(v) and v >= value  # a Decimal, say, is left to jsonschema

        return check

    def _pattern(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _format(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        if value not in self.known_formats or self.formats is None:
            return lambda v: True  # jsonschema ignores formats its checker does not know
        conforms = self.formats
        return lambda v: conforms(v, value)

    def _ref(self, value: Any, schema: dict[str, Any]) -> SchemaCheck:
        if not isinstance(value, str):
            raise _Unsupported("$ref")
        return self.ref(value)


_KEYWORDS = (
    "$ref", "type", "enum", "required", "properties", "additionalProperties", "propertyNames",
    "items", "minItems", "minLength", "minimum", "pattern", "format",
)  # fmt: skip


def compile_schema(
    schema: dict[str, Any],
    *,
    formats: Callable[[Any, str], bool] | None = None,
    known_formats: frozenset[str] = frozenset(),
) -> SchemaCheck | None:
    """A check that returns True only for documents `schema` certainly accepts, or None when
    the schema uses a keyword the fast path does not know.

    `formats(instance, name)` is the format checker jsonschema uses (its `conforms`), and
    `known_formats` the formats it checks; others are ignored, as jsonschema ignores them.
    """
    try:
        return _Compiler(schema, formats, known_formats).compile(schema)
    except _Unsupported:
        return None
