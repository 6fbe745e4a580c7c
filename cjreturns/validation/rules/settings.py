"""Rule settings as data (schemas/rules.yaml): word limits, placeholder and personal-data
patterns, indicator ranges, the sections never quoted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import yaml

from cjreturns.core.resources import schema_path

# -- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    word_limits: tuple[tuple[tuple[str, ...], int], ...]
    minimum_words: tuple[tuple[tuple[str, ...], int], ...]
    placeholders: tuple[re.Pattern[str], ...]
    personal_data: tuple[tuple[str, re.Pattern[str]], ...]
    personal_data_fields: frozenset[str]
    never_quoted: frozenset[str]
    indicator_rates: dict[str, dict[str, float]]
    low_bound_min_population: int
    # Per kind, phrases a match may sit inside without counting ("Dr Gray's Hospital").
    personal_data_not_within: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Per kind, strings one of which every match holds (casefolded): a text with none of them
    # cannot match, and is not searched (a plain `in` is far cheaper than a costly pattern).
    personal_data_needs: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def may_hold(self, kind: str, folded: str) -> bool:
        """Whether a text (given casefolded) could hold personal data of this kind at all."""
        needs = self.personal_data_needs.get(kind)
        return needs is None or any(n in folded for n in needs)

    def personal_data_in(self, kind: str, pattern: re.Pattern[str], text: str) -> bool:
        """Whether `pattern` (of this kind) finds personal data in `text`: a match that lies
        wholly inside one of the kind's `not_within` phrases (a hospital named after a doctor,
        say) does not count."""
        if kind in self.personal_data_needs and not self.may_hold(kind, text.casefold()):
            return False
        phrases = self.personal_data_not_within.get(kind)
        if not phrases:
            return pattern.search(text) is not None
        plain = text.replace("\u2019", "'")  # the same length: positions still line up
        allowed = [
            (start, start + len(phrase))
            for phrase in phrases
            for start in _occurrences(plain, phrase)
        ]
        return any(
            not any(a <= m.start() and m.end() <= b for a, b in allowed)
            for m in pattern.finditer(text)
        )

    def flags_text(self, text: str) -> bool:
        """Whether the personal-data or placeholder checks would warn about this one text (the
        rules reach the same answer over a whole return at once)."""
        return any(self.personal_data_in(kind, p, text) for kind, p in self.personal_data) or any(
            p.search(text) for p in self.placeholders
        )


@cache
def load_settings() -> Settings:
    with schema_path("rules.yaml").open(encoding="utf-8") as fh:
        # libyaml's loader where PyYAML has it; the pure one where it has not (the check page)
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def patterns(table: dict[str, int]) -> tuple[tuple[tuple[str, ...], int], ...]:
        return tuple((tuple(k.split(".")), int(v)) for k, v in table.items())

    return Settings(
        word_limits=patterns(raw["word_limits"]),
        minimum_words=patterns(raw["minimum_words"]),
        placeholders=tuple(re.compile(p, re.IGNORECASE) for p in raw["placeholders"]),
        personal_data=tuple(
            (
                item["kind"],
                re.compile(item["pattern"], 0 if item.get("case_sensitive") else re.IGNORECASE),
            )
            for item in raw["personal_data"]
        ),
        personal_data_fields=frozenset(raw["personal_data_fields"]),
        never_quoted=frozenset(raw["never_quoted"]),
        personal_data_not_within={
            item["kind"]: tuple(p.replace("\u2019", "'") for p in item["not_within"])
            for item in raw["personal_data"]
            if item.get("not_within")
        },
        personal_data_needs={
            item["kind"]: tuple(str(n).casefold() for n in item["needs"])
            for item in raw["personal_data"]
            if item.get("needs")
        },
        indicator_rates={k: dict(v) for k, v in raw["indicator_rates"].items()},
        low_bound_min_population=int(raw["indicator_low_bound_min_population"]),
    )


def _occurrences(text: str, phrase: str) -> Iterator[int]:
    start = text.find(phrase)
    while start != -1:
        yield start
        start = text.find(phrase, start + 1)
