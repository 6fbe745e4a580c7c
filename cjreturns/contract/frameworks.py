"""Which framework a reporting year follows, and the 2023 framework's reference data.

Returns for 2016-17 to 2022-23 follow the 2016 OPIF (contract 1.0, seven national outcomes);
from 2023-24 they follow the 2023 Community Justice Performance Framework (contract 2.0, the 13
priority actions of the 2022 National Strategy and nine outcomes' measures). The year decides:
schemas/frameworks.yaml says which years each covers, so nothing else types a year boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml

from cjreturns.contract.reference import load_reference
from cjreturns.core.calendar import parse_year, year_label
from cjreturns.core.resources import schema_path

FrameworkId = Literal["opif_2016", "cjpf_2023"]
OPIF_2016: FrameworkId = "opif_2016"
CJPF_2023: FrameworkId = "cjpf_2023"

# A year's name and first calendar year, as the calendar defines them (one definition).
year_start = parse_year
year_name = year_label


@dataclass(frozen=True)
class Framework:
    """One framework: its names, contract version, schema file and the years it covers."""

    id: FrameworkId
    name: str
    short: str
    contract: str
    schema: str
    dictionary: str
    first_year: str
    last_year: str | None
    shape: str

    def covers(self, year: str) -> bool:
        start = year_start(year)
        first = year_start(self.first_year)
        last = year_start(self.last_year) if self.last_year else None
        if start is None or first is None:
            return False
        return start >= first and (last is None or start <= last)


@cache
def frameworks() -> dict[FrameworkId, Framework]:
    """Every framework in schemas/frameworks.yaml, oldest first."""
    with schema_path("frameworks.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    found = {f["id"]: Framework(**f) for f in raw["frameworks"]}
    return found


def framework(framework_id: FrameworkId) -> Framework:
    return frameworks()[framework_id]


def framework_for_year(year: str | None) -> Framework | None:
    """The framework a reporting year follows; None when the year is not well formed or comes
    before the first framework (2016-17)."""
    if year is None:
        return None
    for f in frameworks().values():
        if f.covers(year):
            return f
    return None


def framework_for_year_or_latest(year: str | None) -> Framework:
    """As framework_for_year, but a year that names none gets the framework in force now."""
    return framework_for_year(year) or list(frameworks().values())[-1]


def shape_of(document: Any) -> FrameworkId | None:
    """Which framework's shape a document is in, judged by its keys and schema_version.

    `priority_actions` at the top is the 2023 shape; `outcomes` holding activities or
    indicators (or schema_version "1.0" without `priority_actions`) is the 2016 shape. None when
    the document shows neither (it will fail its year's schema on its own terms).
    """
    if not isinstance(document, dict):
        return None
    if "priority_actions" in document:
        return CJPF_2023
    version = document.get("schema_version")
    outcomes = document.get("outcomes")
    v1_keys = {"activities", "no_activity_reason", "indicators", "self_evaluation"}
    v2_keys = {"measures", "narrative"}
    if isinstance(outcomes, dict):
        keys = {k for o in outcomes.values() if isinstance(o, dict) for k in o}
        if keys & v1_keys and not keys & v2_keys:
            return OPIF_2016
        if keys & v2_keys and not keys & v1_keys:
            return CJPF_2023
    if version == "1.0":
        return OPIF_2016
    if version == "2.0":
        return CJPF_2023
    return None


# -- the 2023 framework's reference data ---------------------------------------------------------


@dataclass(frozen=True)
class Aim:
    id: int
    text: str
    priority_actions: tuple[int, ...]


@dataclass(frozen=True)
class CJPFOutcome:
    id: int
    text: str
    priority_action: int  # this project's mapping from the wording, not part of the framework


@dataclass(frozen=True)
class Measure:
    code: str
    outcome: int
    source: str  # "cjpf": the framework's own indicator wording; "cjreturns": this project's
    label: str


@dataclass(frozen=True)
class CJPF:
    """The 2022 National Strategy's aims and priority actions with the CJPF's outcomes and
    measures (schemas/reference.yaml: strategy_2022, cjpf_2023)."""

    first_reporting_year: str
    aims: tuple[Aim, ...]
    priority_actions: dict[int, str]
    outcomes: dict[int, CJPFOutcome]
    measures: dict[str, Measure]

    def aim_of(self, priority_action: int) -> Aim:
        for aim in self.aims:
            if priority_action in aim.priority_actions:
                return aim
        raise KeyError(priority_action)

    def measures_of(self, outcome: int) -> list[Measure]:
        return [m for m in self.measures.values() if m.outcome == outcome]


@cache
def load_cjpf() -> CJPF:
    raw = load_reference().raw
    strategy, cjpf = raw["strategy_2022"], raw["cjpf_2023"]
    return CJPF(
        first_reporting_year=str(cjpf["first_reporting_year"]),
        aims=tuple(
            Aim(int(a["id"]), a["text"], tuple(int(p) for p in a["priority_actions"]))
            for a in strategy["aims"]
        ),
        priority_actions={int(a["id"]): a["short"] for a in strategy["priority_actions"]},
        outcomes={
            int(o["id"]): CJPFOutcome(int(o["id"]), o["text"], int(o["priority_action"]))
            for o in cjpf["outcomes"]
        },
        measures={
            m["code"]: Measure(m["code"], int(m["outcome"]), m["source"], m["label"])
            for m in cjpf["measures"]
        },
    )
