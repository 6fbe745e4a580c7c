"""The delivery plan as typed data: months, statuses, deliverables and one update of the plan.

A `Plan` is built only from a document that validated without errors, so everything here can
trust its types. Status and overdue questions are answered here once, for the CLI, the report
and notebooks alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cjreturns.plan.strategy import Strategy, load_strategy

if TYPE_CHECKING:
    import pandas as pd

# Status codes in the order the published updates use them, each with the update's wording.
STATUSES: dict[str, str] = {
    "in_progress": "In progress",
    "in_progress_revised": "In progress (with revised timescale)",
    "outstanding": "Outstanding",
    "complete": "Complete",
    "completed_previously": (
        "Deliverable completed – see section ‘Previously completed deliverables’"
    ),
}
# Short labels for tables and charts, where the full wording of the last would not fit.
STATUS_SHORT: dict[str, str] = {
    "in_progress": "In progress",
    "in_progress_revised": "In progress (revised timescale)",
    "outstanding": "Outstanding",
    "complete": "Complete in this update",
    "completed_previously": "Completed previously",
}
# The plan as first published (update 0) gives no status: counted under this key.
NO_STATUS = "no_status"
STATUS_SHORT_ALL = {**STATUS_SHORT, NO_STATUS: "No status (plan as published)"}
DONE = frozenset({"complete", "completed_previously"})


def join_names(names: Sequence[str]) -> str:
    """["A", "B", "C"] -> "A, B and C", as the plan writes its partners."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Month:
    """A year-month such as 2024-06: the plan's timescales are months, not days."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = MONTH.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a year-month like 2024-06")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def label(self) -> str:
        """As the plan writes it: "June 2024"."""
        return f"{calendar.month_name[self.month]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Revision:
    in_update: int
    to: Month


@dataclass(frozen=True)
class Deliverable:
    number: int
    priority_action: int
    aim: int
    deliverable: str | None = None
    timescale: Month | None = None
    timescale_text: str | None = None
    revised_timescales: tuple[Revision, ...] = ()
    lead: tuple[str, ...] = ()
    collaborators: tuple[str, ...] = ()
    further_detail: str | None = None
    update: str | None = None
    status: str | None = None
    completed_in_update: int | None = None

    @property
    def latest_timescale(self) -> Month | None:
        """The timescale now in force: the last revision's month, else the first planned."""
        return self.revised_timescales[-1].to if self.revised_timescales else self.timescale

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def status_key(self) -> str:
        return self.status or NO_STATUS

    def overdue(self, as_of: dt.date) -> bool:
        """Not complete, and the whole month of its latest timescale has passed by `as_of`."""
        due = self.latest_timescale
        return not self.done and due is not None and as_of > due.last_day

    def timescale_label(self) -> str:
        """The timescale as the published table writes it, revisions included."""
        first = self.timescale_text or (self.timescale.label() if self.timescale else "")
        lines = [first] if first else []
        lines += [
            f"Revised in update {r.in_update} to {r.to.label()}" for r in self.revised_timescales
        ]
        return "\n".join(lines)


