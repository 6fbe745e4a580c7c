"""`cjreturns validate`, `cjreturns rules` and `cjreturns codes`."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cjreturns.cli.app import EXIT_INVALID, EXIT_OK, app, handle_errors
from cjreturns.core.errors import UsageError


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class CatalogueFormat(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


def check_year(year: str | None) -> str | None:
    from cjreturns.core.calendar import parse_year

    if year is not None and parse_year(year) is None:
        raise UsageError(f"--year {year!r} is not a reporting year like 2021-22")
    return year


def check_paths(paths: list[Path]) -> list[Path]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    return paths


def progress_printer(enabled: bool) -> Any:
    """A progress callback that writes to stderr when many files are read in a terminal."""
    if not enabled:
        return None

    def show(i: int, total: int, path: Path) -> None:
        if total >= 20 and (i % 10 == 0 or i == total):
            typer.echo(f"  read {i:,} of {total:,} files", err=True)

    return show


@app.command()
@handle_errors
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Return files or folders of returns.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.text
    ),
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="YYYY-YY", help="Expected reporting year, e.g. 2021-22."),
    ] = None,
    annotate_to: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="COPY.xlsx",
            help="Also write a checked copy of one workbook: a first Findings sheet linking "
            "to each cell, and a comment and a fill on every cell named. The workbook given "
            "is not changed.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --annotate copy.")] = False,
) -> None:
    """Check annual returns and list every problem in every file: the sheet and cell in a
    workbook, the line and column in YAML or JSON.

    Exit code 0 when no file has an error (warnings allowed), 1 when any file has an error,
    2 for a usage problem.
    """
    from cjreturns.cli.reporters import REPORTERS
    from cjreturns.validation.engine import validate_paths

    check_year(year)
    check_paths(paths)
    if annotate_to is not None:
        check_annotate(paths, annotate_to, force=force)
    result = validate_paths(paths, year=year, progress=progress_printer(sys.stderr.isatty()))
    if not result.files:
        raise UsageError(
            "no return files (.json, .yaml, .yml, .xlsx) found in "
            + ", ".join(str(p) for p in paths)
        )
    if annotate_to is not None:
        result = write_annotated(result, annotate_to, force=force)
    typer.echo(REPORTERS[format.value](result), nl=False)
    raise typer.Exit(EXIT_OK if result.valid else EXIT_INVALID)


def check_annotate(paths: list[Path], out: Path, *, force: bool) -> None:
    from cjreturns.outputs.files import check_writable

    if len(paths) != 1 or paths[0].is_dir() or paths[0].suffix.lower() != ".xlsx":
        raise UsageError("--annotate needs exactly one workbook (.xlsx) to check")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--annotate {out}: the checked copy is a workbook, so name it .xlsx")
    if out.resolve() == paths[0].resolve():
        raise UsageError("--annotate must name a new file: the workbook checked is never changed")
    check_writable([out], force=force)


def write_annotated(result: Any, out: Path, *, force: bool) -> Any:
    """The checked copy written to `out`; if it cannot be made, the result gains the finding
    that says why."""
    import dataclasses

    from cjreturns.core.findings import CollectionResult
    from cjreturns.outputs.annotate import annotate
    from cjreturns.outputs.files import atomic_write_bytes

    (checked,) = result.files
    annotated = annotate(checked.path.name, checked.path.read_bytes())
    if annotated.data is None:
        assert annotated.refusal is not None
        findings = (*checked.findings, annotated.refusal)
        return CollectionResult((dataclasses.replace(checked, findings=findings),))
    atomic_write_bytes(out, annotated.data, force=force)
    typer.echo(f"Wrote the checked copy: {out}", err=True)
    return result


@app.command()
@handle_errors
def rules(
    format: Annotated[
        CatalogueFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CatalogueFormat.text,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="A collection year, e.g. 2024-25: its rule set, with what changed since the "
            "year before (added, amended, deleted).",
        ),
    ] = None,
) -> None:
    """List every validation rule: id, severity, what it checks and how to fix it (in a
    YAML or JSON file, and in the return workbook's words)."""
    from cjreturns.validation.rules import RULES

    if year is not None:
        _year_rules(check_year(year) or year, format)
        return
    rows = [
        {
            "id": r.id,
            "severity": r.severity,
            "stage": r.stage,
            "checks": r.title,
            "fix": r.fix,
            "workbook_fix": r.workbook_fix or r.fix,
        }
        for r in sorted(RULES.values(), key=lambda r: (r.stage, r.id))
    ]
    if format is CatalogueFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
    elif format is CatalogueFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        width = max(len(r["id"]) for r in rows)
        for r in rows:
            typer.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['checks']}")
            typer.echo(f"{'':<{width}}  {'':<7}  Fix: {r['fix']}")
            if r["workbook_fix"] != r["fix"]:
                typer.echo(f"{'':<{width}}  {'':<7}  In the workbook: {r['workbook_fix']}")
        typer.echo(f"{len(rows)} rules.")


