"""`cjreturns template` and `cjreturns convert`: the coordinator's workbook and format changes."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cjreturns.cli.app import app, generation_date, handle_errors
from cjreturns.core.errors import UsageError


class Target(StrEnum):
    xlsx = "xlsx"
    yaml = "yaml"
    json = "json"


_SUFFIXES = {Target.xlsx: (".xlsx",), Target.yaml: (".yaml", ".yml"), Target.json: (".json",)}


def _check_out(out: Path, target: Target) -> None:
    if out.suffix.lower() not in _SUFFIXES[target]:
        raise UsageError(f"--out {out} should end with {' or '.join(_SUFFIXES[target])}")
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name")


@app.command()
@handle_errors
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="The workbook to write (.xlsx).")],
    partnership: Annotated[
        str | None, typer.Option("--partnership", help="Fill in the partnership's name.")
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="Reporting year, e.g. 2021-22. Default: the year whose return is being "
            "prepared: the year that has ended, until its returns are due; then the year in "
            "progress.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Write a blank return workbook for a coordinator to fill in.

    Drop-down lists, help for every column and protected headings; generated from the schema
    and the reference data. Check a filled-in workbook with `cjreturns validate`.
    """
    from cjreturns.outputs.files import atomic_write_bytes, check_writable
    from cjreturns.workbook import generate_template

    _check_out(out, Target.xlsx)
    check_writable([out], force=force)
    from cjreturns.workbook.template import default_year

    data = generate_template(partnership=partnership, year=year or default_year(generation_date()))
    atomic_write_bytes(out, data, force=force)
    typer.echo(f"Wrote {out}")


@app.command()
@handle_errors
def convert(
    file: Annotated[Path, typer.Argument(help="A return: .xlsx, .yaml, .yml or .json.")],
    to: Annotated[Target, typer.Option("--to", help="The format to write.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Convert a return between workbook, YAML and JSON without losing anything.

    A file with reading errors is not converted: its problems are listed (exit code 1).
    """
    from cjreturns.cli.reporters import REPORTERS
    from cjreturns.core.findings import CollectionResult, FileResult
    from cjreturns.outputs.files import atomic_write_bytes, check_writable
    from cjreturns.workbook import ConversionError
    from cjreturns.workbook import convert as convert_file

    if not (file.exists() or file.is_symlink()):  # a broken symlink is read, and reported
        raise UsageError(f"no such file: {file}")
    if file.is_dir():
        raise UsageError(f"{file} is a folder; give one return file")
    _check_out(out, to)
    if out.exists() and out.resolve() == file.resolve():
        raise UsageError("--out is the file being converted; write to a new file")
    check_writable([out], force=force)
    try:
        data = convert_file(file, to.value)
    except ConversionError as exc:
        if exc.findings:
            result = FileResult(file, exc.findings, format=file.suffix.lstrip(".").lower())
            typer.echo(REPORTERS["text"](CollectionResult((result,))), nl=False)
        raise
    atomic_write_bytes(out, data, force=force)
    typer.echo(f"Wrote {out}")
