"""The plan's rules: the catalogue (schemas/plan/rules.yaml) and one check function per rule.

Severities, titles and fixes are data in the catalogue; a check only says where and what. Schema
errors are translated into the catalogue's schema-stage ids here too, so every finding a plan
can give has one entry `cjreturns rules` can list.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import yaml

from cjreturns.core.findings import DocPath, Severity, dotted
from cjreturns.core.resources import schema_path
from cjreturns.plan.model import MONTH, STATUSES, Month
from cjreturns.plan.schema_source import SCHEMA_FILE
from cjreturns.plan.strategy import Strategy, load_strategy

Stage = Literal["reading", "schema", "rules", "internal"]
Issue = tuple[DocPath, str]


@dataclass(frozen=True)
class PlanRule:
    id: str
    severity: Severity
    stage: Stage
    title: str
    fix: str


@cache
def catalogue() -> dict[str, PlanRule]:
    """Every plan rule by id, from schemas/plan/rules.yaml."""
    with schema_path("plan/rules.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    rules = [PlanRule(**entry) for entry in raw["rules"]]
    return {r.id: r for r in rules}


@dataclass(frozen=True)
class Context:
    """What a check sees: the document (schema-checked, but perhaps with errors) and the date."""

    document: dict[str, Any]
    as_of: dt.date | None
    strategy: Strategy

    @property
    def update_number(self) -> int | None:
        update = self.document.get("update")
        number = update.get("number") if isinstance(update, dict) else None
        return number if isinstance(number, int) and not isinstance(number, bool) else None

    def deliverables(self) -> Iterator[tuple[DocPath, dict[str, Any]]]:
        items = self.document.get("deliverables")
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield ("deliverables", i), item


PlanCheck = Callable[[Context], Iterable[Issue]]
CHECKS: dict[str, PlanCheck] = {}


def check(rule_id: str) -> Callable[[PlanCheck], PlanCheck]:
    def register(func: PlanCheck) -> PlanCheck:
        CHECKS[rule_id] = func
        return func

    return register


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _month(value: Any) -> Month | None:
    return Month.parse(value) if isinstance(value, str) and MONTH.match(value) else None


def _name(item: dict[str, Any]) -> str:
    number = _int(item.get("number"))
    return f"Deliverable {number}" if number is not None else "This deliverable"


def _revisions(item: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    value = item.get("revised_timescales")
    return (
        [(i, r) for i, r in enumerate(value) if isinstance(r, dict)]
        if isinstance(value, list)
        else []
    )


def latest_month(item: dict[str, Any]) -> Month | None:
    months = [_month(r.get("to")) for _, r in _revisions(item)]
    months = [m for m in months if m is not None]
    return months[-1] if months else _month(item.get("timescale"))


@check("plan-duplicate-number")
def _duplicate_number(ctx: Context) -> Iterator[Issue]:
    first: dict[int, int] = {}
    for path, item in ctx.deliverables():
        number = _int(item.get("number"))
        if number is None:
            continue
        if number in first:
            yield (
                (*path, "number"),
                f"Deliverable {number} appears twice (first as item {first[number] + 1} of "
                "`deliverables`). Keep one, or correct the number.",
            )
        else:
            first[number] = int(path[1])


@check("plan-timescale-missing")
def _timescale_missing(ctx: Context) -> Iterator[Issue]:
    for path, item in ctx.deliverables():
        if item.get("status") != "completed_previously" and "timescale" not in item:
            yield (
                path,
                f"{_name(item)} has no `timescale`. Add the month first planned, as YYYY-MM.",
            )


@check("plan-deliverable-missing")
def _deliverable_missing(ctx: Context) -> Iterator[Issue]:
    for path, item in ctx.deliverables():
        if item.get("status") != "completed_previously" and "deliverable" not in item:
            yield path, f"{_name(item)} has no `deliverable` text. Add its wording from the plan."


@check("plan-status-missing")
def _status_missing(ctx: Context) -> Iterator[Issue]:
    if not ctx.update_number:  # update 0, the plan as first published, has no statuses
        return
    for path, item in ctx.deliverables():
        if "status" not in item:
            yield (
                path,
                f"{_name(item)} has no `status`, and update {ctx.update_number} gives one for "
                f"every deliverable. Add one of: {', '.join(STATUSES)}.",
            )


@check("plan-revised-without-revision")
def _revised_without_revision(ctx: Context) -> Iterator[Issue]:
    for path, item in ctx.deliverables():
        if item.get("status") == "in_progress_revised" and not item.get("revised_timescales"):
            yield (
                (*path, "status"),
                f"{_name(item)} is in progress with a revised timescale, but no revision is "
                "recorded. Add it under `revised_timescales`, e.g. "
                "[{in_update: 2, to: 2025-01}], or correct the status.",
            )


@check("plan-revision-from-later-update")
def _revision_from_later_update(ctx: Context) -> Iterator[Issue]:
    current = ctx.update_number
    if current is None:
        return
    for path, item in ctx.deliverables():
        for i, revision in _revisions(item):
            made = _int(revision.get("in_update"))
            if made is not None and made > current:
                yield (
                    (*path, "revised_timescales", i, "in_update"),
                    f"{_name(item)} has a timescale revised in update {made}, but this file is "
                    f"update {current}. Check the revision's `in_update` and `update.number`.",
                )


@check("plan-revisions-out-of-order")
def _revisions_out_of_order(ctx: Context) -> Iterator[Issue]:
    for path, item in ctx.deliverables():
        previous: int | None = None
        for i, revision in _revisions(item):
            made = _int(revision.get("in_update"))
            if made is None:
                continue
            if previous is not None and made < previous:
                yield (
                    (*path, "revised_timescales", i),
                    f"{_name(item)} lists a revision made in update {made} after one made in "
                    f"update {previous}. List revisions oldest first: the last is the timescale "
                    "in force.",
                )
            previous = made


@check("plan-completed-not-earlier")
def _completed_not_earlier(ctx: Context) -> Iterator[Issue]:
    current = ctx.update_number
    if current is None:
        return
    for path, item in ctx.deliverables():
        done_in = _int(item.get("completed_in_update"))
        if (
            item.get("status") == "completed_previously"
            and done_in is not None
            and done_in >= current
        ):
            yield (
                (*path, "completed_in_update"),
                f"{_name(item)} is marked completed previously, in update {done_in}, but "
                f"this is update {current}. Give the earlier update it was completed in, or "
                "mark it `complete` in this update.",
            )


def _overdue_unknowable(ctx: Context, item: dict[str, Any]) -> bool:
    """Complete, or a status or revision another finding already says is wrong: one mistake
    should give one finding, not a second "overdue" that follows from it."""
    status = item.get("status")
    if status is not None and not isinstance(status, str):
        return True  # the schema reports it
    if status in ("complete", "completed_previously"):
        return True
    if status is None:
        return bool(ctx.update_number)  # no status is only right in update 0
    if status not in STATUSES or (status == "in_progress_revised" and not _revisions(item)):
        return True
    return any(_month(r.get("to")) is None for _, r in _revisions(item))


@check("plan-overdue")
def _overdue(ctx: Context) -> Iterator[Issue]:
    as_of = ctx.as_of
    if as_of is None:
        update = ctx.document.get("update")
        published = _month(update.get("published")) if isinstance(update, dict) else None
        if published is None:
            return
        as_of = published.last_day
    for path, item in ctx.deliverables():
        due = latest_month(item)
        if due is None or _overdue_unknowable(ctx, item):
            continue
        if as_of > due.last_day:
            status = STATUSES.get(str(item.get("status") or ""), "without a status")
            yield (
                (*path, "status") if "status" in item else path,
                f"{_name(item)} was due by {due.label()} and is {status.lower()} as of "
                f"{as_of.day} {as_of:%B %Y}: overdue. Say why in its update and revise its "
                "timescale, or mark it complete.",
            )


@check("plan-update-missing")
def _update_missing(ctx: Context) -> Iterator[Issue]:
    if not ctx.update_number:
        return
    for path, item in ctx.deliverables():
        if item.get("status") != "completed_previously" and "update" not in item:
            yield (
                path,
                f"{_name(item)} has no `update` text. Add this update's progress on it.",
            )


@check("plan-lead-missing")
def _lead_missing(ctx: Context) -> Iterator[Issue]:
    for path, item in ctx.deliverables():
        if item.get("status") != "completed_previously" and not item.get("lead"):
            yield (
                path,
                f"{_name(item)} has no lead partner. Add `lead`, e.g. [Scottish Government].",
            )


# -- the schema --------------------------------------------------------------------------------

RawFinding = tuple[str, DocPath, str]  # rule id, path, message
MAX_SCHEMA_ERRORS = 500


@cache
def load_schema() -> dict[str, Any]:
    with schema_path(SCHEMA_FILE).open(encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a mapping of fields",
    "boolean": "true or false",
}


def schema_findings(document: Any) -> list[RawFinding]:
    """Schema errors as (rule id, path, message); one finding per mistake where possible."""
    out: list[RawFinding] = []
    for error in _validator().iter_errors(document):
        out.extend(_translate(error))
        if len(out) >= MAX_SCHEMA_ERRORS:
            out.append(
                (
                    "plan-wrong-type",
                    (),
                    f"More than {MAX_SCHEMA_ERRORS} problems with the plan's structure; only "
                    "the first are listed. Correct those and check again.",
                )
            )
            break
    mistyped = {path for rule, path, _ in out if rule == "plan-wrong-type"}
    return [f for f in out if f[0] == "plan-wrong-type" or f[1] not in mistyped]


def _translate(error: Any) -> Iterator[RawFinding]:
    path: DocPath = tuple(error.absolute_path)
    where = f" (at {dotted(path)})" if path else ""
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in instance:
                yield "plan-missing-field", (*path, key), f"`{key}` is missing{where}. Add it."
    elif kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                hint = f" Did you mean `{close[0]}`?" if close else ""
                yield (
                    "plan-unknown-field",
                    (*path, key),
                    f"`{key}` is not a field of the plan here{where}; it is ignored.{hint}",
                )
    elif kind == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        yield "plan-wrong-type", path, f"This should be {wanted}{where}."
    elif kind == "pattern" and error.validator_value != r"\S":
        yield (
            "plan-not-a-month",
            path,
            f"{json.dumps(error.instance, ensure_ascii=False)} is not a year-month{where}. "
            "Write it as YYYY-MM, e.g. 2024-06 for June 2024.",
        )
    elif kind == "enum" and schema.get("x-vocabulary") == "priority_actions":
        yield (
            "plan-unknown-priority-action",
            path,
            f"{json.dumps(error.instance)} is not a priority action of the strategy{where}: they "
            "are numbered 1 to 13.",
        )
    elif kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        yield (
            "plan-bad-value",
            path,
            f"{json.dumps(error.instance, ensure_ascii=False)} is not allowed{where}. Use one "
            f"of: {allowed}.",
        )
    elif kind in ("minLength", "pattern"):
        yield (
            "plan-bad-value",
            path,
            f"This text is empty{where}. Write it, or leave the field out.",
        )
    elif kind == "minimum":
        yield (
            "plan-bad-value",
            path,
            f"{error.instance} is below the smallest allowed, {error.validator_value}{where}.",
        )
    else:  # pragma: no cover - a schema keyword the contract does not use
        yield "plan-bad-value", path, f"{error.message}{where}."


def rule_checks() -> list[tuple[PlanRule, PlanCheck]]:
    """The rules-stage entries of the catalogue with their checks, in catalogue order."""
    rules = catalogue()
    missing = [r.id for r in rules.values() if r.stage == "rules" and r.id not in CHECKS]
    extra = [rule_id for rule_id in CHECKS if rule_id not in rules]
    if missing or extra:  # pragma: no cover - caught by the tests
        raise RuntimeError(f"plan rules without a check {missing} or not catalogued {extra}")
    return [(r, CHECKS[r.id]) for r in rules.values() if r.stage == "rules"]


def context_for(document: dict[str, Any], *, as_of: dt.date | None) -> Context:
    return Context(document, as_of, load_strategy())
