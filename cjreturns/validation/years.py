"""Rules per collection year: each year's rule set is the previous year's with changes.

schemas/rules/years/YYYY-YY.yaml lists what a year added, amended and deleted (as the
data-to-insight validators do); the first year starts from the rule catalogue. So a rule changed
in 2024-25 is written once, in 2024-25, and every year can say which rules changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

import yaml

from cjreturns.contract.catalogue import load_catalogue
from cjreturns.contract.frameworks import Framework, framework_for_year, year_name, year_start
from cjreturns.core.errors import UsageError
from cjreturns.core.findings import Severity
from cjreturns.core.resources import data_dir
from cjreturns.validation.rules import CHECKS, Issue

Status = Literal["added", "amended", "deleted", "unchanged"]
_FIELDS = ("severity", "stage", "title", "fix", "workbook_fix", "check", "stops", "params")


@dataclass(frozen=True)
class YearRule:
    """One rule as a collection year defines it, and how it changed from the year before."""

    id: str
    severity: Severity
    stage: str
    title: str
    fix: str
    check: str | None = (
        None  # "opif_2016" (the 2016 function), "cjpf_2023", or None (reader/schema)
    )
    stops: bool = False
    workbook_fix: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    status: Status = "unchanged"
    since: str = ""  # the year this definition was written
    why: str = ""

    def run(self, ctx: Any) -> Iterable[Issue]:
        """The rule's findings on a context of the right framework."""
        if self.check == "opif_2016":
            return CHECKS[self.id](ctx)
        if self.check == "cjpf_2023":
            from cjreturns.validation.rules_cjpf import CJPF_CHECKS

            return CJPF_CHECKS[self.id](ctx, self.params)
        raise ValueError(f"rule {self.id} has no check to run")


@dataclass(frozen=True)
class RuleSet:
    year: str
    framework: Framework
    rules: dict[str, YearRule]  # in force this year
    deleted: dict[str, YearRule]  # deleted this year (as they were the year before)

    def severity(self, rule_id: str) -> Severity:
        """The severity of a rule in force this year (an unknown id is a programming mistake
        that the catalogue tests catch)."""
        return self.rules[rule_id].severity

    def checks(self) -> list[YearRule]:
        return [r for r in self.rules.values() if r.check is not None]

    def catalogue(self) -> list[YearRule]:
        """Every rule in force plus those deleted this year, for `cjreturns rules --year`."""
        return list(self.rules.values()) + list(self.deleted.values())


def _year_files() -> dict[int, dict[str, Any]]:
    folder = data_dir("schemas") / "rules" / "years"
    found: dict[int, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        start = year_start(raw.get("year"))
        if start is None or year_name(start) != path.stem:
            raise ValueError(f"{path.name}: `year` must be {path.stem!r}")
        found[start] = raw
    return found


def _base() -> dict[str, YearRule]:
    """The catalogue's rules (schemas/rules/catalogue.yaml) as the first year has them."""
    return {
        e.id: YearRule(
            id=e.id,
            severity=e.severity,
            stage=e.stage,
            title=e.title,
            fix=e.fix,
            check="opif_2016" if e.stage == "rules" and e.id in CHECKS else None,
            stops=e.stops,
            workbook_fix=e.workbook_fix,
        )
        for e in load_catalogue().base
    }


@cache
def _all_sets() -> dict[int, RuleSet]:
    files = _year_files()
    first = min(files)
    current: dict[str, YearRule] = {}
    sets: dict[int, RuleSet] = {}
    for start in range(first, max(files) + 1):
        name = year_name(start)
        fw = framework_for_year(name)
        if fw is None:
            raise ValueError(f"schemas/frameworks.yaml names no framework for {name}")
        raw = files.get(start)
        if start == first:
            current = {k: replace(v, status="added", since=name) for k, v in _base().items()}
        else:
            current = {k: replace(v, status="unchanged") for k, v in current.items()}
        deleted: dict[str, YearRule] = {}
        if raw:
            current, deleted = _apply(current, raw, name)
        sets[start] = RuleSet(name, fw, current, deleted)
    return sets


def _apply(
    rules: dict[str, YearRule], raw: dict[str, Any], year: str
) -> tuple[dict[str, YearRule], dict[str, YearRule]]:
    out = dict(rules)
    deleted: dict[str, YearRule] = {}
    for rule_id, why in (raw.get("deleted") or {}).items():
        if rule_id not in out:
            raise ValueError(f"{year}: deletes {rule_id}, which is not in force")
        deleted[rule_id] = replace(out.pop(rule_id), status="deleted", since=year, why=str(why))
    for rule_id, change in (raw.get("amended") or {}).items():
        if rule_id not in out:
            raise ValueError(f"{year}: amends {rule_id}, which is not in force")
        fields = {k: v for k, v in change.items() if k in _FIELDS}
        out[rule_id] = replace(
            out[rule_id], **fields, status="amended", since=year, why=str(change.get("why", ""))
        )
    for rule_id, entry in (raw.get("added") or {}).items():
        if rule_id in out:
            raise ValueError(f"{year}: adds {rule_id}, which is already in force")
        fields = {k: v for k, v in entry.items() if k in _FIELDS}
        out[rule_id] = YearRule(id=rule_id, **fields, status="added", since=year)
    return out, deleted


def first_year() -> str:
    return year_name(min(_all_sets()))


def rule_set(year: str) -> RuleSet:
    """The rule set for a collection year (a year after the last file inherits its set)."""
    start = year_start(year)
    sets = _all_sets()
    if start is None:
        raise UsageError(f"{year!r} is not a reporting year like 2024-25")
    if start < min(sets):
        raise UsageError(f"cjreturns has no rules for years before {first_year()}")
    if start in sets:
        return sets[start]
    last = sets[max(sets)]
    fw = framework_for_year(year)
    assert fw is not None
    unchanged = {k: replace(v, status="unchanged") for k, v in last.rules.items()}
    return RuleSet(year, fw, unchanged, {})


@cache
def every_rule() -> dict[str, YearRule]:
    """Every rule any year defines, as most recently defined: for describing a finding whatever
    year it came from."""
    out: dict[str, YearRule] = {}
    for rules in _all_sets().values():
        out.update(rules.rules)
    return out