def _year_rules(year: str, format: CatalogueFormat) -> None:
    """One collection year's rule set, each rule with its status against the year before."""
    from cjreturns.validation.years import rule_set

    found = rule_set(year)
    rows = [
        {
            "id": r.id,
            "status": r.status,
            "since": r.since,
            "severity": r.severity,
            "stage": r.stage,
            "checks": " ".join(r.title.split()),
            "fix": " ".join(r.fix.split()),
            "why": r.why,
        }
        for r in sorted(found.catalogue(), key=lambda r: (r.stage, r.id))
    ]
    if format is CatalogueFormat.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
        return
    if format is CatalogueFormat.json:
        payload = {"year": year, "framework": found.framework.id, "rules": rows}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"Rules for {year} returns ({found.framework.name}, contract {found.framework.contract}):"
    )
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['status']:<9}  {r['checks']}")
        if r["status"] == "deleted":
            typer.echo(f"{'':<{width}}  {'':<7}  {'':<9}  Deleted in {year}: {r['why']}")
        else:
            typer.echo(f"{'':<{width}}  {'':<7}  {'':<9}  Fix: {r['fix']}")
            if r["status"] == "amended" and r["why"]:
                typer.echo(f"{'':<{width}}  {'':<7}  {'':<9}  Amended in {year}: {r['why']}")
    counts = {
        s: sum(1 for r in rows if r["status"] == s)
        for s in ("added", "amended", "deleted", "unchanged")
    }
    typer.echo(
        f"{len(found.rules)} rules in force: {counts['added']} added, {counts['amended']} "
        f"amended, {counts['unchanged']} unchanged; {counts['deleted']} deleted."
    )


VOCABULARIES = (
    "partnerships",
    "themes",
    "statutory_partners",
    "participation_levels",
    "partnership_development",
    "challenges",
    "indicators",
    "priority_actions",
    "self_evaluation",
    "activity_status",
    "recommendation_status",
    "aims",
    "measures",
)


def vocabulary_name(typed: str) -> str | None:
    """The list a person meant: `theme`, `themes`, `Priority-actions` all name a list."""
    key = "_".join(typed.strip().casefold().replace("-", " ").split())
    for name in VOCABULARIES:
        if key in (name, name.removesuffix("s"), name.removesuffix("es")):
            return name
    return None


# Lists only one framework's returns use, by the framework that does not.
_OTHER_FRAMEWORK = {"opif_2016": ("aims", "measures"), "cjpf_2023": ("indicators",)}


def vocabulary_rows(name: str) -> list[tuple[str, str]]:
    """(code, label) for every entry: the label is what the workbook's drop-down shows."""
    from cjreturns.contract.frameworks import load_cjpf
    from cjreturns.contract.reference import load_reference
    from cjreturns.readers.layout_model import humanise

    ref = load_reference()
    cjpf = load_cjpf()
    table: dict[str, list[tuple[str, str]]] = {
        "partnerships": [
            (p.name, ", ".join(p.aliases) and f"also: {', '.join(p.aliases)}")
            for p in ref.partnerships
        ],
        "themes": [
            (c, f"{t['name']} (usually outcome {t['outcome']})") for c, t in ref.themes.items()
        ],
        "statutory_partners": list(ref.statutory_partners.items()),
        "participation_levels": [(x, humanise(x)) for x in ref.participation_levels],
        "partnership_development": list(ref.development.items()),
        "challenges": list(ref.challenges.items()),
        "indicators": [
            (c, f"{i['name']} (outcome {i['outcome']})") for c, i in ref.indicators.items()
        ],
        "priority_actions": [(str(k), v) for k, v in ref.priority_actions.items()],
        "self_evaluation": [(str(k), v) for k, v in sorted(ref.self_evaluation.items())],
        "activity_status": [(x, humanise(x)) for x in ref.activity_status],
        "recommendation_status": [(x, humanise(x)) for x in ref.recommendation_status],
        "aims": [
            (str(a.id), f"{a.text} (priority actions {', '.join(map(str, a.priority_actions))})")
            for a in cjpf.aims
        ],
        "measures": [
            (m.code, f"{m.label} (2023 CJPF outcome {m.outcome})") for m in cjpf.measures.values()
        ],
    }
    return table[name]


@app.command()
@handle_errors
def codes(
    vocabulary: Annotated[
        str | None, typer.Argument(help="One list, e.g. themes. Omit to see all list names.")
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year", help="Only the lists a return for this year uses (its framework's)."
        ),
    ] = None,
) -> None:
    """List the codes a return may use (themes, partners, indicators ...)."""
    names: tuple[str, ...] = VOCABULARIES
    name = vocabulary_name(vocabulary) if vocabulary is not None else None
    if vocabulary is not None and name is None:
        raise UsageError(f"no list called {vocabulary!r}; choose from {', '.join(names)}")
    if year is not None:
        from cjreturns.contract.frameworks import framework_for_year

        found = framework_for_year(check_year(year))
        if found is None:
            raise UsageError(f"no framework covers {year}: returns start in 2016-17")
        left_out = _OTHER_FRAMEWORK[found.id]
        names = tuple(v for v in VOCABULARIES if v not in left_out)
        if name in left_out:
            raise UsageError(
                f"{year} returns follow the {found.name}, which has no list {vocabulary!r}; "
                f"choose from {', '.join(names)}"
            )
    if name is None:
        typer.echo("Lists: " + ", ".join(names))
        typer.echo("Show one with: cjreturns codes NAME")
        return
    rows = vocabulary_rows(name)
    width = max(len(code) for code, _ in rows)
    for code, label in rows:
        typer.echo(f"{code:<{width}}  {label}".rstrip())
