"""Checks of who and when: the partnership, the reporting year, the submission dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator

from cjreturns.core.calendar import long_date, parse_date, parse_year, year_label
from cjreturns.validation.rules.context import Context
from cjreturns.validation.rules.registry import Issue, rule


@rule("partnership-unknown")
def _partnership_unknown(ctx: Context) -> Iterator[Issue]:
    name = ctx.document.get("partnership")
    if not isinstance(name, str) or not name.strip():  # blank text is already empty-text
        return
    found, _ = ctx.reference.resolve_partnership(name)
    if found is None:
        names = [p.name for p in ctx.reference.partnerships]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        yield (
            ("partnership",),
            (
                f"{name!r} is not one of the 30 Community Justice Partnerships.{hint} Use the name "
                "exactly as `cjreturns codes partnerships` lists it."
            ),
        )


@rule("partnership-alias")
def _partnership_alias(ctx: Context) -> Iterator[Issue]:
    name = ctx.document.get("partnership")
    if not isinstance(name, str):
        return
    found, alias = ctx.reference.resolve_partnership(name)
    if found is not None and alias:
        yield (
            ("partnership",),
            (
                f"{name!r} is accepted as {found.name!r}. Write the partnership as "
                f"{found.name!r} so "
                "returns match from year to year."
            ),
        )


@rule("reporting-year-format")
def _year_format(ctx: Context) -> Iterator[Issue]:
    value = ctx.document.get("reporting_year")
    if not isinstance(value, str) or parse_year(value) is not None:
        return
    m = re.fullmatch(r"\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*", value)
    if m:
        start = int(m.group(1))
        hint = f" Write it as {start}-{(start + 1) % 100:02d}."
    else:
        hint = " Write it as, for example, 2021-22."
    yield (
        ("reporting_year",),
        (
            f"{value!r} is not a reporting year in the form YYYY-YY covering 1 April to 31 "
            f"March.{hint}"
        ),
    )


@rule("reporting-year-mismatch")
def _year_mismatch(ctx: Context) -> Iterator[Issue]:
    value = ctx.document.get("reporting_year")
    if ctx.year and isinstance(value, str) and parse_year(value) is not None and value != ctx.year:
        yield (
            ("reporting_year",),
            (
                f"This return is for {value}, but {ctx.year} returns are being checked. Send the "
                f"{ctx.year} return, or check with --year {value}."
            ),
        )


def _due_date(ctx: Context, start: int) -> dt.date:
    return ctx.reference.calendar.due(year_label(start))


@rule("submitted-late")
def _late(ctx: Context) -> Iterator[Issue]:
    start = ctx.year_start()
    submitted = parse_date(ctx.document.get("submitted_on"))
    if start is None or submitted is None:
        return
    due = _due_date(ctx, start)
    if submitted > due:
        yield (
            ("submitted_on",),
            (
                f"Submitted on {long_date(submitted)}, after the deadline of {long_date(due)}. "
                "The return will be counted, and noted as late."
            ),
        )


@rule("submitted-before-year-end")
def _early(ctx: Context) -> Iterator[Issue]:
    start = ctx.year_start()
    submitted = parse_date(ctx.document.get("submitted_on"))
    if start is None or submitted is None:
        return
    end = ctx.reference.calendar.end(year_label(start))
    if submitted <= end:
        yield (
            ("submitted_on",),
            (
                f"Submitted on {submitted.isoformat()}, before the "
                f"{ctx.document['reporting_year']} "
                f"reporting year ended on {long_date(end)}. Check the date and the reporting year."
            ),
        )
