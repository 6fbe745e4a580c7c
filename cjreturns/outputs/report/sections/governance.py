"""Governance and partnership working: the facts the returns hold about how partnerships are
governed (regional models, independent chairs, reporting lines), development work, statutory
partners' participation, one well-chosen description and the section's talking points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cjreturns.outputs.national_specs import NATIONAL_TABLES
from cjreturns.outputs.report.blocks import Bullets, Heading, para
from cjreturns.outputs.report.draft import KEY_FINDINGS, Draft, largest
from cjreturns.outputs.report.text import in_words, listed, lower_first

# Boards and partnerships a return's reporting lines and links name, as the report lists them.
_LINKS = (
    ("community planning", "their community planning partnership"),
    ("alcohol and drug", "an alcohol and drug partnership"),
    ("violence against women", "a violence against women and girls partnership"),
    ("public protection", "public protection committees or chief officers' groups"),
)


def governance(d: Draft, level: int = 2) -> None:
    d.add(
        Heading(level, "Governance"),
        para(
            "Each partnership has its own model of community justice governance that fits local "
            "systems of planning. Returns describe links to community planning, public "
            "protection, alcohol and drug partnerships and other local partnerships."
        ),
    )
    named = facts(d)
    d.add(Heading(level + 1, "Key findings"))
    bullets = [
        f"{d.ref.label('partnership_development', code)}: {d.phrase(n, capital=False)}."
        for code, n in largest(d.counts.partnership_development, 99)
        if n
    ]
    if bullets:
        d.add(para("Partnership development work described in the returns:"))
        d.add(Bullets(tuple(bullets), role=KEY_FINDINGS))
    else:
        d.add(para("No partnership reported partnership development work."))
    none = {c: v.get("none", 0) for c, v in d.counts.partner_participation.items()}
    absent = [(c, n) for c, n in largest(none, 1) if n]
    if absent:
        code, n = absent[0]
        partner = d.ref.statutory_partners.get(code, code)
        the = "the " if partner.split()[0] in ("Scottish", "Skills", "Health", "Chief") else ""
        d.add(
            para(
                f"{d.phrase(n)} reported no participation at all from {the}{partner}. "
                f"{NATIONAL_TABLES.mention('partner_participation').capitalize()} in Appendix "
                "B gives every statutory partner's participation."
            )
        )
    d.add(Heading(level + 1, "Summary of evidence"))
    quote = d.examples.first(
        lambda name, doc: [_mapping(doc.get("governance")).get("description")],
        prefer=_links_named,
        avoid=named,
        max_words=60,
    )
    if quote is not None:
        d.add(para(f"For example, in {quote.partnership}: {quote.text}"))
    d.insertions("Governance", level)
    d.add(Heading(level + 1, "Talking points"))
    d.write_talking_points(
        d.talking_points("governance"),
        none_text="No talking point rule applies to governance and partnership working.",
        where="governance",
    )


def facts(d: Draft) -> list[str]:
    """Sentences on governance facts the returns and reference data hold; the partnerships
    they name (so the example quoted next is another area's)."""
    named: list[str] = []
    sentences: list[str] = []
    councils = {la["code"]: la["name"] for la in d.ref.raw.get("local_authorities", [])}
    for p in d.ref.partnerships:
        if p.name in d.returns and len(p.local_authorities) > 1:
            areas = listed([councils.get(c, c) for c in p.local_authorities])
            sentences.append(
                f"{p.name} works regionally: one partnership provides governance across "
                f"{in_words(len(p.local_authorities))} council areas ({areas})."
            )
            named.append(p.name)
    chairs = [
        name
        for name, doc in d.returns.items()
        if _mapping(doc.get("governance")).get("independent_chair") is True
    ]
    if len(chairs) == 1:
        sentences.append(f"{chairs[0]} is the only partnership with an independent chair.")
    elif chairs:
        sentences.append(f"{listed(chairs)} have independent chairs.")
    named += chairs
    for needle, what in _LINKS:
        n = sum(1 for doc in d.returns.values() if needle in _links(doc))
        if n:
            sentences.append(f"{d.phrase(n)} named links with {what}.")
    if sentences:
        d.add(para(" ".join(sentences)))
    return named


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _links(doc: Mapping[str, Any]) -> str:
    g = _mapping(doc.get("governance"))
    names: list[str] = []
    for key in ("reporting_lines", "linked_partnerships", "subgroups"):
        value = g.get(key)
        if isinstance(value, list):
            names += [x for x in value if isinstance(x, str)]
    return lower_first(" | ".join(names)).lower()


def _links_named(name: str, doc: Mapping[str, Any]) -> int:
    """A description worth quoting: from a return that sets out its links in full."""
    text = _links(doc)
    return sum(1 for needle, _ in _LINKS if needle in text)
