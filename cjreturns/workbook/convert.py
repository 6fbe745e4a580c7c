"""Converting a return between formats (workbook, YAML, JSON) without losing anything.

A coordinator can start from last year's return as a workbook; an analyst can normalise what
arrives. Output keys follow the contract's order. A conversion to a workbook is read back and
compared with the source before it is handed over: anything a workbook cannot hold (a stray
field, a control character, a name containing a semicolon) stops the conversion with the paths
that would change, instead of a quietly different return.

"Identical" allows one difference by design: an empty optional list or mapping and a missing one
are the same content (a workbook table with no rows cannot say which it was).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml

from cjreturns.contract.schema import in_contract_order
from cjreturns.contract.workbook_layout import workbook_layouts
from cjreturns.core.errors import CJReturnsError
from cjreturns.core.findings import DocPath, Finding, dotted, sort_findings
from cjreturns.readers import Limits, read_return

Target = Literal["xlsx", "yaml", "json"]
TARGETS: tuple[Target, ...] = ("xlsx", "yaml", "json")

# Paths (with * for any key or index) whose ISO text is written as a YAML date, unquoted.
_DATE_PATHS = (
    ("submitted_on",),
    ("sign_off", "date"),
    ("outcomes", "*", "activities", "*", "period", "*"),
    ("local_activity", "*", "period", "*"),
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConversionError(CJReturnsError):
    """The file cannot be converted faithfully; `findings` are the reading errors, if any."""

    def __init__(self, message: str, findings: tuple[Finding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


def convert(path: Path | str, to: Target, *, limits: Limits | None = None) -> bytes:
    """The return in `path` (any readable format) as `to`: .xlsx, YAML or JSON bytes.

    Raises ConversionError when the file has reading errors (they are in `.findings`) or when
    the target format cannot hold the return exactly.
    """
    path = Path(path)
    read = read_return(path, limits=limits, workbook_layout=workbook_layouts)
    errors = tuple(f for f in read.findings if f.severity == "error")
    if errors:
        raise ConversionError(
            f"{path} cannot be converted: it has {len(errors)} error"
            f"{'' if len(errors) == 1 else 's'} to fix first",
            sort_findings(read.findings, sheets=read.sheets),
        )
    if not isinstance(read.document, dict):
        held = (
            "nothing"
            if read.document is None
            else ("a list" if isinstance(read.document, list) else "a single value")
        )
        raise ConversionError(
            f"{path} cannot be converted: it holds {held}, not a return's named fields"
        )
    return render(read.document, to)


def render(document: dict[str, Any], to: Target) -> bytes:
    """A canonical return written as `to`."""
    if to == "json":
        return dump_json(document).encode("utf-8")
    if to == "yaml":
        return dump_yaml(document).encode("utf-8")
    if to == "xlsx":
        return _to_workbook(document)
    raise ValueError(f"unknown target format {to!r}")  # pragma: no cover - typed callers


def dump_json(document: dict[str, Any]) -> str:
    return json.dumps(in_contract_order(document), indent=2, ensure_ascii=False) + "\n"


class _Dumper(yaml.SafeDumper):
    """Block style, list items indented under their key, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quotes by itself when a literal block cannot hold the text.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dates(value: Any, path: DocPath) -> Any:
    """ISO date text at date paths becomes a date, so YAML writes it unquoted."""
    if isinstance(value, dict):
        return {k: _dates(v, (*path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v, (*path, i)) for i, v in enumerate(value)]
    if (
        isinstance(value, str)
        and _ISO_DATE.match(value)
        and any(
            len(p) == len(path) and all(a in ("*", b) for a, b in zip(p, path, strict=True))
            for p in _DATE_PATHS
        )
    ):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def dump_yaml(document: dict[str, Any]) -> str:
    """Readable YAML: contract order, block style, dates unquoted, outcome keys quoted ('1')."""
    return yaml.dump(
        _dates(in_contract_order(document), ()),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def comparable(value: Any) -> Any:
    """`value` without empty optional lists and mappings: the content a workbook can hold."""
    if isinstance(value, dict):
        return {
            k: comparable(v)
            for k, v in value.items()
            if not (isinstance(v, list | dict) and not v and k != "activities")
        }
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


def differences(a: Any, b: Any, path: DocPath = ()) -> list[str]:
    """Dotted paths where two documents differ (for a message a person can act on)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append(dotted((*path, k)))
            else:
                out.extend(differences(a[k], b[k], (*path, k)))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, (*path, i))
        ]
    if a == b and type(a) is type(b):
        return []
    return [dotted(path) or "(the whole return)"]


def _to_workbook(document: dict[str, Any]) -> bytes:
    from cjreturns.readers.workbook import read_workbook
    from cjreturns.workbook.sheets import WorkbookWriteError
    from cjreturns.workbook.template import workbook_bytes

    try:
        data = workbook_bytes(document)
    except WorkbookWriteError as exc:
        raise ConversionError(f"the return cannot be written to a workbook: {exc}") from exc
    back = read_workbook(data, Limits(), workbook_layouts()).document
    diff = differences(comparable(document), comparable(back))
    if diff:
        shown = ", ".join(diff[:5]) + (f" and {len(diff) - 5} more" if len(diff) > 5 else "")
        raise ConversionError(
            f"the return cannot be held exactly in a workbook; these would change: {shown}. "
            "Correct them (see `cjreturns validate`) or convert to YAML or JSON instead"
        )
    return data
