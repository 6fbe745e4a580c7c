"""Chooses the examples the draft quotes from returns: safe to print, spread across areas."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cjreturns.outputs.report.text import (
    area,
    clean_text,
    excerpt,
)


@dataclass(frozen=True)
class _Activity:
    partnership: str
    outcome: str
    index: int
    title: Any  # as the return has it: checked before it is quoted
    description: Any
    themes: tuple[str, ...]


class Examples:
    """Chooses illustrative examples from the returns, spreading them across areas.

    Deterministic: candidates are ordered by how often their area has been quoted so far, then
    by name, so the same returns always give the same examples.
    """

    def __init__(self, returns: Mapping[str, Mapping[str, Any]]) -> None:
        from cjreturns.validation.rules import load_settings

        self._settings = load_settings()
        self.returns = {name: returns[name] for name in sorted(returns)}
        self.used: Counter[str] = Counter()
        self._safe: dict[str, bool] = {}  # an activity is offered for several themes
        self.activities = [a for name, doc in self.returns.items() for a in _activities(name, doc)]

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

    def _pick(
        self,
        candidates: Sequence[tuple[str, Any]],
        k: int,
        ok: Callable[[Any], bool] | None = None,
    ) -> list[tuple[str, Any]]:
        """Up to k candidates from different partnerships, least-quoted partnerships first.

        `ok` is asked only of a candidate about to be chosen: the same choice as filtering
        every candidate first, without checking thousands that are never quoted.
        """
        chosen: list[tuple[str, Any]] = []
        seen: set[str] = set()
        pool = list(candidates)
        while pool and len(chosen) < k:
            pool.sort(key=lambda c: (self.used[c[0]], c[0]))
            name, item = pool.pop(0)
            if name in seen or (ok is not None and not ok(item)):
                continue
            chosen.append((name, item))
            seen.add(name)
            self.used[name] += 1
        return chosen

    def for_theme(self, outcome: str, theme: str, k: int) -> list[str]:
        candidates = [
            (a.partnership, a)
            for a in self.activities
            if a.outcome == outcome and theme in a.themes
        ]

        def quotable(a: _Activity) -> bool:
            return self.safe(a.title, a.description)

        return [
            f"For example, in {area(name)}, “{clean_text(a.title)}”: {excerpt(a.description)}"
            for name, a in self._pick(candidates, k, quotable)
        ]

    def _quotes(
        self, texts: Callable[[Mapping[str, Any]], Iterable[Any]], k: int, *, max_words: int = 40
    ) -> list[str]:
        """Quotes ("For example, in <area>: ...") from the first quotable text of each return."""
        candidates = []
        for name, doc in self.returns.items():
            text = next((t for t in texts(doc) if self.safe(t)), None)
            if text is not None:
                candidates.append((name, text))
        return [
            f"For example, in {area(name)}: {excerpt(text, max_words=max_words)}"
            for name, text in self._pick(candidates, k)
        ]

    def governance(self, k: int) -> list[str]:
        return self._quotes(
            lambda doc: [(doc.get("governance") or {}).get("description")], k, max_words=45
        )

    def challenge(self, code: str, k: int) -> list[str]:
        return self._quotes(
            lambda doc: (
                i.get("description") for i in _challenge_items(doc) if i.get("code") == code
            ),
            k,
        )

    def recommendation(self, rec_id: str, k: int) -> list[str]:
        return self._quotes(
            lambda doc: (
                i.get("response")
                for i in _dicts(doc.get("recommendations"))
                if str(i.get("id", "")).strip() == rec_id
            ),
            k,
        )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _activities(name: str, doc: Mapping[str, Any]) -> Iterator[_Activity]:
    outcomes = doc.get("outcomes") or {}
    for key in sorted(outcomes, key=str):
        block = outcomes[key] or {}
        for i, act in enumerate(_dicts(block.get("activities"))):
            themes = act.get("themes")
            themes = themes if isinstance(themes, list) else []
            yield _Activity(
                name,
                str(key),
                i,
                act.get("title"),
                act.get("description"),
                tuple(str(t) for t in themes),
            )


def _challenge_items(doc: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield from _dicts(doc.get("challenges"))
    for key in sorted(doc.get("outcomes") or {}, key=str):
        yield from _dicts(((doc.get("outcomes") or {}).get(key) or {}).get("challenges"))
