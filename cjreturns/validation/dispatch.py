"""The year decides the framework: which schema, rule set and context check a return.

A return in the other framework's shape for its year gets one `framework-mismatch` finding
that names the framework the year follows and what to do, instead of dozens of schema errors
that would all say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cjreturns.contract.frameworks import (
    CJPF_2023,
    OPIF_2016,
    Framework,
    framework,
    framework_for_year,
    shape_of,
    year_start,
)
from cjreturns.contract.reference import load_reference
from cjreturns.core.findings import DocPath
from cjreturns.validation.rules import Context, load_settings
from cjreturns.validation.years import RuleSet, rule_set


@dataclass(frozen=True)
class Choice:
    framework: Framework
    rules: RuleSet
    mismatch: tuple[DocPath, str] | None = None


def choose(document: Any, year: str | None) -> Choice:
    """The framework and rule set for `document`: by its reporting year when it gives a good
    one, else by the year expected (`--year`), else by its shape (2016 when it shows none)."""
    own = document.get("reporting_year") if isinstance(document, dict) else None
    own_ok = year_start(own) is not None
    deciding = own if own_ok else year
    by_year = framework_for_year(deciding)
    shape = shape_of(document)
    fw = by_year or framework(shape or OPIF_2016)
    rules = rule_set(deciding if by_year is not None and deciding else fw.first_year)
    if by_year is not None and shape is not None and shape != by_year.id:
        path: DocPath = ("reporting_year",) if own_ok else ()
        return Choice(fw, rules, (path, mismatch_message(framework(shape), by_year, deciding)))
    return Choice(fw, rules)


def mismatch_message(found: Framework, wanted: Framework, year: str | None) -> str:
    other_years = (
        f"{found.first_year} to {found.last_year}" if found.last_year else f"{found.first_year} on"
    )
    return (
        f"This return is written for the {found.name} (contract {found.contract}: "
        f"{found.shape}), but {year} returns follow the {wanted.name} (contract "
        f"{wanted.contract}: {wanted.shape}). Start from `cjreturns template --year {year}` and "
        f"move the content across, or, if this is a return for {other_years}, correct "
        "`reporting_year`. Nothing else was checked."
    )


def context(document: dict[str, Any], choice: Choice, year: str | None) -> Context:
    """The context the year's rules read: a CJPF one for contract 2.0 returns."""
    if choice.framework.id == CJPF_2023:
        from cjreturns.validation.rules_cjpf import CJPFContext

        return CJPFContext(
            document, load_reference(), load_settings(), year, schema=choice.framework.schema
        )
    return Context(document, load_reference(), load_settings(), year)
