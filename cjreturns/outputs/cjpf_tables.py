"""The national files for a 2023-framework collection: aggregate.json, national-tables.xlsx (the
same accessible workbook as for 2016 returns), one CSV per table and talking-points.md.

Tables follow the 2023-24 report's structure: aims, priority actions, self-evaluation, themes,
the CJPF outcomes' measures, then statutory partners, development work and challenges. Only
counts, codes and labels are published; partnership figures below 5 show as [c].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.cjpf import CJPFAggregate
from cjreturns.contract.frameworks import load_cjpf
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.outputs.common_tables import coverage_records as _coverage_rows
from cjreturns.outputs.files import check_writable, write_set
from cjreturns.outputs.national_tables import (
    JSON_NAME,
    TALKING_POINTS_NAME,
    WORKBOOK_NAME,
    _md,
    table_csv,
    workbook_text,
)
from cjreturns.outputs.table_spec import csv_name
from cjreturns.outputs.tables_workbook import (
    CONFIDENTIAL,
    NOT_AVAILABLE,
    SheetTable,
    statistics_workbook,
)

TABLES: tuple[tuple[str, str], ...] = (
    ("coverage", "Returns received and counted, by partnership"),
    ("aims", "Partnerships and activities, by aim of the 2022 National Strategy"),
    ("priority_actions", "Partnerships and activities, by priority action"),
    ("self_evaluation", "Partnerships' self-evaluation, by priority action"),
    ("themes", "Partnerships evidencing each theme, by priority action"),
    ("measures", "CJPF outcome measures: national totals and rates per 10,000 people"),
    ("measure_values", "CJPF outcome measures, by partnership"),
    ("partner_participation", "Statutory partners' participation in partnerships"),
    ("development", "Partnership development work"),
    ("challenges", "Gaps and challenges named by partnerships, ranked"),
)


def output_paths(out_dir: Path | str) -> list[Path]:
    out = Path(out_dir)
    names = [JSON_NAME, WORKBOOK_NAME, TALKING_POINTS_NAME]
    names += [csv_name(i, key) for i, (key, _) in enumerate(TABLES, start=1)]
    return [out / n for n in names]


def _year(agg: CJPFAggregate) -> str:
    return agg.reporting_year or "(year not known)"


def build_sheet_tables(agg: CJPFAggregate, reference: Reference | None = None) -> list[SheetTable]:
    """The national tables, ready for the workbook and CSVs, with [c] and [x] applied."""
    ref = reference or load_reference()
    cjpf = load_cjpf()
    c, counted = agg.counts, agg.coverage.counted
    s = agg.coverage.summary()
    source = (
        f"Source: annual returns from {s['accepted']} of {s['expected']} community justice "
        f"partnerships for {_year(agg)}."
    )
    statuses = ref.activity_status
    status_cols = tuple(f"Activities {s.replace('_', ' ')}" for s in statuses)
    body: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]], str]] = {}
    body["coverage"] = (
        ("Partnership", "Status", "Submitted on", "Files received"),
        _coverage_rows(agg.coverage, ref),
        "One row per partnership; see note 1.",
    )
    body["aims"] = (
        ("Aim", "Aim text", "Priority actions", "Partnerships with activity", "Quantifier",
         "Activities", *status_cols),
        [
            (int(k), b["text"], ", ".join(map(str, b["priority_actions"])),
             b["partnerships_with_activity"], b["partnerships_with_activity_word"],
             b["activities"], *(b["by_status"][x] for x in statuses))
            for k, b in c["aims"].items()
        ],
        f"Partnerships out of the {counted} counted; activities counted one by one.",
    )  # fmt: skip
    body["priority_actions"] = (
        ("Priority action", "Short title", "Aim", "Partnerships with activity", "Quantifier",
         "Partnerships reporting no activity", "Activities", *status_cols),
        [
            (int(k), b["short"], b["aim"], b["partnerships_with_activity"],
             b["partnerships_with_activity_word"], b["partnerships_no_activity"], b["activities"],
             *(b["by_status"][x] for x in statuses))
            for k, b in c["priority_actions"].items()
        ],
        "An activity is counted under the priority action it is reported under.",
    )  # fmt: skip
    scale = sorted(ref.self_evaluation, reverse=True)
    body["self_evaluation"] = (
        ("Priority action", "Short title",
         *(f"{v} {ref.self_evaluation[v].replace('_', ' ')}" for v in scale)),
        [
            (int(k), b["short"], *(b["self_evaluation"][str(v)] for v in scale))
            for k, b in c["priority_actions"].items()
        ],
        "Partnerships giving each score (Care Inspectorate six-point scale).",
    )  # fmt: skip
    body["themes"] = (
        ("Priority action", "Theme code", "Theme", "Partnerships"),
        [
            (int(k), code, ref.label("themes", code), n)
            for k, b in c["priority_actions"].items()
            for code, n in sorted(b["themes"].items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "Themes of the activities reported under each priority action.",
    )

    def stat(value: Any) -> Any:
        return NOT_AVAILABLE if value is None else value

    body["measures"] = (
        ("Measure code", "Measure", "CJPF outcome", "Wording from", "Total",
         "Partnerships reporting", "National rate per 10,000", "Median rate",
         "Lower quartile rate", "Upper quartile rate"),
        [
            (code, b["label"], b["outcome"],
             "the framework" if b["source"] == "cjpf" else "cjreturns", b["total"],
             b["partnerships_reporting"], stat(b["national_rate"]), stat(b["median_rate"]),
             stat(b["q1_rate"]), stat(b["q3_rate"]))
            for code, b in c["measures"].items()
        ],
        "Rates over the populations of the partnerships reporting; see notes 3 and 5.",
    )  # fmt: skip
    frame = agg.tables["measures"]
    found = {
        (p, m): int(v)
        for p, m, v in zip(frame["partnership"], frame["measure"], frame["value"], strict=True)
    }
    low = agg.settings.suppress_below
    body["measure_values"] = (
        ("Partnership", "Population", *cjpf.measures),
        [
            (
                a.partnership or "",
                p.population if (p := ref.partnership(a.partnership or "")) else NOT_AVAILABLE,
                *(
                    NOT_AVAILABLE
                    if (a.partnership, code) not in found
                    else (CONFIDENTIAL if found[(a.partnership, code)] < low else
                          found[(a.partnership, code)])
                    for code in cjpf.measures
                ),
            )
            for a in agg.coverage.accepted
        ],
        f"Counted returns only; {CONFIDENTIAL} below {low}, {NOT_AVAILABLE} not reported.",
    )  # fmt: skip
    levels = (*ref.participation_levels, "not_stated")
    body["partner_participation"] = (
        ("Partner code", "Partner", *(x.replace("_", " ").capitalize() for x in levels)),
        [
            (code, name, *(c["partner_participation"][code][x] for x in levels))
            for code, name in ref.statutory_partners.items()
        ],
        "Partnerships giving each participation level in their governance section.",
    )
    body["development"] = (
        ("Development code", "Development work", "Partnerships", "Quantifier"),
        [
            (code, name, c["partnership_development"][code],
             c["partnership_development_words"][code])
            for code, name in ref.development.items()
        ],
        "Partnerships noting each kind of development work.",
    )  # fmt: skip
    body["challenges"] = (
        ("Rank", "Challenge code", "Challenge", "Partnerships", "Quantifier"),
        [
            (i, code, ref.challenges[code], c["challenges"][code], c["challenges_words"][code])
            for i, code in enumerate(c["challenges_ranking"], start=1)
        ],
        "A challenge named anywhere in a return counts once for that partnership.",
    )
    tables = []
    for i, (key, title) in enumerate(TABLES, start=1):
        columns, rows, note = body[key]
        tables.append(
            SheetTable(
                sheet=f"Table_{i}",
                title=f"Table {i}: {title}, {_year(agg)}",
                notes=("This worksheet contains one table.", note, source),
                columns=columns,
                rows=tuple(tuple(r) for r in rows),
                csv_name=csv_name(i, key),
            )
        )
    return tables


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
            f"Suppression (table 7): {CONFIDENTIAL} marks a partnership-level figure below "
            f"{agg.settings.suppress_below}. National totals (table 6) include the true figures.",
        ),
        (
            "Note 3",
            "Rates (table 6) are per 10,000 people in the partnership's council areas. Quartiles "
            "use the inclusive method.",
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
    from cjreturns.outputs.national_tables import aggregate_json

    ref = load_reference()
    tables = build_sheet_tables(agg, ref)
    cover, notes = _notes(agg, ref)
    files = {
        JSON_NAME: aggregate_json(agg),
        WORKBOOK_NAME: statistics_workbook(
            tables,
            title=f"Community justice annual returns {_year(agg)}: national tables",
            cover=cover,
            notes=notes,
        ),
        TALKING_POINTS_NAME: talking_points_markdown(agg).encode("utf-8"),
    }
    files.update({t.csv_name: table_csv(t) for t in tables})
    return files


def write_cjpf_outputs(
    agg: CJPFAggregate,
    out_dir: Path | str,
    *,
    force: bool = False,
    extra: Callable[[Mapping[str, bytes]], Mapping[str, bytes]] | None = None,
) -> list[Path]:
    """Write every national file to `out_dir` (refuses to overwrite without `force`)."""
    out = Path(out_dir)
    check_writable(output_paths(out), force=force)
    rendered = render_outputs(agg)
    files = {**rendered, **(extra(rendered) if extra else {})}  # e.g. manifest.json of them
    return write_set(out, files, force=force)  # one set: never mixed with an earlier run
