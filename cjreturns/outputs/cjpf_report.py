"""The national report draft for a 2023-framework collection, structured as the 2023-24 report
is: the front matter, then one section per aim of the 2022 National Strategy with a
sub-section per priority action, then the outcomes' measures, partners and challenges.

The same blocks, house style, builder and accessibility rules as the 2016 draft
(cjreturns.outputs.report); only what it says differs. Every number is read from the
aggregate; quoted examples are activity titles and descriptions that pass the personal-data
and placeholder checks, never contacts, sign-off or case studies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cjreturns.aggregation.cjpf_results import CJPFCounts
from cjreturns.aggregation.talking_points import TalkingPoint
from cjreturns.contract.frameworks import CJPF, load_cjpf
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.calendar import long_date
from cjreturns.outputs.cjpf_specs import CJPF_TABLES, Summary
from cjreturns.outputs.report.blocks import (
    Bullets,
    Chart,
    Contents,
    Figure,
    Heading,
    Report,
    Table,
    TitlePage,
    para,
)
from cjreturns.outputs.report.context import ReportContext
from cjreturns.outputs.report.draft import markdown_blocks, period, placeholder
from cjreturns.outputs.report.examples import Examples
from cjreturns.outputs.report.sections.annex import spec_table
from cjreturns.outputs.report.text import area, clean_text, count_phrase, excerpt, number, plural

TITLE = "Community Justice Outcome Activity Annual Report"
SUBJECT = "Progress across the priority actions of the National Strategy for Community Justice"
EXAMPLES_PER_PRIORITY_ACTION = 2


class _Draft:
    def __init__(
        self,
        counts: CJPFCounts,
        returns: Mapping[str, Mapping[str, Any]],
        context: ReportContext,
        *,
        generated_on: dt.date,
        reference: Reference,
        cjpf: CJPF,
    ) -> None:
        self.counts, self.ref, self.cjpf, self.context = counts, reference, cjpf, context
        self.returns = {name: returns[name] for name in sorted(returns)}
        self.examples = Examples(self.returns)  # its `safe` check only
        self.quoted: Counter[str] = Counter()
        self.generated_on = generated_on
        self.year = counts.reporting_year or context.reporting_year or ""
        self.N = counts.partnerships_counted
        self.figures = 0
        self.report = Report(title=f"{TITLE} {self.year}".strip(), subject=SUBJECT,
                             reporting_year=self.year)  # fmt: skip

    def add(self, *blocks: Any) -> None:
        self.report.add(*blocks)

    def figure(self, chart: Chart, caption: str, alt: str) -> None:
        self.figures += 1
        self.add(Figure(self.figures, chart, caption, alt))

    @property
    def summary(self) -> Summary:
        return Summary(self.counts, self.ref)

    def national_table(self, key: str) -> Table:
        """A national table as the draft prints it, with its number and title in the workbook."""
        return spec_table(CJPF_TABLES.report_table(key, self.summary))

    def phrase(self, n: int, *, capital: bool = True) -> str:
        return count_phrase(int(n), self.N, self.ref, capital=capital)

    def pick_examples(self, pa: str, k: int) -> list[str]:
        """Up to k quotable activities under this priority action, from different areas,
        preferring areas quoted least so far (deterministic)."""
        candidates = []
        for name, doc in self.returns.items():
            action = (doc.get("priority_actions") or {}).get(pa) or {}
            for act in action.get("activities") or []:
                if isinstance(act, dict) and self.examples.safe(
                    act.get("title"), act.get("description")
                ):
                    candidates.append((self.quoted[name], name, act))
                    break  # one per partnership
        out: list[str] = []
        titles: set[str] = set()
        for _, name, act in sorted(candidates, key=lambda c: (c[0], c[1])):
            if len(out) == k:
                break
            if clean_text(act["title"]).casefold() in titles:
                continue  # the same piece of work described twice says nothing new
            titles.add(clean_text(act["title"]).casefold())
            self.quoted[name] += 1
            out.append(
                f"{area(name)}: {clean_text(act['title'])}. "
                f"{excerpt(act['description'], max_words=40)}"
            )
        return out

    def points(self, scope: str, subject: str | None = None) -> list[TalkingPoint]:
        return [
            tp
            for tp in self.counts.talking_points
            if tp.scope == scope and (subject is None or tp.subject == subject)
        ]

    def talking_points(self, points: list[TalkingPoint]) -> None:
        for tp in points:
            self.add(para(clean_text(tp.text), lead="Talking point: "))
            prompts = [clean_text(p) for p in tp.prompts]
            if prompts:
                self.add(para("Questions for discussion:"), Bullets(tuple(prompts)))


def build_cjpf_content(
    aggregate: Mapping[str, Any] | CJPFCounts,
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    context: ReportContext | None = None,
    *,
    generated_on: dt.date,
    reference: Reference | None = None,
) -> Report:
    """The whole draft as blocks, before any Word formatting.

    `aggregate` is the typed counts (`CJPFAggregate.results()`) or an aggregate.json dict, read
    leniently (it may be hand-made)."""
    ref = reference or load_reference()
    counts = (
        aggregate
        if isinstance(aggregate, CJPFCounts)
        else CJPFCounts.from_json(aggregate, expected=len(ref.partnerships))
    )
    d = _Draft(
        counts,
        returns or {},
        context or ReportContext(),
        generated_on=generated_on,
        reference=ref,
        cjpf=load_cjpf(),
    )
    when = period(d.year, d.ref)
    d.add(
        TitlePage(TITLE, d.year, when, long_date(d.generated_on), d.N),
        Heading(1, "Contents"),
        Contents(),
    )
    _front(d, when)
    for aim in d.cjpf.aims:
        _aim(d, aim.id)
    _self_evaluation(d)
    _measures(d)
    _partners(d)
    _challenges(d)
    _annex(d)
    d.report.properties = {
        "title": f"{TITLE} {d.year} (draft)".strip(),
        "subject": SUBJECT,
        "language": "en-GB",
        "keywords": f"community justice; priority actions; CJPF; {d.year}; draft",
        "comments": (
            f"Draft generated by cjreturns on {d.generated_on.isoformat()} from {d.N} accepted "
            "returns under the 2023 Community Justice Performance Framework. Check every "
            "section before publication."
        ),
    }
    return d.report


def _front(d: _Draft, when: str) -> None:
    cov = d.counts.coverage
    expected = cov.expected
    d.add(Heading(1, "Foreword"))
    d.add(*(markdown_blocks(d.context.foreword) if d.context.foreword
            else [placeholder("foreword", "foreword")]))  # fmt: skip
    pas = d.counts.priority_actions
    widest = max(pas, key=lambda k: (pas[k].partnerships_with_activity, -int(k)))
    gaps = [k for k, b in pas.items() if b.partnerships_with_activity < d.N]
    findings = [
        f"The returns of {d.N} of the {expected} partnerships were counted.",
        f"{d.phrase(pas[widest].partnerships_with_activity)} reported activity "
        f"towards priority action {widest} ({d.cjpf.priority_actions[int(widest)].lower()}).",
    ]
    if gaps:
        findings.append(
            "Activity was not reported by every partnership for "
            f"{plural(len(gaps), 'priority action')}: {', '.join(gaps)}."
        )
    ranking = d.counts.challenges_ranking
    if ranking:
        top = ranking[0]
        findings.append(
            f"The challenge named most often was {d.ref.challenges[top][:1].lower()}"
            f"{d.ref.challenges[top][1:]} ({d.counts.challenges[top]} partnerships)."
        )
    d.add(
        Heading(1, "Executive summary"),
        para(f"This report covers the period {when}." if when else "This report covers the year."),
        para(
            "It considers progress across the 13 priority actions of the 2022 National Strategy "
            "for Community Justice, grouped by its four aims, as reported by community justice "
            "partnerships in their annual returns under the 2023 Community Justice Performance "
            f"Framework. It is based on the returns of {d.N} of the {expected} partnerships."
        ),
        Bullets(tuple(findings), role="key-findings"),
        Heading(1, "Introduction"),
    )
    d.add(*(markdown_blocks(d.context.introduction) if d.context.introduction
            else [placeholder("introduction", "introduction")]))  # fmt: skip
    d.add(
        para(
            "The Community Justice Performance Framework was published on 31 March 2023 and "
            "replaces the 2016 Outcomes, Performance and Improvement Framework. Figures in this "
            "report are not comparable with reports for 2022-23 and earlier, except partner "
            "participation, partnership development work and challenges, which partnerships "
            "report in the same way under both frameworks."
        ),
        Heading(1, "Key facts"),
    )
    if d.context.key_facts:
        d.add(
            Table(
                caption="Key facts",
                label="Table K1",  # the draft's own: national tables have their numbers
                columns=("Measure", "Value", "Source"),
                rows=tuple((f.label, number(f.value), f.source) for f in d.context.key_facts),
                description="National statistics chosen by CJS for this report.",
                numeric=frozenset({1}),
            )
        )
    else:
        d.add(placeholder("key facts (national statistics for the year)", "key_facts"))
    late = cov.late
    d.add(
        Heading(1, "Returns"),
        para(
            f"{d.N} of {expected} partnerships' returns were counted; "
            f"{plural(len(late), 'return')} arrived after the {d.ref.calendar.due_text()} "
            "deadline."
        ),
    )
    d.talking_points(d.points("coverage"))


def _aim(d: _Draft, aim_id: int) -> None:
    block = d.counts.aims[str(aim_id)]
    statuses = block.by_status
    d.add(
        Heading(1, f"Aim {aim_id}: {block.text}"),
        para(
            f"{d.phrase(block.partnerships_with_activity)} reported "
            f"{plural(block.activities, 'activity', 'activities')} under this aim's "
            f"{plural(len(block.priority_actions), 'priority action')}: "
            f"{number(statuses['completed'])} completed, {number(statuses['in_progress'])} in "
            f"progress and {number(statuses['planned'])} planned."
        ),
    )
    pas = [(str(pa), d.counts.priority_actions[str(pa)]) for pa in block.priority_actions]
    if d.N:
        most = max(pas, key=lambda kv: (kv[1].partnerships_with_activity, -int(kv[0])))
        least = min(pas, key=lambda kv: (kv[1].partnerships_with_activity, int(kv[0])))
        d.figure(
            Chart(
                kind="themes",
                title=f"Partnerships reporting activity, by priority action, aim {aim_id}",
                labels=tuple(f"{k}: {b.short}" for k, b in pas),
                series=(
                    ("Partnerships", tuple(float(b.partnerships_with_activity) for _, b in pas)),
                ),
                axis_label=f"Number of partnerships (of {d.N})",
                axis_max=float(d.N),
            ),
            caption=f"Partnerships reporting activity towards each priority action of aim {aim_id}",
            alt=(
                f"Horizontal bar chart of the number of partnerships, out of {d.N}, reporting "
                f"activity towards each of the {len(pas)} priority actions of aim {aim_id}. "
                f"The most was priority action {most[0]} "
                f"({most[1].partnerships_with_activity}); the fewest, priority action "
                f"{least[0]} ({least[1].partnerships_with_activity}). The data are in the "
                "annex."
            ),
        )
    d.talking_points(d.points("aim", str(aim_id)))
    for pa in block.priority_actions:
        _priority_action(d, str(pa))


def _priority_action(d: _Draft, pa: str) -> None:
    b = d.counts.priority_actions[pa]
    n, statuses = b.partnerships_with_activity, b.by_status
    d.add(Heading(2, f"Priority action {pa}: {b.short}"))
    if b.activities:
        d.add(
            para(
                f"{d.phrase(n)} reported "
                f"{plural(b.activities, 'activity', 'activities')} towards this priority "
                f"action: {number(statuses['completed'])} completed, "
                f"{number(statuses['in_progress'])} in progress and "
                f"{number(statuses['planned'])} planned."
            )
        )
    else:
        d.add(para("No partnership reported activity towards this priority action."))
    if b.partnerships_no_activity:
        d.add(
            para(
                f"{d.phrase(b.partnerships_no_activity)} reported no activity "
                "and gave their reasons."
            )
        )
    themes = sorted(b.themes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    if themes:
        d.add(
            para(
                "The themes most often evidenced were "
                + "; ".join(
                    f"{d.ref.label('themes', code).lower()} ({n_t} partnerships)"
                    for code, n_t in themes
                )
                + "."
            )
        )
    scored = b.rated
    if scored:
        good = b.rated_well
        d.add(
            para(
                f"{number(scored)} partnerships evaluated their work on this priority action; "
                f"{number(good)} rated it good or better on the six-point scale."
            )
        )
    examples = d.pick_examples(pa, EXAMPLES_PER_PRIORITY_ACTION)
    if examples:
        d.add(para("Examples from partnerships' returns:"), Bullets(tuple(examples)))
    measures = [
        (code, m)
        for code, m in d.counts.measures.items()
        if d.cjpf.outcomes[m.outcome].priority_action == int(pa)
    ]
    if measures:
        outcome = d.cjpf.outcomes[measures[0][1].outcome]
        part = CJPF_TABLES.report_part(
            "measures",
            d.summary,
            part=outcome.id,
            caption=f"Measures for outcome {outcome.id}",
            keep=lambda m: d.cjpf.outcomes[m.outcome].priority_action == int(pa),
        )
        d.add(para(f"Outcome {outcome.id} of the framework: {outcome.text}."), spec_table(part))
    d.talking_points(d.points("priority_action", pa))


def _self_evaluation(d: _Draft) -> None:
    pas = d.counts.priority_actions
    scale = sorted(d.ref.self_evaluation, reverse=True)
    d.add(
        Heading(1, "Self-evaluation"),
        para(
            "Partnerships may rate their own progress on each priority action on the Care "
            "Inspectorate's six-point scale, from unsatisfactory (1) to excellent (6)."
        ),
    )
    rated = {k: b.rated for k, b in pas.items()}
    if not any(rated.values()):
        d.add(para("No partnership gave a self-evaluation rating for any priority action."))
        return
    well = {k: b.rated_well for k, b in pas.items()}
    best = max(pas, key=lambda k: (well[k], -int(k)))
    d.figure(
        Chart(
            kind="self_evaluation_priority_actions",
            title="Self-evaluation ratings by priority action",
            labels=tuple(f"Priority action {k}" for k in pas),
            series=tuple(
                (
                    f"{d.ref.self_evaluation[v].replace('_', ' ').capitalize()} ({v})",
                    tuple(float(b.self_evaluation[str(v)]) for b in pas.values()),
                )
                for v in scale
            ),
            axis_label="Number of partnerships",
            axis_max=float(d.N) if d.N else None,
        ),
        caption="Self-evaluation ratings given by partnerships, by priority action",
        alt=(
            "Stacked bar chart of the self-evaluation ratings partnerships gave each of the 13 "
            "priority actions on the six-point scale. Priority action "
            f"{best} had the most partnerships rating their progress good or better "
            f"({well[best]} of {rated[best]} that gave a rating). The data are in the annex."
        ),
    )


def _annex(d: _Draft) -> None:
    d.add(
        Heading(1, "Annex: tables"),
        d.national_table("priority_actions"),
        d.national_table("self_evaluation"),
    )


def _measures(d: _Draft) -> None:
    d.add(
        Heading(1, "Outcome measures"),
        para(
            "Partnerships may give local measures under the framework's nine nationally "
            "determined outcomes. Rates are per 10,000 people in the partnerships that "
            "reported each measure."
        ),
        d.national_table("measures"),
    )
    for tp in [*d.points("completion"), *d.points("measure")]:
        d.talking_points([tp])


def _partners(d: _Draft) -> None:
    d.add(
        Heading(1, "Statutory partners and partnership development"),
        d.national_table("partner_participation"),
    )
    d.talking_points(d.points("partner"))
    d.talking_points(d.points("development"))


def _challenges(d: _Draft) -> None:
    ranking = d.counts.challenges_ranking
    d.add(Heading(1, "Gaps and challenges"))
    if not ranking:
        d.add(para("No partnership named a challenge."))
        return
    d.add(d.national_table("challenges"))
    d.talking_points(d.points("challenge"))


def build_cjpf_report(
    aggregate: Mapping[str, Any] | CJPFCounts,
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    context: ReportContext | None = None,
    generated_on: dt.date | None = None,
    template: Path | None = None,
) -> bytes:
    """The 2023-framework draft as .docx bytes (same inputs and date, same bytes)."""
    from cjreturns.outputs.report.builder import render_docx

    day = generated_on or dt.date.today()
    report = build_cjpf_content(aggregate, returns, context, generated_on=day)
    return render_docx(report, generated_on=day, template=template)


def write_cjpf_report(
    path: Path,
    aggregate: Mapping[str, Any] | CJPFCounts,
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    context: ReportContext | None = None,
    generated_on: dt.date | None = None,
    force: bool = False,
) -> Path:
    from cjreturns.outputs.files import atomic_write_bytes, check_writable

    check_writable([path], force=force)
    data = build_cjpf_report(aggregate, returns, context=context, generated_on=generated_on)
    return atomic_write_bytes(path, data, force=force)
