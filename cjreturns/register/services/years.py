"""Reporting years: each year's collection in the register, with its deadline from the
reporting calendar."""

from __future__ import annotations

import datetime as dt

from cjreturns.core.errors import UsageError
from cjreturns.register.models import Collection

FRAMEWORK = "Community Justice Outcomes, Performance and Improvement Framework"


def check_year(year: str) -> str:
    from cjreturns.core.calendar import parse_year

    if parse_year(year) is None:
        raise UsageError(f"{year!r} is not a reporting year like 2021-22")
    return year


def deadline_for(year: str) -> dt.date:
    """Returns are due on the reporting calendar's date after the reporting year ends."""
    from cjreturns.contract.reference import load_reference

    return load_reference().calendar.due(check_year(year))


def collection_for(year: str) -> Collection:
    collection, _ = Collection.objects.get_or_create(
        year=check_year(year), defaults={"framework": FRAMEWORK, "deadline": deadline_for(year)}
    )
    return collection
