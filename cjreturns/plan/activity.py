"""The local picture beside the national one: which partnerships reported activity under each
priority action in their annual returns.

v1 returns (2016 outcomes) tag activities with `priority_actions: [..]`; v2 returns (from
2023-24) file activities under `priority_actions: {"1": {activities: [...]}, ...}` and may tag an
activity with `also_priority_actions: [..]`. Both are read here; only accepted returns count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Activity:
    """Partnerships (by name) reporting activity under each priority action in one year."""

    year: str
    counted: int  # partnerships whose return counted
    rejected: int  # return files that could not be counted
    partnerships: dict[int, tuple[str, ...]]

    def count(self, priority_action: int) -> int:
        return len(self.partnerships.get(priority_action, ()))


def _activities(document: Mapping[str, Any]) -> Iterator[tuple[int | None, Mapping[str, Any]]]:
    """Every activity with the priority action it is filed under (v2) or None (v1)."""
    outcomes = document.get("outcomes")
    if isinstance(outcomes, Mapping):
        for outcome in outcomes.values():
            if isinstance(outcome, Mapping):
                for a in outcome.get("activities") or ():
                    if isinstance(a, Mapping):
                        yield None, a
    for a in document.get("local_activity") or ():
        if isinstance(a, Mapping):
            yield None, a
    sections = document.get("priority_actions")
    if isinstance(sections, Mapping):  # v2: a section per priority action
        for key, section in sections.items():
            if isinstance(section, Mapping) and str(key).isdigit():
                for a in section.get("activities") or ():
                    if isinstance(a, Mapping):
                        yield int(key), a


def priority_actions_of(document: Mapping[str, Any]) -> set[int]:
    """The priority actions a return reports activity under."""
    found: set[int] = set()
    for filed_under, activity in _activities(document):
        if filed_under is not None:
            found.add(filed_under)
        for key in ("priority_actions", "also_priority_actions"):
            tags = activity.get(key)
            if isinstance(tags, list):
                found.update(t for t in tags if isinstance(t, int) and not isinstance(t, bool))
    return found


def activity_by_priority_action(
    returns: Mapping[str, Mapping[str, Any]],
) -> dict[int, tuple[str, ...]]:
    """Priority action -> the partnerships (sorted) whose return reports activity under it."""
    out: dict[int, list[str]] = {}
    for name in sorted(returns):
        for pa in priority_actions_of(returns[name]):
            out.setdefault(pa, []).append(name)
    return {pa: tuple(names) for pa, names in sorted(out.items())}


def activity_from_folder(folder: Path, *, year: str) -> Activity:
    """Validate a folder of returns for `year` and count the accepted ones, as aggregation does
    (the latest return per partnership; rejected and conflicting returns do not count)."""
    from cjreturns.aggregation.collection import build_collection
    from cjreturns.contract.reference import load_reference
    from cjreturns.validation.engine import validate_paths

    result = validate_paths([folder], year=year)
    collection = build_collection(result, load_reference(), roots=[folder], year=year)
    return Activity(
        year=year,
        counted=len(collection.returns),
        rejected=len(collection.coverage.rejected),
        partnerships=activity_by_priority_action(collection.returns),
    )
