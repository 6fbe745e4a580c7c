"""The checks of the `rules` stage by rule id; everything else about a rule (severity,
title, how to fix) is in the catalogue (schemas/rules/catalogue.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cjreturns.contract.catalogue import Stage, load_catalogue
from cjreturns.core.findings import DocPath, Severity

if TYPE_CHECKING:
    from cjreturns.validation.rules.context import Context


Issue = tuple[DocPath, str]
RuleCheck = Callable[["Context"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    """A catalogue entry (schemas/rules/catalogue.yaml) with its 2016 check, if the check is one
    of the rules here rather than a reader's or the schema's."""

    id: str
    severity: Severity
    stage: Stage
    title: str
    fix: str
    check: RuleCheck | None = None
    stops: bool = False
    workbook_fix: str | None = None  # how to fix it in the workbook's words, where different


# The check functions, by rule id; everything else about a rule is in the catalogue.
CHECKS: dict[str, RuleCheck] = {}


def rule(rule_id: str) -> Callable[[RuleCheck], RuleCheck]:
    """Register the check for a catalogued rule of the `rules` stage."""

    def wrap(func: RuleCheck) -> RuleCheck:
        if rule_id in CHECKS:  # pragma: no cover - a programming mistake caught at import
            raise ValueError(f"duplicate check for rule {rule_id}")
        CHECKS[rule_id] = func
        return func

    return wrap


def _catalogued() -> dict[str, Rule]:
    return {
        e.id: Rule(
            e.id, e.severity, e.stage, e.title, e.fix, CHECKS.get(e.id), e.stops, e.workbook_fix
        )
        for e in load_catalogue().base
    }


def rules_to_run() -> list[Rule]:
    """The 2016 checks in catalogue order (a year's own set: `validation.years.rule_set`)."""
    return [r for r in _catalogued().values() if r.check is not None]
