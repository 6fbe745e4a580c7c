"""Every text value of a return, classified in one walk (a trie of path patterns), and the
one-scan search of word-led patterns; helpers the checks share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

from cjreturns.core.findings import DocPath
from cjreturns.validation.rules.settings import Settings
from cjreturns.validation.schema import V1_SCHEMA, coded_field_patterns


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


# Transitions remembered across documents, at most. The keys come from untrusted files: without
# a bound, 100,000 distinct keys kept 53 MB for the life of a long-running server. Past the
# bound a step is worked out afresh (the same answer, a little slower) and forgotten.
MAX_CACHED_TRANSITIONS = 20_000


class _State:
    """Where a path has got to in the trie: the nodes it reached, and what a text there is.

    States are shared between documents and remember their transitions (up to
    MAX_CACHED_TRANSITIONS in all), so walking a return costs a dictionary look-up per value
    once the common paths have been seen.
    """

    cached = 0  # transitions remembered by all states together

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
            if _State.cached < MAX_CACHED_TRANSITIONS:
                self.next[part] = found
                _State.cached += 1
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
