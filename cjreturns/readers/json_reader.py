"""JSON returns: parsed by the standard library, located by a small scanner when needed.

`json.loads` is fast but knows no positions, so the source map is built lazily by scanning the
text only when a finding needs a line number. Duplicate keys and NaN/Infinity, which the
standard library accepts silently, are findings here.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from cjreturns.core.findings import DocPath, dotted
from cjreturns.core.limits import Limits
from cjreturns.readers.base import Position, ReadResult, SourceMap
from cjreturns.readers.text import LineIndex, decode_text


class _Dups(dict):
    """A JSON object that had the same key more than once (first value kept)."""

    duplicates: list[str]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _half_character(value: Any) -> str | None:
    """An unpaired surrogate in a string, or in a mapping's keys, if there is one."""
    texts = [value] if isinstance(value, str) else value if isinstance(value, dict) else ()
    for text in texts:
        found = _SURROGATE.search(text)
        if found:
            return found.group()
    return None


class _BadNumber:
    def __init__(self, text: str) -> None:
        self.text = text


def _float(text: str) -> int | float | _BadNumber:
    """`1e999` overflows to Infinity without passing through parse_constant: catch it too.

    A whole number written with a fraction or an exponent (`12.0`, `1e3`, `9.29e3`) is the
    whole number written, exactly (from its decimal digits, not a rounded float), so a
    whole-number field holds 1000, never 1000.0 or a neighbour of a long number.
    """
    value = float(text)
    if not math.isfinite(value):
        return _BadNumber(text)
    if value.is_integer() and abs(value) < 1e15:
        exact = Decimal(text)
        if exact == exact.to_integral_value():
            return int(exact)
    return value


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dups: list[str] = []
    for k, v in pairs:
        if k in out:
            dups.append(k)
        else:
            out[k] = v
    if dups:
        marked = _Dups(out)
        marked.duplicates = dups
        return marked
    return out


def read_json(data: bytes, limits: Limits) -> ReadResult:
    result = ReadResult(None, SourceMap({}), format="json")
    text = decode_text(data, result)
    if text is None:
        return result
    try:
        document = json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_BadNumber, parse_float=_float
        )
    except json.JSONDecodeError as exc:
        result.add(
            "json-syntax",
            f"The file is not valid JSON: {exc.msg}. A missing comma, quote or bracket near "
            "here is the usual cause.",
            line=exc.lineno,
            column=exc.colno,
        )
        return result
    except RecursionError:
        result.add("too-deep", "The document is nested too deeply to read.", line=1, column=1)
        return result
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        result.add(
            "too-large",
            "A number in the file has thousands of digits. Correct it: counts in a return are "
            "whole numbers of ordinary size.",
        )
        return result
    scan: dict[str, Any] = {}

    def build() -> dict[DocPath, Position]:
        if not scan:
            scan.update(_scan_positions(text))
        return scan["positions"]

    result.source_map = SourceMap(builder=build)
    if _count_values(document, limits.max_nodes) > limits.max_nodes:
        # As for YAML: a return has a few thousand values; millions would only make millions
        # of findings, and take minutes and gigabytes to list them.
        result.add(
            "too-large",
            f"The document holds more than {limits.max_nodes:,} values. A return is far "
            "smaller: check that this is the right file.",
        )
        return result
    result.document = _clean(document, (), result, limits, build, scan, depth=0)
    return result


