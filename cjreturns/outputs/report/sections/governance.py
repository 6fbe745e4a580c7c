"""Governance and partnership working: development work, partner participation, examples."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import (
    Bullets,
    Heading,
    para,
)
from cjreturns.outputs.report.draft import (
    KEY_FINDINGS,
    Draft,
    largest,
    section_of,
)
from cjreturns.outputs.report.text import (
    lower_first,
)


def governance(d: Draft) -> None:
    d.add(
        Heading(1, "Governance and partnership working"),
        para(
            "Each partnership has its own model of community justice governance that fits "
            "local systems of planning. Returns describe links to community planning, public "
            "protection, alcohol and drug partnerships and other local partnerships."
        ),
        Heading(2, "Key findings"),
    )
    bullets: list[str] = []
    development = d.agg.get("partnership_development") or {}
    for code, n in largest(development, len(development)):
        if n:
            bullets.append(
                f"{d.phrase(n)} described "
                f"{lower_first(d.ref.label('partnership_development', code))}."
            )
    participation = d.agg.get("partner_participation") or {}
    absent = largest({c: int((v or {}).get("none", 0)) for c, v in participation.items()}, 1)
    if absent and absent[0][1]:
        code, n = absent[0]
        bullets.append(
            f"{d.phrase(n)} reported no participation from "
            f"{d.ref.statutory_partners.get(code, code)}."
        )
    if bullets:
        d.add(Bullets(tuple(bullets), role=KEY_FINDINGS))
    else:
        d.add(para("No partnership reported partnership development work."))
    d.add(
        para(
            "The statutory partner participation table in the annex shows, for each "
            "statutory partner, how many partnerships described its participation as active, "
            "regular, occasional or none."
        ),
        Heading(2, "Summary of evidence"),
    )
    for line in d.examples.governance(d.context.examples_per_theme):
        d.add(para(line))
    d.add(Heading(2, "Talking points"))
    d.render_talking_points(
        d.talking_points(lambda tp: section_of(tp) == "governance"),
        none_text="No talking point rule was triggered on governance and partnership working.",
    )
