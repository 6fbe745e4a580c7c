"""YAML returns, as people write them, read safely with a line and column for every value.

We walk libyaml's event stream ourselves instead of calling `safe_load`, because that lets one
pass build the canonical document and its source map, report duplicate keys (PyYAML keeps the
last silently), refuse object tags, and bound nesting and alias expansion.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import yaml
from yaml import events as ev

from cjreturns.core.findings import DocPath, dotted
from cjreturns.core.limits import Limits
from cjreturns.readers.base import Position, ReadResult, SourceMap
from cjreturns.readers.text import decode_text

# libyaml's parser when PyYAML was built with it; the pure-Python one otherwise (in the browser
# check page, for one). Both give the same events and marks; the tests run under both.
LOADERS: dict[str, type] = {"python": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    LOADERS["c"] = yaml.CSafeLoader
_Loader = LOADERS.get("c", yaml.SafeLoader)
# libyaml (0.2.5 as bundled since PyYAML 6.0.2) stops at 1000 levels of flow nesting while it
# scans ahead, before the parser hands us the event our own depth check would see.
_LIBYAML_NESTING = "exceeded maximum nesting depth"
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = yaml.constructor.SafeConstructor.construct_yaml_str
_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_TAG + "map", _TAG + "seq", _TAG + "merge", "!"}
# Scalars read as written rather than by YAML 1.1's rules (see _Builder._as_written).
_AS_WRITTEN = {_TAG + "int"}
_TIMESTAMP = _TAG + "timestamp"
_DECIMAL = re.compile(r"[-+]?[0-9]+(?:_[0-9]+)*")
MAX_DIGITS = 4_300  # Python's own limit for int(text); no figure in a return comes close


# What each parser's words for a syntax error mean, in a coordinator's words: libyaml and the
# pure-Python parser describe the same mistake differently ("mapping values are not allowed in
# this context" / "... here"), and the check page runs the pure one, so both must read alike.
_PROBLEMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("mapping values are not allowed",), "a colon (:) where a new entry cannot start"),
    (("cannot start any token",), "a character that cannot begin a value (a tab, @, ` or %)"),
    (("',' or ']'",), "a list opened with [ that is not closed with ]"),
    (("',' or '}'",), "a group opened with { that is not closed with }"),
    (("duplicate %yaml directive", "duplicate yaml directive"), "%YAML written twice"),
    (("<document start>",), "text after the end of the document"),
    (
        ("expected '-' indicator", "expected <block end>", "did not find expected key"),
        "lines whose indentation does not line up",
    ),
)


def plain_problem(problem: str) -> str:
    """The parser's description of a syntax error, the same whichever parser found it."""
    folded = problem.casefold()
    for needles, plain in _PROBLEMS:
        if any(n in folded for n in needles):
            return plain
    return problem


class _Stop(Exception):
    """Reading cannot go on; the finding is already recorded."""


def key_text(key: Any) -> str:
    """Mapping keys become strings, as in JSON: `1:` -> "1", `true:` -> "true"."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def canonical_scalar(value: Any) -> Any:
    """Dates become ISO strings so a YAML and a JSON return give the same document."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "merged",
        "merges",
        "path",
        "pending_key",
        "pending_pos",
        "positions",
        "size",
    )

    def __init__(
        self,
        container: Any,
        path: DocPath,
        anchor: str | None,
        positions: dict[DocPath, Position],
    ) -> None:
        self.container = container
        # Where this container's members are located: the source map, or a scratch dict for a
        # duplicate that will be dropped, so its lines never replace those of the value kept.
        self.positions = positions
        self.path = path
        self.pending_key: str | None = None
        self.pending_pos: Position | None = None
        self.anchor = anchor
        self.size = 1
        self.merges = False
        self.merged: set[str] = set()  # keys taken from `<<`: the mapping's own keys win


def read_yaml(data: bytes, limits: Limits) -> ReadResult:
    result = ReadResult(None, SourceMap({}), format="yaml")
    text = decode_text(data, result)
    if text is None:
        return result
    positions: dict[DocPath, Position] = {}
    result.source_map = SourceMap(positions)
    try:
        result.document = _Builder(result, positions, limits).run(text)
    except _Stop:
        result.document = None
    return result


