"""A data dictionary for each framework's return, generated from its schema.

One row per field: its dotted path (`*` for any key or item), whether it is required, what kind
of value it holds, the code list it draws on and what it is for. schemas/dictionary/*.md are
the committed copies; a test checks they equal what this builds. Regenerate:
`python -m cjreturns.contract.dictionary`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cjreturns.contract.frameworks import Framework, frameworks
from cjreturns.contract.schema import load_schema
from cjreturns.core.resources import schema_path

_KINDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true/false",
    "array": "list",
    "object": "section",
}


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return defs[ref.rsplit("/", 1)[-1]]
    return node


def _kind(node: dict[str, Any]) -> str:
    if node.get("format") == "date" or node.get("$ref") == "#/$defs/date":
        return "date (YYYY-MM-DD)"
    return _KINDS.get(str(node.get("type")), str(node.get("type", "")))


def rows(schema: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    """(path, required, kind, codes, description) for every field, in schema order."""
    defs = schema.get("$defs", {})

    def walk(path: str, node: dict[str, Any], required: bool, depth: int) -> Iterator[Any]:
        if depth > 10:  # pragma: no cover - the schemas are a few levels deep
            return
        shown = node
        node = _resolve(node, defs)
        codes = node.get("x-vocabulary", "")
        if path:
            yield (
                path,
                "yes" if required else "",
                _kind(shown if "$ref" in shown and shown["$ref"] == "#/$defs/date" else node),
                f"`{codes}`" if codes else "",
                " ".join(str(node.get("description", "")).split()),
            )
        needed = set(node.get("required", []))
        props = node.get("properties", {})
        refs = {str(child.get("$ref")) for child in props.values()}
        if len(props) > 2 and len(refs) == 1 and "None" not in refs:
            # Numbered sections of one shape (outcomes 1-7, priority actions 1-13): once.
            keys = list(props)
            every = all(k in needed for k in keys)
            child = props[keys[0]]
            yield from walk(f"{path}.<{keys[0]}-{keys[-1]}>", child, every, depth + 1)
            return
        for key, child in props.items():
            yield from walk(f"{path}.{key}" if path else key, child, key in needed, depth + 1)
        names = node.get("propertyNames")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            name_codes = names.get("x-vocabulary") if isinstance(names, dict) else None
            child_path = f"{path}.<{name_codes}>" if name_codes else f"{path}.*"
            yield from walk(child_path, extra, False, depth + 1)
        items = node.get("items")
        if isinstance(items, dict):
            yield from walk(f"{path}.*", items, False, depth + 1)

    yield from walk("", schema, True, 0)


def render_dictionary(fw: Framework, schema: dict[str, Any] | None = None) -> str:
    schema = schema or load_schema(fw.schema)
    years = f"{fw.first_year} to {fw.last_year}" if fw.last_year else f"{fw.first_year} onwards"
    lines = [
        f"# Data dictionary: the annual return under the {fw.name}",
        "",
        f"Contract {fw.contract}, for reporting years {years}: {fw.shape}. "
        f"Generated from `schemas/{fw.schema}` by `python -m cjreturns.contract.dictionary`; "
        "do not edit by hand. `*` stands for any key or list item; `<codes>` for a key from that "
        "code list (`cjreturns codes NAME` lists them).",
        "",
        "| Field | Required | Kind | Codes | What it is |",
        "|---|---|---|---|---|",
    ]
    for path, required, kind, codes, description in rows(schema):
        cells = (f"`{path}`", required, kind, codes, description.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    for fw in frameworks().values():
        schema_path(fw.dictionary).write_text(render_dictionary(fw), encoding="utf-8")
