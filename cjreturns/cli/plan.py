"""`cjreturns plan validate|status|report`: the national delivery plan and its update document."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cjreturns.cli.app import EXIT_INVALID, EXIT_OK, app, generation_date, handle_errors
from cjreturns.cli.validate import check_paths, check_year
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
                    reporting_year=r.plan.short_title() if r.plan else None,
                )
                for r in results
            )
        )
        typer.echo(render_text(as_files), nl=False)
    raise typer.Exit(EXIT_OK if all(r.valid for r in results) else EXIT_INVALID)


@plan_app.command("rules")
@handle_errors
def rules(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = (
        Format.text
    ),
) -> None:
    """List every delivery plan rule: id, severity, what it checks and how to fix it."""
    from cjreturns.plan.rules import catalogue

    rows = [
        {"id": r.id, "severity": r.severity, "stage": r.stage, "checks": r.title, "fix": r.fix}
        for r in catalogue().values()
    ]
    if format is Format.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        typer.echo(f"{r['id']:<{width}}  {r['severity']:<7}  {r['checks']}")
        typer.echo(f"{'':<{width}}  {'':<7}  Fix: {r['fix']}")
    typer.echo(f"{len(rows)} rules.")


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


@plan_app.command("report")
@handle_errors
def report(
    plan: Annotated[Path, typer.Argument(help="The plan file for this update (.yaml or .json).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The Word file to write (.docx).")],
    previous: Annotated[
        Path | None,
        typer.Option("--previous", help="The plan file of an earlier update, to say what changed."),
    ] = None,
    returns: Annotated[
        Path | None,
        typer.Option(
            "--returns",
            help="A folder of partnerships' annual returns: count those reporting activity "
            "under each priority action (needs --year).",
        ),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="The returns' reporting year, e.g. 2021-22.")
    ] = None,
    as_of: AsOf = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --out file.")] = False,
) -> None:
    """Draft the delivery plan update in Word: the table of deliverables by aim and priority
    action, previously completed deliverables, a status summary by aim (chart and table),
    with --previous what changed since that update, with --returns the local picture.

    --as-of (default today) is the date overdue is judged on. Exit code 0 when written, 1 when
    a plan has errors, 2 for a usage problem.
    """
    from cjreturns.outputs.files import check_writable
    from cjreturns.outputs.report import check_docx
    from cjreturns.plan.checker import load
    from cjreturns.plan.report import write_update_report

    day = parse_as_of(as_of) or generation_date()
    if out.suffix.lower() != ".docx":
        raise UsageError(f"--out {out} must be a .docx file")
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name ending .docx")
    if (returns is None) != (year is None):
        raise UsageError("--returns and --year go together: give both, or neither")
    check_year(year)
    check_paths([plan, *([previous] if previous else []), *([returns] if returns else [])])
    check_writable([out], force=force)
    current = load(plan, as_of=day)
    earlier = load(previous) if previous else None
    if earlier is not None and earlier.update >= current.update:
        raise UsageError(
            f"--previous {previous} is update {earlier.update}, not earlier than update "
            f"{current.update} in {plan}"
        )
    activity = None
    if returns is not None and year is not None:
        from cjreturns.plan.activity import activity_from_folder

        activity = activity_from_folder(returns, year=year)
    write_update_report(
        out,
        current,
        as_of=day,
        previous=earlier,
        activity=activity,
        generated_on=generation_date(),
        force=force,
    )
    problems = check_docx(out)
    typer.echo(
        f"Wrote {out}: draft of the delivery plan ({current.short_title()}), status as of "
        f"{day.isoformat()}."
    )
    if activity is not None:
        typer.echo(
            f"Local picture from {activity.counted} partnerships' {activity.year} returns "
            f"({activity.rejected} rejected)."
        )
    if problems:
        typer.echo(
            f"Warning: the accessibility check found {len(problems)} problems; run "
            f"`cjreturns check-docx {out}`.",
            err=True,
        )