class _Builder:
    def __init__(self, result: ReadResult, positions: dict[DocPath, Position], limits: Limits):
        self.result = result
        self.positions = positions
        self.limits = limits
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0

    def run(self, text: str) -> Any:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        try:
            for event in yaml.parse(text, Loader=_Loader):
                if isinstance(event, ev.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        self._stop(
                            "yaml-multiple-documents",
                            "The file holds more than one YAML document (a second `---`). "
                            "Keep one return per file.",
                            event.start_mark,
                        )
                elif isinstance(event, ev.ScalarEvent):
                    value = self._scalar(event, stack)
                    if event.anchor:  # `&x 5` may be repeated later as `*x`
                        self.anchors[event.anchor] = (value, 1)
                    self._attach(stack, value, 1, event)
                    if not stack:
                        root = value
                elif isinstance(event, ev.AliasEvent):
                    anchor = event.anchor or ""
                    if anchor not in self.anchors:
                        self._stop(
                            "yaml-syntax",
                            f"The alias *{anchor} refers to no anchor (&{anchor}) above it. "
                            "Write the value out in full.",
                            event.start_mark,
                        )
                    value, size = self.anchors[anchor]
                    self._count(size, event)
                    self._attach(stack, value, size, event)
                    if not stack:
                        root = value
                elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
                    self._check_tag(event, stack)
                    container: Any = {} if isinstance(event, ev.MappingStartEvent) else []
                    path = self._child_path(stack, event)
                    if len(stack) >= self.limits.max_depth:
                        self._stop(
                            "too-deep",
                            f"The document is nested more than {self.limits.max_depth} levels "
                            "deep. A return is never this deep: check the indentation.",
                            event.start_mark,
                            path,
                        )
                    self._count(1, event)
                    target = stack[-1].positions if stack else self.positions
                    if stack and _is_duplicate(stack[-1]):
                        target = {}
                    if not stack or isinstance(stack[-1].container, list):
                        # A list item (or the whole document) is located where it starts, not
                        # where it ends; a mapping's value is located at its key instead.
                        target.setdefault(path, _pos(event))
                    frame = _Frame(container, path, event.anchor, target)
                    stack.append(frame)
                elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
                    frame = stack.pop()
                    if frame.anchor:
                        self.anchors[frame.anchor] = (frame.container, frame.size)
                    if stack:
                        self._attach(stack, frame.container, frame.size, event, placed=True)
                    else:
                        root = frame.container
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if exc.problem and _LIBYAML_NESTING in exc.problem:
                self._stop(
                    "too-deep",
                    f"The document is nested more than {self.limits.max_depth} levels "
                    "deep. A return is never this deep: check the indentation.",
                    mark,
                )
            problem = plain_problem(exc.problem or exc.context or "unreadable YAML")
            self._stop(
                "yaml-syntax",
                f"The file is not valid YAML: {problem}. Check the indentation around this line, "
                "and put text that contains a colon or starts with a special character in quotes.",
                mark,
            )
        except yaml.YAMLError as exc:
            self._stop("yaml-syntax", f"The file is not valid YAML: {exc}.", None)
        except RecursionError:
            self._stop(
                "too-deep",
                "The document is nested too deeply to read. Check the indentation.",
                None,
            )
        if documents == 0:
            self.result.add("file-empty", "The file has no content. Fill in the return.")
        return root

    # -- helpers -------------------------------------------------------------------------------

    def _stop(self, rule: str, message: str, mark: Any, path: DocPath = ()) -> None:
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        self.result.add(rule, message, path=path, line=line, column=column)
        raise _Stop

    def _count(self, n: int, event: Any) -> None:
        self.nodes += n
        if self.nodes > self.limits.max_nodes:
            self._stop(
                "too-large",
                f"The document expands to more than {self.limits.max_nodes:,} values "
                "(YAML anchors and aliases repeat content). Write the return out in full "
                "without aliases.",
                event.start_mark,
            )

    def _check_tag(self, event: Any, stack: list[_Frame]) -> None:
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            self._stop(
                "yaml-tag",
                f"The YAML tag {tag!r} is not allowed: returns hold plain text, numbers, dates, "
                "lists and mappings only. Remove the tag.",
                event.start_mark,
                self._child_path(stack, event),
            )

    def _child_path(self, stack: list[_Frame], event: Any) -> DocPath:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, dict):
            return (*top.path, top.pending_key if top.pending_key is not None else "?")
        return (*top.path, len(top.container))

    def _scalar(self, event: ev.ScalarEvent, stack: list[_Frame]) -> Any:
        self._check_tag(event, stack)
        self._count(1, event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
            if event.implicit[0] and _DECIMAL.fullmatch(event.value):
                tag = _TAG + "int"  # `09` and `0701` alike are the decimal numbers typed
        if len(event.value) > self.limits.max_string_chars:
            self._stop(
                "too-large",
                f"A value is longer than {self.limits.max_string_chars:,} characters. Shorten it.",
                event.start_mark,
                self._child_path(stack, event),
            )
        if tag == _TAG + "merge":
            is_key = (
                bool(stack)
                and isinstance(stack[-1].container, dict)
                and (stack[-1].pending_key is None)
            )
            return _MERGE if is_key else event.value
        if tag == _STR_TAG:
            return event.value  # what SafeConstructor builds for text, without the node
        if tag in _AS_WRITTEN or (tag == _TAG + "float" and ":" in event.value):
            return self._as_written(event, stack, tag)
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        try:
            # A lone `=` resolves to YAML's obsolete "value" tag, which has no constructor:
            # a person writing `=` means the text "=".
            construct = _CONSTRUCTOR.yaml_constructors.get(tag, _STR)
            value = construct(_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError, OverflowError) as exc:
            path = self._child_path(stack, event)
            self.result.add(
                "yaml-value",
                f"The value {event.value[:40]!r} cannot be read as {tag.rsplit(':', 1)[-1]} "
                f"({exc}). Correct it or put it in quotes.",
                path=path,
                line=_pos(event)[0],
                column=_pos(event)[1],
            )
            self.result.damaged.add(path)
            return event.value
        if isinstance(value, float) and not math.isfinite(value):
            path = self._child_path(stack, event)
            is_key = (
                bool(stack)
                and isinstance(stack[-1].container, dict)
                and (stack[-1].pending_key is None)
            )
            if not is_key:
                self.result.add(
                    "not-a-number",
                    f"{event.value!r} is not a number a return can hold. Give a whole number, "
                    "or leave the field out if it is not known.",
                    path=path,
                    line=_pos(event)[0],
                    column=_pos(event)[1],
                )
                self.result.damaged.add(path)
                return None
        if tag == _TIMESTAMP:
            return event.value  # a real date or time, kept as typed (YAML 1.1 would rewrite it)
        return canonical_scalar(value)

    def _as_written(self, event: ev.ScalarEvent, stack: list[_Frame], tag: str) -> Any:
        """Numbers and dates as the person typed them, never YAML 1.1's other readings.

        YAML 1.1 reads `0701` as octal 449, `010_000` as 4096, `1:30:00` and `1:30.5` in base
        60 and `0x1F` as 31, and turns `2022-10-01 10:00` into another text: a decimal number is
        read in base 10, anything else stays the text written, which a number field reports.
        """
        text = event.value
        if tag != _TAG + "int" or not _DECIMAL.fullmatch(text):  # base 60, hexadecimal ...
            return text
        digits = len(text.lstrip("+-").replace("_", ""))
        if digits > MAX_DIGITS:
            path = self._child_path(stack, event)
            self.result.add(
                "yaml-value",
                f"The number starting {text[:20]!r} has {digits:,} digits, far more than any "
                "figure in a return. Correct it.",
                path=path,
                line=_pos(event)[0],
                column=_pos(event)[1],
            )
            self.result.damaged.add(path)
            return None
        return int(text.replace("_", ""))

    def _attach(
        self, stack: list[_Frame], value: Any, size: int, event: Any, *, placed: bool = False
    ) -> None:
        if not stack:
            return
        top = stack[-1]
        top.size += size
        container = top.container
        if isinstance(container, list):
            if not placed or (*top.path, len(container)) not in top.positions:
                top.positions[(*top.path, len(container))] = _pos(event)
            container.append(value)
            return
        if top.pending_key is None:
            # This value is a key.
            if value is _MERGE:
                top.pending_key = "<<"
                top.merges = True
                top.pending_pos = _pos(event)
                return
            if isinstance(value, dict | list):
                path = top.path
                self.result.add(
                    "yaml-syntax",
                    "A mapping or list is used as a key. Check the indentation and colons here.",
                    path=path,
                    line=event.start_mark.line + 1,
                    column=event.start_mark.column + 1,
                )
                raise _Stop
            key = key_text(value)
            top.pending_key = key
            top.pending_pos = _pos(event)
            return
        key = top.pending_key
        top.pending_key = None
        if key == "<<" and top.merges:
            top.merges = False
            for source in value if isinstance(value, list) else [value]:
                if isinstance(source, dict):
                    for k, v in source.items():
                        if k not in container:
                            container[k] = v
                            top.merged.add(k)
            return
        path = (*top.path, key)
        if key in container and key not in top.merged:
            line, column = top.pending_pos or _pos(event)
            first = top.positions.get(path, (None, None))[0]
            where = f" (first given on line {first})" if first else ""
            self.result.add(
                "duplicate-key",
                f"`{key}` is given twice in the same place{where}. Keep one and delete the "
                f"other: only the first is read. Path: {dotted(path)}.",
                path=path,
                line=line,
                column=column,
            )
            return
        top.merged.discard(key)
        container[key] = value
        top.positions[path] = top.pending_pos or _pos(event)


def _is_duplicate(frame: _Frame) -> bool:
    """Whether the value about to start under `frame` repeats a key it already holds."""
    key = frame.pending_key
    return (
        isinstance(frame.container, dict)
        and key is not None
        and key in frame.container
        and key not in frame.merged
    )


def _pos(event: Any) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _MergeMarker:
    """Stands for a YAML merge key (`<<`) until the mapping it merges into is built."""


_MERGE = _MergeMarker()
