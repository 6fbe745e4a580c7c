"""Chooses the examples the draft quotes from returns: one per theme, about that theme, never
quoted twice and never the same words as another quote, each passing the personal-data check.

An activity is a candidate for a theme when its return gives it that theme; among candidates,
the picker prefers one whose own words are about the theme (its title and description use the
theme's words) and which carries few other themes, then the area quoted least so far. When no
candidate's words are about the theme, none is quoted: a bail supervision activity does not
illustrate electronic monitoring because someone also ticked that box. Deterministic: the same
returns always give the same examples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cjreturns.outputs.report.text import SENTENCE_END, clean_text, excerpt

# Words too general to say what an activity is about.
_GENERAL = frozenset(
    [
        "about",
        "across",
        "activities",
        "activity",
        "also",
        "area",
        "areas",
        "between",
        "community",
        "from",
        "into",
        "justice",
        "other",
        "others",
        "partner",
        "partners",
        "partnership",
        "partnerships",
        "people",
        "person",
        "service",
        "services",
        "support",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "with",
        "within",
        "work",
        "working",
    ]
)
_WORD = re.compile(r"[a-z]+")


def keywords(*texts: str) -> frozenset[str]:
    """The distinctive words of a theme's label and code, as five-letter stems."""
    words = (w for text in texts for w in _WORD.findall(text.lower().replace("_", " ")))
    return frozenset(w[:5] for w in words if len(w) >= 4 and w not in _GENERAL)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) >= 4}


def normalised(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Activity:
    partnership: str
    outcome: str
    index: int
    title: Any  # as the return has it: checked before it is quoted
    description: Any
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """A chosen example: who, the activity's title (if any) and the words quoted."""

    partnership: str
    text: str
    title: str = ""


class Examples:
    """Picks the draft's examples, remembering every one already quoted."""

    def __init__(self, returns: Mapping[str, Mapping[str, Any]]) -> None:
        from cjreturns.validation.rules import load_settings

        self._settings = load_settings()
        self.returns = {name: returns[name] for name in sorted(returns)}
        self.used: Counter[str] = Counter()  # quotes per partnership
        self._quoted: set[str] = set()  # normalised text of every quote so far
        self._taken: set[tuple[str, str, int]] = set()  # activities already quoted
        self._safe: dict[str, bool] = {}
        self.activities = [a for name, doc in self.returns.items() for a in _activities(name, doc)]
        # the same description in two returns reads as boilerplate, not as an area's own work
        self._shared = {
            text
            for text, n in Counter(
                normalised(str(a.description))
                for a in self.activities
                if isinstance(a.description, str)
            ).items()
            if n > 1
        }

    def safe(self, *texts: object) -> bool:
        """Quotable: text, no personal data and no placeholder (rules.yaml patterns)."""
        for text in texts:
            if not isinstance(text, str):
                return False
            known = self._safe.get(text)
            if known is None:
                known = bool(clean_text(text)) and not self._settings.flags_text(text)
                self._safe[text] = known
            if not known:
                return False
        return True

    def _fresh(self, text: str) -> bool:
        return normalised(text) not in self._quoted

    def _take(self, partnership: str, text: str) -> None:
        self._quoted.add(normalised(text))
        self.used[partnership] += 1

    def for_theme(self, outcome: str, theme: str, words: frozenset[str]) -> Quote | None:
        """The one example for a theme under an outcome, or None when nothing fits."""
        ranked = []
        for a in self.activities:
            if a.outcome != outcome or theme not in a.themes:
                continue
            if (a.partnership, a.outcome, a.index) in self._taken:
                continue
            fit = len(words & _stems(f"{a.title} {a.description}"))
            if not fit:
                continue
            shared = normalised(str(a.description)) in self._shared
            ranked.append(
                ((shared, -min(fit, 2), self.used[a.partnership], len(a.themes), a.partnership), a)
            )
        for _, a in sorted(ranked, key=lambda r: (r[0], r[1].index)):
            if not self.safe(a.title, a.description):
                continue
            quoted = focused(a.description, words)
            if not self._fresh(quoted):
                continue
            self._taken.add((a.partnership, a.outcome, a.index))
            self._take(a.partnership, quoted)
            return Quote(a.partnership, quoted, clean_text(a.title))
        return None

    def first(
        self,
        texts: Callable[[str, Mapping[str, Any]], Iterable[Any]],
        *,
        prefer: Callable[[str, Mapping[str, Any]], int] | None = None,
        avoid: Iterable[str] = (),
        max_words: int = 40,
    ) -> Quote | None:
        """One quote from the returns' texts: the preferred return first (higher `prefer`),
        then the least-quoted area; never a text already quoted."""
        skip = set(avoid)
        order = sorted(
            (name for name in self.returns if name not in skip),
            key=lambda n: (-(prefer(n, self.returns[n]) if prefer else 0), self.used[n], n),
        )
        for name in order:
            for text in texts(name, self.returns[name]):
                if not self.safe(text):
                    continue
                quoted = excerpt(text, max_words=max_words)
                if self._fresh(quoted):
                    self._take(name, quoted)
                    return Quote(name, quoted)
        return None

    def reason(self, partnership: str, outcome: str) -> str:
        """Why a partnership reported no activity under an outcome, if its return says and the
        words are safe to print."""
        doc = self.returns.get(partnership) or {}
        block = (doc.get("outcomes") or {}).get(outcome) or {}
        text = block.get("no_activity_reason") if isinstance(block, Mapping) else None
        return excerpt(text, max_words=30) if isinstance(text, str) and self.safe(text) else ""


def focused(description: str, words: frozenset[str], *, max_words: int = 40) -> str:
    """The opening of a description, or, when the opening says nothing in the theme's words,
    its first sentence and then the first sentence that does."""
    opening = excerpt(description, max_words=max_words)
    if not words or words & _stems(opening):
        return opening
    sentences = [s for s in SENTENCE_END.split(clean_text(description)) if s]
    about = next((s for s in sentences[1:] if words & _stems(s)), None)
    if about is None:
        return opening
    first = excerpt(sentences[0], max_words=max_words // 2)
    gap = " " if first.endswith("…") else " … "
    return f"{first}{gap}{excerpt(about, max_words=max_words)}"


def dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _activities(name: str, doc: Mapping[str, Any]) -> Iterator[Activity]:
    outcomes = doc.get("outcomes") or {}
    for key in sorted(outcomes, key=str):
        block = outcomes[key] or {}
        for i, act in enumerate(dicts(block.get("activities"))):
            themes = act.get("themes")
            themes = themes if isinstance(themes, list) else []
            yield Activity(
                name,
                str(key),
                i,
                act.get("title"),
                act.get("description"),
                tuple(str(t) for t in themes),
            )


def challenge_items(doc: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield from dicts(doc.get("challenges"))
    for key in sorted(doc.get("outcomes") or {}, key=str):
        yield from dicts(((doc.get("outcomes") or {}).get(key) or {}).get("challenges"))
