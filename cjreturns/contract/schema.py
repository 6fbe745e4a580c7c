"""The return's JSON Schemas, one per framework, as files under schemas/ (frameworks.yaml names
them). Loading and navigation only: checking a document against them is validation's job."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from cjreturns.core.resources import schema_path

V1_SCHEMA = "return.schema.json"


@cache
def load_schema(name: str = V1_SCHEMA) -> dict[str, Any]:
    """A framework's schema by its file under schemas/ (frameworks.yaml names them)."""
    with schema_path(name).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema
