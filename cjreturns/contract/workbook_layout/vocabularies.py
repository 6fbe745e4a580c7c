"""The workbook's drop-down lists: each vocabulary's codes from the schema (its `enum`, the list
of record), the label a person sees for each from the reference data."""

from __future__ import annotations

from typing import Any

from cjreturns.contract.reference import Reference
from cjreturns.readers.layout_model import Vocabulary, fold, humanise


def _schema_vocabularies(schema: dict[str, Any]) -> dict[str, list[Any]]:
    """Every `x-vocabulary` in the schema with its codes (the schema is the list of record)."""
    found: dict[str, list[Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("x-vocabulary")
            if name and "enum" in node:
                found.setdefault(name, list(node["enum"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return found


def make_vocabulary(name: str, pairs: list[tuple[Any, str]], *, strict: bool = True) -> Vocabulary:
    """A list of (code, label) pairs; raises ValueError if a label or code as a person might
    type it would mean two different codes."""
    lookup: dict[str, Any] = {}
    for code, label in pairs:
        for form in (label, str(code)):
            key = fold(form)
            if lookup.get(key, code) != code:
                raise ValueError(f"workbook list {name}: {form!r} would mean two different codes")
            lookup[key] = code
    return Vocabulary(
        name,
        tuple(c for c, _ in pairs),
        tuple(lab for _, lab in pairs),
        strict,
        lookup,
    )


def build_vocabularies(ref: Reference, schema: dict[str, Any]) -> dict[str, Vocabulary]:
    """Every list the schema has, in the order the schema first names them, then the
    partnerships (a suggestion: other names are allowed)."""
    codes = _schema_vocabularies(schema)
    names: dict[str, dict[Any, str]] = {
        name: ref.vocabulary(name)
        for name in (
            "themes",
            "statutory_partners",
            "partnership_development",
            "challenges",
            "indicators",
        )
    }
    # A number chosen from a list reads with its number first ("4 – Good").
    names["self_evaluation"] = {
        k: f"{k} – {v}" for k, v in ref.vocabulary("self_evaluation").items()
    }
    names["priority_actions"] = {
        k: f"{k} – {v}" for k, v in ref.vocabulary("priority_actions").items()
    }
    out: dict[str, Vocabulary] = {}
    for name, vocab_codes in codes.items():
        table = names.get(name, {})
        if name == "self_evaluation":  # best first, as the reference lists the scale
            vocab_codes = [c for c in ref.self_evaluation if c in vocab_codes]
        pairs = [(c, table.get(c) or humanise(str(c))) for c in vocab_codes]
        out[name] = make_vocabulary(name, pairs)
    out["partnerships"] = make_vocabulary(
        "partnerships", [(p.name, p.name) for p in ref.partnerships], strict=False
    )
    return out
