"""The rule catalogue as data (schemas/rules/catalogue.yaml): one entry per stable rule id.

Every finding names a rule by id; its stage, severity, whether it stops further checks, its
title and how to fix it are looked up here, never retyped where the finding is made. The
catalogue is the rule set of the first collection year; each later year's set inherits the one
before with rules added, amended or deleted (schemas/rules/years/, applied by
`cjreturns.validation.years`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from cjreturns.core.findings import Severity

Stage = Literal["reading", "schema", "rules"]
STAGES: tuple[Stage, ...] = ("reading", "schema", "rules")
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
_FIELDS = {"stage", "severity", "stops", "title", "fix", "workbook_fix"}


class CatalogueError(ValueError):
    """The catalogue file itself is wrong (a programming mistake, caught by the tests)."""


@dataclass(frozen=True)
class RuleEntry:
    """One rule as the catalogue defines it."""

    id: str
    stage: Stage
    severity: Severity
    title: str
    fix: str
    stops: bool = False
    # How to fix it in the words of the return workbook, where that differs from `fix`.
    workbook_fix: str | None = None


def _entry(rule_id: str, raw: Mapping[str, Any]) -> RuleEntry:
    where = f"schemas/rules/catalogue.yaml: rule {rule_id}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s) {sorted(unknown)}")
    missing = {"stage", "severity", "title", "fix"} - set(raw)
    if missing:
        raise CatalogueError(f"{where}: missing {sorted(missing)}")
    if raw["stage"] not in STAGES:
        raise CatalogueError(f"{where}: stage {raw['stage']!r} not in {STAGES}")
    if raw["severity"] not in SEVERITIES:
        raise CatalogueError(f"{where}: severity {raw['severity']!r} not in {SEVERITIES}")
    if raw.get("stops") and raw["stage"] != "reading":
        raise CatalogueError(f"{where}: only a reading rule stops further checks")
    return RuleEntry(
        id=rule_id,
        stage=raw["stage"],
        severity=raw["severity"],
        title=str(raw["title"]),
        fix=str(raw["fix"]),
        stops=bool(raw.get("stops", False)),
        workbook_fix=raw.get("workbook_fix"),
    )


@dataclass(frozen=True)
class Catalogue:
    """The catalogue's entries, in file order."""

    base: tuple[RuleEntry, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.base})

    def get(self, rule_id: str) -> RuleEntry | None:
        entry: RuleEntry | None = self._by_id.get(rule_id)  # type: ignore[attr-defined]
        return entry


def parse_catalogue(raw: Mapping[str, Any]) -> Catalogue:
    """Build the catalogue from the parsed YAML of schemas/rules/catalogue.yaml."""
    return Catalogue(tuple(_entry(k, v) for k, v in raw["rules"].items()))


def _load_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_catalogue() -> Catalogue:
    """The project's catalogue (cached: it never changes while a process runs)."""
    from cjreturns.core.resources import schema_path

    return parse_catalogue(_load_yaml(schema_path("rules") / "catalogue.yaml"))
