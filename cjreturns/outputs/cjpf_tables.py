"""The national files for a 2023-framework collection: aggregate.json, national-tables.xlsx (the
same accessible workbook as for 2016 returns), one CSV per table and talking-points.md.

The tables are defined in cjpf_specs.py and written by the same machinery as the 2016 ones
(national_tables.py); what is this framework's own here is the workbook's cover and notes and
the talking points' grouping. Only counts, codes and labels are published; partnership figures
below 5 show as [c].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.cjpf import CJPFAggregate
from cjreturns.contract.frameworks import load_cjpf
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.outputs import national_tables
from cjreturns.outputs.cjpf_specs import CJPF_TABLES, Sheets
from cjreturns.outputs.national_tables import _md, _year, source_line, workbook_text
from cjreturns.outputs.tables_workbook import CONFIDENTIAL, SheetTable


def output_paths(out_dir: Path | str) -> list[Path]:
    return national_tables.output_paths(out_dir, CJPF_TABLES)


def build_sheet_tables(agg: CJPFAggregate, reference: Reference | None = None) -> list[SheetTable]:
    """The national tables, ready for the workbook and CSVs, with [c] and [x] applied."""
    ref = reference or load_reference()
    inputs = Sheets(counts=agg.results(), ref=ref, agg=agg, cjpf=load_cjpf())
    return CJPF_TABLES.sheet_tables(inputs, year=_year(agg), source=source_line(agg))


def _notes(agg: CJPFAggregate, ref: Reference) -> tuple[list[Any], list[tuple[str, str]]]:
    cover, notes = workbook_text(agg, ref)
    cover.insert(
        1,
        (
            "Framework",
            "Returns from 2023-24 follow the 2023 Community Justice Performance Framework: work "
            "is reported under the 13 priority actions of the 2022 National Strategy for "
            "Community Justice, grouped by its four aims, with measures under the framework's "
            "nine outcomes. These tables cannot be compared with tables for 2022-23 and earlier "
            "years except where the cjreturns comparability data says a count means the same.",
        ),
    )
    notes = [
        notes[0],
        (
            "Note 2",
            f"Suppression ({CJPF_TABLES.mention('measure_values')}): {CONFIDENTIAL} marks a "
            f"partnership-level figure below {agg.settings.suppress_below}. National totals "
            f"({CJPF_TABLES.mention('measures')}) include the true figures.",
        ),
        (
            "Note 3",
            f"Rates ({CJPF_TABLES.mention('measures')}) are per 10,000 people in the "
            "partnership's council areas. Quartiles use the inclusive method.",
        ),
        notes[3],
        (
            "Note 5",
            "Measures marked 'the framework' use the CJPF's national indicator wording; those "
            "marked 'cjreturns' are this project's, because the framework's wording for those "
            "indicators is not known here.",
        ),
    ]
    return cover, notes


def talking_points_markdown(agg: CJPFAggregate) -> str:
    """Talking points grouped as the report is: returns, then each aim and its priority
    actions, then measures, partners and challenges."""
    cjpf = load_cjpf()
    s = agg.coverage.summary()
    lines = [
        f"# Talking points: community justice annual returns {_year(agg)}",
        "",
        f"Drafted from {s['accepted']} of {s['expected']} partnerships' returns ({s['late']} "
        f"late, {s['rejected']} rejected, {s['conflicts']} in conflict, {s['missing']} "
        "missing), under the 2023 Community Justice Performance Framework. Each point gives the "
        "numbers behind it and questions to explore. The rules are in "
        "schemas/cjpf-2023/talking-points.yaml.",
    ]
    sections: dict[tuple[int, int, str], list[Any]] = {}
    for p in agg.talking_points:
        sections.setdefault(section_of(p.scope, p.subject, p.outcome), []).append(p)
    aims = {aim.id: f"Aim {aim.id}: {aim.text}" for aim in cjpf.aims}
    if not sections:
        lines += ["", "No talking point rule applies to these returns."]
    current = -1
    for (first, pa, heading), points in sorted(sections.items()):
        if first != current:
            lines += ["", f"## {_md(aims.get(first, heading) if 0 < first < 5 else heading)}"]
            current = first
        if pa:
            lines += ["", f"### {_md(f'Priority action {pa}: {cjpf.priority_actions[pa]}')}"]
        for p in points:
            evidence = ", ".join(f"{k} {v}" for k, v in p.evidence.items())
            lines += ["", _md(p.text), "", _md(f"Evidence ({p.id}): {evidence}.")]
            if p.prompts:
                lines += ["", "Questions to consider:", ""]
                lines += [f"- {_md(q)}" for q in p.prompts]
    return "\n".join(lines) + "\n"


def section_of(scope: str, subject: str | None, outcome: str | None) -> tuple[int, int, str]:
    """(aim or section order, priority action, heading) for a talking point."""
    cjpf = load_cjpf()
    if scope == "coverage":
        return 0, 0, "Returns"
    if scope == "aim" and subject:
        return int(subject), 0, ""
    if scope == "priority_action" and subject:
        return cjpf.aim_of(int(subject)).id, int(subject), ""
    if scope in ("measure", "completion"):
        return 5, 0, "Outcome measures"
    if scope == "partner":
        return 6, 0, "Statutory partners"
    if scope == "development":
        return 7, 0, "Partnership development"
    return 8, 0, "Gaps and challenges"


def render_outputs(agg: CJPFAggregate) -> dict[str, bytes]:
    """Every output file's name and bytes (nothing is written)."""
    ref = load_reference()
    cover, notes = _notes(agg, ref)
    return national_tables.render_files(
        agg,
        build_sheet_tables(agg, ref),
        cover=cover,
        notes=notes,
        talking_points=talking_points_markdown(agg),
    )


def write_cjpf_outputs(
    agg: CJPFAggregate,
    out_dir: Path | str,
    *,
    force: bool = False,
    extra: Callable[[Mapping[str, bytes]], Mapping[str, bytes]] | None = None,
) -> list[Path]:
    """Write every national file to `out_dir` (refuses to overwrite without `force`): one set,
    never mixed with an earlier run's (of either framework)."""
    return national_tables.write_files(
        out_dir, lambda: render_outputs(agg), CJPF_TABLES, force=force, extra=extra
    )
