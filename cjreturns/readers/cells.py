"""How a return value is written to a workbook cell and read back: the two are inverses.

`to_cell` (used by the workbook writer) and `cell_to_value` (used by the workbook reader) live
together so they cannot drift apart, and so does the one policy for keeping spreadsheet text
from being run as a formula (`neutralise` / `unneutralise`), which the national tables (.xlsx and
CSV) use too. Nothing here imports the layout: a cell is converted by its field's kind and, for
coded answers, a vocabulary.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any, Protocol

# -- formula text --------------------------------------------------------------------------------

# A spreadsheet runs text as a formula when it starts with one of these (tab and carriage return
# are how a CSV cell can smuggle one in). A CSV may be opened with `,`, `;` or tab as separator,
# and a cell of lines may be split on them, so every piece a spreadsheet could make a cell of is
# guarded, not only the start of the text.
FORMULA_STARTERS = frozenset("=+-@\t\r")
SEPARATORS = frozenset(",;\t\r\n")


_CELL_START = re.compile(r"(?:^|(?<=[,;\t\r\n])) *")


def _starts(text: str) -> list[int]:
    """Where a spreadsheet could start a cell in `text`: the start and after each separator,
    past any spaces (some importers trim a space before `=`)."""
    return [m.end() for m in _CELL_START.finditer(text)]


def _quoted_starter(text: str, at: int) -> tuple[int, bool]:
    """(number of apostrophes at `at`, whether a formula starter follows them)."""
    j = at
    while j < len(text) and text[j] == "'":
        j += 1
    return j - at, j < len(text) and text[j] in FORMULA_STARTERS


def neutralise(text: str) -> str:
    """Put an apostrophe before every formula starter a spreadsheet could see at a cell start.

    Text that already has apostrophes there gets one more, so `unneutralise` (remove one) gives
    back exactly what was written: the workbook reader is the writer's inverse.
    """
    if not text or not (FORMULA_STARTERS.intersection(text)):
        return text
    out: list[str] = []
    last = 0
    for at in _starts(text):
        _, risky = _quoted_starter(text, at)
        if risky:
            out.append(text[last:at])
            out.append("'")
            last = at
    out.append(text[last:])
    return "".join(out)


def unneutralise(text: str) -> str:
    """The text `neutralise` was given (one apostrophe fewer before each guarded starter)."""
    if "'" not in text:
        return text
    out: list[str] = []
    last = 0
    for at in _starts(text):
        quotes, risky = _quoted_starter(text, at)
        if quotes and risky:
            out.append(text[last:at])
            last = at + 1
    out.append(text[last:])
    return "".join(out)


def is_neutral(text: str) -> bool:
    """Whether no cell a spreadsheet could make of `text` would start a formula."""
    return not any(_quoted_starter(text, at) == (0, True) for at in _starts(text))


# -- values to cells -----------------------------------------------------------------------------


class Vocab(Protocol):
    """A coded answer's list: codes and the labels a person chooses from."""

    @property
    def strict(self) -> bool: ...

    def label(self, code: Any) -> str | None: ...

    def resolve(self, text: str) -> str | None: ...


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_figure(figure: Any) -> str:
    if not isinstance(figure, dict):
        return json.dumps(figure, ensure_ascii=False)
    text = f"{figure.get('label', '')}: {figure.get('value', '')}"
    unit = figure.get("unit")
    return f"{text} {unit}" if unit not in (None, "") else text


def cell_value(kind: str, value: Any, vocab: Vocab | None) -> Any:
    """What a cell shows for a document value (labels for codes, Yes/No, dates, lines), before
    `neutralise`: the inverse of `cell_to_value`."""
    if kind == "choice" and vocab is not None and not isinstance(value, list | dict):
        label = vocab.label(value)
        return label if label is not None else value
    if kind == "yesno" and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "date" and isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if kind == "numbers" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind == "figures" and isinstance(value, list):
        return "\n".join(format_figure(v) for v in value)
    if isinstance(value, list | dict):  # not valid here; kept visible so nothing is lost quietly
        return json.dumps(value, ensure_ascii=False)
    return value


# -- cells to values -----------------------------------------------------------------------------


class _Empty:
    """Marks a cell left empty (distinct from a cell holding None-like text)."""


EMPTY = _Empty()

# Digits are ASCII 0-9 only: `int()` also takes Arabic-Indic digits and `isdigit()` says yes to
# superscripts and circled numbers it then refuses, so a number is read only as typed in 0-9;
# anything else stays text, which the schema reports on its cell.
_UK_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_WHOLE = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$|^[0-9]+$")
_DIGITS = re.compile(r"^[0-9]+$")
_FIGURE = re.compile(
    r"^(?P<label>.*?):\s*(?P<value>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:\s*(?P<unit>[^0-9\s].*?))?\s*$"
)
MAX_DIGITS = 4_300  # Python's own limit for int(text); no figure in a return comes close


