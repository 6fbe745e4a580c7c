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
from typing import Any, Literal, NamedTuple

import yaml

from cjreturns.reference import Partnership, Reference, load_reference
from cjreturns.resources import schema_path
from cjreturns.validation.findings import DocPath, Severity
from cjreturns.validation.schema import V1_SCHEMA, coded_field_patterns

Stage = Literal["reading", "schema", "rules"]
Issue = tuple[DocPath, str]
Check = Callable[["Context"], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    stage: Stage
    title: str
    fix: str
    check: Check | None = None


RULES: dict[str, Rule] = {}


def _register(r: Rule) -> Rule:
    if r.id in RULES:  # pragma: no cover - a programming mistake caught at import
        raise ValueError(f"duplicate rule id {r.id}")
    RULES[r.id] = r
    return r


def catalogue(stage: Stage, rule_id: str, severity: Severity, title: str, fix: str) -> None:
    """Record a rule that is applied elsewhere (by a reader or the schema)."""
    _register(Rule(rule_id, severity, stage, title, fix))


def rule(rule_id: str, severity: Severity, title: str, fix: str) -> Callable[[Check], Check]:
    def wrap(func: Check) -> Check:
        _register(Rule(rule_id, severity, "rules", title, fix, func))
        return func

    return wrap


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


def parse_year(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if m is None:
        return None
    start = int(m.group(1))
    return start if (start + 1) % 100 == int(m.group(2)) else None


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _long_date(day: dt.date) -> str:
    """30 September 2022 (strftime's %-d is not available on Windows)."""
    return f"{day.day} {day:%B %Y}"


def _words(text: str) -> int:
    return len(text.split())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


# -- catalogue of reading and schema rules -----------------------------------------------------

catalogue(
    "reading",
    "file-unreadable",
    "error",
    "The file can be opened.",
    "Check the file exists and that you have permission to read it.",
)
catalogue(
    "reading",
    "file-type",
    "error",
    "The file is a kind cjreturns reads (.json, .yaml, .yml, .xlsx).",
    "Save the return as the return workbook (.xlsx), YAML or JSON.",
)
catalogue(
    "reading",
    "file-empty",
    "error",
    "The file has content.",
    "Fill in the return, or remove the empty file from the folder.",
)
catalogue(
    "reading",
    "file-encoding",
    "error",
    "Text files are UTF-8.",
    "Save the file as UTF-8 (Save As, then choose UTF-8 encoding).",
)
catalogue(
    "reading",
    "file-binary",
    "error",
    "A text return holds text, not binary data.",
    "Check this is the right file and its name has the right extension.",
)
catalogue(
    "reading",
    "too-large",
    "error",
    "The file, its values and any YAML aliases stay within the size limits.",
    "Check it is the right file; write values out in full.",
)
catalogue(
    "reading",
    "too-deep",
    "error",
    "The document is not nested absurdly deeply.",
    "Check the indentation (YAML) or brackets (JSON).",
)
catalogue(
    "reading",
    "json-syntax",
    "error",
    "A .json file is valid JSON.",
    "Look near the line given for a missing comma, quote or bracket.",
)
catalogue(
    "reading",
    "yaml-syntax",
    "error",
    "A .yaml file is valid YAML.",
    "Check indentation near the line given; quote text containing ': ' or starting with "
    "a special character.",
)
catalogue(
    "reading",
    "yaml-multiple-documents",
    "error",
    "A YAML file holds one return.",
    "Split the file so each return is in its own file.",
)
catalogue(
    "reading",
    "yaml-tag",
    "error",
    "No YAML tags (such as !!python/object) are used.",
    "Remove the tag; returns hold only text, numbers, dates, lists and mappings.",
)
catalogue(
    "reading",
    "yaml-value",
    "error",
    "Every YAML value can be read as its type.",
    "Correct the value, or put it in quotes to keep it as text.",
)
catalogue(
    "reading",
    "duplicate-key",
    "error",
    "No field is given twice in the same place.",
    "Keep one of the two and delete the other.",
)
catalogue(
    "reading",
    "not-a-number",
    "error",
    "Numbers are real numbers of a sensible size "
    "(no NaN, Infinity or numbers of 16 digits or more).",
    "Give a whole number, or leave the field out if it is not known.",
)
catalogue(
    "reading",
    "workbook-unreadable",
    "error",
    "A workbook can be opened as an .xlsx file.",
    "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
)
catalogue(
    "reading",
    "workbook-layout",
    "error",
    "A workbook has the sheets and columns of the return template.",
    "Start from `cjreturns template` and copy your entries across.",
)
catalogue(
    "reading",
    "workbook-value",
    "error",
    "Each workbook cell holds a value of the right "
    "kind (a number, a date, a choice from the list).",
    "Correct the cell; choose from the drop-down list where there is one.",
)
catalogue(
    "reading",
    "annotate-refused",
    "error",
    "A checked copy (validate --annotate, or the check page's download) can be made without "
    "losing anything from the workbook.",
    "Correct the findings in your own workbook; a workbook with pictures, charts, pivot tables "
    "or macros is checked but not copied.",
)
catalogue(
    "schema",
    "missing-field",
    "error",
    "Every required field is present.",
    "Add the field named in the message.",
)
catalogue(
    "schema",
    "unknown-field",
    "warning",
    "Only fields of the return are used (a misspelt field is ignored).",
    "Correct the spelling or remove the field.",
)
catalogue(
    "schema",
    "wrong-type",
    "error",
    "Each value is of the right kind (text, whole number, list ...).",
    "Change the value to the kind the message names.",
)
catalogue(
    "schema",
    "unknown-code",
    "error",
    "Codes (themes, partners, indicators, statuses ...) are from the reference lists.",
    "Use a code listed by `cjreturns codes`.",
)
catalogue(
    "schema",
    "bad-value",
    "error",
    "Fixed values (such as schema_version) are right.",
    "Use the value the message gives.",
)
catalogue(
    "schema",
    "out-of-range",
    "error",
    "Numbers are within range (no negative counts).",
    "Correct the number.",
)
catalogue(
    "schema",
    "empty-list",
    "error",
    "Lists that need an entry have one (e.g. themes).",
    "Add at least one entry.",
)
catalogue(
    "schema",
    "empty-text",
    "error",
    "Text fields are not blank.",
    "Write the text or remove the field.",
)
catalogue(
    "schema",
    "bad-format",
    "error",
    "Dates are YYYY-MM-DD, email addresses and links are well formed.",
    "Rewrite the value in the form the message gives.",
)
catalogue(
    "schema",
    "schema",
    "error",
    "The return matches the schema in other respects.",
    "Follow the message.",
)
catalogue(
    "schema",
    "too-many-problems",
    "error",
    "A file has at most 1,000 problems against the return's structure (more are not listed).",
    "Correct the problems listed, usually one mistake repeated, and check the file again.",
)
catalogue(
    "rules",
    "rule-crashed",
    "error",
    "Every check could run on the file.",
    "This is a bug in cjreturns: please report it with the file if you can.",
)


# -- the rules -----------------------------------------------------------------------------------


@rule(
    "partnership-unknown",
    "error",
    "The partnership is one of the 30 in the reference list.",
    "Write the partnership's name as `cjreturns codes partnerships` lists it.",
)
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


@rule(
    "partnership-alias",
    "warning",
    "The partnership is given by its reference name, not another name for it.",
    "Replace it with the name the message gives.",
)
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


@rule(
    "reporting-year-format",
    "error",
    "The reporting year is a financial year written YYYY-YY, e.g. 2021-22.",
    "Write the year as in 2021-22 (1 April 2021 to 31 March 2022).",
)
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


@rule(
    "reporting-year-mismatch",
    "error",
    "The reporting year is the one being collected (when a year is given with --year).",
    "Check you sent this year's return, not last year's.",
)
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
    month, day = (int(x) for x in ctx.reference.calendar["returns_due"].split("-"))
    return dt.date(start + 1, month, day)


@rule(
    "submitted-late",
    "warning",
    "The return was submitted by 30 September after the reporting year.",
    "Nothing to fix in the file; CJS will note the return as late.",
)
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
                f"Submitted on {_long_date(submitted)}, after the deadline of {_long_date(due)}. "
                "The return will be counted, and noted as late."
            ),
        )


