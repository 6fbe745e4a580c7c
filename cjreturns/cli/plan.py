"""`cjreturns plan validate|status|report`: the national delivery plan and its update document."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cjreturns.cli.app import EXIT_INVALID, EXIT_OK, app, generation_date, handle_errors
from cjreturns.cli.validate import check_paths
from cjreturns.core.errors import UsageError

plan_app = typer.Typer(
    name="plan",
    help="The national delivery plan: check plan files, status on a date, the update document.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plan_app, name="plan")


class Format(StrEnum):
    text = "text"
    json = "json"


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The date overdue is judged on, YYYY-MM-DD.",
        show_default=False,
    ),
]


def parse_as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--as-of {value!r} is not a date like 2026-12-01") from exc


@plan_app.command("validate")
@handle_errors
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Plan files (.yaml, .json) or folders.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
        Format.text
    ),
    as_of: AsOf = None,
) -> None:
    """Check delivery plan files against the contract and the plan's rules.

    Overdue deliverables are warnings, judged on --as-of (default: the end of the update's
    month, as the update itself would judge them). Exit code 0 when no file has an error
    (warnings allowed), 1 when any file has an error, 2 for a usage problem.
    """
    from cjreturns.cli.reporters import render_text
    from cjreturns.core.findings import CollectionResult, FileResult
    from cjreturns.plan.checker import check_paths as check_plans

    day = parse_as_of(as_of)
    check_paths(paths)
    results = check_plans(paths, as_of=day)
    if not results:
        raise UsageError(
            "no plan files (.yaml, .yml, .json) found in " + ", ".join(map(str, paths))
        )
    if format is Format.json:
        summary = {
            "files": len(results),
            "valid": sum(r.valid for r in results),
            "invalid": sum(not r.valid for r in results),
        }
        body = {"files": [r.to_dict() for r in results], "summary": summary}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        as_files = CollectionResult(
            tuple(
                FileResult(
                    r.path,
                    r.findings,
                    reporting_year=r.plan.title() if r.plan else None,
                )
                for r in results
            )
        )
        typer.echo(render_text(as_files), nl=False)
    raise typer.Exit(EXIT_OK if all(r.valid for r in results) else EXIT_INVALID)


@plan_app.command("status")
@handle_errors
def status(
    plan: Annotated[Path, typer.Argument(help="A plan file (.yaml or .json).")],
    as_of: AsOf = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
        Format.text
    ),
) -> None:
    """Counts by status, aim and priority action, and the deliverables overdue on a date.

    --as-of defaults to today. A deliverable is overdue when the month of its latest timescale
    has ended and it is not complete. Exit code 0, 1 when the plan has errors, 2 for a usage
    problem.
    """
    from cjreturns.plan.checker import load
    from cjreturns.plan.status import REPORTERS

    day = parse_as_of(as_of) or generation_date()
    check_paths([plan])
    loaded = load(plan, as_of=day)
    typer.echo(REPORTERS[format.value](loaded, day), nl=False)
