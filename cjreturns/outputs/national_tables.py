"""The national files from an aggregate: aggregate.json, national-tables.xlsx, one CSV per table
and talking-points.md. The tables are defined in national_specs (2016 framework) and cjpf_specs
(2023); the files are written here for both. aggregate.json holds the counts only (the shape
`Aggregate.to_json_dict` gives), not the tables.

Everything is rendered in memory first and then written in one atomic step, so a failure part
way leaves earlier outputs as they were. Only counts, codes and labels are published: never
contacts, sign-off, case studies or other narrative from returns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.national import Aggregate
from cjreturns.aggregation.pipeline import NationalAggregate
from cjreturns.aggregation.talking_points import TalkingPoint
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.escaping import markdown_inline
from cjreturns.outputs.files import check_writable, write_set
from cjreturns.outputs.national_specs import NATIONAL_TABLES, Sheets
from cjreturns.outputs.quantifiers import quantifier_rule
from cjreturns.outputs.table_spec import TableSet
from cjreturns.outputs.tables_workbook import (
    CONFIDENTIAL,
    NOT_AVAILABLE,
    SHORTHAND,
    SheetTable,
    neutralise,
    statistics_workbook,
)

JSON_NAME = "aggregate.json"
WORKBOOK_NAME = "national-tables.xlsx"
TALKING_POINTS_NAME = "talking-points.md"


def output_paths(out_dir: Path | str, tables: TableSet[Any, Any] | None = None) -> list[Path]:
    """Every file the writer of `tables` (default: these) writes, so a caller can refuse to
    overwrite before any work."""
    out = Path(out_dir)
    names = [
        JSON_NAME,
        WORKBOOK_NAME,
        TALKING_POINTS_NAME,
        *(tables or NATIONAL_TABLES).csv_names(),
    ]
    return [out / n for n in names]


def _year(agg: NationalAggregate[Any]) -> str:
    return agg.reporting_year or "(year not known)"


def source_line(agg: NationalAggregate[Any]) -> str:
    """The last note line of every sheet: whose returns, for which year."""
    s = agg.coverage.summary()
    return (
        f"Source: annual returns from {s['accepted']} of {s['expected']} community justice "
        f"partnerships for {_year(agg)}."
    )


def build_sheet_tables(agg: Aggregate, reference: Reference | None = None) -> list[SheetTable]:
    """The national tables, ready for the workbook and CSVs, with [c] and [x] applied."""
    ref = reference or load_reference()
    inputs = Sheets(counts=agg.results(), ref=ref, agg=agg)
    return NATIONAL_TABLES.sheet_tables(inputs, year=_year(agg), source=source_line(agg))


def workbook_text(
    agg: NationalAggregate[Any], ref: Reference
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The cover sheet paragraphs and the notes table."""
    s = agg.coverage.summary()
    t = NATIONAL_TABLES
    cover = [
        (
            "About these tables",
            f"National counts from community justice partnerships' annual returns for "
            f"{_year(agg)}: {s['accepted']} of {s['expected']} partnerships' returns were counted "
            f"({s['late']} late, {s['rejected']} rejected, {s['conflicts']} in conflict, "
            f"{s['missing']} missing).",
        ),
        (
            "Counting",
            "A count is of distinct partnerships unless a column says otherwise (activities are "
            "counted one by one). Quantifier words follow the national report, for n partnerships "
            "out of the N counted, the first that fits: "
            + "; ".join(f"{q.word} ({quantifier_rule(q.when)})" for q in ref.quantifiers)
            + ".",
        ),
        ("Shorthand", " ".join(f"{k} means {v}" for k, v in SHORTHAND.items())),
        (
            "Privacy",
            "These tables hold counts, codes and labels only: no contact details, sign-off or "
            "case-study text from returns.",
        ),
        (
            "Source",
            "Produced with cjreturns from the returns partnerships sent to Community Justice "
            "Scotland. Populations are council area estimates from the reference data; Community "
            "Justice Ayrshire's is the sum of East, North and South Ayrshire.",
        ),
    ]
    notes = [
        (
            "Note 1",
            f"Coverage ({t.mention('coverage')}): a return with any error is not counted. When a "
            "partnership sent more than one return, the latest submitted counts; two "
            "different returns on the same date are not counted until resolved.",
        ),
        (
            "Note 2",
            f"Suppression ({t.mention('indicator_values', 'indicator_rates')}): {CONFIDENTIAL} "
            f"marks a partnership-level figure below {agg.settings.suppress_below}. National "
            f"totals ({t.mention('indicators')}) include the true figures.",
        ),
        (
            "Note 3",
            f"Rates ({t.mention('indicators', 'indicator_rates')}) are per 10,000 people in the "
            "partnership's council "
            "areas. Quartiles use the inclusive method; an outlier lies more than "
            f"{agg.settings.outlier_iqr_factor:g} interquartile ranges beyond a quartile.",
        ),
        (
            "Note 4",
            f"{NOT_AVAILABLE} marks a figure that was not reported or cannot be "
            "calculated (for example a rate when no partnership reported the indicator).",
        ),
    ]
    return cover, notes


# -- the files ---------------------------------------------------------------------------------


