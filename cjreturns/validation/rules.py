"""Rules beyond the schema: each has a stable id, a severity, what it checks and how to fix it.

A rule is a small function registered with `@rule(...)`; it receives a `Context` and yields
(path, message) pairs. Reading and schema rules are catalogued here too (without a function),
so `cjreturns rules` lists every finding a user can meet from one set of definitions.
Settings (word limits, placeholder patterns, personal-data patterns, indicator ranges) are data
in schemas/rules.yaml.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import yaml

from cjreturns.contract.catalogue import Stage, load_catalogue
from cjreturns.contract.reference import Partnership, Reference, load_reference
from cjreturns.core.calendar import long_date, parse_date, parse_year, year_label
from cjreturns.core.findings import DocPath, Severity
from cjreturns.core.resources import schema_path
from cjreturns.validation.schema import V1_SCHEMA, coded_field_patterns

Issue = tuple[DocPath, str]
Check = Callable[["Context"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    """A catalogue entry (schemas/rules/catalogue.yaml) with its 2016 check, if the check is one
    of the rules here rather than a reader's or the schema's."""

    id: str
    severity: Severity
    stage: Stage
    title: str
    fix: str
    check: Check | None = None
    stops: bool = False


# The check functions, by rule id; everything else about a rule is in the catalogue.
CHECKS: dict[str, Check] = {}


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register the check for a catalogued rule of the `rules` stage."""

    def wrap(func: Check) -> Check:
        if rule_id in CHECKS:  # pragma: no cover - a programming mistake caught at import
            raise ValueError(f"duplicate check for rule {rule_id}")
        CHECKS[rule_id] = func
        return func

    return wrap


def _catalogued() -> dict[str, Rule]:
    return {
        e.id: Rule(e.id, e.severity, e.stage, e.title, e.fix, CHECKS.get(e.id), e.stops)
        for e in load_catalogue().base
    }


# -- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    word_limits: tuple[tuple[tuple[str, ...], int], ...]
    minimum_words: tuple[tuple[tuple[str, ...], int], ...]
    placeholders: tuple[re.Pattern[str], ...]
    personal_data: tuple[tuple[str, re.Pattern[str]], ...]
    personal_data_fields: frozenset[str]
    indicator_rates: dict[str, dict[str, float]]
    low_bound_min_population: int
    # Per kind, phrases a match may sit inside without counting ("Dr Gray's Hospital").
    personal_data_not_within: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def personal_data_in(self, kind: str, pattern: re.Pattern[str], text: str) -> bool:
        """Whether `pattern` (of this kind) finds personal data in `text`: a match that lies
        wholly inside one of the kind's `not_within` phrases (a hospital named after a doctor,
        say) does not count."""
        phrases = self.personal_data_not_within.get(kind)
        if not phrases:
            return pattern.search(text) is not None
        plain = text.replace("\u2019", "'")  # the same length: positions still line up
        allowed = [
            (start, start + len(phrase))
            for phrase in phrases
            for start in _occurrences(plain, phrase)
        ]
        return any(
            not any(a <= m.start() and m.end() <= b for a, b in allowed)
            for m in pattern.finditer(text)
        )

    def flags_text(self, text: str) -> bool:
        """Whether the personal-data or placeholder checks would warn about this one text (the
        rules reach the same answer over a whole return at once)."""
        return any(self.personal_data_in(kind, p, text) for kind, p in self.personal_data) or any(
            p.search(text) for p in self.placeholders
        )


@cache
def load_settings() -> Settings:
    with schema_path("rules.yaml").open(encoding="utf-8") as fh:
        # libyaml's loader where PyYAML has it; the pure one where it has not (the check page)
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def patterns(table: dict[str, int]) -> tuple[tuple[tuple[str, ...], int], ...]:
        return tuple((tuple(k.split(".")), int(v)) for k, v in table.items())

    return Settings(
        word_limits=patterns(raw["word_limits"]),
        minimum_words=patterns(raw["minimum_words"]),
        placeholders=tuple(re.compile(p, re.IGNORECASE) for p in raw["placeholders"]),
        personal_data=tuple(
            (
                item["kind"],
                re.compile(item["pattern"], 0 if item.get("case_sensitive") else re.IGNORECASE),
            )
            for item in raw["personal_data"]
        ),
        personal_data_fields=frozenset(raw["personal_data_fields"]),
        personal_data_not_within={
            item["kind"]: tuple(p.replace("\u2019", "'") for p in item["not_within"])
            for item in raw["personal_data"]
            if item.get("not_within")
        },
        indicator_rates={k: dict(v) for k, v in raw["indicator_rates"].items()},
        low_bound_min_population=int(raw["indicator_low_bound_min_population"]),
    )


