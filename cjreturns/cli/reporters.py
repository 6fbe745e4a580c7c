"""Reporters turn a finished CollectionResult into text or JSON; they never re-validate.

The registry's keys are the `--format` choices.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from cjreturns.core.escaping import INVISIBLE, terminal_code
from cjreturns.core.findings import CollectionResult, FileResult


def displayable(text: str) -> str:
    """Text that can be written out as UTF-8. A file name that is not UTF-8 on disk (a zip made
    on an old Windows PC) reaches Python with surrogate escapes; it is shown with a replacement
    character, as a file manager shows it."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def printable(text: str) -> str:
    """Control and invisible characters from a return (an escape sequence in a partnership's
    name, a newline in a file or key name, a bidi override) shown as \\x.. or \\u.... codes:
    they could otherwise rewrite the terminal or make text read differently from what it is."""
    return displayable(INVISIBLE.sub(lambda m: terminal_code(m.group()), text))


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _file_heading(f: FileResult) -> str:
    who = " ".join(x for x in (f.partnership, f.reporting_year) if x)
    state = "valid" if f.valid else "INVALID"
    counts = f"{_plural(len(f.errors), 'error')}, {_plural(len(f.warnings), 'warning')}"
    return f"{f.path}{f' ({who})' if who else ''}: {state}, {counts}"


def render_text(result: CollectionResult) -> str:
    lines: list[str] = []
    for f in result.files:
        lines.append(_file_heading(f))
        width = max((len(x.location) for x in f.findings), default=0)
        for x in f.findings:
            where = "" if x.cell else x.dotted_path  # a workbook's message names its cell
            lines.append(
                f"  {x.location:<{width}}  {x.severity:<7}  {x.rule}  "
                f"{where + ': ' if where else ''}{x.message}"
            )
    s = result.summary()
    lines.append(
        f"{_plural(s['files'], 'file')} checked: {s['valid']:,} valid, {s['invalid']:,} invalid; "
        f"{_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}."
    )
    return "\n".join(printable(line) for line in lines) + "\n"


def render_json(result: CollectionResult) -> str:
    return displayable(json.dumps(result.to_dict(), indent=2, ensure_ascii=False)) + "\n"


REPORTERS: dict[str, Callable[[CollectionResult], str]] = {
    "text": render_text,
    "json": render_json,
}
