"""`cjreturns aggregate`: national counts, tables and talking points from a folder of returns."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cjreturns.cli.app import EXIT_INVALID, EXIT_OK, app, handle_errors
from cjreturns.cli.validate import check_year, progress_printer
from cjreturns.core.errors import CJReturnsError, UsageError

if TYPE_CHECKING:
    from cjreturns.aggregation import Aggregate
    from cjreturns.aggregation.cjpf import CJPFAggregate
    from cjreturns.aggregation.collection import Coverage
    from cjreturns.outputs.manifest import Input

RegisterOption = Annotated[
    str | None,
    typer.Option(
        "--register",
        help="Count each partnership's accepted submission in this register (sqlite:///PATH or "
        "postgresql://...) instead of a folder; needs --year.",
    ),
]


def rejected_lines(coverage: Coverage) -> list[str]:
    """One line per rejected file naming it and its first error, so nobody has to guess why."""
    from cjreturns.cli.reporters import printable

    lines = []
    for r in coverage.rejected:
        if r.errors:
            first = r.errors[0]
            at = f" at {first['location']}" if first["location"] != "(file)" else ""
            message = r.messages[0] if r.messages else first["message"]  # the terminal may quote
            why = f"{first['rule']}{at}: {message}"
        else:
            why = "not one of the partnerships in the reference data"
        more = len(r.errors) - 1
        also = f" (and {more} more error{'s' if more != 1 else ''})" if more > 0 else ""
        lines.append(printable(f"  rejected: {r.file}: {why}{also}"))
    return lines


def require_returns(returns_dir: Path) -> None:
    """The usage problems with a returns folder, found before any work is done."""
    from cjreturns.readers import Limits, iter_return_files

    if not returns_dir.is_dir():
        raise UsageError(f"no such folder: {returns_dir}")
    if not iter_return_files([returns_dir], limits=Limits.from_env()):
        raise UsageError(f"no return files (.json, .yaml, .yml, .xlsx) found in {returns_dir}")


@contextlib.contextmanager
def returns_source(
    returns_dir: Path | None, register: str | None, year: str | None
) -> Iterator[tuple[Path, list[Input] | None, str]]:
    """The folder to count, the manifest's inputs when they come from a register (None: hash
    the folder's files), and where they came from. From a register, the accepted submissions
    are written to a private temporary folder and counted exactly as a folder is."""
    if register is None:
        if returns_dir is None:
            raise UsageError("give a folder of returns, or --register URL with --year")
        require_returns(returns_dir)
        yield returns_dir, None, f"folder {returns_dir}"
        return
    if returns_dir is not None:
        raise UsageError("give a folder of returns or --register, not both")
    if year is None:
        raise UsageError("--register needs --year: a register holds every year's returns")
    from cjreturns.cli.portal import open_register

    open_register(register)
    from cjreturns.register.outputs import accepted_folder, source_label

    with accepted_folder(year) as (folder, inputs):
        yield folder, inputs, source_label(year)


def manifest_inputs(
    result: Aggregate | CJPFAggregate, folder: Path, inputs: list[Input] | None
) -> list[Input]:
    from cjreturns.outputs.manifest import folder_manifest_inputs

    return inputs if inputs is not None else folder_manifest_inputs(result, folder)


def count_returns(
    returns_dir: Path, *, year: str | None, talking_points_file: Path | None = None
) -> Aggregate | CJPFAggregate:
    """Aggregate the folder for `aggregate` and `report` under its year's framework; refuse
    when no return can be counted.

    National outputs of nothing would only hide the problem, so each rejected file is named.
    """
    from cjreturns.aggregation.by_year import aggregate_for_year

    result = aggregate_for_year(
        returns_dir,
        year=year,
        progress=progress_printer(sys.stderr.isatty()),
        talking_points_file=talking_points_file,
    )
    s = result.coverage.summary()
    if not s["accepted"]:
        for line in rejected_lines(result.coverage):
            typer.echo(line, err=True)
        raise CJReturnsError(
            f"no return in {returns_dir} could be counted ({s['received']} read, "
            f"{s['rejected']} rejected); nothing was written. Run `cjreturns validate "
            f"{returns_dir}` to see every problem."
        )
    return result


@app.command()
@handle_errors
def aggregate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the national outputs.")],
    returns_dir: Annotated[
        Path | None, typer.Argument(help="Folder of returns (searched recursively).")
    ] = None,
    register: RegisterOption = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="Reporting year to count, e.g. 2021-22 (default: the year most returns give).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite outputs that already exist.")
    ] = False,
    talking_points: Annotated[
        Path | None,
        typer.Option(
            "--talking-points",
            help="Your own talking-point rules (YAML) instead of "
            "the built-in schemas/talking-points.yaml.",
        ),
    ] = None,
) -> None:
    """Count every partnership's return and write aggregate.json, national-tables.xlsx, one CSV
    per table, talking-points.md and manifest.json (the inputs with their sha256, the tool and
    rules versions: what the figures were made from).

    Returns with errors are not counted; they are listed in the coverage. Exit code 0 when every
    return read was counted, 1 when any was rejected or in conflict (the outputs are still
    written, from the returns that count) or none could be counted (nothing is written), 2 for a
    usage problem (no such folder, bad --year, outputs exist without --force).
    """
    from cjreturns.outputs.by_year import all_output_paths, write_outputs_for
    from cjreturns.outputs.files import check_writable
    from cjreturns.outputs.manifest import MANIFEST_NAME, aggregate_manifest, manifest_bytes

    check_year(year)
    if talking_points is not None and not talking_points.is_file():
        raise UsageError(f"no such file: {talking_points}")
    if returns_dir is not None and out.resolve().is_relative_to(returns_dir.resolve()):
        # aggregate.json would be read back as a (broken) return on the next run
        raise UsageError(f"--out {out} is inside {returns_dir}; choose a folder outside it")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    # refuse before reading 30 returns
    check_writable([*all_output_paths(out), out / MANIFEST_NAME], force=force)

    with returns_source(returns_dir, register, year) as (folder, inputs, source):
        result = count_returns(folder, year=year, talking_points_file=talking_points)
        used = manifest_inputs(result, folder, inputs)
    s = result.coverage.summary()

    def manifest(rendered: Mapping[str, bytes]) -> dict[str, bytes]:
        """manifest.json of the outputs, written in the same set so it always describes them."""
        made = aggregate_manifest(
            result, kind="aggregate", inputs=used, source=source, outputs=dict(rendered)
        )
        return {MANIFEST_NAME: manifest_bytes(made)}

    written = write_outputs_for(result, out, force=force, extra=manifest)
    typer.echo(
        f"{result.reporting_year or 'Year unknown'}: {s['accepted']} of {s['expected']} "
        f"partnerships counted ({s['late']} late); {s['received']} files read, "
        f"{s['rejected']} rejected, {s['superseded']} superseded, {s['conflicts']} in conflict, "
        f"{s['missing']} missing."
    )
    for line in rejected_lines(result.coverage):
        typer.echo(line)
    typer.echo(f"{len(result.talking_points)} talking points.")
    typer.echo(
        f"Wrote {len(written)} files to {out}: aggregate.json, national-tables.xlsx, "
        f"talking-points.md, manifest.json and {len(written) - 4} CSV tables."
    )
    raise typer.Exit(exit_code_for(s))


def exit_code_for(summary: dict[str, int]) -> int:
    """1 when input had to be left out (rejected or conflicting returns), as `validate` would."""
    return EXIT_INVALID if summary["rejected"] or summary["conflicts"] else EXIT_OK
