"""The return's JSON Schemas, one per framework, as files under schemas/ (frameworks.yaml names
them). Loading and navigation only (and the key order they give a return): checking a document
against them is validation's job."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from cjreturns.core.findings import DocPath
from cjreturns.core.resources import schema_path
from cjreturns.readers.layout_model import order_like_schema

V1_SCHEMA = "return.schema.json"


@cache
def load_schema(name: str = V1_SCHEMA) -> dict[str, Any]:
    """A framework's schema by its file under schemas/ (frameworks.yaml names them)."""
    with schema_path(name).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def in_contract_order(value: Any, *, like: DocPath = (), schema: str | None = None) -> Any:
    """`value` with every mapping's keys in the order the contract (the schema) lists them.

    `like` is where `value` sits in a return. Keys the schema does not know keep their order
    after the known ones. Used so a workbook, a conversion or a JSON dump reads like the
    contract, whatever order the source file had. `schema` is the framework's; for a whole
    return it is found from the return (its year, else its shape).
    """
    if schema is None:
        schema = V1_SCHEMA
        if not like and isinstance(value, dict):
            from cjreturns.contract.frameworks import framework, framework_for_year, shape_of

            found = framework_for_year(value.get("reporting_year"))
            shape = shape_of(value)
            schema = (found or framework(shape or "opif_2016")).schema
    return order_like_schema(value, load_schema(schema), like=like)
