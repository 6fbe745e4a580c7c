"""Talking points from transparent rules kept as data, one rules file per framework
(schemas/talking-points.yaml for 2016, schemas/cjpf-2023/talking-points.yaml for 2023).

Each rule names a scope (`for_each`: what it looks at, one item at a time), a condition over that
scope's numbers (`when`), a sentence template (`text`) and questions for the analyst
(`prompts`). This is the engine both frameworks share: reading and checking a rules file and
applying it. The conditions' safe evaluator is in talking_point_conditions.py, the scopes in
talking_point_scopes.py (shared) and talking_points_opif.py / talking_points_cjpf.py (each
framework's own, with its rules file). Every talking point carries the numbers it rests on
(`evidence`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.talking_point_conditions import Condition, TextTemplate, template_names
from cjreturns.aggregation.talking_point_scopes import Scope, TalkingPointSpec
from cjreturns.aggregation.talking_points_opif import OPIF_TALKING_POINTS
from cjreturns.contract.reference import Reference
from cjreturns.core.errors import UsageError
from cjreturns.core.resources import schema_path


class TalkingPointRulesError(UsageError):
    """The talking-point rules file cannot be used (bad YAML, unknown name, unsafe condition)."""


@dataclass(frozen=True)
class TalkingPoint:
    """One finding of one rule. Points of the same rule share its title and questions, so a
    report lists them under one heading and asks the questions once."""

    id: str
    scope: str
    outcome: str | None
    subject: str | None
    text: str
    evidence: dict[str, Any]
    prompts: tuple[str, ...] = ()
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "scope": self.scope,
            "outcome": self.outcome,
            "subject": self.subject,
            "text": self.text,
            "evidence": self.evidence,
            "prompts": list(self.prompts),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TalkingPoint:
        """The inverse of to_dict (for a report built from an aggregate.json)."""
        outcome, subject = data.get("outcome"), data.get("subject")
        evidence = data.get("evidence")
        return cls(
            id=str(data.get("id") or ""),
            scope=str(data.get("scope") or ""),
            outcome=None if outcome is None else str(outcome),
            subject=None if subject is None else str(subject),
            text=str(data.get("text") or ""),
            evidence=dict(evidence) if isinstance(evidence, Mapping) else {},
            prompts=tuple(str(p) for p in data.get("prompts") or () if isinstance(p, str)),
            title=str(data.get("title") or ""),
        )


# -- rules ----------------------------------------------------------------------------------------

_RULE_KEYS = {"id", "title", "enabled", "for_each", "when", "text", "prompts", "outcome"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    id: str
    enabled: bool
    for_each: str
    when: str
    text: str
    prompts: tuple[str, ...]
    outcome: str | None = None
    title: str = ""


def load_rules(
    path: Path | None = None, *, spec: TalkingPointSpec = OPIF_TALKING_POINTS
) -> tuple[Rule, ...]:
    """Read and check a framework's rules file (or the one at `path`, for that framework's
    scopes): every problem names the rule and what to change. The 2016 framework's unless
    `spec` is given."""
    scopes = spec.scopes
    path = path or schema_path(spec.rules_file)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TalkingPointRulesError(f"cannot read talking-point rules {path}: {exc}") from exc
    entries = raw.get("rules") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise TalkingPointRulesError(f"{path}: expected a list under `rules:`")
    rules: list[Rule] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path}: rule {i}"
        if not isinstance(entry, dict):
            raise TalkingPointRulesError(f"{where} is not a mapping")
        if isinstance(entry.get("id"), str):
            where = f"{path}: rule `{entry['id']}`"
        unknown = set(entry) - _RULE_KEYS
        missing = {"id", "for_each", "when", "text"} - set(entry)
        if unknown or missing:
            raise TalkingPointRulesError(
                f"{where}: "
                + "; ".join(
                    ([f"unknown keys {sorted(unknown)}"] if unknown else [])
                    + ([f"missing keys {sorted(missing)}"] if missing else [])
                )
            )
        if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
            raise TalkingPointRulesError(f"{where}: id must be kebab-case, like theme-few")
        if entry["for_each"] not in scopes:
            raise TalkingPointRulesError(f"{where}: for_each must be one of {', '.join(scopes)}")
        prompts = entry.get("prompts") or []
        if not all(isinstance(p, str) for p in prompts) or not isinstance(prompts, list):
            raise TalkingPointRulesError(f"{where}: prompts must be a list of questions")
        if not isinstance(entry["when"], str) or not isinstance(entry["text"], str):
            raise TalkingPointRulesError(f"{where}: `when` and `text` must be text")
        if not isinstance(entry.get("title", ""), str):
            raise TalkingPointRulesError(f"{where}: `title` must be text")
        rules.append(
            Rule(
                id=entry["id"],
                enabled=bool(entry.get("enabled", True)),
                for_each=entry["for_each"],
                when=entry["when"],
                text=" ".join(entry["text"].split()),
                prompts=tuple(" ".join(p.split()) for p in prompts),
                outcome=str(entry["outcome"]) if entry.get("outcome") is not None else None,
                title=" ".join(str(entry.get("title") or "").split()),
            )
        )
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TalkingPointRulesError(f"{path}: rule ids used twice: {', '.join(duplicates)}")
    return tuple(rules)


def scope_variables(
    scope: str,
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    scopes: Mapping[str, Scope],
) -> frozenset[str]:
    """Every name the items of a scope give, which a rule's condition and text may use."""
    names: set[str] = set()
    for _, _, variables in scopes[scope](counts, coverage, reference):
        names.update(variables)
    return frozenset(names)


def talking_points(
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    *,
    rules: tuple[Rule, ...] | None = None,
    spec: TalkingPointSpec = OPIF_TALKING_POINTS,
) -> tuple[TalkingPoint, ...]:
    """Apply every enabled rule to every item of its scope, in file order: the framework's own
    rules unless `rules` are given (the 2016 framework's unless `spec` is)."""
    rules = load_rules(spec=spec) if rules is None else rules
    scopes = spec.scopes
    formatter = TextTemplate()
    points: list[TalkingPoint] = []
    for rule in rules:
        if not rule.enabled:
            continue
        names = scope_variables(rule.for_each, counts, coverage, reference, scopes)
        try:
            condition = Condition(rule.when, names)
            cited = (*condition.names, *template_names(rule.text, names))
        except ValueError as exc:
            raise TalkingPointRulesError(f"talking-point rule `{rule.id}`: {exc}") from exc
        for subject, outcome, variables in scopes[rule.for_each](counts, coverage, reference):
            if not condition(variables):
                continue
            evidence: dict[str, Any] = {
                k: round(v, 2) if isinstance(v, float) else v
                for k in dict.fromkeys((*cited, "N"))
                if isinstance(v := variables[k], int | float) or v is None
            }
            if subject is not None:
                evidence = {rule.for_each: subject, **evidence}
            points.append(
                TalkingPoint(
                    id=rule.id,
                    scope=rule.for_each,
                    outcome=rule.outcome or outcome,
                    subject=subject,
                    text=formatter.format(rule.text, **variables),
                    evidence=evidence,
                    prompts=rule.prompts,
                    title=rule.title,
                )
            )
    return tuple(points)