class _TooLong(ValueError):
    """A number with more digits than any figure (and than `int()` will read)."""


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise _TooLong(text)
    return int(text)


_SEPARATORS = re.compile(r"[\n;]")


def _text(value: Any) -> Any:
    if isinstance(value, str | bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 2_958_466:
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        if isinstance(converted, dt.datetime):
            return converted.date().isoformat()
    if isinstance(value, str):
        text = value.strip()
        m = _UK_DATE.match(text)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
            except ValueError:
                return text
        return text
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        return _int(text.replace(",", "")) if _WHOLE.match(text) else value
    if isinstance(value, dt.datetime | dt.date):
        return _text(value)
    return value


def _yesno(value: Any) -> Any:
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in ("yes", "y", "true"):
            return True
        if folded in ("no", "n", "false"):
            return False
        return value.strip()
    return value


def _choice(value: Any, vocab: Vocab | None) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if vocab is None:
        return _text(value)
    if not vocab.strict:
        return _text(value)
    if isinstance(value, str | int) and not isinstance(value, bool):
        code = vocab.resolve(str(value))
        if code is not None:
            return code
    return value.strip() if isinstance(value, str) else value


def _numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return [int(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, str):
        tokens = [t for t in re.split(r"[,;\s]+", value.strip()) if t]
        return [_int(t) if _DIGITS.match(t) else t for t in tokens]
    return value


def _lines(value: Any) -> Any:
    text = _text(value)
    if not isinstance(text, str):
        return [text]
    return [p.strip() for p in _SEPARATORS.split(text) if p.strip()]


def _figures(value: Any) -> tuple[Any, str | None]:
    text = _text(value)
    figures: list[dict[str, Any]] = []
    for line in str(text).split("\n"):
        if not line.strip():
            continue
        m = _FIGURE.match(line.strip())
        if m is None:
            return EMPTY, (
                f"The figure {line.strip()[:60]!r} cannot be read. Write each figure on its own "
                "line as what was counted, a colon, the number and the unit, e.g. 'people "
                "attending: 96 people'."
            )
        number_text = m.group("value").replace(",", "")
        number: int | float = float(number_text) if "." in number_text else _int(number_text)
        if not math.isfinite(number):
            raise _TooLong(number_text)
        figure: dict[str, Any] = {"label": m.group("label").strip(), "value": number}
        if m.group("unit"):
            figure["unit"] = m.group("unit").strip()
        figures.append(figure)
    return (figures if figures else EMPTY), None


def cell_to_value(
    kind: str, raw: Any, data_type: str, vocab: Vocab | None
) -> tuple[Any, str | None]:
    """The document value of one cell, or EMPTY; a message when the cell cannot be taken."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return EMPTY, None
    if data_type == "f":
        return EMPTY, (
            "This cell holds a formula. Formulas are not read (a result can be out of date): "
            "type the value itself."
        )
    if data_type == "e":
        return EMPTY, f"This cell shows the error {raw}. Type the value itself."
    if isinstance(raw, float) and not math.isfinite(raw):
        return EMPTY, "This cell holds a number Excel cannot show (infinite or not a number)."
    if isinstance(raw, dt.time | dt.timedelta):  # a time of day or a duration, never a return value
        raw = str(raw)
    if isinstance(raw, str):
        raw = unneutralise(raw)
    try:
        value, problem = _convert(kind, raw, vocab)
    except _TooLong as exc:
        return EMPTY, (
            f"This cell holds a number of {len(str(exc)):,} digits, far more than any figure in "
            "a return. Type the figure itself."
        )
    return (value if value is EMPTY else _plain(value)), problem


def _plain(value: Any) -> Any:
    """JSON data only: a date left in a number or choice cell becomes its ISO text."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date | dt.datetime):
        return _text(value)
    return value


def _convert(kind: str, raw: Any, vocab: Vocab | None) -> tuple[Any, str | None]:
    if kind in ("text", "long"):
        return _text(raw), None
    if kind == "date":
        return _date(raw), None
    if kind == "whole":
        return _whole(raw), None
    if kind == "yesno":
        return _yesno(raw), None
    if kind == "choice":
        return _choice(raw, vocab), None
    if kind == "numbers":
        return _numbers(raw), None
    if kind == "lines":
        items = _lines(raw)
        return (items if items else EMPTY), None
    return _figures(raw)


__all__ = [
    "EMPTY",
    "FORMULA_STARTERS",
    "SEPARATORS",
    "Vocab",
    "cell_to_value",
    "cell_value",
    "format_figure",
    "is_neutral",
    "neutralise",
    "unneutralise",
]
