"""Checks of the free text: personal data, placeholders, word limits."""

from __future__ import annotations

from collections.abc import Iterator

from cjreturns.validation.rules.context import Context
from cjreturns.validation.rules.registry import Issue, rule
from cjreturns.validation.rules.texts import _words


@rule("personal-data")
def _personal_data(ctx: Context) -> Iterator[Issue]:
    settings = ctx.settings
    folded = ctx.narrative().casefold() if settings.personal_data_needs else ""
    kinds_patterns = [(k, p) for k, p in settings.personal_data if settings.may_hold(k, folded)]
    found_somewhere = ctx.searches(pattern for _, pattern in kinds_patterns)
    patterns = [
        (kind, p) for (kind, _), p in zip(kinds_patterns, found_somewhere, strict=True) if p
    ]
    if not patterns:
        return
    found_in = settings.personal_data_in
    for leaf in ctx.texts():
        if not leaf.narrative:
            continue
        kinds = [kind for kind, p in patterns if found_in(kind, p, leaf.text)]
        if kinds:
            found = ", ".join(kinds)
            yield (
                leaf.path,
                (
                    f"This text may hold personal data ({found}). Remove it, or describe the "
                    "person "
                    "by role: returns feed national reports, and contact details belong in "
                    "`contact`."
                ),
            )


@rule("placeholder-text")
def _placeholder(ctx: Context) -> Iterator[Issue]:
    searches = [p.search for p in ctx.searches(ctx.settings.placeholders) if p is not None]
    if not searches:
        return
    for leaf in ctx.texts():
        if leaf.narrative and any(search(leaf.text) for search in searches):
            yield (
                leaf.path,
                ("This looks like placeholder text left in. Replace it with the real text."),
            )


@rule("word-limit")
def _word_limit(ctx: Context) -> Iterator[Issue]:
    for leaf in ctx.texts():
        limit = leaf.word_limit
        if limit is not None:
            n = _words(leaf.text)
            if n > limit:
                yield leaf.path, f"This text is {n:,} words; the limit is {limit}. Shorten it."


@rule("too-short")
def _too_short(ctx: Context) -> Iterator[Issue]:
    for leaf in ctx.texts():
        minimum = leaf.minimum_words
        if minimum is not None:
            n = _words(leaf.text)
            if 0 < n < minimum:
                yield (
                    leaf.path,
                    (
                        f"This text is only {n} word{'s' if n != 1 else ''}. Say what was done, "
                        "by whom and for whom."
                    ),
                )
