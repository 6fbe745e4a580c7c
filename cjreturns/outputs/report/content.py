"""What the national report draft says, worked out from the national counts and the returns.

Every number in the text is read from the aggregate (the same dict `aggregate.json` holds), so
the draft and the statistics tables cannot disagree. Returns are used only for illustrative
examples, quoted from activity titles and descriptions, governance descriptions and challenge
descriptions (each passing the personal-data check first), never from contact or sign-off
details or case studies: those are personal data and stay in the returns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.calendar import long_date, parse_year, previous_year
from cjreturns.outputs.report.blocks import (
    Block,
    Bullets,
    Chart,
    Contents,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    TitlePage,
    para,
)
from cjreturns.outputs.report.context import ReportContext
from cjreturns.outputs.report.text import (
    area,
    clean_text,
    count_phrase,
    excerpt,
    lower_first,
    number,
    plural,
)

TITLE = "Community Justice Outcome Activity Annual Report"
SUBJECT = "Progress towards the national outcomes for community justice in Scotland"
STRUCTURAL = ("1", "2", "3", "4")
PERSON_CENTRED = ("5", "6", "7")
RATED_WELL = (4, 5, 6)  # good, very good, excellent on the Care Inspectorate scale
KEY_FINDINGS = "key-findings"
MAX_THEME_FINDINGS = 3
INDICATOR_CHARTS = 2
MIN_RATES_FOR_CHART = 3


def placeholder(what: str, key: str) -> Paragraph:
    """A clearly marked gap for the analysts to fill, in the Draft Marking style."""
    return para(
        f"Placeholder: add the {what} here, or as `{key}:` in the context file "
        "(see examples/context-2021-22.yaml) and build the draft again.",
        style="draft",
    )


def markdown_blocks(text: str) -> list[Block]:
    """The analysts' Markdown, kept simple: blank-line paragraphs, "- " bullet lists, **bold**."""
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("- ", "* ") for line in lines):
            blocks.append(Bullets(tuple(clean_text(line[2:]) for line in lines)))
        else:
            joined = clean_text(" ".join(line.lstrip("#").strip() for line in lines))
            blocks.append(Paragraph(tuple(_bold_runs(joined))))
    return blocks


def _bold_runs(text: str) -> Iterator[tuple[str, bool]]:
    parts = text.split("**")
    if len(parts) % 2 == 0:  # an unmatched ** is literal text
        yield text, False
        return
    for i, part in enumerate(parts):
        if part:
            yield part, i % 2 == 1


@dataclass(frozen=True)
class _Activity:
    partnership: str
    outcome: str
    index: int
    title: Any  # as the return has it: checked before it is quoted
    description: Any
    themes: tuple[str, ...]


class Examples:
    """Chooses illustrative examples from the returns, spreading them across areas.

    Deterministic: candidates are ordered by how often their area has been quoted so far, then
    by name, so the same returns always give the same examples.
    """

    def __init__(self, returns: Mapping[str, Mapping[str, Any]]) -> None:
        from cjreturns.validation.rules import load_settings

        self._settings = load_settings()
        self.returns = {name: returns[name] for name in sorted(returns)}
        self.used: Counter[str] = Counter()
        self._safe: dict[str, bool] = {}  # an activity is offered for several themes
        self.activities = [a for name, doc in self.returns.items() for a in _activities(name, doc)]

    def safe(self, *texts: object) -> bool:
        """Quotable: text, no personal data and no placeholder (rules.yaml patterns)."""
        for text in texts:
            if not isinstance(text, str):
                return False
            known = self._safe.get(text)
            if known is None:
                known = bool(clean_text(text)) and not self._settings.flags_text(text)
                self._safe[text] = known
            if not known:
                return False
        return True

    def _pick(
        self,
        candidates: Sequence[tuple[str, Any]],
        k: int,
        ok: Callable[[Any], bool] | None = None,
    ) -> list[tuple[str, Any]]:
        """Up to k candidates from different partnerships, least-quoted partnerships first.

        `ok` is asked only of a candidate about to be chosen: the same choice as filtering
        every candidate first, without checking thousands that are never quoted.
        """
        chosen: list[tuple[str, Any]] = []
        seen: set[str] = set()
        pool = list(candidates)
        while pool and len(chosen) < k:
            pool.sort(key=lambda c: (self.used[c[0]], c[0]))
            name, item = pool.pop(0)
            if name in seen or (ok is not None and not ok(item)):
                continue
            chosen.append((name, item))
            seen.add(name)
            self.used[name] += 1
        return chosen

    def for_theme(self, outcome: str, theme: str, k: int) -> list[str]:
        candidates = [
            (a.partnership, a)
            for a in self.activities
            if a.outcome == outcome and theme in a.themes
        ]

        def quotable(a: _Activity) -> bool:
            return self.safe(a.title, a.description)

        return [
            f"For example, in {area(name)}, “{clean_text(a.title)}”: {excerpt(a.description)}"
            for name, a in self._pick(candidates, k, quotable)
        ]

    def _quotes(
        self, texts: Callable[[Mapping[str, Any]], Iterable[Any]], k: int, *, max_words: int = 40
    ) -> list[str]:
        """Quotes ("For example, in <area>: ...") from the first quotable text of each return."""
        candidates = []
        for name, doc in self.returns.items():
            text = next((t for t in texts(doc) if self.safe(t)), None)
            if text is not None:
                candidates.append((name, text))
        return [
            f"For example, in {area(name)}: {excerpt(text, max_words=max_words)}"
            for name, text in self._pick(candidates, k)
        ]

    def governance(self, k: int) -> list[str]:
        return self._quotes(
            lambda doc: [(doc.get("governance") or {}).get("description")], k, max_words=45
        )

    def challenge(self, code: str, k: int) -> list[str]:
        return self._quotes(
            lambda doc: (
                i.get("description") for i in _challenge_items(doc) if i.get("code") == code
            ),
            k,
        )

    def recommendation(self, rec_id: str, k: int) -> list[str]:
        return self._quotes(
            lambda doc: (
                i.get("response")
                for i in _dicts(doc.get("recommendations"))
                if str(i.get("id", "")).strip() == rec_id
            ),
            k,
        )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _activities(name: str, doc: Mapping[str, Any]) -> Iterator[_Activity]:
    outcomes = doc.get("outcomes") or {}
    for key in sorted(outcomes, key=str):
        block = outcomes[key] or {}
        for i, act in enumerate(_dicts(block.get("activities"))):
            themes = act.get("themes")
            themes = themes if isinstance(themes, list) else []
            yield _Activity(
                name,
                str(key),
                i,
                act.get("title"),
                act.get("description"),
                tuple(str(t) for t in themes),
            )


