"""Local indicators: totals and how partnerships' rates per 10,000 people are spread.

Charts show the distribution (how many partnerships fall in each band of rates) with the median,
never partnerships ranked against each other: the national report avoids league tables, and
rates built on different local recording practice would not support one.
"""

from __future__ import annotations

import math

from cjreturns.aggregation.results import IndicatorCounts
from cjreturns.outputs.report.blocks import Bullets, Chart, Heading, para
from cjreturns.outputs.report.draft import INDICATOR_CHARTS, MIN_RATES_FOR_CHART, Draft
from cjreturns.outputs.report.text import lower_first, number, plural, rate


def indicators(d: Draft) -> None:
    found = d.counts.indicators
    d.add(
        Heading(2, "Local indicators"),
        para(
            "Partnerships may report local figures for the year. Rates are per 10,000 people, "
            "using each partnership's population. These are the partnerships' own counts: "
            "definitions and recording differ between areas and not every partnership reports "
            "every indicator, so they are not official statistics and their totals need not "
            "match the national figures in the key facts, given beside them where there is one."
        ),
    )
    national = {f.code: f for f in d.context.key_facts if f.code}
    bullets = []
    for code, block in found.items():
        if not block.partnerships_reporting:
            continue
        line = (
            f"{d.ref.label('indicators', code)}: {number(block.total)} in all, from "
            f"{d.phrase(block.partnerships_reporting, capital=False)}"
        )
        if block.median_rate is not None and block.min_rate is not None:
            line += (
                f"; median rate {rate(block.median_rate)} per 10,000 people (from "
                f"{rate(block.min_rate)} to {rate(block.max_rate or block.min_rate)})"
            )
        fact = national.get(code)
        if fact is not None:
            line += f" (key facts, national statistics: {number(fact.value)})"
        bullets.append(line + ".")
    if bullets:
        d.add(Bullets(tuple(bullets)))
    else:
        d.add(para("No partnership reported a local indicator."))
    for code in _chart_indicators(d):
        indicator_figure(d, code, found[code])
    d.insertions("Local indicators", 2)
    points = d.talking_points("indicator")
    if points:
        d.add(Heading(3, "Talking points"))
        d.write_talking_points(points, none_text="", where="local indicators")


def _chart_indicators(d: Draft) -> list[str]:
    found = d.counts.indicators

    def charted(code: str) -> bool:
        return code in found and len(found[code].rates) >= MIN_RATES_FOR_CHART

    if d.context.chart_indicators:
        return [c for c in d.context.chart_indicators if charted(c)]
    ranked = sorted(
        (c for c in found if charted(c)),
        key=lambda c: (-len(found[c].rates), list(found).index(c)),
    )
    return ranked[:INDICATOR_CHARTS]


def bands(values: list[float], *, count: int = 6) -> list[tuple[float, float, int]]:
    """Equal-width bands of rates (start, end, partnerships in it), on round boundaries."""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    rough = span / count
    power = 10.0 ** math.floor(math.log10(rough))
    width = next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= rough)
    start = math.floor(low / width) * width
    out: list[tuple[float, float, int]] = []
    edge = start
    while edge <= high or not out:
        end = edge + width
        n = sum(1 for v in values if edge <= v < end)
        out.append((edge, end, n))
        edge = end
    return out


def indicator_figure(d: Draft, code: str, block: IndicatorCounts) -> None:
    values = sorted(block.rates.values())
    name = d.ref.label("indicators", code)
    hidden = block.partnerships_reporting - len(values)
    note = (
        f" {plural(hidden, 'partnership')} with small counts are not included."
        if hidden > 0
        else ""
    )
    groups = bands(values)
    labels = tuple(f"{_edge(a)} to under {_edge(b)}" for a, b, _ in groups)
    median = block.median_rate
    d.figure(
        Chart(
            kind="themes",
            title=f"{name}: partnerships by rate per 10,000 people",
            labels=labels,
            series=(("Partnerships", tuple(float(n) for _, _, n in groups)),),
            axis_label="Number of partnerships",
        ),
        caption=f"{name}: how partnerships' rates per 10,000 people are spread",
        alt=(
            f"Bar chart of how many partnerships had each band of rates of {lower_first(name)} "
            f"per 10,000 people, for {plural(len(values), 'partnership')}. Rates range from "
            f"{rate(values[0])} to {rate(values[-1])}"
            + (f"; the median is {rate(median)}." if median is not None else ".")
            + note
            + " The data are in Appendix B."
        ),
    )


def _edge(value: float) -> str:
    return number(round(value, 2))
