"""The checks written for returns under the 2023 Community Justice Performance Framework.

Which check applies in which collection year, with what severity and parameters, is data in
schemas/rules/years/; these are the functions that year files name with `check: cjpf_2023`.
Rules the two frameworks share (dates, partnership, texts) are the 2016 ones, run on a
`CJPFContext`, whose activities are those under the priority actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cjreturns.contract.frameworks import CJPF, load_cjpf
from cjreturns.core.findings import DocPath
from cjreturns.validation.rules import Context, Issue, _items, _show_value
from cjreturns.validation.rules.checks_content import duplicate_titles

Params = Mapping[str, Any]
CJPFCheck = Callable[["CJPFContext", Params], Iterable[Issue]]
CJPF_CHECKS: dict[str, CJPFCheck] = {}


def check(rule_id: str) -> Callable[[CJPFCheck], CJPFCheck]:
    def wrap(func: CJPFCheck) -> CJPFCheck:
        if rule_id in CJPF_CHECKS:  # pragma: no cover - a programming mistake caught at import
            raise ValueError(f"duplicate check {rule_id}")
        CJPF_CHECKS[rule_id] = func
        return func

    return wrap


@dataclass
class CJPFContext(Context):
    """A Context for a contract 2.0 return: activities sit under the priority actions."""

    cjpf: CJPF | None = None

    def framework(self) -> CJPF:
        return self.cjpf or load_cjpf()

    def outcomes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The CJPF outcomes (measures and narrative), not the 2016 outcomes."""
        outcomes = self.document.get("outcomes")
        if isinstance(outcomes, dict):
            for key, value in outcomes.items():
                if isinstance(value, dict):
                    yield key, value

    def priority_actions(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The priority actions 1 to 13 (another key is the schema's unknown-field)."""
        actions = self.document.get("priority_actions")
        known = self.framework().priority_actions
        if isinstance(actions, dict):
            for key, value in actions.items():
                if isinstance(value, dict) and str(key).isdigit() and int(key) in known:
                    yield key, value

    def activities(self) -> Iterator[tuple[DocPath, dict[str, Any]]]:
        for key, action in self.priority_actions():
            for i, act in _items(action.get("activities")):
                yield ("priority_actions", key, "activities", i), act
        for i, act in _items(self.document.get("local_activity")):
            yield ("local_activity", i), act

    def measures(self) -> dict[str, tuple[int, DocPath, str]]:
        """Each measure's first whole-number value >= 0, its path and the outcome it is under
        (a negative or non-integer value is already a schema error)."""
        values: dict[str, tuple[int, DocPath, str]] = {}
        for key, outcome in self.outcomes():
            measures = outcome.get("measures")
            if not isinstance(measures, dict):
                continue
            for code, value in measures.items():
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                    values.setdefault(code, (value, ("outcomes", key, "measures", code), key))
        return values


def _no_activity(action: dict[str, Any]) -> tuple[bool, bool]:
    """(no activities listed, a reason given)."""
    acts = action.get("activities")
    reason = action.get("no_activity_reason")
    return acts is None or acts == [], isinstance(reason, str) and bool(reason.strip())


@check("priority-action-no-activity-reason")
def _no_activity_reason(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    for key, action in ctx.priority_actions():
        empty, reason = _no_activity(action)
        if empty and not reason:
            yield (
                ("priority_actions", key),
                (
                    f"Priority action {key} has no activities and no `no_activity_reason`. List "
                    "the activities, or say in `no_activity_reason` why there were none."
                ),
            )


@check("priority-action-no-activity")
def _no_activity_warning(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    for key, action in ctx.priority_actions():
        empty, reason = _no_activity(action)
        if empty and reason:
            yield (
                ("priority_actions", key, "no_activity_reason"),
                (
                    f"Priority action {key} reports no activity (the reason is given). Check "
                    "nothing was missed: national counts will show no activity for it."
                ),
            )


@check("consent-not-confirmed")
def _consent(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    for key, action in ctx.priority_actions():
        for i, study in _items(action.get("case_studies")):
            value = study.get("consent_confirmed")
            if value is not True:
                path: DocPath = ("priority_actions", key, "case_studies", i)
                state = "missing" if value is None else _show_value(value)
                if value is not None:
                    path = (*path, "consent_confirmed")
                yield (
                    path,
                    (
                        f"Case study {i + 1} under priority action {key}: consent is {state}. A "
                        "case study can only be used with the person's consent: set "
                        "`consent_confirmed: true` once it is given, or remove the case study."
                    ),
                )


@check("duplicate-activity")
def _duplicate_activity(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    groups: list[tuple[DocPath, Any]] = [
        (("priority_actions", key, "activities"), action.get("activities"))
        for key, action in ctx.priority_actions()
    ]
    groups.append((("local_activity",), ctx.document.get("local_activity")))
    yield from duplicate_titles(groups)


@check("measure-wrong-outcome")
def _measure_outcome(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    known = ctx.framework().measures
    for key, outcome in ctx.outcomes():
        measures = outcome.get("measures")
        if not isinstance(measures, dict):
            continue
        for code in measures:
            measure = known.get(code)  # an unknown code is the schema's unknown-code
            if measure is not None and str(measure.outcome) != str(key):
                yield (
                    ("outcomes", key, "measures", code),
                    (
                        f"`{code}` ({measure.label}) belongs under outcome {measure.outcome}, "
                        f"not outcome {key}. Move it to outcome {measure.outcome}'s measures."
                    ),
                )


def _pairs(params: Params) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in params.get("pairs", [])]


def _exceeds(ctx: CJPFContext, params: Params, advice: str) -> Iterator[Issue]:
    values = ctx.measures()
    for part, whole in _pairs(params):
        if part in values and whole in values and values[part][0] > values[whole][0]:
            value, path, _ = values[part]
            yield (
                path,
                f"`{part}` is {value:,}, more than `{whole}` ({values[whole][0]:,}). {advice}",
            )


@check("measure-completed-exceeds-commenced")
def _completed(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    yield from _exceeds(
        ctx,
        params,
        "No more cases can be completed than commenced: correct whichever figure is wrong.",
    )


@check("measure-commenced-exceeds-assessments")
def _commenced(ctx: CJPFContext, params: Params) -> Iterator[Issue]:
    yield from _exceeds(
        ctx,
        params,
        "More cases commenced than were assessed: check both figures are for the same year "
        "(cases assessed late in the previous year can commence in this one).",
    )