def _challenge_items(doc: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    yield from _dicts(doc.get("challenges"))
    for key in sorted(doc.get("outcomes") or {}, key=str):
        yield from _dicts(((doc.get("outcomes") or {}).get(key) or {}).get("challenges"))


# -- the report ----------------------------------------------------------------------------------


class _Builder:
    """Builds the report's blocks in reading order; one method per section."""

    def __init__(
        self,
        aggregate: Mapping[str, Any],
        returns: Mapping[str, Mapping[str, Any]],
        context: ReportContext,
        *,
        generated_on: dt.date,
        reference: Reference,
    ) -> None:
        self.agg = aggregate
        self.ref = reference
        self.context = context
        self.examples = Examples(returns)
        self.generated_on = generated_on
        self.year = str(aggregate.get("reporting_year") or context.reporting_year or "")
        self.N = _counted(aggregate)
        self.figures: list[Figure] = []
        self.report = Report(
            title=f"{TITLE} {self.year}".strip(),
            subject=SUBJECT,
            reporting_year=self.year,
        )

    # helpers ---------------------------------------------------------------------------------

    def add(self, *blocks: Block) -> None:
        self.report.add(*blocks)

    def phrase(self, n: int, *, capital: bool = True) -> str:
        return count_phrase(int(n), self.N, self.ref, capital=capital)

    def outcome(self, key: str) -> Mapping[str, Any]:
        return (self.agg.get("outcomes") or {}).get(key) or {}

    def outcome_title(self, key: str) -> str:
        return f"Outcome {key}: {self.ref.outcomes[int(key)]['text']}"

    def theme_name(self, code: str) -> str:
        return self.ref.label("themes", code)

    def figure(self, chart: Chart, caption: str, alt: str) -> Figure:
        fig = Figure(len(self.figures) + 1, chart, caption, alt)
        self.figures.append(fig)
        self.add(fig)
        return fig

    def talking_points(self, predicate: Callable[[Mapping[str, Any]], bool]) -> list[Any]:
        return [tp for tp in self.agg.get("talking_points") or [] if predicate(tp)]

    def render_talking_points(self, points: list[dict[str, Any]], *, none_text: str) -> None:
        if not points:
            self.add(para(none_text))
            return
        for tp in points:
            self.add(para(clean_text(tp.get("text", ""))))
            evidence = self.evidence_text(tp.get("evidence"))
            if evidence:
                self.add(para(evidence, lead="Evidence: "))
            prompts = [clean_text(p) for p in tp.get("prompts") or [] if isinstance(p, str)]
            if prompts:
                self.add(para("Questions for discussion:"), Bullets(tuple(prompts)))

    def evidence_text(self, evidence: Any) -> str:
        """A talking point's numbers as a reader sees them: labels, not codes."""
        if not isinstance(evidence, Mapping):
            return _evidence_text(evidence)
        vocabularies = {
            "theme": "themes",
            "challenge": "challenges",
            "indicator": "indicators",
            "development": "partnership_development",
        }
        parts = []
        for key, value in evidence.items():
            name = _EVIDENCE_NAMES.get(str(key), str(key).replace("_", " "))
            if key in vocabularies and isinstance(value, str):
                text = self.ref.label(vocabularies[key], value)
            elif key == "partner" and isinstance(value, str):
                text = self.ref.statutory_partners.get(value, value)
            else:
                text = _evidence_text(value)
            parts.append(f"{name}: {text}")
        return "; ".join(parts)

    # sections --------------------------------------------------------------------------------

    def build(self) -> Report:
        period = _period(self.year, self.ref)
        self.add(
            TitlePage(
                title=TITLE,
                reporting_year=self.year,
                period=period,
                generated_on=long_date(self.generated_on),
                returns_counted=self.N,
            )
        )
        self.add(Heading(1, "Contents"), Contents())
        self.foreword()
        self.executive_summary(period)
        self.introduction()
        self.key_facts()
        self.governance()
        self.progress()
        self.gaps()
        self.appendix()
        self.annex()
        self.report.properties = {
            "title": f"{TITLE} {self.year} (draft)".strip(),
            "subject": SUBJECT,
            "language": "en-GB",
            "keywords": f"community justice; national outcomes; {self.year}; draft",
            "comments": (
                f"Draft generated by cjreturns on {self.generated_on.isoformat()} from "
                f"{self.N} accepted returns. Check every section before publication."
            ),
        }
        return self.report

    def foreword(self) -> None:
        self.add(Heading(1, "Foreword"))
        if self.context.foreword:
            self.add(*markdown_blocks(self.context.foreword))
        else:
            self.add(placeholder("foreword", "foreword"))

    def executive_summary(self, period: str) -> None:
        self.add(
            Heading(1, "Executive summary"),
            para(
                f"This report covers the period {period}."
                if period
                else "This report covers the reporting year."
            ),
            para(
                "It describes activity leading to progress towards the national outcomes for "
                "community justice in Scotland, as reported by community justice partnerships in "
                f"their annual returns. It is based on the returns of {self.N} of the "
                f"{_n(self._coverage().get('expected', len(self.ref.partnerships)))} "
                "partnerships."
            ),
            Heading(2, "Key findings"),
        )
        for key in STRUCTURAL:
            self.add(Heading(3, self.outcome_title(key)), para(self._summary_line(key)))
        self.add(Heading(3, "Person-centred outcomes 5, 6 and 7"))
        self.add(Bullets(tuple(self.outcome_title(k) for k in PERSON_CENTRED)))
        pc = self.agg.get("person_centred") or {}
        lines = [self._summary_line(k) for k in PERSON_CENTRED]
        if pc:
            lines.insert(
                0,
                f"{self.phrase(pc.get('partnerships_with_activity', 0))} reported activity "
                "towards at least one of the person-centred outcomes.",
            )
        self.add(para(" ".join(lines)))

    def _summary_line(self, key: str) -> str:
        block = self.outcome(key)
        n = int(block.get("partnerships_with_activity", 0))
        line = f"{self.phrase(n)} reported activity towards outcome {key}."
        top = _top(block.get("themes") or {}, 1)
        if top and top[0][1] > 0:
            code, count = top[0]
            line += (
                f" The theme most often evidenced was {lower_first(self.theme_name(code))} "
                f"({count} of {self.N})."
            )
        return line

    def introduction(self) -> None:
        self.add(Heading(1, "Introduction"))
        if self.context.introduction:
            self.add(*markdown_blocks(self.context.introduction))
        else:
            self.add(placeholder("introduction", "introduction"))
        self.add(
            para(
                "The evidence raises several talking points: areas for further discussion, "
                "locally and nationally. Each section ends with the talking points the counts "
                "suggest, with the numbers behind them."
            )
        )

    def key_facts(self) -> None:
        self.add(Heading(1, "Key facts"))
        facts = self.context.key_facts
        if not facts:
            self.add(placeholder("key facts (national statistics)", "key_facts"))
            return
        if self.context.key_facts_note:
            self.add(para(clean_text(self.context.key_facts_note)))
        previous = _previous_year(self.year)
        rows = tuple(
            (
                clean_text(f.label),
                number(f.value),
                number(f.previous) if f.previous is not None else "not available",
                _change(f.value, f.previous),
                clean_text(f.source) or "not given",
            )
            for f in facts
        )
        self.add(
            Table(
                caption=f"Key facts for {self.year}",
                columns=(
                    "Measure",
                    self.year or "This year",
                    previous or "Previous year",
                    "Change",
                    "Source",
                ),
                rows=rows,
                description=(
                    f"National statistics for {self.year} with the previous year's value and "
                    "the change, one measure per row."
                ),
                numeric=frozenset({1, 2, 3}),
            )
        )

    def governance(self) -> None:
        self.add(
            Heading(1, "Governance and partnership working"),
            para(
                "Each partnership has its own model of community justice governance that fits "
                "local systems of planning. Returns describe links to community planning, public "
                "protection, alcohol and drug partnerships and other local partnerships."
            ),
            Heading(2, "Key findings"),
        )
        bullets: list[str] = []
        development = self.agg.get("partnership_development") or {}
        for code, n in _top(development, len(development)):
            if n:
                bullets.append(
                    f"{self.phrase(n)} described "
                    f"{lower_first(self.ref.label('partnership_development', code))}."
                )
        participation = self.agg.get("partner_participation") or {}
        absent = _top({c: int((v or {}).get("none", 0)) for c, v in participation.items()}, 1)
        if absent and absent[0][1]:
            code, n = absent[0]
            bullets.append(
                f"{self.phrase(n)} reported no participation from "
                f"{self.ref.statutory_partners.get(code, code)}."
            )
        if bullets:
            self.add(Bullets(tuple(bullets), role=KEY_FINDINGS))
        else:
            self.add(para("No partnership reported partnership development work."))
        self.add(
            para(
                "The statutory partner participation table in the annex shows, for each "
                "statutory partner, how many partnerships described its participation as active, "
                "regular, occasional or none."
            ),
            Heading(2, "Summary of evidence"),
        )
        for line in self.examples.governance(self.context.examples_per_theme):
            self.add(para(line))
        self.add(Heading(2, "Talking points"))
        self.render_talking_points(
            self.talking_points(lambda tp: _tp_section(tp) == "governance"),
            none_text="No talking point rule was triggered on governance and partnership working.",
        )

    def progress(self) -> None:
        self.add(
            Heading(1, "Progress towards the national outcomes"),
            para(
                "Outcomes 1 to 4 are the structural outcomes: what partners do together. "
                "Outcomes 5, 6 and 7 are the person-centred outcomes, about the difference made "
                "to people's lives, and are reported together as the national report does."
            ),
        )
        local = self.agg.get("local_activity") or {}
        if local.get("partnerships_with_activity"):
            activities = int(local.get("activities", 0))
            self.add(
                para(
                    f"{self.phrase(local['partnerships_with_activity'])} also reported local "
                    "activity beyond the national outcomes, "
                    f"{plural(activities, 'activity', 'activities')} in all."
                )
            )
        self.self_evaluation_figure()
        for key in STRUCTURAL:
            self.structural_outcome(key)
        self.person_centred()
        self.indicators()

    def self_evaluation_figure(self) -> None:
        scale = sorted(self.ref.self_evaluation, reverse=True)
        labels = tuple(f"Outcome {k}" for k in (*STRUCTURAL, *PERSON_CENTRED))
        series = tuple(
            (
                f"{_scale_label(self.ref, v)} ({v})",
                tuple(
                    float((self.outcome(k).get("self_evaluation") or {}).get(str(v), 0))
                    for k in (*STRUCTURAL, *PERSON_CENTRED)
                ),
            )
            for v in scale
        )
        rated = [int(sum(vals)) for vals in zip(*(s[1] for s in series), strict=True)]
        if not any(rated):
            self.add(para("No partnership gave a self-evaluation rating for any outcome."))
            return
        well = [
            sum(
                int((self.outcome(k).get("self_evaluation") or {}).get(str(v), 0))
                for v in RATED_WELL
            )
            for k in (*STRUCTURAL, *PERSON_CENTRED)
        ]
        best = max(range(len(labels)), key=lambda i: (well[i], -i))
        self.figure(
            Chart(
                kind="self_evaluation",
                title="Self-evaluation ratings by outcome",
                labels=labels,
                series=series,
                axis_label="Number of partnerships",
                axis_max=float(self.N) if self.N else None,
            ),
            caption="Self-evaluation ratings given by partnerships, by outcome",
            alt=(
                "Stacked bar chart of the self-evaluation ratings partnerships gave each of the "
                "seven outcomes on the six-point scale from unsatisfactory (1) to excellent (6). "
                f"{labels[best]} had the most partnerships rating their progress good or better "
                f"({well[best]} of {rated[best]} that gave a rating). The data are in the annex."
            ),
        )

    def structural_outcome(self, key: str) -> None:
        block = self.outcome(key)
        self.add(Heading(2, self.outcome_title(key)), Heading(3, "Key findings"))
        self.add(Bullets(tuple(self.key_findings(key)), role=KEY_FINDINGS))
        self.add(Heading(3, "Summary of evidence"))
        themes = block.get("themes") or {}
        used = [(c, n) for c, n in _top(themes, len(themes)) if n]
        if used:
            self.theme_figure(key, used)
        for code, n in used:
            self.add(
                Heading(4, self.theme_name(code)),
                para(
                    f"{self.phrase(n)} reported activity on "
                    f"{lower_first(self.theme_name(code))} under this outcome."
                ),
            )
            for line in self.examples.for_theme(key, code, self.context.examples_per_theme):
                self.add(para(line))
        unused = [self.theme_name(c) for c, n in themes.items() if not n]
        if unused:
            self.add(
                para(
                    "No partnership reported activity under this outcome on: "
                    + "; ".join(lower_first(u) for u in unused)
                    + "."
                )
            )
        self.add(Heading(3, "Talking points"))
        self.render_talking_points(
            self.talking_points(lambda tp: _tp_section(tp) == key),
            none_text=f"No talking point rule was triggered for outcome {key}.",
        )

    def key_findings(self, key: str) -> list[str]:
        """Bullets from the counts, each naming its quantifier and its exact numbers."""
        block = self.outcome(key)
        n = int(block.get("partnerships_with_activity", 0))
        activities = int(block.get("activities", 0))
        bullets = [
            f"{self.phrase(n)} reported at least one activity towards this outcome, "
            f"{plural(activities, 'activity', 'activities')} in all."
        ]
        status = block.get("by_status") or {}
        if activities:
            parts = [
                f"{number(int(status.get(s, 0)))} {'was' if status.get(s) == 1 else 'were'} "
                f"{s.replace('_', ' ')}"
                for s in ("completed", "in_progress", "planned")
            ]
            bullets.append(
                f"Of the {plural(activities, 'activity', 'activities')}, {parts[0]}, "
                f"{parts[1]} and {parts[2]}."
            )
        themes = block.get("themes") or {}
        top = [(c, n) for c, n in _top(themes, MAX_THEME_FINDINGS) if n]
        for code, count in top:
            bullets.append(f"{self.phrase(count)} evidenced {lower_first(self.theme_name(code))}.")
        home = [c for c, t in self.ref.themes.items() if str(t["outcome"]) == key]
        rare = [
            (c, int(themes.get(c, 0)))
            for c in home
            if int(themes.get(c, 0)) * 4 < self.N and c not in dict(top)
        ]
        for code, count in sorted(rare, key=lambda cn: (cn[1], home.index(cn[0])))[:2]:
            bullets.append(
                f"{self.phrase(count)} evidenced {lower_first(self.theme_name(code))}, "
                "a theme usually reported under this outcome."
            )
        bullets.extend(self._self_evaluation_finding(key))
        actions = block.get("priority_actions") or {}
        top_action = _top(actions, 1)
        if top_action and top_action[0][1]:
            pa, count = top_action[0]
            bullets.append(
                f"{self.phrase(count)} linked activities under this outcome to priority "
                f"action {pa} of the 2022 national strategy "
                f"({lower_first(self.ref.priority_actions.get(int(pa), ''))})."
            )
        return bullets

    def _self_evaluation_finding(self, key: str) -> list[str]:
        ratings = self.outcome(key).get("self_evaluation") or {}
        rated = sum(int(v) for v in ratings.values())
        if not rated:
            return []
        well = sum(int(ratings.get(str(v), 0)) for v in RATED_WELL)
        return [
            f"{number(well)} of the {number(rated)} partnerships that evaluated their progress "
            "on this outcome rated it good or better (4 or above on the six-point scale)."
        ]

    def theme_figure(
        self, key: str | None, used: list[tuple[str, int]], labels: tuple[str, ...] | None = None
    ) -> None:
        labels = labels or tuple(self.theme_name(c) for c, _ in used)
        where = f"outcome {key}" if key else "the person-centred outcomes 5, 6 and 7"
        top_label, top_n = labels[0], used[0][1]
        low_label, low_n = labels[-1], used[-1][1]
        self.figure(
            Chart(
                kind="themes",
                title=f"Partnerships evidencing each theme, {where}",
                labels=labels,
                series=(("Partnerships", tuple(float(n) for _, n in used)),),
                axis_label=f"Number of partnerships (of {self.N})",
                axis_max=float(self.N) if self.N else None,
            ),
            caption=f"Partnerships evidencing each theme, {where}",
            alt=(
                f"Horizontal bar chart of the number of partnerships, out of {self.N}, that "
                f"reported activity on each theme under {where}. The most evidenced was "
                f"{lower_first(top_label)} ({top_n}); the least, {lower_first(low_label)} "
                f"({low_n}). The data are in the annex."
            ),
        )

    def person_centred(self) -> None:
        self.add(Heading(2, "Person-centred outcomes 5, 6 and 7"))
        self.add(Bullets(tuple(self.outcome_title(k) for k in PERSON_CENTRED)))
        self.add(Heading(3, "Key findings"))
        self.add(Bullets(tuple(self.person_centred_findings()), role=KEY_FINDINGS))
        self.add(Heading(3, "Summary of evidence"))
        used: list[tuple[str, int]] = []
        labels: list[str] = []
        for key in PERSON_CENTRED:
            themes = self.outcome(key).get("themes") or {}
            for code, n in _top(themes, len(themes)):
                if n:
                    used.append((code, n))
                    labels.append(f"Outcome {key}: {self.theme_name(code)}")
        if used:
            self.theme_figure(None, used, tuple(labels))
        for key in PERSON_CENTRED:
            self.add(Heading(4, self.outcome_title(key)))
            themes = self.outcome(key).get("themes") or {}
            written = False
            for code, n in _top(themes, len(themes)):
                if not n:
                    continue
                written = True
                self.add(
                    para(
                        f"{self.phrase(n)} reported activity on "
                        f"{lower_first(self.theme_name(code))} under this outcome.",
                        lead=f"{self.theme_name(code)}. ",
                    )
                )
                for line in self.examples.for_theme(key, code, self.context.examples_per_theme):
                    self.add(para(line))
            if not written:
                self.add(para(f"No partnership reported activity under outcome {key}."))
        self.add(Heading(3, "Talking points"))
        self.render_talking_points(
            self.talking_points(lambda tp: _tp_section(tp) in (*PERSON_CENTRED, "person_centred")),
            none_text="No talking point rule was triggered for outcomes 5, 6 and 7.",
        )

    def person_centred_findings(self) -> list[str]:
        bullets: list[str] = []
        pc = self.agg.get("person_centred") or {}
        if pc:
            bullets.append(
                f"{self.phrase(pc.get('partnerships_with_activity', 0))} reported activity "
                "towards at least one of the person-centred outcomes."
            )
        for key in PERSON_CENTRED:
            block = self.outcome(key)
            n = int(block.get("partnerships_with_activity", 0))
            activities = int(block.get("activities", 0))
            bullets.append(
                f"Outcome {key}: {self.phrase(n, capital=False)} reported at least one "
                f"activity, {plural(activities, 'activity', 'activities')} in all."
            )
        for code, n in _top(pc.get("evidence") or {}, 3):
            bullets.append(
                f"{self.phrase(n)} evidenced progress through {lower_first(self.theme_name(code))}."
            )
        if pc:
            cases = int(pc.get("case_studies", 0))
            bullets.append(
                f"{self.phrase(pc.get('partnerships_with_case_studies', 0))} included case "
                f"studies, {plural(cases, 'case study', 'case studies')} in all."
            )
        for key in PERSON_CENTRED:
            for line in self._self_evaluation_finding(key):
                bullets.append(f"Outcome {key}: {line}")
        return bullets

    def indicators(self) -> None:
        indicators = self.agg.get("indicators") or {}
        self.add(
            Heading(2, "Local indicators"),
            para(
                "Partnerships may report local figures for the year. Rates are per 10,000 "
                "people, using each partnership's population. The indicator table in the annex "
                "gives every indicator."
            ),
        )
        bullets = []
        for code, block in indicators.items():
            reporting = int(block.get("partnerships_reporting", 0))
            if not reporting:
                continue
            line = (
                f"{self.ref.label('indicators', code)}: {number(block.get('total', 0))} in all, "
                f"from {self.phrase(reporting, capital=False)}"
            )
            if block.get("median_rate") is not None:
                line += (
                    f"; median rate {number(block['median_rate'])} per 10,000 people "
                    f"(from {number(block['min_rate'])} to {number(block['max_rate'])})"
                )
            bullets.append(line + ".")
        if bullets:
            self.add(Bullets(tuple(bullets)))
        else:
            self.add(para("No partnership reported a local indicator."))
        for code in self._chart_indicators(indicators):
            self.indicator_figure(code, indicators[code])
        points = self.talking_points(lambda tp: _tp_section(tp) == "indicator")
        if points:
            self.add(Heading(3, "Talking points"))
            self.render_talking_points(points, none_text="")

    def _chart_indicators(self, indicators: Mapping[str, Any]) -> list[str]:
        def charted(code: str) -> bool:
            return len((indicators.get(code) or {}).get("rates") or {}) >= MIN_RATES_FOR_CHART

        if self.context.chart_indicators:
            return [c for c in self.context.chart_indicators if charted(c)]
        ranked = sorted(
            (c for c in indicators if charted(c)),
            key=lambda c: (-len(indicators[c]["rates"]), list(indicators).index(c)),
        )
        return ranked[:INDICATOR_CHARTS]

    def indicator_figure(self, code: str, block: Mapping[str, Any]) -> None:
        rates = sorted(block["rates"].items(), key=lambda kv: (-kv[1], kv[0]))
        name = self.ref.label("indicators", code)
        median = block.get("median_rate")
        hi, lo = rates[0], rates[-1]
        reporting = int(block.get("partnerships_reporting", 0))
        hidden = reporting - len(rates)
        note = (
            f" {plural(hidden, 'partnership')} with small counts are not shown."
            if hidden > 0
            else ""
        )
        self.figure(
            Chart(
                kind="indicator_rates",
                title=f"{name}: rate per 10,000 people by partnership",
                labels=tuple(area(p) for p, _ in rates),
                series=(("Rate per 10,000 people", tuple(float(r) for _, r in rates)),),
                axis_label="Rate per 10,000 people",
                reference_line=("Median", float(median)) if median is not None else None,
            ),
            caption=f"{name}: rate per 10,000 people by partnership",
            alt=(
                f"Horizontal bar chart of {lower_first(name)} per 10,000 people for "
                f"{plural(len(rates), 'partnership')}, highest first. Rates range from "
                f"{number(lo[1])} in {area(lo[0])} to {number(hi[1])} in {area(hi[0])}"
                + (f"; the median is {number(median)}." if median is not None else ".")
                + note
                + " The data are in the annex."
            ),
        )

    def gaps(self) -> None:
        self.add(Heading(1, "Gaps and challenges"))
        challenges = self.agg.get("challenges") or {}
        named = [(c, int(n)) for c, n in challenges.items() if int(n)]
        if not named:
            self.add(para("No partnership named a gap or challenge."))
        else:
            self.add(
                para(
                    "The strategic gaps and challenges reported vary from area to area. The "
                    "issues most commonly mentioned are:"
                ),
                Bullets(
                    tuple(
                        f"{self.ref.label('challenges', c)}: {self.phrase(n, capital=False)}"
                        for c, n in named
                    ),
                    role=KEY_FINDINGS,
                ),
            )
            for code, _ in named[:3]:
                for line in self.examples.challenge(code, 1):
                    self.add(para(line, lead=f"{self.ref.label('challenges', code)}. "))
        self.add(Heading(2, "Talking points"))
        self.render_talking_points(
            self.talking_points(lambda tp: _tp_section(tp) == "challenges"),
            none_text="No talking point rule was triggered on gaps and challenges.",
        )

    def appendix(self) -> None:
        self.add(Heading(1, "Appendix: progress on recommendations from last year's report"))
        recs = self.context.recommendations
        if not recs:
            self.add(placeholder("recommendations from last year's report", "recommendations"))
            return
        groups: dict[str, list[Any]] = {}
        for rec in recs:
            groups.setdefault(rec.to or "Recommendations", []).append(rec)
        for audience, items in groups.items():
            self.add(
                Heading(
                    2,
                    f"Recommendations to {clean_text(audience)}"
                    if audience != "Recommendations"
                    else audience,
                )
            )
            for rec in items:
                self.add(para(clean_text(rec.text), lead=f"{clean_text(rec.id)}. ", style="quote"))
                if rec.progress:
                    self.add(para(clean_text(rec.progress), lead="Progress: "))
                else:
                    self.add(placeholder(f"progress on {rec.id}", "recommendations[].progress"))
                status = (self.agg.get("recommendations") or {}).get(rec.id) or {}
                if sum(status.values()):
                    parts = [
                        f"{number(status[s])} {s.replace('_', ' ')}"
                        for s in (*self.ref.recommendation_status, "not_stated")
                        if status.get(s)
                    ]
                    self.add(
                        para(
                            f"{self.phrase(sum(status.values()))} reported on this "
                            f"recommendation in their return: {', '.join(parts)}."
                        )
                    )
                    for line in self.examples.recommendation(rec.id, 1):
                        self.add(para(line))

    def annex(self) -> None:
        self.add(Heading(1, "Annex: coverage, method and count tables"))
        self.coverage()
        self.method()
        self.count_tables()
        self.chart_data()

    def _coverage(self) -> Mapping[str, Any]:
        return self.agg.get("coverage") or {}

    def coverage(self) -> None:
        cov = self._coverage()
        expected = _n(cov.get("expected", len(self.ref.partnerships)))
        self.add(
            Heading(2, "Coverage of returns"),
            para(
                f"{number(_n(cov.get('received', 0)))} files were received from the "
                f"{number(expected)} partnerships. The national counts are out of the "
                f"{number(self.N)} accepted returns, one per partnership."
            ),
        )
        rows = []
        for key, label in (
            ("received", "Files received"),
            ("accepted", "Returns accepted and counted"),
            ("late", "Accepted but received after the due date"),
            ("missing", "Partnerships with no return"),
            ("rejected", "Returns rejected (with errors)"),
            ("superseded", "Returns replaced by a later one"),
            ("conflicts", "Conflicting returns (same date, different content)"),
        ):
            value = cov.get(key, 0)
            if key in ("received", "accepted"):
                details = "not listed here"
            else:
                details = _who(value) or "none"
            rows.append((label, number(_n(value)), details))
        self.add(
            Table(
                caption="Coverage of returns",
                columns=("Measure", "Number", "Partnerships"),
                rows=tuple(rows),
                description="How many returns were received, counted, late, missing, rejected, "
                "replaced or in conflict, naming the partnerships concerned.",
                numeric=frozenset({1}),
            )
        )
        points = self.talking_points(lambda tp: _tp_section(tp) == "coverage")
        if points:
            self.add(Heading(3, "Talking points"))
            self.render_talking_points(points, none_text="")

    def method(self) -> None:
        quantifiers = self.ref.raw.get("quantifiers", [])
        self.add(
            Heading(2, "Method and data quality"),
            para(
                "Each return was read and checked against the return schema and rules with "
                "cjreturns. A return with any error is not counted. Where a partnership sent more "
                "than one return, the latest counts. Counts are of partnerships (how many "
                "partnerships reported something), unless they say activities."
            ),
            para(
                "Themes are the codes partnerships gave their activities, under the outcome they "
                "reported each activity against. A partnership counts once for a theme however "
                "many of its activities carry it. Examples are quoted from activity titles and "
                "descriptions to illustrate the counts; they are not a ranking of areas."
            ),
            para(
                "Rates per 10,000 people use the populations in the project's reference data. "
                "Partnership rates built on very small counts are not shown, to protect people's "
                "privacy and because they change a great deal from year to year."
            ),
            para(
                "Local indicator figures are the partnerships' own counts. Definitions and "
                "recording practice differ between areas, and not every partnership reports every "
                "indicator, so the totals are not official statistics and need not match the "
                "national figures in the key facts."
            ),
            para(
                "Self-evaluation ratings are each partnership's own judgement on the six-point "
                "scale; they are not inspected and are not comparable between areas."
            ),
            para(
                "Contact details, sign-off details and case studies are never copied from returns "
                "into this report: case studies are counted, and can be read in the returns "
                "themselves. Examples quoted from activities pass the personal-data check first."
            ),
            para(
                "Counts of responses to last year's recommendations in the appendix are counted "
                "from the same accepted returns (aggregate.json, `recommendations`)."
            ),
            para("The words used for counts follow these rules, the first that applies:"),
            Table(
                caption="Words used for counts of partnerships",
                columns=("Word", "When (n partnerships out of N counted)"),
                rows=tuple((str(q["word"]), str(q["when"])) for q in quantifiers),
                description="The quantifier word for each range of counts.",
            ),
        )

    def count_tables(self) -> None:
        self.add(Heading(2, "Count tables"))
        keys = (*STRUCTURAL, *PERSON_CENTRED)
        outcome_cols = keys  # columns headed 1 to 7: "Outcome 1" would not fit eight across
        national = self.agg.get("themes") or {}
        theme_rows = []
        for code in self.ref.themes:
            per = [int((self.outcome(k).get("themes") or {}).get(code, 0)) for k in keys]
            total = int(national.get(code, 0))
            if any(per) or total:
                theme_rows.append((self.theme_name(code), *map(number, per), number(total)))
        self.add(
            Table(
                caption="Partnerships evidencing each theme, by outcome (columns: outcomes 1 to 7)",
                columns=("Theme", *outcome_cols, "Any"),
                rows=tuple(theme_rows),
                description="For each theme, the number of partnerships reporting an activity "
                "with that theme under each outcome, and under any outcome.",
                numeric=frozenset(range(1, 9)),
            )
        )
        status_rows = []
        for k in keys:
            b = self.outcome(k)
            st = b.get("by_status") or {}
            status_rows.append(
                (
                    f"Outcome {k}",
                    number(int(b.get("partnerships_with_activity", 0))),
                    number(int(b.get("activities", 0))),
                    *(number(int(st.get(s, 0))) for s in ("completed", "in_progress", "planned")),
                )
            )
        self.add(
            Table(
                caption="Activities by outcome and status",
                columns=(
                    "Outcome",
                    "Partnerships with activity",
                    "Activities",
                    "Completed",
                    "In progress",
                    "Planned",
                ),
                rows=tuple(status_rows),
                description="For each outcome, partnerships with at least one activity, the "
                "number of activities and how many were completed, in progress or planned.",
                numeric=frozenset(range(1, 6)),
            )
        )
        scale = sorted(self.ref.self_evaluation, reverse=True)
        self.add(
            Table(
                caption=(
                    "Self-evaluation ratings by outcome: partnerships giving each rating, from "
                    f"{scale[0]} ({_scale_label(self.ref, scale[0]).lower()}) to {scale[-1]} "
                    f"({_scale_label(self.ref, scale[-1]).lower()})"
                ),
                columns=("Outcome", *(str(v) for v in scale), "Rated"),
                rows=tuple(
                    (
                        f"Outcome {k}",
                        *(
                            number(
                                int((self.outcome(k).get("self_evaluation") or {}).get(str(v), 0))
                            )
                            for v in scale
                        ),
                        number(
                            sum(
                                int(x)
                                for x in (self.outcome(k).get("self_evaluation") or {}).values()
                            )
                        ),
                    )
                    for k in keys
                ),
                description="For each outcome, how many partnerships gave each self-evaluation "
                "rating.",
                numeric=frozenset(range(1, 8)),
            )
        )
        self.add(
            Table(
                caption="Partnerships linking activities to each 2022 priority action, by outcome "
                "(columns: outcomes 1 to 7)",
                columns=("Priority action", *outcome_cols),
                rows=tuple(
                    (
                        f"{pa}. {short}",
                        *(
                            number(
                                int((self.outcome(k).get("priority_actions") or {}).get(str(pa), 0))
                            )
                            for k in keys
                        ),
                    )
                    for pa, short in sorted(self.ref.priority_actions.items())
                ),
                description="For each priority action of the 2022 national strategy, the "
                "number of partnerships linking an activity to it under each outcome.",
                numeric=frozenset(range(1, 8)),
            )
        )
        indicators = self.agg.get("indicators") or {}
        self.add(
            Table(
                caption="Local indicators: totals and rates per 10,000 people ([x]: no "
                "partnership reported it)",
                columns=(
                    "Indicator",
                    "Total",
                    "Partnerships reporting",
                    "National rate",
                    "Median rate",
                    "Lowest rate",
                    "Highest rate",
                ),
                rows=tuple(
                    (
                        self.ref.label("indicators", code),
                        number(int(b.get("total", 0))),
                        number(int(b.get("partnerships_reporting", 0))),
                        *(
                            _maybe(b.get(k))
                            for k in ("national_rate", "median_rate", "min_rate", "max_rate")
                        ),
                    )
                    for code, b in indicators.items()
                ),
                description="For each local indicator, the national total, how many "
                "partnerships reported it and the spread of their rates per 10,000 people. "
                "[x] where no partnership reported it.",
                numeric=frozenset(range(1, 7)),
            )
        )
        participation = self.agg.get("partner_participation") or {}
        levels = (*self.ref.participation_levels, "not_stated")
        self.add(
            Table(
                caption="Statutory partner participation (number of partnerships)",
                columns=(
                    "Statutory partner",
                    *(lv.replace("_", " ").capitalize() for lv in levels),
                ),
                rows=tuple(
                    (
                        self.ref.statutory_partners.get(code, code),
                        *(number(int((v or {}).get(lv, 0))) for lv in levels),
                    )
                    for code, v in participation.items()
                ),
                description="For each statutory partner, how many partnerships described its "
                "participation at each level.",
                numeric=frozenset(range(1, len(levels) + 1)),
            )
        )
        development = self.agg.get("partnership_development") or {}
        self.add(
            Table(
                caption="Partnership development work",
                columns=("Type of work", "Partnerships"),
                rows=tuple(
                    (self.ref.label("partnership_development", c), number(int(n)))
                    for c, n in development.items()
                ),
                description="How many partnerships described each type of partnership "
                "development work.",
                numeric=frozenset({1}),
            )
        )
        challenges = self.agg.get("challenges") or {}
        self.add(
            Table(
                caption="Gaps and challenges named",
                columns=("Gap or challenge", "Partnerships"),
                rows=tuple(
                    (self.ref.label("challenges", c), number(int(n))) for c, n in challenges.items()
                ),
                description="How many partnerships named each gap or challenge anywhere in "
                "their return, most named first.",
                numeric=frozenset({1}),
            )
        )

    def chart_data(self) -> None:
        self.add(Heading(2, "Chart data"))
        if not self.figures:
            self.add(para("This draft has no charts."))
            return
        for fig in self.figures:
            chart = fig.chart
            names = tuple(name for name, _ in chart.series)
            rows = tuple(
                (label, *(number(values[i]) for _, values in chart.series))
                for i, label in enumerate(chart.labels)
            )
            self.add(
                Table(
                    caption=f"Data for Figure {fig.number}: {chart.title}",
                    columns=("Category", *names),
                    rows=rows,
                    description=f"The values plotted in Figure {fig.number}.",
                    numeric=frozenset(range(1, len(names) + 1)),
                )
            )


# -- small pure helpers --------------------------------------------------------------------------


def _n(value: Any) -> int:
    """A coverage entry as a number: a count, or a list of who."""
    if isinstance(value, list | tuple | dict):
        return len(value)
    return int(value or 0)


def _counted(aggregate: Mapping[str, Any]) -> int:
    if "partnerships_counted" in aggregate:
        return int(aggregate["partnerships_counted"])
    return _n((aggregate.get("coverage") or {}).get("accepted", 0))


def _who(value: Any) -> str:
    if not isinstance(value, list | tuple):
        return ""
    names = []
    for item in value:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = item.get("partnership") or "partnership not recognised"
            detail = item.get("file") or ", ".join(item.get("files") or [])
            errors = item.get("errors")
            if isinstance(errors, list):
                detail += f"; {plural(len(errors), 'error')}"
            if item.get("submitted_on") and "file" not in item:
                detail = f"submitted {item['submitted_on']}"
            names.append(f"{name} ({detail})" if detail else str(name))
    return "; ".join(clean_text(n) for n in names)


def _top(counts: Mapping[str, Any], k: int) -> list[tuple[str, int]]:
    """The k largest counts, ties in the mapping's own (reference) order."""
    order = list(counts)
    items = sorted(
        ((str(c), int(n)) for c, n in counts.items()), key=lambda cn: (-cn[1], order.index(cn[0]))
    )
    return items[:k]


def _tp_section(tp: Mapping[str, Any]) -> str:
    """Where a talking point belongs: an outcome's section, or the section its scope is about."""
    scope = str(tp.get("scope") or "")
    outcome = tp.get("outcome")
    if scope == "person_centred":
        return "person_centred"
    if outcome is not None and str(outcome) in (*STRUCTURAL, *PERSON_CENTRED):
        return str(outcome)
    if scope == "challenge" or "challenge" in str(tp.get("id", "")):
        return "challenges"
    if scope in ("coverage", "indicator"):
        return scope
    return "governance"


_EVIDENCE_NAMES = {"N": "partnerships counted", "n": "partnerships"}


def _evidence_text(evidence: Any) -> str:
    if evidence is None or evidence == {} or evidence == []:
        return ""
    if isinstance(evidence, Mapping):
        return "; ".join(
            f"{str(k).replace('_', ' ')}: {_evidence_text(v)}" for k, v in evidence.items()
        )
    if isinstance(evidence, list | tuple):
        return ", ".join(_evidence_text(v) for v in evidence)
    if isinstance(evidence, bool):
        return "yes" if evidence else "no"
    if isinstance(evidence, int | float):
        return number(evidence)
    return clean_text(evidence)


def _scale_label(reference: Reference, value: int) -> str:
    return reference.self_evaluation[value].replace("_", " ").capitalize()


def _maybe(value: Any) -> str:
    """A statistic, or [x] (not available) as the Analysis Function tables style has it."""
    return "[x]" if value is None else number(value)


def _change(value: float, previous: float | None) -> str:
    if previous is None:
        return "not available"
    diff = value - previous
    sign = "+" if diff > 0 else ""
    text = f"{sign}{number(diff)}"
    if previous:
        pct = round(diff / previous * 100)
        text += f" ({'+' if pct > 0 else ''}{pct}%)"
    return text


def _previous_year(year: str) -> str:
    return previous_year(year) or ""


def _period(year: str, reference: Reference) -> str:
    if parse_year(year) is None:
        return ""
    return reference.calendar.period_text(year)


def build_content(
    aggregate: Mapping[str, Any],
    returns: Mapping[str, Mapping[str, Any]] | None = None,
    context: ReportContext | None = None,
    *,
    generated_on: dt.date,
    reference: Reference | None = None,
) -> Report:
    """The whole draft as blocks: what the report says, before any Word formatting."""
    return _Builder(
        aggregate,
        returns or {},
        context or ReportContext(),
        generated_on=generated_on,
        reference=reference or load_reference(),
    ).build()
