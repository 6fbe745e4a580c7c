"""Talking points from transparent rules kept as data (schemas/talking-points.yaml).

Each rule names a scope (`for_each`: coverage, outcome, theme, indicator, partner, development,
challenge, person_centred), a condition over that scope's numbers (`when`), a sentence template
(`text`) and questions for the analyst (`prompts`). Conditions are read by a small evaluator that
allows only names, numbers, text, arithmetic, comparisons, `and`/`or`/`not` and `in`: never
Python's eval. Every talking point carries the numbers it rests on (`evidence`).
"""

from __future__ import annotations

import ast
import operator
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.counts import Words
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


# -- the safe condition evaluator --------------------------------------------------------------

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class Condition:
    """A parsed `when:` expression, checked once for allowed syntax and known names."""

    def __init__(self, source: str, names: frozenset[str]) -> None:
        self.source = source
        try:
            self.tree = ast.parse(source.strip(), mode="eval").body
        except SyntaxError as exc:
            raise ValueError(f"cannot read the condition {source!r}: {exc.msg}") from exc
        self.names = tuple(dict.fromkeys(self._check(self.tree, names)))

    def _check(self, node: ast.AST, names: frozenset[str]) -> Iterator[str]:
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ValueError(f"unknown name `{node.id}` (known: {', '.join(sorted(names))})")
            yield node.id
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float | str | None):
                raise ValueError(f"unsupported value {node.value!r}")
        elif isinstance(
            node, ast.BoolOp | ast.Compare | ast.BinOp | ast.UnaryOp | ast.Tuple | ast.List
        ):
            ok = (
                (isinstance(node, ast.BinOp) and type(node.op) in _BINARY)
                or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub))
                or (isinstance(node, ast.Compare) and all(type(o) in _COMPARE for o in node.ops))
                or isinstance(node, ast.BoolOp | ast.Tuple | ast.List)
            )
            if not ok:
                raise ValueError(f"unsupported operator in {ast.unparse(node)!r}")
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    yield from self._check(child, names)
        else:
            raise ValueError(f"unsupported expression {ast.unparse(node)!r}")

    def __call__(self, variables: Mapping[str, Any]) -> bool:
        """True when the condition holds; a comparison with a missing number (None) or a
        division by zero makes the condition false rather than failing the run."""
        try:
            return bool(self._eval(self.tree, variables))
        except (TypeError, ZeroDivisionError):
            return False

    def _eval(self, node: ast.AST, v: Mapping[str, Any]) -> Any:
        if isinstance(node, ast.Name):
            return v[node.id]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self._eval(e, v) for e in node.elts)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, v)
            return (not value) if isinstance(node.op, ast.Not) else -value
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._eval(node.left, v), self._eval(node.right, v))
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(self._eval(e, v) for e in node.values)
            return any(self._eval(e, v) for e in node.values)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, v)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, v)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        raise AssertionError(f"unchecked node {node!r}")  # pragma: no cover - _check stops it


class _Text(string.Formatter):
    """Formats a template; a missing number reads "not available" instead of failing."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "not available"
        return super().format_field(value, format_spec)


def _template_names(template: str, names: frozenset[str]) -> tuple[str, ...]:
    found = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or field not in names:
            raise ValueError(
                f"unknown name {{{field}}} in the text (known: {', '.join(sorted(names))})"
            )
        if conversion or (spec and "{" in spec):
            raise ValueError(f"unsupported formatting in {{{field}}}")
        found.append(field)
    return tuple(found)


# -- scopes: what a rule can talk about, and the numbers it can use ---------------------------


def _lower(label: str) -> str:
    """Sentence-case label for use mid-sentence ("Housing" -> "housing"; "MAPPA" stays)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _words(prefix: str, n: int, word: Callable[[int], str]) -> dict[str, Any]:
    w = word(n)
    return {f"word{prefix}": w, f"Word{prefix}": w[:1].upper() + w[1:]}


def _names(items: Any) -> str:
    names = [str(x) for x in items]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


Item = tuple[str | None, str | None, dict[str, Any]]  # (subject, outcome, variables)


