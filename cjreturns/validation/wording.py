"""Findings in the words of the workbook a coordinator filled in.

The same finding reads differently for a workbook and for YAML/JSON: a YAML author knows keys
and codes, a coordinator knows the sheet, the label printed beside the cell and the drop-down's
labels. So for a workbook each finding names the sheet, the label and the cell ("Partnership
sheet, 'Coordinator's email' (B11): this is required. Fill it in."), shows codes as their
drop-down labels, gives date advice in the words of the cell's own check, and never shows a
backticked key or a `cjreturns` command. Where the finding came from is unchanged (rule, path,
cell); only the message is reworded, and the printed label is kept in `label`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from cjreturns.core.findings import Finding
from cjreturns.readers.base import CellLabel
from cjreturns.readers.layout_model import DATE_ADVICE, humanise

# What replaces a command a workbook user cannot run.
_COMMANDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\s*`cjreturns codes [^`]*` lists them\."),
        " Choose one from the drop-down list.",
    ),
    (
        re.compile(r"`cjreturns template[^`]*`"),
        "a new blank return workbook (Community Justice Scotland sends one on request)",
    ),
    # any other sentence that tells the reader to run something
    (re.compile(r"\s*[^.?!]*`cjreturns [^`]*`[^.?!]*[.?!]"), ""),
)
_AT = re.compile(r" \(at [^)]*\)")  # "(at sign_off.date)": the key path, which a cell replaces
_BACKTICKED = re.compile(r"`([^`]+)`")
_SETTING = re.compile(r"(\w+): (true|false)")
_QUOTED = re.compile(r"'([^']+)'")
_USE_ONE_OF = re.compile(r"Use one of: ([^.]+)\.")
_NOT_RECOGNISED = re.compile(r"is not a recognised [a-z ]+?(?: code| number \([^)]*\))?\.")
_NOT_A_DATE = re.compile(r"^(?P<value>.+?) is not a date written as YYYY-MM-DD.*$", re.S)
_LOWER_START = re.compile(r"^(This|The|A|An|It|One|No|Only|Case) ")


def _label_for(vocabulary: Any, token: str) -> str | None:
    if vocabulary is None:
        return None
    for code in (token, int(token) if token.isdigit() else None):
        if code is not None:
            label = vocabulary.label(code)
            if label is not None:
                return str(label)
    return None


class _Labels:
    """Labels for keys, gathered once per workbook (it may have thousands of cells)."""

    def __init__(self, described: dict[str, CellLabel]) -> None:
        self.fields: dict[str, str] = {}
        vocabularies: dict[str, Any] = {}
        for info in described.values():
            if info.field.path:
                self.fields.setdefault(str(info.field.path[-1]), str(info.field.label))
            if info.vocabulary is not None:
                vocabularies.setdefault(info.vocabulary.name, info.vocabulary)
        self.vocabularies = list(vocabularies.values())

    def __call__(self, key: str) -> str:
        """A key's label as the workbook prints it (a question, a column, or an entry of a list
        such as an indicator's name), else the key in plain words."""
        if key in self.fields:
            return self.fields[key]
        for vocabulary in self.vocabularies:
            label = _label_for(vocabulary, key)
            if label is not None:
                return label
        return humanise(key)


def _backticked(m: re.Match[str], own: str | None, labels: _Labels) -> str:
    text = m.group(1)
    setting = _SETTING.fullmatch(text)
    if setting:  # `consent_confirmed: true` -> 'Consent confirmed' set to Yes
        answer = "Yes" if setting.group(2) == "true" else "No"
        return f"'{labels(setting.group(1))}' to {answer}"
    if text == own:
        return "this"
    return f"'{labels(text)}'"


def reword(
    message: str,
    *,
    vocabulary: Any = None,
    listed: bool = True,
    own: str | None = None,
    labels: _Labels,
) -> str:
    """A message with commands, key paths, backticked keys and codes in workbook words.
    `listed`: the cell has a drop-down list (else the choices are on the Guidance sheet);
    `own`: the key of the cell the message is about, which becomes "this"."""
    for pattern, replacement in _COMMANDS:
        if not listed and "lists them" in pattern.pattern:
            replacement = " The Guidance sheet lists them."
        message = pattern.sub(replacement, message)
    message = _AT.sub("", message)
    if vocabulary is not None:
        message = _NOT_RECOGNISED.sub("is not one of the choices in the drop-down list.", message)
        message = _USE_ONE_OF.sub(
            lambda m: (
                "Use one of: "
                + ", ".join(
                    _label_for(vocabulary, c.strip()) or c.strip() for c in m.group(1).split(",")
                )
                + "."
            ),
            message,
        )
        message = _QUOTED.sub(
            lambda m: f"'{_label_for(vocabulary, m.group(1)) or m.group(1)}'", message
        )
    message = _BACKTICKED.sub(lambda m: _backticked(m, own, labels), message)
    message = " ".join(message.split())
    return message[:1].upper() + message[1:]


def _specific(f: Finding, info: CellLabel | None) -> str | None:
    """A rule whose whole message is better said another way when the cell is known."""
    if info is None:
        return None
    own = bool(info.field.path) and bool(f.path) and f.path[-1] == info.field.path[-1]
    if f.rule == "missing-field":
        if own or not f.path:
            return "This is required. Fill it in."
        return f"'{humanise(str(f.path[-1]))}' is required here. Fill it in."
    if f.rule == "bad-format" and info.field.kind == "date":
        m = _NOT_A_DATE.match(f.message)
        if m:
            return f"{m.group('value')} is not a date Excel recognises. {DATE_ADVICE}"
    return None


def in_workbook_words(findings: list[Finding], described: dict[str, CellLabel]) -> list[Finding]:
    """The findings as a workbook's user should read them (see the module docstring)."""
    labels = _Labels(described)
    return [_worded(f, described, labels) for f in findings]


def _worded(f: Finding, described: dict[str, CellLabel], labels: _Labels) -> Finding:
    info = described.get(f.cell) if f.cell else None
    own = str(f.path[-1]) if f.path and info is not None else None
    message = _specific(f, info) or reword(
        f.message,
        vocabulary=info.vocabulary if info else None,
        listed=info is None or info.field.kind == "choice",
        own=own,
        labels=labels,
    )
    if info is None:
        return dataclasses.replace(f, message=message)
    ref = f.cell.rpartition("!")[2] if f.cell else ""
    message = _LOWER_START.sub(lambda m: m.group(1).lower() + " ", message, count=1)
    return dataclasses.replace(
        f,
        message=f"{info.sheet} sheet, '{info.label}' ({ref}): {message}",
        label=info.label,
    )


__all__ = ["in_workbook_words", "reword"]
