"""Local indicators: totals, rates per 10,000 people and their charts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cjreturns.outputs.report.blocks import (
    Bullets,
    Chart,
    Heading,
    para,
)
from cjreturns.outputs.report.draft import (
    INDICATOR_CHARTS,
    MIN_RATES_FOR_CHART,
    Draft,
    section_of,
)
from cjreturns.outputs.report.text import (
    area,
    lower_first,
    number,
    plural,
)


def indicators(d: Draft) -> None:
    indicators = d.agg.get("indicators") or {}
    d.add(
        Heading(2, "Local indicators"),
        para(
            "Partnerships may report local figures for the year. Rates are per 10,000 "
            "people, using each partnership's population. The indicator table in the annex "
            "gives every indicator."
        ),
    )
    bullets = []
    for code, block in indicators.items():
        reporting = int(block.get("partnerships_reporting", 0))
        if not reporting:
            continue
        line = (
            f"{d.ref.label('indicators', code)}: {number(block.get('total', 0))} in all, "
            f"from {d.phrase(reporting, capital=False)}"
        )
        if block.get("median_rate") is not None:
            line += (
                f"; median rate {number(block['median_rate'])} per 10,000 people "
                f"(from {number(block['min_rate'])} to {number(block['max_rate'])})"
            )
        bullets.append(line + ".")
    if bullets:
        d.add(Bullets(tuple(bullets)))
    else:
        d.add(para("No partnership reported a local indicator."))
    for code in _chart_indicators(d, indicators):
        indicator_figure(d, code, indicators[code])
    points = d.talking_points(lambda tp: section_of(tp) == "indicator")
    if points:
        d.add(Heading(3, "Talking points"))
        d.render_talking_points(points, none_text="")


def _chart_indicators(d: Draft, indicators: Mapping[str, Any]) -> list[str]:
    def charted(code: str) -> bool:
        return len((indicators.get(code) or {}).get("rates") or {}) >= MIN_RATES_FOR_CHART

    if d.context.chart_indicators:
        return [c for c in d.context.chart_indicators if charted(c)]
    ranked = sorted(
        (c for c in indicators if charted(c)),
        key=lambda c: (-len(indicators[c]["rates"]), list(indicators).index(c)),
    )
    return ranked[:INDICATOR_CHARTS]


def indicator_figure(d: Draft, code: str, block: Mapping[str, Any]) -> None:
    rates = sorted(block["rates"].items(), key=lambda kv: (-kv[1], kv[0]))
    name = d.ref.label("indicators", code)
    median = block.get("median_rate")
    hi, lo = rates[0], rates[-1]
    reporting = int(block.get("partnerships_reporting", 0))
    hidden = reporting - len(rates)
    note = (
        f" {plural(hidden, 'partnership')} with small counts are not shown." if hidden > 0 else ""
    )
    d.figure(
        Chart(
            kind="indicator_rates",
            title=f"{name}: rate per 10,000 people by partnership",
            labels=tuple(area(p) for p, _ in rates),
            series=(("Rate per 10,000 people", tuple(float(r) for _, r in rates)),),
            axis_label="Rate per 10,000 people",
            reference_line=("Median", float(median)) if median is not None else None,
        ),
        caption=f"{name}: rate per 10,000 people by partnership",
        alt=(
            f"Horizontal bar chart of {lower_first(name)} per 10,000 people for "
            f"{plural(len(rates), 'partnership')}, highest first. Rates range from "
            f"{number(lo[1])} in {area(lo[0])} to {number(hi[1])} in {area(hi[0])}"
            + (f"; the median is {number(median)}." if median is not None else ".")
            + note
            + " The data are in the annex."
        ),
    )
