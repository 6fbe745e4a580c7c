"""Rules beyond the schema: each has a stable id, a severity, what it checks and how to fix it.

A rule of the `rules` stage is a small function registered with `@rule(id)`; it receives a
`Context` and yields (path, message) pairs. Its severity, title and fix are data in the rule
catalogue (schemas/rules/catalogue.yaml); settings (word limits, placeholder and personal-data
patterns, indicator ranges) are data in schemas/rules.yaml. The checks are grouped by topic:
`checks_identity` (who and when), `checks_content` (what was done), `checks_text` (free text).
"""

from __future__ import annotations

from typing import Any

# Importing the check modules registers their checks.
from cjreturns.validation.rules import checks_content, checks_identity, checks_text  # noqa: F401
from cjreturns.validation.rules.context import Context, context_for
from cjreturns.validation.rules.registry import (
    CHECKS,
    Issue,
    Rule,
    RuleCheck,
    _catalogued,
    rule,
    rules_to_run,
)
from cjreturns.validation.rules.settings import Settings, load_settings
from cjreturns.validation.rules.texts import (
    MAX_CACHED_TRANSITIONS,
    TextLeaf,
    _fold,
    _items,
    _joined_form,
    _matches,
    _prescreen,
    _show_value,
    _start,
    _State,
    _words,
    classify_texts,
    text_leaves,
)

__all__ = [
    "CHECKS",
    "MAX_CACHED_TRANSITIONS",
    "Context",
    "Issue",
    "Rule",
    "RuleCheck",
    "Settings",
    "TextLeaf",
    "_State",
    "_fold",
    "_items",
    "_joined_form",
    "_matches",
    "_prescreen",
    "_show_value",
    "_start",
    "_words",
    "classify_texts",
    "context_for",
    "load_settings",
    "rule",
    "rules_to_run",
    "text_leaves",
]


def __getattr__(name: str) -> Any:
    # `RULES` (the first year's rules by id, each with its check) was a module constant before
    # the catalogue became data; it is built on use now, so importing this module reads no file.
    # `parse_year` lives in the calendar now.
    if name == "RULES":
        return _catalogued()
    if name == "parse_year":
        from cjreturns.core.calendar import parse_year

        return parse_year
    raise AttributeError(name)