@rule(
    "submitted-before-year-end",
    "warning",
    "The return is dated after the reporting year it describes has ended.",
    "Check `submitted_on` and `reporting_year`.",
)
def _early(ctx: Context) -> Iterator[Issue]:
    start = ctx.year_start()
    submitted = parse_date(ctx.document.get("submitted_on"))
    if start is None or submitted is None:
        return
    month, day = (int(x) for x in ctx.reference.calendar["period_end"].split("-"))
    end = dt.date(start + 1, month, day)
    if submitted <= end:
        yield (
            ("submitted_on",),
            (
                f"Submitted on {submitted.isoformat()}, before the "
                f"{ctx.document['reporting_year']} "
                f"reporting year ended on {_long_date(end)}. Check the date and the reporting year."
            ),
        )


@rule(
    "outcome-no-activity-reason",
    "error",
    "An outcome with no activities says why.",
    "List the outcome's activities, or explain in `no_activity_reason` why there were none.",
)
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


@rule(
    "outcome-no-activity",
    "warning",
    "Each national outcome has at least one activity.",
    "Check nothing was missed; the reason given will be read by CJS.",
)
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


@rule(
    "consent-not-confirmed",
    "error",
    "Every case study has `consent_confirmed: true`.",
    "Confirm consent was given (true), or remove the case study.",
)
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