@dataclass(frozen=True)
class Plan:
    """The delivery plan as recorded in one update (update 0 is the plan as first published)."""

    update: int
    published: Month
    deliverables: tuple[Deliverable, ...]
    source: Path | None = None
    strategy: Strategy = field(default_factory=load_strategy, compare=False, repr=False)

    @property
    def default_as_of(self) -> dt.date:
        """The last day of the update's month: what 'overdue' means in the update itself."""
        return self.published.last_day

    def title(self) -> str:
        """ "Delivery plan update 2 (March 2024)"; update 0 is the plan as first published."""
        if self.update == 0:
            return f"Delivery plan as first published ({self.published.label()})"
        return f"Delivery plan update {self.update} ({self.published.label()})"

    def short_title(self) -> str:
        """For a sentence or a list: "update 2, March 2024"."""
        name = f"update {self.update}" if self.update else "the plan as first published"
        return f"{name}, {self.published.label()}"

    def deliverable(self, number: int) -> Deliverable | None:
        return next((d for d in self.deliverables if d.number == number), None)

    def overdue(self, as_of: dt.date | None = None) -> list[Deliverable]:
        day = as_of or self.default_as_of
        return sorted((d for d in self.deliverables if d.overdue(day)), key=lambda d: d.number)

    def summary(self, as_of: dt.date | None = None) -> dict[str, Any]:
        """Counts by status, by aim and by priority action, and the overdue deliverables.

        The keys are the contract's (`plan status --format json`); statuses appear in the
        published order, aims and priority actions in number order, each only where it has
        deliverables.
        """
        day = as_of or self.default_as_of
        order = [*STATUSES, NO_STATUS]

        def counts(items: Sequence[Deliverable]) -> dict[str, int]:
            found = {d.status_key for d in items}
            return {s: sum(1 for d in items if d.status_key == s) for s in order if s in found}

        def grouped(key: str) -> dict[str, dict[str, int]]:
            groups: dict[int, list[Deliverable]] = {}
            for d in self.deliverables:
                groups.setdefault(getattr(d, key), []).append(d)
            return {str(k): counts(groups[k]) for k in sorted(groups)}

        return {
            "update": self.update,
            "published": str(self.published),
            "as_of": day.isoformat(),
            "deliverables": len(self.deliverables),
            "by_status": counts(self.deliverables),
            "by_aim": grouped("aim"),
            "by_priority_action": grouped("priority_action"),
            "overdue": [d.number for d in self.overdue(day)],
        }

    def status(self, as_of: dt.date | None = None) -> pd.DataFrame:
        """One row per deliverable (plan order) with its aim, latest timescale and overdue flag."""
        import pandas as pd

        day = as_of or self.default_as_of
        rows = []
        for d in self.deliverables:
            latest = d.latest_timescale
            rows.append(
                {
                    "number": d.number,
                    "aim": d.aim,
                    "priority_action": d.priority_action,
                    "priority_action_name": self.strategy.priority_actions[d.priority_action].short,
                    "deliverable": d.deliverable,
                    "timescale": str(d.timescale) if d.timescale else None,
                    "timescale_text": d.timescale_text,
                    "revisions": len(d.revised_timescales),
                    "latest_timescale": str(latest) if latest else None,
                    "due_by": latest.last_day if latest else None,
                    "lead": join_names(d.lead),
                    "collaborators": join_names(d.collaborators),
                    "status": d.status,
                    "status_label": STATUS_SHORT_ALL[d.status_key],
                    "completed_in_update": d.completed_in_update,
                    "overdue": d.overdue(day),
                }
            )
        frame = pd.DataFrame(rows)
        frame.attrs.update(update=self.update, as_of=day.isoformat())
        for column in ("revisions", "number", "aim", "priority_action"):
            frame[column] = frame[column].astype("int64")
        frame["completed_in_update"] = frame["completed_in_update"].astype("Int64")
        return frame


def plan_from_document(
    document: Mapping[str, Any], *, source: Path | None = None, strategy: Strategy | None = None
) -> Plan:
    """A Plan from a document that validated without errors."""
    strategy = strategy or load_strategy()

    def month(value: Any) -> Month | None:
        return Month.parse(value) if isinstance(value, str) else None

    def texts(value: Any) -> tuple[str, ...]:
        return tuple(value or ())

    deliverables = []
    for item in document["deliverables"]:
        pa = int(item["priority_action"])
        deliverables.append(
            Deliverable(
                number=int(item["number"]),
                priority_action=pa,
                aim=strategy.aim_of(pa),
                deliverable=item.get("deliverable"),
                timescale=month(item.get("timescale")),
                timescale_text=item.get("timescale_text"),
                revised_timescales=tuple(
                    Revision(int(r["in_update"]), Month.parse(r["to"]))
                    for r in item.get("revised_timescales") or ()
                ),
                lead=texts(item.get("lead")),
                collaborators=texts(item.get("collaborators")),
                further_detail=item.get("further_detail"),
                update=item.get("update"),
                status=item.get("status"),
                completed_in_update=item.get("completed_in_update"),
            )
        )
    update = document["update"]
    return Plan(
        update=int(update["number"]),
        published=Month.parse(update["published"]),
        deliverables=tuple(deliverables),
        source=source,
        strategy=strategy,
    )