def table_csv(table: SheetTable) -> bytes:
    """One table as CSV (UTF-8 with a byte-order mark so Excel reads it right)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(c) for c in table.columns])
    writer.writerows([neutralise(v) for v in row] for row in table.rows)
    return buf.getvalue().encode("utf-8-sig")


def aggregate_json(agg: NationalAggregate[Any]) -> bytes:
    """Same inputs, same bytes: fixed key order, no timestamps, newline at the end."""
    return (json.dumps(agg.to_json_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _md(text: str) -> str:
    return markdown_inline(text)  # text from returns and file names: escaped, never structure


def _section(point: TalkingPoint, ref: Reference) -> tuple[int, str]:
    """Where a talking point goes in the Markdown, and the section order."""
    if point.scope == "coverage":
        return -1, "Returns"
    if point.scope == "indicator":  # as the draft has them: with the local indicators
        return 8, "Local indicators"
    if point.scope in ("partner", "development"):
        return 0, "Governance and partnership working"
    if point.outcome and point.outcome.isdigit():
        k = int(point.outcome)
        return k, f"Outcome {k}: {ref.outcomes[k]['text']}"
    if point.outcome:
        return 7, f"Person-centred outcomes {point.outcome.replace('-', ' to ')}"
    return 10, "Gaps and challenges"


def talking_points_markdown(agg: Aggregate, reference: Reference | None = None) -> str:
    ref = reference or load_reference()
    s = agg.coverage.summary()
    lines = [
        f"# Talking points: community justice annual returns {_year(agg)}",
        "",
        f"Drafted from {s['accepted']} of {s['expected']} partnerships' returns ({s['late']} "
        f"late, {s['rejected']} rejected, {s['conflicts']} in conflict, {s['missing']} "
        "missing). Each point gives the numbers behind it and questions to explore before it "
        "goes into the national report. The rules are in schemas/talking-points.yaml.",
    ]
    sections: dict[tuple[int, str], list[TalkingPoint]] = {}
    for p in agg.talking_points:
        sections.setdefault(_section(p, ref), []).append(p)
    if not sections:
        lines += ["", "No talking point rule applies to these returns."]
    for (_, heading), points in sorted(sections.items()):
        lines += ["", f"## {_md(heading)}"]
        for p in points:
            evidence = ", ".join(f"{k} {v}" for k, v in p.evidence.items())
            title = f"**{_md(p.title)}.** " if p.title else ""
            lines += ["", title + _md(p.text), "", _md(f"Evidence ({p.id}): {evidence}.")]
            if p.prompts:
                lines += ["", "Questions to consider:", ""]
                lines += [f"- {_md(q)}" for q in p.prompts]
    return "\n".join(lines) + "\n"


def render_outputs(agg: Aggregate) -> dict[str, bytes]:
    """Every output file's name and bytes (nothing is written)."""
    ref = load_reference()
    cover, notes = workbook_text(agg, ref)
    return render_files(
        agg,
        build_sheet_tables(agg, ref),
        cover=cover,
        notes=notes,
        talking_points=talking_points_markdown(agg, ref),
    )


def render_files(
    agg: NationalAggregate[Any],
    tables: list[SheetTable],
    *,
    cover: list[tuple[str, str]],
    notes: list[tuple[str, str]],
    talking_points: str,
) -> dict[str, bytes]:
    """aggregate.json, the workbook, talking-points.md and each table's CSV, for either
    framework: the same sheets render to the workbook and the CSVs."""
    files = {
        JSON_NAME: aggregate_json(agg),
        WORKBOOK_NAME: statistics_workbook(
            tables,
            title=f"Community justice annual returns {_year(agg)}: national tables",
            cover=cover,
            notes=notes,
        ),
        TALKING_POINTS_NAME: talking_points.encode("utf-8"),
    }
    files.update({t.csv_name: table_csv(t) for t in tables})
    return files


def write_outputs(
    agg: Aggregate,
    out_dir: Path | str,
    *,
    force: bool = False,
    extra: Callable[[Mapping[str, bytes]], Mapping[str, bytes]] | None = None,
) -> list[Path]:
    """Write every national file to `out_dir`.

    Refuses (OutputExistsError) if any output exists and `force` is not set, before writing
    anything; all files are rendered first and renamed into place together.
    """
    return write_files(
        out_dir, lambda: render_outputs(agg), NATIONAL_TABLES, force=force, extra=extra
    )


def write_files(
    out_dir: Path | str,
    render: Callable[[], dict[str, bytes]],
    tables: TableSet[Any, Any],
    *,
    force: bool,
    extra: Callable[[Mapping[str, bytes]], Mapping[str, bytes]] | None,
) -> list[Path]:
    """Check, render, then write one set of national files (either framework's)."""
    out = Path(out_dir)
    check_writable(output_paths(out, tables), force=force)  # before the work of rendering
    rendered = render()
    files = {**rendered, **(extra(rendered) if extra else {})}  # e.g. manifest.json of them
    # One set: a reader sees all of this run's files or all of the last run's, never a mix.
    return write_set(out, files, force=force, owned=_is_output)


_OUTPUT_NAME = re.compile(r"table-\d{2}-[a-z0-9-]+\.csv")


def _is_output(name: str) -> bool:
    """Whether a file in the output folder belongs to a set (this run's or an earlier one's)."""
    return name in (JSON_NAME, WORKBOOK_NAME, TALKING_POINTS_NAME, "manifest.json") or bool(
        _OUTPUT_NAME.fullmatch(name)
    )