def _count_values(document: Any, stop_after: int) -> int:
    """How many values (containers and scalars) the document holds, counting no further than
    just past `stop_after`. Iterative: nesting depth is checked later, by `_clean`."""
    count = 0
    stack = [document]
    while stack and count <= stop_after:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def _clean(
    value: Any,
    path: DocPath,
    result: ReadResult,
    limits: Limits,
    build: Any,
    scan: dict[str, Any],
    depth: int,
) -> Any:
    """Replace NaN markers, report duplicates and over-long values, check depth (iteratively)."""
    if depth > limits.max_depth:
        result.add(
            "too-deep",
            f"The document is nested more than {limits.max_depth} levels deep. A return is "
            "never this deep.",
            path=path,
        )
        result.damaged.add(path)
        return None
    half = _half_character(value)
    if half is not None:
        # JSON allows "\ud800" on its own, but it is half a character: no file, workbook or
        # terminal can hold it. YAML refuses it outright; so does this reader.
        result.add(
            "file-encoding",
            f"The text here holds an escape for half a character (\\u{ord(half):04x}, an "
            "unpaired surrogate), which is not text. Remove it, or write the character itself.",
            path=path,
        )
        result.damaged.add(path)
        return None
    if isinstance(value, dict):
        if isinstance(value, _Dups):
            build()
            for key in value.duplicates:
                child = (*path, key)
                line, column = scan["dups"].get(child, (None, None))
                result.add(
                    "duplicate-key",
                    f"`{key}` is given twice in the same object. Keep one and delete the other: "
                    f"only the first is read. Path: {dotted(child)}.",
                    path=child,
                    line=line,
                    column=column,
                )
            value = dict(value)
        for k in list(value):
            value[k] = _clean(value[k], (*path, k), result, limits, build, scan, depth + 1)
        return value
    if isinstance(value, list):
        return [
            _clean(v, (*path, i), result, limits, build, scan, depth + 1)
            for i, v in enumerate(value)
        ]
    if isinstance(value, _BadNumber):
        result.add(
            "not-a-number",
            f"{value.text} is not a number a return can hold. Give a whole number, or leave the "
            "field out if it is not known.",
            path=path,
        )
        result.damaged.add(path)
        return None
    if isinstance(value, str) and len(value) > limits.max_string_chars:
        result.add(
            "too-large",
            f"A value is longer than {limits.max_string_chars:,} characters. Shorten it.",
            path=path,
        )
        result.damaged.add(path)
        return value[:200]
    return value


_TOKEN = re.compile(
    r'[ \t\r\n]*(?:(")((?:[^"\\]|\\.)*)"|([{}\[\],:])|(-?[0-9][0-9eE+\-.]*|true|false|null'
    r"|NaN|-?Infinity))",
    re.DOTALL,
)


def _scan_positions(text: str) -> dict[str, Any]:
    """Positions of every member and element in valid JSON text, iteratively (no recursion)."""
    where = LineIndex(text)
    positions: dict[DocPath, Position] = {(): (1, 1)}
    dups: dict[DocPath, Position] = {}
    # Each frame: [path, is_object, next_index, current_key, seen_keys]
    stack: list[list[Any]] = []
    expecting_key = False
    pos = 0
    key_pos: Position = (1, 1)
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        pos = m.end()
        start = m.start(1) if m.group(1) else (m.start(3) if m.group(3) else m.start(4))
        punct = m.group(3)
        if punct in (",", ":", None) and punct is not None:
            if punct == "," and stack and stack[-1][1]:
                expecting_key = True
            continue
        if punct in ("}", "]"):
            stack.pop()
            expecting_key = False
            continue
        if m.group(1) and expecting_key:
            frame = stack[-1]
            key = json.loads('"' + m.group(2) + '"')
            key_pos = where(start)
            child = (*frame[0], key)
            if key in frame[4]:
                dups.setdefault(child, key_pos)
                frame[3] = None
            else:
                frame[4].add(key)
                frame[3] = key
                positions[child] = key_pos
            expecting_key = False
            continue
        # A value starts here.
        if stack:
            frame = stack[-1]
            if frame[1]:
                path = (*frame[0], frame[3]) if frame[3] is not None else None
            else:
                path = (*frame[0], frame[2])
                frame[2] += 1
                if path is not None:
                    positions[path] = where(start)
        else:
            path = ()
        if punct in ("{", "["):
            stack.append([path if path is not None else ("?",), punct == "{", 0, None, set()])
            expecting_key = punct == "{"
    return {"positions": positions, "dups": dups}
