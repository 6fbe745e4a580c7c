"""The appendix: last year's recommendations, progress on each and the returns' responses."""

from __future__ import annotations

from typing import Any

from cjreturns.outputs.report.blocks import (
    Heading,
    para,
)
from cjreturns.outputs.report.draft import (
    Draft,
    placeholder,
)
from cjreturns.outputs.report.text import (
    clean_text,
    number,
)


def appendix(d: Draft) -> None:
    d.add(Heading(1, "Appendix: progress on recommendations from last year's report"))
    recs = d.context.recommendations
    if not recs:
        d.add(placeholder("recommendations from last year's report", "recommendations"))
        return
    groups: dict[str, list[Any]] = {}
    for rec in recs:
        groups.setdefault(rec.to or "Recommendations", []).append(rec)
    for audience, items in groups.items():
        d.add(
            Heading(
                2,
                f"Recommendations to {clean_text(audience)}"
                if audience != "Recommendations"
                else audience,
            )
        )
        for rec in items:
            d.add(para(clean_text(rec.text), lead=f"{clean_text(rec.id)}. ", style="quote"))
            if rec.progress:
                d.add(para(clean_text(rec.progress), lead="Progress: "))
            else:
                d.add(placeholder(f"progress on {rec.id}", "recommendations[].progress"))
            status = (d.agg.get("recommendations") or {}).get(rec.id) or {}
            if sum(status.values()):
                parts = [
                    f"{number(status[s])} {s.replace('_', ' ')}"
                    for s in (*d.ref.recommendation_status, "not_stated")
                    if status.get(s)
                ]
                d.add(
                    para(
                        f"{d.phrase(sum(status.values()))} reported on this "
                        f"recommendation in their return: {', '.join(parts)}."
                    )
                )
                for line in d.examples.recommendation(rec.id, 1):
                    d.add(para(line))
