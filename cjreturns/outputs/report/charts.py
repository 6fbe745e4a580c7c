"""Draws the report's charts as PNG bytes with matplotlib (Agg canvas, no pyplot, no display).

Output is deterministic: fixed size, resolution and font, and no software or date stamp in the
PNG, so the same counts give the same image. Import this module only when drawing: matplotlib
is slow to import.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from cjreturns.outputs.report.blocks import Chart

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 25 mm margins
DPI = 150
BAR_COLOUR = "#1F3A5F"  # the heading blue: strong contrast on white
LINE_COLOUR = "#B35900"
# Six steps, dark to light, distinguishable in greyscale and by people with colour blindness.
SCALE_COLOURS = ("#08306B", "#2171B5", "#6BAED6", "#C6DBEF", "#FDAE6B", "#D94801")
RC: Any = {  # Any: matplotlib types rcParams keys as a Literal of every name
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "cjreturns",
    "path.simplify": False,
}


def draw(chart: Chart) -> bytes:
    """The chart as PNG bytes."""
    import matplotlib

    with matplotlib.rc_context(RC):
        if chart.kind == "self_evaluation":
            fig = _stacked(chart)
        elif chart.kind in ("themes", "indicator_rates"):
            fig = _horizontal(chart)
        else:
            raise ValueError(f"unknown chart kind {chart.kind!r}")
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _figure(height: float, *, left: float, right: float = 0.25, bottom: float = 0.55) -> Any:
    """A figure with fixed margins in inches: no layout engine, so one draw per chart."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(
        left=left / WIDTH_IN,
        right=1 - right / WIDTH_IN,
        bottom=bottom / height,
        top=1 - 0.15 / height,
    )
    return fig


def _text_width(label: str, size: float = 9) -> float:
    """Roughly how wide a line of DejaVu Sans is, in inches (enough to set margins)."""
    longest = max((len(line) for line in label.split("\n")), default=0)
    return longest * size * 0.58 / 72


def _wrap(label: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _horizontal(chart: Chart) -> Any:
    labels = [_wrap(label) for label in chart.labels]
    values = list(chart.series[0][1])
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(2.2, 0.9 + 0.17 * lines + 0.1 * len(labels))
    fig = _figure(height, left=0.2 + max(_text_width(label) for label in labels), right=0.45)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color=BAR_COLOUR)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # first label at the top, as the reader reads
    ax.set_xlabel(chart.axis_label)
    top = chart.axis_max or (max(values) if values else 1) or 1
    ax.set_xlim(0, top * 1.08)
    decimals = 0 if all(float(v).is_integer() for v in values) else 1
    ax.bar_label(
        bars,
        labels=[f"{v:,.{decimals}f}" for v in values],
        padding=2,
        fontsize=8,
        # a white box keeps a value readable where it crosses the median line
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
    )
    if chart.reference_line is not None:
        name, value = chart.reference_line
        ax.axvline(
            value,
            color=LINE_COLOUR,
            linestyle="--",
            linewidth=1.2,
            zorder=0.5,  # behind the bars and their values
            label=f"{name}: {_label(value)}",
        )
        ax.legend(loc="lower right", frameon=False)
    if chart.kind == "themes":
        ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def _stacked(chart: Chart) -> Any:
    legend = max(_text_width(name, 8) for name, _ in chart.series)
    fig = _figure(3.6, left=0.6, right=0.3 + legend, bottom=0.6)
    ax = fig.add_subplot()
    positions = list(range(len(chart.labels)))
    bottoms = [0.0] * len(positions)
    for (name, values), colour in zip(chart.series, SCALE_COLOURS, strict=False):
        ax.bar(
            positions,
            values,
            bottom=bottoms,
            color=colour,
            label=name,
            edgecolor="white",
            linewidth=0.5,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    # "Outcome 1" under every bar would collide: number the bars and name the axis once.
    ax.set_xticks(positions, [label.removeprefix("Outcome ") for label in chart.labels])
    ax.set_xlabel("Outcome")
    ax.set_ylabel(chart.axis_label)
    if chart.axis_max:
        ax.set_ylim(0, chart.axis_max)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    return fig


def _label(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