@rule(
    "count-exceeds",
    "error",
    "A count is not larger than the count it is part of (e.g. "
    "diversion cases commenced <= referrals).",
    "Correct whichever of the two figures is wrong.",
)
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


@rule(
    "indicator-repeated",
    "warning",
    "Each indicator is given once (or with the same value under each outcome).",
    "Give the indicator under one outcome only.",
)
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


@rule(
    "indicator-outlier",
    "warning",
    "An indicator is within the range usual for a partnership of that size (per 10,000 people).",
    "Check the figure: a typing slip, or a figure for another period or area?",
)
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


@rule(
    "duplicate-activity",
    "warning",
    "No activity is listed twice under the same outcome.",
    "Merge the two entries, or give them titles that tell them apart.",
)
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


@rule(
    "period-order",
    "error",
    "An activity's period ends after it starts.",
    "Swap or correct the start and end dates.",
)
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


@rule(
    "period-outside-year",
    "warning",
    "An activity's period overlaps the reporting year.",
    "Check the dates, or move work from another year to that year's return.",
)
def _period_outside(ctx: Context) -> Iterator[Issue]:
    start_year = ctx.year_start()
    if start_year is None:
        return
    year_start, year_end = dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)
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


@rule(
    "sign-off-after-submission",
    "warning",
    "The return was signed off on or before the date it was submitted.",
    "Check the sign-off date and `submitted_on`.",
)
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


@rule(
    "section-27-not-confirmed",
    "warning",
    "The sign-off confirms this is the section 27 return to CJS.",
    "Set `section_27_return: true` once the partnership has agreed it.",
)
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


@rule(
    "personal-data",
    "warning",
    "Free text holds no personal data (names with titles, "
    "dates of birth, CHI-like numbers, phone numbers, email addresses, postcodes).",
    "Remove it or replace a person with their role. Contact details belong in `contact`.",
)
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


@rule(
    "placeholder-text",
    "warning",
    "No template or draft placeholder text is left in (TBC, lorem ipsum, [insert ...]).",
    "Replace the placeholder with the real text.",
)
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


@rule(
    "word-limit",
    "warning",
    "Narrative stays within its word limit (see schemas/rules.yaml).",
    "Shorten the text; put detail in the partnership's own annual report.",
)
def _word_limit(ctx: Context) -> Iterator[Issue]:
    for leaf in ctx.texts():
        limit = leaf.word_limit
        if limit is not None:
            n = _words(leaf.text)
            if n > limit:
                yield leaf.path, f"This text is {n:,} words; the limit is {limit}. Shorten it."


@rule(
    "too-short",
    "warning",
    "Narrative is long enough to tell a reader what happened.",
    "Say what was done, by whom and for whom.",
)
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
    return [r for r in RULES.values() if r.check is not None]


def context_for(document: dict[str, Any], *, year: str | None = None) -> Context:
    return Context(document, load_reference(), load_settings(), year)
