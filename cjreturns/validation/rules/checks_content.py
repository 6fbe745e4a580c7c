"""Checks of what was done: activity under each outcome, consent, indicators, duplicates,
periods, the sign-off."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from cjreturns.core.calendar import parse_date, year_label
from cjreturns.core.findings import DocPath
from cjreturns.validation.rules.context import Context
from cjreturns.validation.rules.registry import Issue, rule
from cjreturns.validation.rules.texts import _fold, _items, _show_value


@rule("outcome-no-activity-reason")
def _no_activity_reason(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        acts = outcome.get("activities")
        reason = outcome.get("no_activity_reason")
        if (acts is None or acts == []) and not (isinstance(reason, str) and reason.strip()):
            yield (
                ("outcomes", key),
                (
                    f"Outcome {key} has no activities and no `no_activity_reason`. List the "
                    "activities, or say in `no_activity_reason` why there were none."
                ),
            )


@rule("outcome-no-activity")
def _no_activity(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        acts = outcome.get("activities")
        reason = outcome.get("no_activity_reason")
        if (acts is None or acts == []) and isinstance(reason, str) and reason.strip():
            yield (
                ("outcomes", key, "no_activity_reason"),
                (
                    f"Outcome {key} reports no activity (the reason is given). Check nothing was "
                    "missed: national counts will show no activity for this outcome."
                ),
            )


@rule("consent-not-confirmed")
def _consent(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        for i, study in _items(outcome.get("case_studies")):
            value = study.get("consent_confirmed")
            if value is not True:
                path: DocPath = ("outcomes", key, "case_studies", i)
                state = "missing" if value is None else _show_value(value)
                if value is not None:
                    path = (*path, "consent_confirmed")
                yield (
                    path,
                    (
                        f"Case study {i + 1} under outcome {key}: consent is {state}. A case study "
                        "can only be used with the person's consent: set `consent_confirmed: true` "
                        "once it is given, or remove the case study."
                    ),
                )


def _indicator_values(ctx: Context) -> dict[str, tuple[int, DocPath]]:
    values: dict[str, tuple[int, DocPath]] = {}
    for key, outcome in ctx.outcomes():
        indicators = outcome.get("indicators")
        if not isinstance(indicators, dict):
            continue
        for code, value in indicators.items():
            # A negative count is already a schema error (out-of-range); judging it again as an
            # outlier or against its parent count would report one mistake twice.
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and value >= 0
                and (code not in values)
            ):
                values[code] = (value, ("outcomes", key, "indicators", code))
    return values


@rule("count-exceeds")
def _count_exceeds(ctx: Context) -> Iterator[Issue]:
    values = _indicator_values(ctx)
    for code, (value, path) in values.items():
        parent = ctx.reference.indicators.get(code, {}).get("at_most")
        if parent and parent in values and value > values[parent][0]:
            yield (
                path,
                (
                    f"`{code}` is {value:,}, more than `{parent}` ({values[parent][0]:,}), "
                    "which it "
                    f"is part of. Correct whichever figure is wrong."
                ),
            )


@rule("indicator-repeated")
def _indicator_repeated(ctx: Context) -> Iterator[Issue]:
    seen: dict[str, tuple[Any, str]] = {}
    for key, outcome in ctx.outcomes():
        indicators = outcome.get("indicators")
        if not isinstance(indicators, dict):
            continue
        for code, value in indicators.items():
            if code in seen and seen[code][0] != value:
                yield (
                    ("outcomes", key, "indicators", code),
                    (
                        f"`{code}` is {value} here but {seen[code][0]} under outcome "
                        f"{seen[code][1]}. "
                        "Give it once; only the first value is counted."
                    ),
                )
            seen.setdefault(code, (value, key))


@rule("indicator-outlier")
def _indicator_outlier(ctx: Context) -> Iterator[Issue]:
    partnership = ctx.partnership()
    if partnership is None or partnership.population <= 0:
        return
    for code, (value, path) in _indicator_values(ctx).items():
        bounds = ctx.settings.indicator_rates.get(code)
        if not bounds:
            continue
        try:
            rate = value / partnership.population * 10_000
        except OverflowError:  # a count of hundreds of digits is an outlier, not a crash
            rate = math.inf
        low_applies = partnership.population >= ctx.settings.low_bound_min_population
        if rate > bounds["high"] or (low_applies and rate < bounds["low"]):
            yield (
                path,
                (
                    f"`{code}` is {value:,}: {rate:,.1f} per 10,000 people in {partnership.name}. "
                    f"Partnerships usually report {bounds['low']:g} to {bounds['high']:g} per "
                    "10,000 "
                    "people. Check the figure is right and for the whole reporting year."
                ),
            )


@rule("duplicate-activity")
def _duplicate_activity(ctx: Context) -> Iterator[Issue]:
    groups: list[tuple[DocPath, Any]] = [
        (("outcomes", key, "activities"), outcome.get("activities"))
        for key, outcome in ctx.outcomes()
    ]
    groups.append((("local_activity",), ctx.document.get("local_activity")))
    yield from duplicate_titles(groups)


def duplicate_titles(groups: list[tuple[DocPath, Any]]) -> Iterator[Issue]:
    """Activities with the same title (any case or spacing) within one group: the 2016 checks
    group by outcome, the 2023 ones (rules_cjpf.py) by priority action."""
    for base, acts in groups:
        first: dict[str, int] = {}
        for i, act in _items(acts):
            title = act.get("title")
            if not isinstance(title, str) or not title.strip():
                continue
            folded = _fold(title)
            if folded in first:
                yield (
                    (*base, i, "title"),
                    (
                        f"Activity {i + 1} has the same title as activity {first[folded] + 1} "
                        "here. "
                        "If it is the same activity, merge the two so it is counted once."
                    ),
                )
            else:
                first[folded] = i


@rule("period-order")
def _period_order(ctx: Context) -> Iterator[Issue]:
    for path, act in ctx.activities():
        period = act.get("period")
        if not isinstance(period, dict):
            continue
        start, end = parse_date(period.get("start")), parse_date(period.get("end"))
        if start and end and end < start:
            yield (
                (*path, "period", "end"),
                (
                    f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}). "
                    "Correct the dates."
                ),
            )


@rule("period-outside-year")
def _period_outside(ctx: Context) -> Iterator[Issue]:
    start_year = ctx.year_start()
    if start_year is None:
        return
    calendar = ctx.reference.calendar
    year_start = calendar.start(year_label(start_year))
    year_end = calendar.end(year_label(start_year))
    for path, act in ctx.activities():
        period = act.get("period")
        if not isinstance(period, dict):
            continue
        start, end = parse_date(period.get("start")), parse_date(period.get("end"))
        if (end and end < year_start) or (start and start > year_end):
            yield (
                (*path, "period"),
                (
                    "The activity's period lies wholly outside the "
                    f"{ctx.document['reporting_year']} "
                    "reporting year. Check the dates."
                ),
            )


@rule("sign-off-after-submission")
def _sign_off_date(ctx: Context) -> Iterator[Issue]:
    sign_off = ctx.document.get("sign_off")
    if not isinstance(sign_off, dict):
        return
    signed = parse_date(sign_off.get("date"))
    submitted = parse_date(ctx.document.get("submitted_on"))
    if signed and submitted and signed > submitted:
        yield (
            ("sign_off", "date"),
            (
                f"Signed off on {signed.isoformat()}, after it was submitted on "
                f"{submitted.isoformat()}. Check the dates."
            ),
        )


@rule("section-27-not-confirmed")
def _s27(ctx: Context) -> Iterator[Issue]:
    sign_off = ctx.document.get("sign_off")
    if isinstance(sign_off, dict) and sign_off.get("section_27_return") is False:
        yield (
            ("sign_off", "section_27_return"),
            (
                "The sign-off says this is not yet the partnership's agreed return under "
                "section 27 "
                "of the Community Justice (Scotland) Act 2016. Send it once it is agreed."
            ),
        )
