"""What changed between two updates of the plan: statuses, revisions, completions, overdue.

An earlier file may record only part of the plan (the aim 4 extract of the plan as first
published): deliverables are compared where both files have them, and "new" means new under the
priority actions the earlier file covers, so a partial file does not make everything look new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cjreturns.plan.model import STATUS_SHORT_ALL, Deliverable, Plan, join_names


@dataclass(frozen=True)
class Change:
    number: int
    before: str
    after: str


@dataclass(frozen=True)
class Changes:
    previous_update: int
    current_update: int
    priority_actions_compared: tuple[int, ...]
    status_changes: tuple[Change, ...]
    new_revisions: tuple[Change, ...]
    newly_completed: tuple[Change, ...]
    newly_overdue: tuple[Change, ...]
    new_deliverables: tuple[Change, ...]
    wording_changes: tuple[Change, ...]
    partner_changes: tuple[Change, ...]

    @property
    def none(self) -> bool:
        return not any(
            (
                self.status_changes,
                self.new_revisions,
                self.newly_completed,
                self.newly_overdue,
                self.new_deliverables,
                self.wording_changes,
                self.partner_changes,
            )
        )


def _label(d: Deliverable | None) -> str:
    return STATUS_SHORT_ALL[d.status_key] if d is not None else "not in the plan"


def _due(d: Deliverable) -> str:
    due = d.latest_timescale
    return due.label() if due else (d.timescale_text or "no timescale")


def _partners(d: Deliverable) -> str:
    lead = f"Lead: {join_names(d.lead) or 'none'}"
    return f"{lead}; with: {join_names(d.collaborators)}" if d.collaborators else lead


def changes_between(previous: Plan, current: Plan, *, as_of: dt.date | None = None) -> Changes:
    """Changes from `previous` to `current`. Overdue now is judged on `as_of` (default: the
    current update's month); overdue then, on the end of the previous update's month."""
    now = as_of or current.default_as_of
    then = previous.default_as_of
    covered = tuple(sorted({d.priority_action for d in previous.deliverables}))
    before = {d.number: d for d in previous.deliverables}
    status, revisions, completed, overdue, new, wording, partners = ([] for _ in range(7))
    for d in current.deliverables:
        old = before.get(d.number)
        if old is None:
            if d.priority_action in covered:
                new.append(Change(d.number, "", d.deliverable or ""))
            if d.overdue(now) and d.priority_action in covered:
                overdue.append(Change(d.number, "not in the plan", f"due by {_due(d)}"))
            continue
        if old.status != d.status:
            status.append(Change(d.number, _label(old), _label(d)))
        made = [r for r in d.revised_timescales if r not in old.revised_timescales]
        for r in made:
            revisions.append(
                Change(d.number, _due(old), f"{r.to.label()} (revised in update {r.in_update})")
            )
        if d.done and not old.done:
            completed.append(Change(d.number, _label(old), _label(d)))
        if d.overdue(now) and not old.overdue(then):
            overdue.append(Change(d.number, _label(old), f"due by {_due(d)}; {_label(d)}"))
        if d.deliverable and old.deliverable and d.deliverable.split() != old.deliverable.split():
            wording.append(Change(d.number, old.deliverable, d.deliverable))
        if d.lead and (d.lead, d.collaborators) != (old.lead, old.collaborators):
            partners.append(Change(d.number, _partners(old), _partners(d)))
    return Changes(
        previous.update,
        current.update,
        covered,
        *(tuple(x) for x in (status, revisions, completed, overdue, new, wording, partners)),
    )
