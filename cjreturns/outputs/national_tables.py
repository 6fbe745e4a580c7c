"""The national files from an aggregate: aggregate.json, national-tables.xlsx, one CSV per table
and talking-points.md.

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
from cjreturns.aggregation.talking_points import TalkingPoint
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.escaping import markdown_inline
from cjreturns.outputs.files import check_writable, write_set
from cjreturns.outputs.quantifiers import quantifier_rule
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

# (key, sheet title without its number): one sheet and one CSV each, in this order.
TABLES: tuple[tuple[str, str], ...] = (
    ("coverage", "Returns received and counted, by partnership"),
    ("outcomes", "Partnerships and activities, by national outcome"),
    ("themes", "Partnerships evidencing each theme, by national outcome"),
    ("self_evaluation", "Partnerships' self-evaluation, by national outcome"),
    ("priority_actions", "Partnerships referring to each 2022 strategy priority action"),
    ("indicators", "Local indicators: national totals and rates per 10,000 people"),
    ("indicator_values", "Local indicators, by partnership"),
    ("indicator_rates", "Local indicators per 10,000 people, by partnership"),
    ("partner_participation", "Statutory partners' participation in partnerships"),
    ("development", "Partnership development work"),
    ("challenges", "Gaps and challenges named by partnerships, ranked"),
)


def csv_name(index: int, key: str) -> str:
    return f"table-{index:02d}-{key.replace('_', '-')}.csv"


def output_paths(out_dir: Path | str) -> list[Path]:
    """Every file `write_outputs` writes, so a caller can refuse to overwrite before any work."""
    out = Path(out_dir)
    names = [JSON_NAME, WORKBOOK_NAME, TALKING_POINTS_NAME]
    names += [csv_name(i, key) for i, (key, _) in enumerate(TABLES, start=1)]
    return [out / n for n in names]


# -- the tables --------------------------------------------------------------------------------


def _year(agg: Aggregate) -> str:
    return agg.reporting_year or "(year not known)"


def _counted_line(agg: Aggregate) -> str:
    s = agg.coverage.summary()
    return (
        f"Source: annual returns from {s['accepted']} of {s['expected']} community justice "
        f"partnerships for {_year(agg)}."
    )


def _coverage_rows(agg: Aggregate, ref: Reference) -> list[tuple[Any, ...]]:
    """One row per partnership (and per rejected file naming no known partnership)."""
    cov = agg.coverage
    received: dict[str, int] = {}
    for r in cov.received:
        received[r.partnership or ""] = received.get(r.partnership or "", 0) + 1
    status: dict[str, tuple[str, Any]] = {}
    for o in cov.other_years:
        status[o.partnership or ""] = ("not counted: another reporting year", NOT_AVAILABLE)
    for r in cov.rejected:
        status[r.partnership or ""] = ("not counted: errors", NOT_AVAILABLE)
    for c in cov.conflicts:
        status[c.partnership] = ("not counted: conflicting returns", NOT_AVAILABLE)
    for a in cov.accepted:
        status[a.partnership or ""] = ("counted (late)" if a.late else "counted", a.submitted_on)
    rows = [
        (p.name, *status.get(p.name, ("missing", NOT_AVAILABLE)), received.get(p.name, 0))
        for p in sorted(ref.partnerships, key=lambda p: p.name)
    ]
    # A rejected return naming no known partnership is shown by its file name, never by the
    # text it gives as its partnership (untrusted: it may be a formula or a person's name).
    unknown = sorted(r.file for r in cov.rejected if ref.partnership(r.partnership or "") is None)
    rows += [
        (f"File: {file}", "not counted: errors (partnership not recognised)", NOT_AVAILABLE, 1)
        for file in unknown
    ]
    return rows


def _quantified(n: int, counted: int, ref: Reference) -> str:
    return ref.quantifier(n, counted) if counted else "no"


def build_sheet_tables(agg: Aggregate, reference: Reference | None = None) -> list[SheetTable]:
    """The national tables, ready for the workbook and CSVs, with [c] and [x] applied."""
    ref = reference or load_reference()
    c, n_counted = agg.counts, agg.coverage.counted
    year = _year(agg)
    source = _counted_line(agg)
    low = agg.settings.suppress_below

    def q(n: int) -> str:
        return _quantified(n, n_counted, ref)

    outcome_text = {str(k): v["text"] for k, v in ref.outcomes.items()}
    by_outcome = c["outcomes"]
    statuses = ref.activity_status
    scale = sorted(ref.self_evaluation, reverse=True)
    body: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]], str]] = {}

    body["coverage"] = (
        ("Partnership", "Status", "Submitted on", "Files received"),
        _coverage_rows(agg, ref),
        f"Late: received after {ref.calendar.due_text()}. A partnership's latest return counts; "
        "see note 1.",
    )
    body["outcomes"] = (
        (
            "Outcome",
            "Outcome description",
            "Partnerships with activity",
            "Quantifier",
            "Activities",
            *(f"Activities {s.replace('_', ' ')}" for s in statuses),
        ),
        [
            (
                int(k),
                outcome_text[k],
                b["partnerships_with_activity"],
                b["partnerships_with_activity_word"],
                b["activities"],
                *(b["by_status"][s] for s in statuses),
            )
            for k, b in by_outcome.items()
        ],
        "Partnerships are counted once per outcome however many activities they report.",
    )
    body["themes"] = (
        ("Outcome", "Theme code", "Theme", "Partnerships", "Quantifier"),
        [
            (int(k), code, ref.label("themes", code), n, q(n))
            for k, b in by_outcome.items()
            for code, n in b["themes"].items()
        ],
        "Each outcome lists its usual themes (even when no partnership reported them) and "
        "any other theme reported under it.",
    )
    body["self_evaluation"] = (
        (
            "Outcome",
            *(f"{ref.self_evaluation[v].replace('_', ' ').capitalize()} ({v})" for v in scale),
            "Not given",
        ),
        [
            (
                int(k),
                *(b["self_evaluation"][str(v)] for v in scale),
                n_counted - sum(b["self_evaluation"].values()),
            )
            for k, b in by_outcome.items()
        ],
        "Care Inspectorate six-point scale, from excellent (6) to unsatisfactory (1).",
    )
    pa = agg.tables["priority_actions"]
    pa_any = pa.groupby("priority_action")["partnership"].nunique().to_dict() if len(pa) else {}
    body["priority_actions"] = (
        (
            "Priority action",
            "Description",
            "Partnerships (any outcome)",
            "Quantifier",
            *(f"Outcome {k}" for k in by_outcome),
        ),
        [
            (
                a,
                short,
                int(pa_any.get(a, 0)),
                q(int(pa_any.get(a, 0))),
                *(b["priority_actions"][str(a)] for b in by_outcome.values()),
            )
            for a, short in sorted(ref.priority_actions.items())
        ],
        "Priority actions of the National Strategy for Community Justice (2022) that "
        "activities refer to.",
    )

    def stat(value: Any) -> Any:
        return NOT_AVAILABLE if value is None else value

    body["indicators"] = (
        (
            "Indicator code",
            "Indicator",
            "Outcome",
            "National total",
            "Partnerships reporting",
            "Quantifier",
            "Rate per 10,000 people (reporting partnerships)",
            "Lowest rate",
            "Lower quartile rate",
            "Median rate",
            "Upper quartile rate",
            "Highest rate",
            "Outlying partnerships",
        ),
        [
            (
                code,
                ref.label("indicators", code),
                int(ref.indicators[code]["outcome"]),
                b["total"],
                b["partnerships_reporting"],
                b["partnerships_reporting_word"],
                stat(b["national_rate"]),
                stat(b["min_rate"]),
                stat(b["q1_rate"]),
                stat(b["median_rate"]),
                stat(b["q3_rate"]),
                stat(b["max_rate"]),
                "; ".join(b["outliers"]) or "none",
            )
            for code, b in c["indicators"].items()
        ],
        f"Outliers: rates more than {agg.settings.outlier_iqr_factor:g} times the interquartile "
        "range beyond the quartiles (see note 3).",
    )
    values_rows, rates_rows = _indicator_by_partnership(agg, ref, low)
    names = tuple(ref.label("indicators", code) for code in ref.indicators)
    body["indicator_values"] = (
        ("Partnership", "Population", *names),
        values_rows,
        f"{CONFIDENTIAL}: a figure below {low}, not shown. {NOT_AVAILABLE}: not reported. "
        "Table 6 gives each indicator's code.",
    )
    body["indicator_rates"] = (
        ("Partnership", "Population", *names),
        rates_rows,
        f"Rates per 10,000 people. {CONFIDENTIAL}: based on a figure below {low}. "
        f"{NOT_AVAILABLE}: not reported.",
    )
    levels = (*ref.participation_levels, "not_stated")
    body["partner_participation"] = (
        (
            "Partner code",
            "Statutory partner",
            *(lv.replace("_", " ").capitalize() for lv in levels),
        ),
        [
            (code, name, *(c["partner_participation"][code][lv] for lv in levels))
            for code, name in ref.statutory_partners.items()
        ],
        "Partnerships by the level of participation their return gives for each partner.",
    )
    body["development"] = (
        ("Development code", "Development work", "Partnerships", "Quantifier"),
        [
            (
                code,
                name,
                c["partnership_development"][code],
                c["partnership_development_words"][code],
            )
            for code, name in ref.development.items()
        ],
        "Partnerships describing each kind of development work in their governance section.",
    )
    ranking = c["challenges_ranking"]
    body["challenges"] = (
        ("Rank", "Challenge code", "Challenge", "Partnerships", "Quantifier"),
        [
            (
                ranking.index(code) + 1 if code in ranking else NOT_AVAILABLE,
                code,
                ref.challenges[code],
                n,
                c["challenges_words"][code],
            )
            for code, n in c["challenges"].items()
        ],
        "A challenge named anywhere in a return counts once for that partnership.",
    )

    tables = []
    for i, (key, title) in enumerate(TABLES, start=1):
        columns, rows, note = body[key]
        tables.append(
            SheetTable(
                sheet=f"Table_{i}",
                title=f"Table {i}: {title}, {year}",
                notes=("This worksheet contains one table.", note, source),
                columns=columns,
                rows=tuple(tuple(r) for r in rows),
                csv_name=csv_name(i, key),
            )
        )
    return tables


def _indicator_by_partnership(
    agg: Aggregate, ref: Reference, low: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Partnership x indicator values and rates, with [c] under `low` and [x] where absent."""
    frame = agg.tables["indicators"]
    digits = agg.settings.rate_decimals
    found = {
        (p, code): (int(v), r)
        for p, code, v, r in zip(
            frame["partnership"],
            frame["indicator"],
            frame["value"],
            frame["rate_per_10000"],
            strict=True,
        )
    }
    values_rows, rates_rows = [], []
    for a in agg.coverage.accepted:
        name = a.partnership or ""
        partnership = ref.partnership(name)
        population = partnership.population if partnership else NOT_AVAILABLE
        values: list[Any] = [name, population]
        rates: list[Any] = [name, population]
        for code in ref.indicators:
            if (name, code) not in found:
                values.append(NOT_AVAILABLE)
                rates.append(NOT_AVAILABLE)
                continue
            value, rate = found[(name, code)]
            hidden = value < low
            values.append(CONFIDENTIAL if hidden else value)
            rates.append(
                CONFIDENTIAL
                if hidden
                else (NOT_AVAILABLE if rate is None else round(float(rate), digits))
            )
        values_rows.append(tuple(values))
        rates_rows.append(tuple(rates))
    return values_rows, rates_rows


