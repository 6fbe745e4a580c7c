"""The national delivery plan: its deliverables as data, their status, and the update document.

    plan = cjreturns.plan.load("examples/delivery-plan/update-2-2024-03.yaml")
    plan.status(as_of=datetime.date(2026, 12, 1))   # a pandas DataFrame, one row a deliverable
    plan.summary(as_of=...)                          # the counts `plan status --format json` prints

model.py     months, statuses, Deliverable and Plan (status, summary, overdue)
strategy.py  the strategy's aims and priority actions, from schemas/reference.yaml
schema_source.py, rules.py, checker.py   the contract, the rules and `plan validate`
changes.py   what changed since an earlier update
activity.py  partnerships reporting activity under each priority action (the returns)
report.py    the update document in Word, in the national report's house style
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cjreturns.plan.checker import (
        PlanInvalidError,
        PlanResult,
        check_document,
        check_file,
        check_paths,
        load,
    )
    from cjreturns.plan.model import STATUSES, Deliverable, Month, Plan, Revision

# Loaded on first use, as in cjreturns/__init__.py: the CLI's --help must not pay for jsonschema.
_LAZY = {
    **dict.fromkeys(
        ("PlanInvalidError", "PlanResult", "check_document", "check_file", "check_paths", "load"),
        "cjreturns.plan.checker",
    ),
    **dict.fromkeys(
        ("STATUSES", "Deliverable", "Month", "Plan", "Revision"), "cjreturns.plan.model"
    ),
    "write_update_report": "cjreturns.plan.report",
    "build_update_report": "cjreturns.plan.report",
    "changes_between": "cjreturns.plan.changes",
    "activity_by_priority_action": "cjreturns.plan.activity",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cjreturns.plan' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "STATUSES",
    "Deliverable",
    "Month",
    "Plan",
    "PlanInvalidError",
    "PlanResult",
    "Revision",
    "activity_by_priority_action",
    "build_update_report",
    "changes_between",
    "check_document",
    "check_file",
    "check_paths",
    "load",
    "write_update_report",
]
