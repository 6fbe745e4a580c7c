"""`plan status` as text or JSON: counts by status and aim, and what is overdue on a date.

Reporters take a loaded Plan and a date and return a string; they never print.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from cjreturns.core.calendar import long_date
from cjreturns.plan.model import NO_STATUS, STATUS_SHORT_ALL, Deliverable, Plan, join_names


def first_line(text: str | None, limit: int = 90) -> str:
    """A deliverable's first paragraph, shortened for a one-line listing."""
    first = (text or "").strip().split("\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def overdue_line(d: Deliverable) -> str:
    due = d.latest_timescale
    label = STATUS_SHORT_ALL[d.status_key]
    lead = join_names(d.lead) or "no lead partner"
    return (
        f"{d.number:>4}  due by {due.label() if due else '?'} ({label}; lead: {lead}): "
        f"{first_line(d.deliverable)}"
    )


def render_text(plan: Plan, as_of: dt.date) -> str:
    s = plan.summary(as_of)
    lines = [f"{plan.title()} as of {long_date(as_of)}: {s['deliverables']} deliverables.", ""]
    lines.append("By status:")
    width = max(len(STATUS_SHORT_ALL[k]) for k in s["by_status"]) if s["by_status"] else 0
    for key, n in s["by_status"].items():
        lines.append(f"  {STATUS_SHORT_ALL[key]:<{width}}  {n:>3}")
    lines += ["", "By aim (deliverables; complete now or before; overdue):"]
    overdue = set(s["overdue"])
    for aim_id, counts in s["by_aim"].items():
        items = [d for d in plan.deliverables if d.aim == int(aim_id)]
        done = sum(1 for d in items if d.done)
        late = sum(1 for d in items if d.number in overdue)
        text = plan.strategy.aims[int(aim_id)].text
        lines.append(
            f"  Aim {aim_id}: {sum(counts.values())}; {done} complete; {late} overdue. {text}"
        )
    lines.append("")
    late_items = plan.overdue(as_of)
    if late_items:
        lines.append(
            f"Overdue as of {long_date(as_of)} ({len(late_items)}): latest timescale passed and "
            "not complete."
        )
        lines += [overdue_line(d) for d in late_items]
    else:
        lines.append(f"Nothing is overdue as of {long_date(as_of)}.")
    if NO_STATUS in s["by_status"]:
        lines.append(
            "The plan as first published gives no statuses: every deliverable whose timescale "
            "has passed counts as overdue."
        )
    return "\n".join(lines) + "\n"


def render_json(plan: Plan, as_of: dt.date) -> str:
    return json.dumps(plan.summary(as_of), indent=2, ensure_ascii=False) + "\n"


REPORTERS: dict[str, Callable[[Plan, dt.date], str]] = {"text": render_text, "json": render_json}
