"""Gaps and challenges the partnerships named."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import (
    Bullets,
    Heading,
    para,
)
from cjreturns.outputs.report.draft import (
    KEY_FINDINGS,
    Draft,
    section_of,
)


def gaps(d: Draft) -> None:
    d.add(Heading(1, "Gaps and challenges"))
    challenges = d.agg.get("challenges") or {}
    named = [(c, int(n)) for c, n in challenges.items() if int(n)]
    if not named:
        d.add(para("No partnership named a gap or challenge."))
    else:
        d.add(
            para(
                "The strategic gaps and challenges reported vary from area to area. The "
                "issues most commonly mentioned are:"
            ),
            Bullets(
                tuple(
                    f"{d.ref.label('challenges', c)}: {d.phrase(n, capital=False)}"
                    for c, n in named
                ),
                role=KEY_FINDINGS,
            ),
        )
        for code, _ in named[:3]:
            for line in d.examples.challenge(code, 1):
                d.add(para(line, lead=f"{d.ref.label('challenges', code)}. "))
    d.add(Heading(2, "Talking points"))
    d.render_talking_points(
        d.talking_points(lambda tp: section_of(tp) == "challenges"),
        none_text="No talking point rule was triggered on gaps and challenges.",
    )