def _occurrences(text: str, phrase: str) -> Iterator[int]:
    start = text.find(phrase)
    while start != -1:
        yield start
        start = text.find(phrase, start + 1)


# -- context and traversal helpers ---------------------------------------------------------------


@dataclass
class Context:
    """What a rule may look at. `document` may be malformed: rules check types as they go."""

    document: dict[str, Any]
    reference: Reference
    settings: Settings
    year: str | None = None  # the reporting year the caller expects, if any
    schema: str = V1_SCHEMA  # the framework's schema: which string fields hold codes
    _texts: list[TextLeaf] | None = field(default=None, init=False, repr=False, compare=False)
    _narrative: str | None = field(default=None, init=False, repr=False, compare=False)

    def partnership(self) -> Partnership | None:
        name = self.document.get("partnership")
        if not isinstance(name, str):
            return None
        return self.reference.resolve_partnership(name)[0]

    def year_start(self) -> int | None:
        """The first calendar year of the return's reporting year, when it is well formed."""
        return parse_year(self.document.get("reporting_year"))

    def outcomes(self) -> Iterator[tuple[str, dict[str, Any]]]:
        outcomes = self.document.get("outcomes")
        if isinstance(outcomes, dict):
            for key, value in outcomes.items():
                if isinstance(value, dict):
                    yield key, value

    def activities(self) -> Iterator[tuple[DocPath, dict[str, Any]]]:
        for key, outcome in self.outcomes():
            for i, act in _items(outcome.get("activities")):
                yield ("outcomes", key, "activities", i), act
        for i, act in _items(self.document.get("local_activity")):
            yield ("local_activity", i), act

    def texts(self) -> list[TextLeaf]:
        """Every text value, classified for the text rules in one walk (cached: four rules
        read it, and a long return has thousands of texts)."""
        if self._texts is None:
            self._texts = classify_texts(self.document, self.settings, schema=self.schema)
        return self._texts

    def narrative(self) -> str:
        """All narrative text joined by newlines, for searching a pattern once per return."""
        if self._narrative is None:
            self._narrative = "\n".join(leaf.text for leaf in self.texts() if leaf.narrative)
        return self._narrative

    def searches(self, patterns: Iterable[re.Pattern[str]]) -> list[re.Pattern[str] | None]:
        """For each pattern: itself if it may match some narrative text, None if it matches
        none. One search of the joined text settles most patterns for the whole return."""
        joined = self.narrative()
        patterns = tuple(patterns)
        # Most returns match none of the word-led patterns: one search for a group says so.
        quiet: set[re.Pattern[str]] = set()
        for screen, members in _prescreen(patterns):
            if screen.search(joined) is None:
                quiet |= members
        out: list[re.Pattern[str] | None] = []
        for pattern in patterns:
            if pattern in quiet:
                out.append(None)
                continue
            whole = _joined_form(pattern)
            out.append(pattern if whole is None or whole.search(joined) else None)
        return out


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def text_leaves(value: Any, path: DocPath = ()) -> Iterator[tuple[DocPath, str]]:
    """Every text value with its path (iterative, so deep documents cannot overflow)."""
    stack: list[tuple[DocPath, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            yield p, v
        elif isinstance(v, dict):
            stack.extend(((*p, k), child) for k, child in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend(((*p, i), child) for i, child in reversed(list(enumerate(v))))


def _matches(pattern: tuple[str, ...], path: DocPath) -> bool:
    return len(pattern) == len(path) and all(
        part == "*" or part == str(p) for part, p in zip(pattern, path, strict=True)
    )


class TextLeaf(NamedTuple):
    """A text value and what the text rules need to know about where it is.

    A named tuple: a long return has thousands, and tuples are the cheapest to make.
    """

    path: DocPath
    text: str
    narrative: bool  # free text: not a personal-data section, not a code, date or link
    word_limit: int | None  # from the first matching `word_limits` pattern
    minimum_words: int | None  # from the first matching `minimum_words` pattern


class _Node:
    """A node of a trie of path patterns (* for any key or item).

    Walking the document with a set of trie nodes matches every path against every pattern at
    once, instead of comparing each text's path with each pattern in turn.
    """

    __slots__ = ("children", "coded", "minimum", "star", "word_limit")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.star: _Node | None = None
        self.coded = False
        # (pattern's position in its list, value): the first matching pattern wins.
        self.word_limit: tuple[int, int] | None = None
        self.minimum: tuple[int, int] | None = None

    def add(self, pattern: tuple[str, ...]) -> _Node:
        node = self
        for part in pattern:
            if part == "*":
                if node.star is None:
                    node.star = _Node()
                node = node.star
            else:
                node = node.children.setdefault(part, _Node())
        return node


def _first(
    found: tuple[int, int] | None, candidate: tuple[int, int] | None
) -> tuple[int, int] | None:
    if candidate is None:
        return found
    return candidate if found is None or candidate[0] < found[0] else found


class _State:
    """Where a path has got to in the trie: the nodes it reached, and what a text there is.

    States are shared between documents and remember their transitions, so walking a return
    costs a dictionary look-up per value once the common paths have been seen.
    """

    __slots__ = ("minimum", "narrative", "next", "nodes", "personal", "private", "root",
                 "word_limit")  # fmt: skip

    def __init__(
        self, nodes: tuple[_Node, ...], *, private: bool, root: bool, personal: frozenset[str]
    ) -> None:
        self.nodes = nodes
        self.private = private
        self.root = root
        self.personal = personal
        self.next: dict[str, _State] = {}
        limit = minimum = None
        for node in nodes:
            limit = _first(limit, node.word_limit)
            minimum = _first(minimum, node.minimum)
        self.narrative = not (private or any(node.coded for node in nodes))
        self.word_limit = limit[1] if limit else None
        self.minimum = minimum[1] if minimum else None

    def step(self, key: str | int) -> _State:
        part = str(key)
        found = self.next.get(part)
        if found is None:
            nodes: list[_Node] = []
            for node in self.nodes:
                child = node.children.get(part)
                if child is not None:
                    nodes.append(child)
                if node.star is not None:
                    nodes.append(node.star)
            private = self.private or (self.root and part in self.personal)
            found = _State(tuple(nodes), private=private, root=False, personal=self.personal)
            self.next[part] = found
        return found


_STATES: dict[tuple[int, str], tuple[Settings, _State]] = {}


def _start(settings: Settings, schema: str = V1_SCHEMA) -> _State:
    cached = _STATES.get((id(settings), schema))
    if cached is not None and cached[0] is settings:
        return cached[1]
    root = _Node()
    for pattern in coded_field_patterns(schema):
        root.add(pattern).coded = True
    for table, slot in ((settings.word_limits, "word_limit"), (settings.minimum_words, "minimum")):
        for i, (pattern, value) in enumerate(table):
            node = root.add(pattern)
            setattr(node, slot, _first(getattr(node, slot), (i, value)))
    state = _State((root,), private=False, root=True, personal=settings.personal_data_fields)
    _STATES[(id(settings), schema)] = (settings, state)
    return state


def classify_texts(document: Any, settings: Settings, *, schema: str = V1_SCHEMA) -> list[TextLeaf]:
    """Every text value in document order, as `text_leaves` gives them, each classified.

    Iterative, so deep documents cannot overflow.
    """
    out: list[TextLeaf] = []
    stack: list[tuple[DocPath, Any, _State]] = [((), document, _start(settings, schema))]
    pop, push = stack.pop, stack.extend
    while stack:
        p, v, state = pop()
        if isinstance(v, str):
            out.append(TextLeaf(p, v, state.narrative, state.word_limit, state.minimum))
        elif isinstance(v, dict):
            step = state.step
            push(((*p, k), child, step(k)) for k, child in reversed(list(v.items())))
        elif isinstance(v, list):
            step = state.step
            push(((*p, i), child, step(i)) for i, child in reversed(list(enumerate(v))))
    return out


# After "(?", what keeps a pattern safe to search in joined text: groups, lookaheads and
# lookbehinds that are positive, and inline flags that do not switch MULTILINE off.
_SAFE_GROUP = re.compile(r"\(\?(?::|P<|P=|=|<=|[aiLmsux]+[):])")
_ANCHORS = re.compile(r"\\[AZ]")  # whole-string anchors
_POSSESSIVE = re.compile(r"[*+?}]\+")  # a quantifier made possessive, unless it is escaped
# A negative lookaround of one character class, as in (?<!\d) or (?![\d.]): safe when the
# class cannot match the newline that joins two texts (checked when the pattern is looked at).
_ONE_CHAR_LOOKAROUND = re.compile(r"\(\?<?!(\\[dw]|\[(?:[^\]\\^\[]|\\[dw.\-\]\\])+\])\)")


def _escaped(source: str, i: int) -> bool:
    """Whether the character at `i` follows an odd number of backslashes (is taken literally).

    A character inside [...] is literal too; treating it as syntax only makes us cautious.
    """
    return (len(source[:i]) - len(source[:i].rstrip("\\"))) % 2 == 1


@cache
def _joined_form(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` for searching texts joined by newlines, or None if that could miss a match.

    A match inside one text is a match inside the joined text, except through what looks past
    the text's ends: whole-string anchors (\\A, \\Z), negative lookarounds (other than of one
    character that cannot be a newline), atomic groups and possessive quantifiers. ^ and $
    keep their meaning with MULTILINE; a newline is not a word character, so \\b is
    unchanged. Patterns using anything doubtful get None (search each text). Extra matches
    across texts only mean each text is then searched on its own.
    """
    source = pattern.pattern
    if _ANCHORS.search(source) or pattern.flags & re.VERBOSE:
        return None
    if any(not _escaped(source, m.start()) for m in _POSSESSIVE.finditer(source)):
        return None
    # Every "(?" that opens a group is checked (an escaped one is a literal bracket); a
    # doubtful pattern is only searched text by text.
    start = source.find("(?")
    while start != -1:
        if not _escaped(source, start) and not _SAFE_GROUP.match(source, start):
            around = _ONE_CHAR_LOOKAROUND.match(source, start)
            if around is None or re.fullmatch(around.group(1), "\n", pattern.flags):
                return None
        start = source.find("(?", start + 1)
    return re.compile(source, pattern.flags | re.MULTILINE)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


@cache
def _prescreen(
    patterns: tuple[re.Pattern[str], ...],
) -> list[tuple[re.Pattern[str], frozenset[re.Pattern[str]]]]:
    """Expressions that each match wherever any of a group of word-led patterns (those starting
    with \\b and searchable in joined text, with the same flags) matches, and the patterns each
    stands for.

    An alternation matches at a place exactly when one of its branches does, so no match for
    it means no match for any of them. Python's `re` scans each `\\b...` pattern position by
    position; one scan for seven placeholder patterns takes about a third of the time of seven.
    Branches share their flags (scoped flags such as `(?i:...)` would switch off the scanning
    shortcut); patterns with backreferences or inline global flags, which cannot be branches,
    are left out.
    """
    groups: dict[int, list[re.Pattern[str]]] = {}
    for pattern in patterns:
        source = pattern.pattern
        if (
            _joined_form(pattern) is None
            or not source.startswith(r"\b")
            or _BACKREFERENCE.search(source)
            or _GLOBAL_FLAGS.search(source)
        ):
            continue
        groups.setdefault(pattern.flags, []).append(pattern)
    screens = []
    for flags, members in groups.items():
        if len(members) < 2:
            continue
        try:
            combined = re.compile("|".join(f"(?:{p.pattern})" for p in members), flags | re.M)
        except re.error:  # a pattern that cannot be a branch (a repeated group name, say)
            continue
        screens.append((combined, frozenset(members)))
    return screens


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _words(text: str) -> int:
    return len(text.split())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


# -- the rules -----------------------------------------------------------------------------------


@rule("partnership-unknown")
def _partnership_unknown(ctx: Context) -> Iterator[Issue]:
    name = ctx.document.get("partnership")
    if not isinstance(name, str) or not name.strip():  # blank text is already empty-text
        return
    found, _ = ctx.reference.resolve_partnership(name)
    if found is None:
        names = [p.name for p in ctx.reference.partnerships]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        yield (
            ("partnership",),
            (
                f"{name!r} is not one of the 30 Community Justice Partnerships.{hint} Use the name "
                "exactly as `cjreturns codes partnerships` lists it."
            ),
        )


@rule("partnership-alias")
def _partnership_alias(ctx: Context) -> Iterator[Issue]:
    name = ctx.document.get("partnership")
    if not isinstance(name, str):
        return
    found, alias = ctx.reference.resolve_partnership(name)
    if found is not None and alias:
        yield (
            ("partnership",),
            (
                f"{name!r} is accepted as {found.name!r}. Write the partnership as "
                f"{found.name!r} so "
                "returns match from year to year."
            ),
        )


@rule("reporting-year-format")
def _year_format(ctx: Context) -> Iterator[Issue]:
    value = ctx.document.get("reporting_year")
    if not isinstance(value, str) or parse_year(value) is not None:
        return
    m = re.fullmatch(r"\s*(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\s*", value)
    if m:
        start = int(m.group(1))
        hint = f" Write it as {start}-{(start + 1) % 100:02d}."
    else:
        hint = " Write it as, for example, 2021-22."
    yield (
        ("reporting_year",),
        (
            f"{value!r} is not a reporting year in the form YYYY-YY covering 1 April to 31 "
            f"March.{hint}"
        ),
    )


@rule("reporting-year-mismatch")
def _year_mismatch(ctx: Context) -> Iterator[Issue]:
    value = ctx.document.get("reporting_year")
    if ctx.year and isinstance(value, str) and parse_year(value) is not None and value != ctx.year:
        yield (
            ("reporting_year",),
            (
                f"This return is for {value}, but {ctx.year} returns are being checked. Send the "
                f"{ctx.year} return, or check with --year {value}."
            ),
        )


def _due_date(ctx: Context, start: int) -> dt.date:
    return ctx.reference.calendar.due(year_label(start))


@rule("submitted-late")
def _late(ctx: Context) -> Iterator[Issue]:
    start = ctx.year_start()
    submitted = parse_date(ctx.document.get("submitted_on"))
    if start is None or submitted is None:
        return
    due = _due_date(ctx, start)
    if submitted > due:
        yield (
            ("submitted_on",),
            (
                f"Submitted on {long_date(submitted)}, after the deadline of {long_date(due)}. "
                "The return will be counted, and noted as late."
            ),
        )


@rule("submitted-before-year-end")
def _early(ctx: Context) -> Iterator[Issue]:
    start = ctx.year_start()
    submitted = parse_date(ctx.document.get("submitted_on"))
    if start is None or submitted is None:
        return
    end = ctx.reference.calendar.end(year_label(start))
    if submitted <= end:
        yield (
            ("submitted_on",),
            (
                f"Submitted on {submitted.isoformat()}, before the "
                f"{ctx.document['reporting_year']} "
                f"reporting year ended on {long_date(end)}. Check the date and the reporting year."
            ),
        )


@rule("outcome-no-activity-reason")
def _no_activity_reason(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        acts = outcome.get("activities")
        reason = outcome.get("no_activity_reason")
        if (acts is None or acts == []) and not (isinstance(reason, str) and reason.strip()):
            yield (
                ("outcomes", key),
                (
                    f"Outcome {key} has no activities and no `no_activity_reason`. List the "
                    "activities, or say in `no_activity_reason` why there were none."
                ),
            )


@rule("outcome-no-activity")
def _no_activity(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        acts = outcome.get("activities")
        reason = outcome.get("no_activity_reason")
        if (acts is None or acts == []) and isinstance(reason, str) and reason.strip():
            yield (
                ("outcomes", key, "no_activity_reason"),
                (
                    f"Outcome {key} reports no activity (the reason is given). Check nothing was "
                    "missed: national counts will show no activity for this outcome."
                ),
            )


@rule("consent-not-confirmed")
def _consent(ctx: Context) -> Iterator[Issue]:
    for key, outcome in ctx.outcomes():
        for i, study in _items(outcome.get("case_studies")):
            value = study.get("consent_confirmed")
            if value is not True:
                path: DocPath = ("outcomes", key, "case_studies", i)
                state = "missing" if value is None else _show_value(value)
                if value is not None:
                    path = (*path, "consent_confirmed")
                yield (
                    path,
                    (
                        f"Case study {i + 1} under outcome {key}: consent is {state}. A case study "
                        "can only be used with the person's consent: set `consent_confirmed: true` "
                        "once it is given, or remove the case study."
                    ),
                )


def _indicator_values(ctx: Context) -> dict[str, tuple[int, DocPath]]:
    values: dict[str, tuple[int, DocPath]] = {}
    for key, outcome in ctx.outcomes():
        indicators = outcome.get("indicators")
        if not isinstance(indicators, dict):
            continue
        for code, value in indicators.items():
            # A negative count is already a schema error (out-of-range); judging it again as an
            # outlier or against its parent count would report one mistake twice.
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and value >= 0
                and (code not in values)
            ):
                values[code] = (value, ("outcomes", key, "indicators", code))
    return values


@rule("count-exceeds")
def _count_exceeds(ctx: Context) -> Iterator[Issue]:
    values = _indicator_values(ctx)
    for code, (value, path) in values.items():
        parent = ctx.reference.indicators.get(code, {}).get("at_most")
        if parent and parent in values and value > values[parent][0]:
            yield (
                path,
                (
                    f"`{code}` is {value:,}, more than `{parent}` ({values[parent][0]:,}), "
                    "which it "
                    f"is part of. Correct whichever figure is wrong."
                ),
            )


@rule("indicator-repeated")
def _indicator_repeated(ctx: Context) -> Iterator[Issue]:
    seen: dict[str, tuple[Any, str]] = {}
    for key, outcome in ctx.outcomes():
        indicators = outcome.get("indicators")
        if not isinstance(indicators, dict):
            continue
        for code, value in indicators.items():
            if code in seen and seen[code][0] != value:
                yield (
                    ("outcomes", key, "indicators", code),
                    (
                        f"`{code}` is {value} here but {seen[code][0]} under outcome "
                        f"{seen[code][1]}. "
                        "Give it once; only the first value is counted."
                    ),
                )
            seen.setdefault(code, (value, key))


@rule("indicator-outlier")
def _indicator_outlier(ctx: Context) -> Iterator[Issue]:
    partnership = ctx.partnership()
    if partnership is None or partnership.population <= 0:
        return
    for code, (value, path) in _indicator_values(ctx).items():
        bounds = ctx.settings.indicator_rates.get(code)
        if not bounds:
            continue
        try:
            rate = value / partnership.population * 10_000
        except OverflowError:  # a count of hundreds of digits is an outlier, not a crash
            rate = math.inf
        low_applies = partnership.population >= ctx.settings.low_bound_min_population
        if rate > bounds["high"] or (low_applies and rate < bounds["low"]):
            yield (
                path,
                (
                    f"`{code}` is {value:,}: {rate:,.1f} per 10,000 people in {partnership.name}. "
                    f"Partnerships usually report {bounds['low']:g} to {bounds['high']:g} per "
                    "10,000 "
                    "people. Check the figure is right and for the whole reporting year."
                ),
            )


@rule("duplicate-activity")
def _duplicate_activity(ctx: Context) -> Iterator[Issue]:
    groups: list[tuple[DocPath, Any]] = [
        (("outcomes", key, "activities"), outcome.get("activities"))
        for key, outcome in ctx.outcomes()
    ]
    groups.append((("local_activity",), ctx.document.get("local_activity")))
    for base, acts in groups:
        first: dict[str, int] = {}
        for i, act in _items(acts):
            title = act.get("title")
            if not isinstance(title, str) or not title.strip():
                continue
            folded = _fold(title)
            if folded in first:
                yield (
                    (*base, i, "title"),
                    (
                        f"Activity {i + 1} has the same title as activity {first[folded] + 1} "
                        "here. "
                        "If it is the same activity, merge the two so it is counted once."
                    ),
                )
            else:
                first[folded] = i


@rule("period-order")
def _period_order(ctx: Context) -> Iterator[Issue]:
    for path, act in ctx.activities():
        period = act.get("period")
        if not isinstance(period, dict):
            continue
        start, end = parse_date(period.get("start")), parse_date(period.get("end"))
        if start and end and end < start:
            yield (
                (*path, "period", "end"),
                (
                    f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}). "
                    "Correct the dates."
                ),
            )


@rule("period-outside-year")
def _period_outside(ctx: Context) -> Iterator[Issue]:
    start_year = ctx.year_start()
    if start_year is None:
        return
    calendar = ctx.reference.calendar
    year_start = calendar.start(year_label(start_year))
    year_end = calendar.end(year_label(start_year))
    for path, act in ctx.activities():
        period = act.get("period")
        if not isinstance(period, dict):
            continue
        start, end = parse_date(period.get("start")), parse_date(period.get("end"))
        if (end and end < year_start) or (start and start > year_end):
            yield (
                (*path, "period"),
                (
                    "The activity's period lies wholly outside the "
                    f"{ctx.document['reporting_year']} "
                    "reporting year. Check the dates."
                ),
            )


@rule("sign-off-after-submission")
def _sign_off_date(ctx: Context) -> Iterator[Issue]:
    sign_off = ctx.document.get("sign_off")
    if not isinstance(sign_off, dict):
        return
    signed = parse_date(sign_off.get("date"))
    submitted = parse_date(ctx.document.get("submitted_on"))
    if signed and submitted and signed > submitted:
        yield (
            ("sign_off", "date"),
            (
                f"Signed off on {signed.isoformat()}, after it was submitted on "
                f"{submitted.isoformat()}. Check the dates."
            ),
        )


@rule("section-27-not-confirmed")
def _s27(ctx: Context) -> Iterator[Issue]:
    sign_off = ctx.document.get("sign_off")
    if isinstance(sign_off, dict) and sign_off.get("section_27_return") is False:
        yield (
            ("sign_off", "section_27_return"),
            (
                "The sign-off says this is not yet the partnership's agreed return under "
                "section 27 "
                "of the Community Justice (Scotland) Act 2016. Send it once it is agreed."
            ),
        )


@rule("personal-data")
def _personal_data(ctx: Context) -> Iterator[Issue]:
    kinds_patterns = ctx.settings.personal_data
    found_somewhere = ctx.searches(pattern for _, pattern in kinds_patterns)
    patterns = [
        (kind, p) for (kind, _), p in zip(kinds_patterns, found_somewhere, strict=True) if p
    ]
    if not patterns:
        return
    found_in = ctx.settings.personal_data_in
    for leaf in ctx.texts():
        if not leaf.narrative:
            continue
        kinds = [kind for kind, p in patterns if found_in(kind, p, leaf.text)]
        if kinds:
            found = ", ".join(kinds)
            yield (
                leaf.path,
                (
                    f"This text may hold personal data ({found}). Remove it, or describe the "
                    "person "
                    "by role: returns feed national reports, and contact details belong in "
                    "`contact`."
                ),
            )


@rule("placeholder-text")
def _placeholder(ctx: Context) -> Iterator[Issue]:
    searches = [p.search for p in ctx.searches(ctx.settings.placeholders) if p is not None]
    if not searches:
        return
    for leaf in ctx.texts():
        if leaf.narrative and any(search(leaf.text) for search in searches):
            yield (
                leaf.path,
                ("This looks like placeholder text left in. Replace it with the real text."),
            )


@rule("word-limit")
def _word_limit(ctx: Context) -> Iterator[Issue]:
    for leaf in ctx.texts():
        limit = leaf.word_limit
        if limit is not None:
            n = _words(leaf.text)
            if n > limit:
                yield leaf.path, f"This text is {n:,} words; the limit is {limit}. Shorten it."


@rule("too-short")
def _too_short(ctx: Context) -> Iterator[Issue]:
    for leaf in ctx.texts():
        minimum = leaf.minimum_words
        if minimum is not None:
            n = _words(leaf.text)
            if 0 < n < minimum:
                yield (
                    leaf.path,
                    (
                        f"This text is only {n} word{'s' if n != 1 else ''}. Say what was done, "
                        "by whom and for whom."
                    ),
                )


def rules_to_run() -> list[Rule]:
    """The 2016 checks in catalogue order (a year's own set: `validation.years.rule_set`)."""
    return [r for r in _catalogued().values() if r.check is not None]


def context_for(document: dict[str, Any], *, year: str | None = None) -> Context:
    return Context(document, load_reference(), load_settings(), year)


def __getattr__(name: str) -> Any:
    # `RULES` (the first year's rules by id, each with its check) was a module constant before
    # the catalogue became data; it is built on use now, so importing this module reads no file.
    if name == "RULES":
        return _catalogued()
    raise AttributeError(name)