def _scope_coverage(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    s = cov.summary()
    yield (
        None,
        None,
        {
            **s,  # expected, received, accepted, rejected ... as counts
            "N": cov.counted,
            "missing_names": _names(cov.missing),
            "late_names": _names(a.partnership for a in cov.late),
            "rejected_names": _names(sorted({r.partnership or r.file for r in cov.rejected})),
            "conflict_names": _names(x.partnership for x in cov.conflicts),
        },
    )


def _scope_outcome(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for key, block in c["outcomes"].items():
        n = block["partnerships_with_activity"]
        yield (
            key,
            key,
            {
                "outcome": key,
                "n": n,
                "N": total,
                **_words("", n, q),
                "without": total - n,
                **_words("_without", total - n, q),
                "without_names": _names(block["partnerships_without_activity"]),
                "activities": block["activities"],
                **block["by_status"],
            },
        )


def _scope_theme(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, theme in ref.themes.items():
        home = str(theme["outcome"])
        n = c["outcomes"][home]["themes"].get(code, 0)
        n_any = c["themes"][code]
        yield (
            code,
            home,
            {
                "theme": code,
                "label": theme["name"],
                "label_lower": _lower(theme["name"]),
                "outcome": home,
                "n": n,
                "n_any": n_any,
                "N": total,
                **_words("", n, q),
                **_words("_any", n_any, q),
            },
        )


def _scope_indicator(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, ind in ref.indicators.items():
        b = c["indicators"][code]
        n = b["partnerships_reporting"]
        q1, q3 = b["q1_rate"], b["q3_rate"]
        yield (
            code,
            str(ind["outcome"]),
            {
                "indicator": code,
                "label": ind["name"],
                "label_lower": _lower(ind["name"]),
                "outcome": str(ind["outcome"]),
                "total": b["total"],
                "n": n,
                "N": total,
                **_words("", n, q),
                "median": b["median_rate"],
                "q1": q1,
                "q3": q3,
                "iqr": b["iqr"],
                "min": b["min_rate"],
                "max": b["max_rate"],
                "national_rate": b["national_rate"],
                "spread": (q3 / q1) if q1 else None,
                "outliers": len(b["outliers"]),
                "outlier_names": _names(b["outliers"]),
            },
        )


def _scope_partner(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, name in ref.statutory_partners.items():
        levels = c["partner_participation"][code]
        low = levels["occasional"] + levels["none"] + levels["not_stated"]
        engaged = levels["active"] + levels["regular"]
        yield (
            code,
            None,
            {
                "partner": code,
                "label": name,
                "N": total,
                **levels,
                "n_low": low,
                **_words("_low", low, q),
                "n_engaged": engaged,
                **_words("_engaged", engaged, q),
            },
        )


def _scope_development(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    for code, name in ref.development.items():
        n = c["partnership_development"][code]
        yield (
            code,
            None,  # governance and partnership working, not an outcome's section
            {
                "development": code,
                "label": name,
                "label_lower": _lower(name),
                "n": n,
                "N": total,
                **_words("", n, q),
            },
        )


def _scope_challenge(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    ranking = c["challenges_ranking"]
    for code, n in c["challenges"].items():
        yield (
            code,
            None,
            {
                "challenge": code,
                "label": ref.challenges[code],
                "label_lower": _lower(ref.challenges[code]),
                "n": n,
                "N": total,
                **_words("", n, q),
                "rank": ranking.index(code) + 1 if code in ranking else None,
            },
        )


def _scope_person_centred(c: Mapping[str, Any], cov: Coverage, ref: Reference) -> Iterator[Item]:
    total, q = cov.counted, Words(ref, cov.counted)
    b = c["person_centred"]
    evidence = {f"n_{theme}": n for theme, n in b["evidence"].items()}
    yield (
        None,
        "-".join((b["outcomes"][0], b["outcomes"][-1])),
        {
            "N": total,
            "n_any": b["partnerships_with_activity"],
            **_words("_any", b["partnerships_with_activity"], q),
            **evidence,
            **{
                k: v
                for theme, n in b["evidence"].items()
                for k, v in _words(f"_{theme}", n, q).items()
            },
            "n_case_studies": b["partnerships_with_case_studies"],
            "case_studies": b["case_studies"],
        },
    )


Scope = Callable[[Mapping[str, Any], Coverage, Reference], Iterator[Item]]
SCOPES: dict[str, Scope] = {
    "coverage": _scope_coverage,
    "outcome": _scope_outcome,
    "theme": _scope_theme,
    "indicator": _scope_indicator,
    "partner": _scope_partner,
    "development": _scope_development,
    "challenge": _scope_challenge,
    "person_centred": _scope_person_centred,
}


def scope_variables(
    scope: str,
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    scopes: Mapping[str, Scope] = SCOPES,
) -> frozenset[str]:
    names: set[str] = set()
    for _, _, variables in scopes[scope](counts, coverage, reference):
        names.update(variables)
    return frozenset(names)


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
    path: Path | None = None, *, scopes: Mapping[str, Scope] = SCOPES, default: str = ""
) -> tuple[Rule, ...]:
    """Read and check the rules file: every problem names the rule and what to change.

    `scopes` and `default` (the rules file under schemas/) are a framework's; the 2016 ones
    unless given."""
    path = path or schema_path(default or "talking-points.yaml")
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


def talking_points(
    counts: Mapping[str, Any],
    coverage: Coverage,
    reference: Reference,
    *,
    rules: tuple[Rule, ...] | None = None,
    scopes: Mapping[str, Scope] = SCOPES,
) -> tuple[TalkingPoint, ...]:
    """Apply every enabled rule to every item of its scope, in file order."""
    rules = load_rules(scopes=scopes) if rules is None else rules
    formatter = _Text()
    points: list[TalkingPoint] = []
    for rule in rules:
        if not rule.enabled:
            continue
        names = scope_variables(rule.for_each, counts, coverage, reference, scopes)
        try:
            condition = Condition(rule.when, names)
            cited = (*condition.names, *_template_names(rule.text, names))
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
