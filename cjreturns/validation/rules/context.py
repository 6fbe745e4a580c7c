"""What a check may look at: the document, the reference data, the settings and the texts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cjreturns.contract.reference import Partnership, Reference, load_reference
from cjreturns.core.calendar import parse_year
from cjreturns.core.findings import DocPath
from cjreturns.validation.rules.settings import Settings, load_settings
from cjreturns.validation.rules.texts import (
    TextLeaf,
    _items,
    _joined_form,
    _prescreen,
    classify_texts,
)
from cjreturns.validation.schema import V1_SCHEMA

# -- context and traversal helpers ---------------------------------------------------------------


@dataclass
class Context:
    """What a rule may look at. `document` may be malformed: rules check types as they go."""

    document: dict[str, Any]
    reference: Reference
    settings: Settings
    year: str | None = None  # the reporting year the caller expects, if any
    schema: str = V1_SCHEMA  # the framework's schema: which string fields hold codes
    _texts: list[TextLeaf] | None = field(default=None, init=False, repr=False, compare=False)
    _narrative: str | None = field(default=None, init=False, repr=False, compare=False)

    def partnership(self) -> Partnership | None:
        name = self.document.get("partnership")
        if not isinstance(name, str):
            return None
        return self.reference.resolve_partnership(name)[0]

    def year_start(self) -> int | None:
        """The first calendar year of the return's reporting year, when it is well formed."""
        return parse_year(self.document.get("reporting_year"))

    def outcomes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        outcomes = self.document.get("outcomes")
        if isinstance(outcomes, dict):
            for key, value in outcomes.items():
                if isinstance(value, dict):
                    yield key, value

    def activities(self) -> Iterator[tuple[DocPath, dict[str, Any]]]:
        for key, outcome in self.outcomes():
            for i, act in _items(outcome.get("activities")):
                yield ("outcomes", key, "activities", i), act
        for i, act in _items(self.document.get("local_activity")):
            yield ("local_activity", i), act

    def texts(self) -> list[TextLeaf]:
        """Every text value, classified for the text rules in one walk (cached: four rules
        read it, and a long return has thousands of texts)."""
        if self._texts is None:
            self._texts = classify_texts(self.document, self.settings, schema=self.schema)
        return self._texts

    def narrative(self) -> str:
        """All narrative text joined by newlines, for searching a pattern once per return."""
        if self._narrative is None:
            self._narrative = "\n".join(leaf.text for leaf in self.texts() if leaf.narrative)
        return self._narrative

    def searches(self, patterns: Iterable[re.Pattern[str]]) -> list[re.Pattern[str] | None]:
        """For each pattern: itself if it may match some narrative text, None if it matches
        none. One search of the joined text settles most patterns for the whole return."""
        joined = self.narrative()
        patterns = tuple(patterns)
        # Most returns match none of the word-led patterns: one search for a group says so.
        quiet: set[re.Pattern[str]] = set()
        for screen, members in _prescreen(patterns):
            if screen.search(joined) is None:
                quiet |= members
        out: list[re.Pattern[str] | None] = []
        for pattern in patterns:
            if pattern in quiet:
                out.append(None)
                continue
            whole = _joined_form(pattern)
            out.append(pattern if whole is None or whole.search(joined) else None)
        return out


def context_for(document: dict[str, Any], *, year: str | None = None) -> Context:
    return Context(document, load_reference(), load_settings(), year)
