"""The rule catalogue as data (schemas/rules/catalogue.yaml), and each collection year's rule set.

Every finding names a rule by id; its stage, severity, whether it stops further checks, its
title and how to fix it are looked up here, never retyped where the finding is made.

Rule sets are versioned per collection year, as long-lived collections do: the catalogue is the
set of its first year, and a year with a file in `schemas/rules/years/` (`2024-25.yaml`) changes
the set it inherits from the year before with rules `added`, `amended` (only the fields given
change) or `deleted`. Every year's catalogue can then say which rules it added, amended or
deleted, and a rule changed in 2024-25 is written once, in 2024-25.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from cjreturns.core.calendar import parse_year
from cjreturns.core.findings import Severity

Stage = Literal["reading", "schema", "rules"]
Status = Literal["unchanged", "added", "amended", "deleted"]
STAGES: tuple[Stage, ...] = ("reading", "schema", "rules")
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
_FIELDS = {"stage", "severity", "stops", "title", "fix", "workbook_fix"}


class CatalogueError(ValueError):
    """The catalogue files themselves are wrong (a programming mistake, caught by the tests)."""


@dataclass(frozen=True)
class RuleEntry:
    """One rule as the catalogue defines it for one year."""

    id: str
    stage: Stage
    severity: Severity
    title: str
    fix: str
    stops: bool = False
    # How to fix it in the words of the return workbook, where that differs from `fix`.
    workbook_fix: str | None = None
    # What the year's set did to the rule, compared with the year before.
    status: Status = "unchanged"


def _entry(rule_id: str, raw: Mapping[str, Any], where: str) -> RuleEntry:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise CatalogueError(f"{where}: rule {rule_id}: unknown field(s) {sorted(unknown)}")
    missing = {"stage", "severity", "title", "fix"} - set(raw)
    if missing:
        raise CatalogueError(f"{where}: rule {rule_id}: missing {sorted(missing)}")
    return _checked(
        RuleEntry(
            id=rule_id,
            stage=raw["stage"],
            severity=raw["severity"],
            title=str(raw["title"]),
            fix=str(raw["fix"]),
            stops=bool(raw.get("stops", False)),
            workbook_fix=raw.get("workbook_fix"),
        ),
        where,
    )


def _checked(entry: RuleEntry, where: str) -> RuleEntry:
    if entry.stage not in STAGES:
        raise CatalogueError(f"{where}: rule {entry.id}: stage {entry.stage!r} not in {STAGES}")
    if entry.severity not in SEVERITIES:
        raise CatalogueError(
            f"{where}: rule {entry.id}: severity {entry.severity!r} not in {SEVERITIES}"
        )
    if entry.stops and entry.stage != "reading":
        raise CatalogueError(f"{where}: rule {entry.id}: only reading rules stop further checks")
    return entry


@dataclass(frozen=True)
class RuleSet:
    """The rules of one collection year, in catalogue order, deleted ones included (marked)."""

    year: str | None
    entries: tuple[RuleEntry, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __iter__(self) -> Iterator[RuleEntry]:
        return iter(e for e in self.entries if e.status != "deleted")

    def __contains__(self, rule_id: object) -> bool:
        entry = self._by_id.get(rule_id)  # type: ignore[attr-defined]
        return entry is not None and entry.status != "deleted"

    def get(self, rule_id: str) -> RuleEntry | None:
        """The rule in force this year, or None (unknown, or deleted this year)."""
        entry: RuleEntry | None = self._by_id.get(rule_id)  # type: ignore[attr-defined]
        return entry if entry is not None and entry.status != "deleted" else None

    def __getitem__(self, rule_id: str) -> RuleEntry:
        entry = self.get(rule_id)
        if entry is None:
            raise KeyError(rule_id)
        return entry

    def severity(self, rule_id: str) -> Severity:
        """The severity of a rule in force; an unknown id is a programming mistake."""
        return self[rule_id].severity

    def with_status(self) -> tuple[RuleEntry, ...]:
        """Every rule the year knows of, deleted ones included, each with its status."""
        return self.entries

    def stopping(self) -> frozenset[str]:
        """Reading rules after which no further check runs."""
        return frozenset(e.id for e in self if e.stops)


@dataclass(frozen=True)
class Catalogue:
    """The base catalogue and the per-year changes to it."""

    base: tuple[RuleEntry, ...]
    changes: tuple[tuple[int, Mapping[str, Any]], ...]  # (first calendar year, raw change)

    def for_year(self, year: str | None) -> RuleSet:
        """The rule set in force for `year` ("2024-25"); None or an unreadable year gives the
        newest set, so a file that cannot say its year is still checked against current rules."""
        start = parse_year(year) if year is not None else None
        applied = [c for c in self.changes if start is None or c[0] <= start]
        entries = {e.id: e for e in self.base}
        status: dict[str, Status] = {}
        for change_start, raw in applied:
            where = f"schemas/rules/years/{change_start}"
            # A rule deleted in an earlier year is gone; this year's changes start afresh.
            entries = {k: v for k, v in entries.items() if status.get(k) != "deleted"}
            status = {}
            for rule_id in raw.get("deleted") or ():
                if rule_id not in entries:
                    raise CatalogueError(f"{where}: deletes unknown rule {rule_id}")
                status[rule_id] = "deleted"
            for rule_id, fields in (raw.get("amended") or {}).items():
                if rule_id not in entries:
                    raise CatalogueError(f"{where}: amends unknown rule {rule_id}")
                unknown = set(fields) - _FIELDS
                if unknown:
                    raise CatalogueError(f"{where}: rule {rule_id}: unknown {sorted(unknown)}")
                entries[rule_id] = _checked(replace(entries[rule_id], **fields), where)
                status[rule_id] = "amended"
            for rule_id, fields in (raw.get("added") or {}).items():
                if rule_id in entries:
                    raise CatalogueError(f"{where}: adds rule {rule_id}, which exists")
                entries[rule_id] = _entry(rule_id, fields, where)
                status[rule_id] = "added"
        # Statuses say what the year's own change did; a year without a change file inherits
        # the set as it stood, every rule unchanged.
        if start is not None and (not applied or applied[-1][0] != start):
            entries = {k: v for k, v in entries.items() if status.get(k) != "deleted"}
            status = {}
        return RuleSet(
            year,
            tuple(replace(e, status=status.get(e.id, "unchanged")) for e in entries.values()),
        )

    def every_rule(self) -> dict[str, RuleEntry]:
        """Every rule id any year defines (its newest definition), for look-ups that cover
        findings of any year (the catalogue tests, `rules --format csv` of all years)."""
        out = {e.id: e for e in self.base}
        for _, raw in self.changes:
            for rule_id, fields in (raw.get("added") or {}).items():
                out[rule_id] = _entry(rule_id, fields, "years")
            for rule_id, fields in (raw.get("amended") or {}).items():
                out[rule_id] = replace(out[rule_id], **fields)
        return out


def parse_catalogue(raw: Mapping[str, Any], years: Mapping[str, Mapping[str, Any]]) -> Catalogue:
    """Build a catalogue from the parsed YAML of the base file and each year's change file."""
    base = tuple(_entry(k, v, "catalogue.yaml") for k, v in raw["rules"].items())
    changes = []
    for year, change in years.items():
        start = parse_year(year)
        if start is None:
            raise CatalogueError(f"schemas/rules/years/{year}: not a reporting year like 2024-25")
        extra = set(change) - {"year", "added", "amended", "deleted", "note"}
        if extra:
            raise CatalogueError(f"schemas/rules/years/{year}: unknown section(s) {sorted(extra)}")
        changes.append((start, change))
    return Catalogue(base, tuple(sorted(changes, key=lambda c: c[0])))


def _load_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_catalogue() -> Catalogue:
    """The project's catalogue (cached: it never changes while a process runs)."""
    from cjreturns.core.resources import schema_path

    folder = schema_path("rules")
    years_dir = folder / "years"
    years = (
        {p.stem: _load_yaml(p) or {} for p in sorted(years_dir.glob("*.yaml"))}
        if years_dir.is_dir()
        else {}
    )
    return parse_catalogue(_load_yaml(folder / "catalogue.yaml"), years)


def rule_set(year: str | None = None) -> RuleSet:
    """The rules in force for a collection year (the newest set when the year is unknown)."""
    return _rule_set(year)


@cache
def _rule_set(year: str | None) -> RuleSet:
    return load_catalogue().for_year(year)
