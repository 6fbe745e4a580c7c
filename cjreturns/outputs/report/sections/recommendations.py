"""Appendix A: last year's recommendations, progress on each (from the context file) and what
partnerships said about them in their returns."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import Heading, para
from cjreturns.outputs.report.context import Recommendation
from cjreturns.outputs.report.draft import Draft, markdown_blocks, placeholder
from cjreturns.outputs.report.examples import dicts
from cjreturns.outputs.report.text import clean_text, listed, number

_STATUS = {"not_stated": "status not given"}


def appendix(d: Draft) -> None:
    d.add(Heading(1, "Appendix A: Progress on recommendations from last year's report"))
    recs = d.context.recommendations
    if d.context.recommendations_note:
        d.add(*markdown_blocks(d.context.recommendations_note))
    if not recs:
        d.add(placeholder("recommendations from last year's report", "recommendations"))
        return
    groups: dict[str, list[Recommendation]] = {}
    for rec in recs:
        groups.setdefault(rec.to or "", []).append(rec)
    for audience, items in groups.items():
        d.add(
            Heading(
                2, f"Recommendations to {clean_text(audience)}" if audience else "Recommendations"
            )
        )
        for rec in items:
            d.add(para(clean_text(rec.text), lead=f"{clean_text(rec.id)}. ", style="quote"))
            if rec.progress:
                d.add(para(clean_text(rec.progress), lead="Progress: "))
            else:
                d.add(placeholder(f"progress on {rec.id}", "recommendations, progress"))
            _responses(d, rec.id)


def _responses(d: Draft, rec_id: str) -> None:
    status = d.counts.recommendations.get(rec_id) or {}
    total = sum(status.values())
    if not total:
        return
    parts = [
        f"{number(status[s])} {_STATUS.get(s, s.replace('_', ' '))}"
        for s in (*d.ref.recommendation_status, "not_stated")
        if status.get(s)
    ]
    d.add(
        para(
            f"{d.phrase(total)} responded to this recommendation in their return: {listed(parts)}."
        )
    )
    quote = d.examples.first(
        lambda name, doc: (
            i.get("response")
            for i in dicts(doc.get("recommendations"))
            if str(i.get("id", "")).strip() == rec_id
        )
    )
    if quote is not None:
        d.add(para(f"For example, in {quote.partnership}: {quote.text}"))
