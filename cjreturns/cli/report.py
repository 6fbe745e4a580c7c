"""`cjreturns report` (the national report draft in Word) and `cjreturns check-docx`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cjreturns.cli.aggregate import (
    RegisterOption,
    count_returns,
    exit_code_for,
    manifest_inputs,
    returns_source,
)
from cjreturns.cli.app import EXIT_INVALID, EXIT_OK, app, generation_date, handle_errors
from cjreturns.cli.validate import check_year
from cjreturns.core.errors import UsageError


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@handle_errors
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="The Word file to write (.docx).")],
    returns_dir: Annotated[
        Path | None, typer.Argument(help="Folder of returns (searched recursively).")
    ] = None,
    register: RegisterOption = None,
    context: Annotated[
        Path | None,
        typer.Option(
            "--context",
            help="The analysts' context file (YAML): foreword, "
            "introduction, key facts, last year's recommendations.",
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year", help="Reporting year, e.g. 2021-22 (default: the year most returns give)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --out file.")] = False,
) -> None:
    """Draft the national report in Word from a folder of returns.

    Counts the returns as `cjreturns aggregate` does and writes every number from those counts,
    with examples quoted from the returns, charts with alt text and the count tables. Its
    manifest (inputs with sha256, tool and rules versions) is written beside it as
    NAME.manifest.json and into the document's properties (Comments, Keywords). Without
    --context the foreword, introduction, key facts and recommendations are marked placeholders.
    Exit code 0 when the draft was written from every return read, 1 when any return was
    rejected or in conflict (the draft is still written from those that count) or none could be
    counted, 2 for a usage problem.
    """
    from cjreturns.outputs.files import atomic_write_all, check_writable
    from cjreturns.outputs.manifest import (
        aggregate_manifest,
        docx_with_manifest,
        manifest_bytes,
        manifest_name_for,
        output_entries,
    )
    from cjreturns.outputs.report import check_docx, load_context

    check_year(year)
    if out.suffix.lower() != ".docx":
        raise UsageError(f"--out {out} must be a .docx file")
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name ending .docx")
    check_writable([out, manifest_name_for(out)], force=force)  # refuse before reading 30 returns
    ctx = load_context(context) if context is not None else None
    if ctx and year and ctx.reporting_year and ctx.reporting_year != year:
        raise UsageError(
            f"--year {year} but the context file {context} is for {ctx.reporting_year}"
        )
    day = generation_date()

    with returns_source(returns_dir, register, year) as (folder, inputs, source):
        result = count_returns(folder, year=year)
        if ctx and ctx.reporting_year and result.reporting_year != ctx.reporting_year:
            raise UsageError(
                f"the context file {context} is for {ctx.reporting_year} but the "
                f"returns are for {result.reporting_year or 'no recognisable year'}"
            )
        manifest = aggregate_manifest(
            result, kind="report", inputs=manifest_inputs(result, folder, inputs), source=source
        )
    s = result.coverage.summary()
    from cjreturns.outputs.by_year import build_report_for

    draft = build_report_for(result, context=ctx, generated_on=day)
    document = docx_with_manifest(draft, manifest)
    manifest = {**manifest, "outputs": output_entries({out.name: document})}
    atomic_write_all({out: document, manifest_name_for(out): manifest_bytes(manifest)}, force=force)
    problems = check_docx(out)
    typer.echo(
        f"Wrote {out}: draft national report for {result.reporting_year} from {s['accepted']} "
        f"of {s['expected']} partnerships' returns ({s['late']} late, {s['missing']} missing, "
        f"{s['rejected']} rejected); its manifest: {manifest_name_for(out)}."
    )
    if ctx is None:
        typer.echo(
            "No --context: the foreword, introduction, key facts and recommendations "
            "are placeholders."
        )
    typer.echo("Open it in Word and update the contents (right-click it, Update Field).")
    if problems:  # a bug in the builder, not the user's doing: say so plainly
        typer.echo(
            f"Warning: the accessibility check found {len(problems)} problems; run "
            f"`cjreturns check-docx {out}`.",
            err=True,
        )
    raise typer.Exit(exit_code_for(s))


@app.command("check-docx")
@handle_errors
def check_docx_command(
    file: Annotated[Path, typer.Argument(help="A Word .docx file.")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.text
    ),
) -> None:
    """Check a Word document for accessibility problems: heading order, alt text on images,
    table header rows, empty paragraphs used for spacing, document title and language.

    Exit code 0 when none is found, 1 when there are problems, 2 for a usage problem.
    """
    from cjreturns.outputs.report.a11y import RULES, check_docx

    findings = check_docx(file)
    if format is CheckFormat.json:
        typer.echo(
            json.dumps(
                {
                    "file": str(file),
                    "problems": [f.to_dict() for f in findings],
                    "rules": {rule: text for rule, (text, _) in RULES.items()},
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    elif findings:
        for f in findings:
            typer.echo(f"{file}: {f.location}: {f.rule}: {f.message}")
        typer.echo(
            f"{len(findings)} accessibility problem{'s' if len(findings) != 1 else ''} in {file}."
        )
    else:
        typer.echo(f"{file}: no accessibility problems found ({len(RULES)} checks).")
    raise typer.Exit(EXIT_INVALID if findings else EXIT_OK)
