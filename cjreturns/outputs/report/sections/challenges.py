"""Gaps and challenges the partnerships named, with one example for each of the most named."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from cjreturns.outputs.report.blocks import Bullets, Heading, para
from cjreturns.outputs.report.draft import KEY_FINDINGS, Draft
from cjreturns.outputs.report.examples import challenge_items

EXAMPLES = 3  # the most named challenges each get one quoted example


def _described(code: str) -> Callable[[str, Mapping[str, Any]], Iterator[Any]]:
    def texts(name: str, doc: Mapping[str, Any]) -> Iterator[Any]:
        return (i.get("description") for i in challenge_items(doc) if i.get("code") == code)

    return texts


def gaps(d: Draft) -> None:
    d.add(Heading(1, "Gaps and challenges"))
    named = [(c, n) for c, n in d.counts.challenges.items() if n]
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
        for code, _ in named[:EXAMPLES]:
            quote = d.examples.first(_described(code))
            if quote is not None:
                d.add(
                    para(
                        f"In {quote.partnership}: {quote.text}",
                        lead=f"{d.ref.label('challenges', code)}. ",
                    )
                )
    d.insertions("Gaps and challenges", 1)
    d.add(Heading(2, "Talking points"))
    d.write_talking_points(
        d.talking_points("challenges"),
        none_text="No talking point rule applies to gaps and challenges this year.",
        where="gaps and challenges",
    )