def workbook_text(
    agg: Aggregate, ref: Reference
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The cover sheet paragraphs and the notes table."""
    s = agg.coverage.summary()
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
            "Coverage (table 1): a return with any error is not counted. When a "
            "partnership sent more than one return, the latest submitted counts; two "
            "different returns on the same date are not counted until resolved.",
        ),
        (
            "Note 2",
            f"Suppression (tables 7 and 8): {CONFIDENTIAL} marks a partnership-level "
            f"figure below {agg.settings.suppress_below}. National totals (table 6) "
            "include the true figures.",
        ),
        (
            "Note 3",
            "Rates (tables 6 and 8) are per 10,000 people in the partnership's council "
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


def aggregate_json(agg: Aggregate) -> bytes:
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
    tables = build_sheet_tables(agg, ref)
    cover, notes = workbook_text(agg, ref)
    files = {
        JSON_NAME: aggregate_json(agg),
        WORKBOOK_NAME: statistics_workbook(
            tables,
            title=f"Community justice annual returns {_year(agg)}: national tables",
            cover=cover,
            notes=notes,
        ),
        TALKING_POINTS_NAME: talking_points_markdown(agg, ref).encode("utf-8"),
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
    out = Path(out_dir)
    check_writable(output_paths(out), force=force)  # before the work of rendering
    rendered = render_outputs(agg)
    files = {**rendered, **(extra(rendered) if extra else {})}  # e.g. manifest.json of them
    # One set: a reader sees all of this run's files or all of the last run's, never a mix.
    return write_set(out, files, force=force, owned=_is_output)


_OUTPUT_NAME = re.compile(r"table-\d{2}-[a-z0-9-]+\.csv")


def _is_output(name: str) -> bool:
    """Whether a file in the output folder belongs to a set (this run's or an earlier one's)."""
    return name in (JSON_NAME, WORKBOOK_NAME, TALKING_POINTS_NAME, "manifest.json") or bool(
        _OUTPUT_NAME.fullmatch(name)
    )
