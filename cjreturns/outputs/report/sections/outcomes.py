"""Progress towards the national outcomes: the structural outcomes 1 to 4 one by one, then the
person-centred outcomes 5, 6 and 7 together, as the national report has them.

Each outcome opens with a short summary argued from its counts: which sentences it has depends
on what the counts say (how widely activity was reported, whether one theme stood out, how far
the work had got, how partnerships rated their progress, what was rarely evidenced), so no two
outcomes read as one template with the numbers swapped. Then the key findings, one example per
theme (see examples.py) and the outcome's own talking points.
"""

from __future__ import annotations

from cjreturns.aggregation.results import OutcomeCounts
from cjreturns.outputs.report.blocks import Bullets, Chart, Heading, Paragraph, para
from cjreturns.outputs.report.draft import (
    KEY_FINDINGS,
    PERSON_CENTRED,
    STRUCTURAL,
    Draft,
    largest,
    scale_label,
)
from cjreturns.outputs.report.examples import keywords
from cjreturns.outputs.report.sections.indicators import indicators
from cjreturns.outputs.report.text import in_words, listed, lower_first, number, plural


def progress(d: Draft) -> None:
    d.add(
        Heading(1, "Progress towards the national outcomes"),
        para(
            "Outcomes 1 to 4 are the structural outcomes: what partners do together. "
            "Outcomes 5, 6 and 7 are the person-centred outcomes, about the difference made "
            "to people's lives, and are reported together as in previous reports."
        ),
        para(
            "Under each outcome, each theme has an example from the returns where an "
            "activity's own words are about it; examples illustrate the counts and are not a "
            "ranking of areas."
        ),
    )
    if d.counts.local_partnerships:
        d.add(
            para(
                f"{d.phrase(d.counts.local_partnerships)} also reported local activity beyond "
                "the national outcomes, "
                f"{plural(d.counts.local_activities, 'activity', 'activities')} in all."
            )
        )
    self_evaluation_figure(d)
    for key in STRUCTURAL:
        structural_outcome(d, key)
    person_centred(d)
    indicators(d)


# -- the summary paragraph ---------------------------------------------------------------------


def outcome_summary(d: Draft, key: str, *, short: bool = False) -> str:
    """A few sentences argued from the outcome's counts (the first two alone when `short`)."""
    o = d.counts.outcome(key)
    sentences = [_reach(d, o), _themes(d, o)]
    if not short:
        sentences += [_stage(o), _rating(o), _rare(d, key, o)]
    return " ".join(s for s in sentences if s)


def _reach(d: Draft, o: OutcomeCounts) -> str:
    n, missing = o.partnerships_with_activity, d.N - o.partnerships_with_activity
    acts = plural(o.activities, "activity", "activities")
    if not d.N:
        return "No return was counted."
    if not n:
        return "No partnership reported activity towards this outcome."
    if missing == 0:
        return f"All {d.N} partnerships reported activity towards this outcome, {acts} in all."
    if missing <= 3:
        who = listed(list(o.partnerships_without_activity))
        return (
            f"All but {in_words(missing)} of the {d.N} partnerships ({who} the exception"
            f"{'s' if missing > 1 else ''}) reported activity here, {acts} in all."
        )
    return f"{d.phrase(n)} reported activity towards this outcome, {acts} in all."


def _themes(d: Draft, o: OutcomeCounts) -> str:
    top = [(c, n) for c, n in largest(o.themes, 3) if n]
    if not top:
        return ""
    names = [short_name(d.theme_name(c)) for c, _ in top]
    if len(top) == 1:
        return f"The work reported was about {names[0]} ({top[0][1]} partnerships)."
    first, second = top[0][1], top[1][1]
    if first == second:
        return (
            f"{names[0][0].upper()}{names[0][1:]} and {names[1]} were evidenced most often "
            f"({first} partnerships each)."
        )
    if first * 10 >= d.N * 9:
        return (
            f"Work on {names[0]} was close to universal ({first} of {d.N}), followed by "
            f"{names[1]} ({second})."
        )
    if first - second >= 5:
        return (
            f"One theme stood out: {names[0]} ({first} partnerships), ahead of {names[1]} "
            f"({second})."
        )
    counted = listed([f"{name} ({n})" for name, (_, n) in zip(names, top, strict=True)])
    return f"The themes most often evidenced were {counted}."


def short_name(label: str) -> str:
    """A theme's label for running prose, where a count in brackets follows it: lower case,
    without its own bracketed part ("Practical support (food, phones, travel)" -> "practical
    support"), so no "(...) (15)"."""
    name = lower_first(label)
    if name.endswith(")") and "(" in name:
        return name[: name.rindex("(")].strip()
    return name


def _stage(o: OutcomeCounts) -> str:
    total = o.activities
    if not total:
        return ""
    done = o.by_status.get("completed", 0)
    going = o.by_status.get("in_progress", 0)
    planned = o.by_status.get("planned", 0)
    if done * 10 >= total * 6:
        return f"Most of it was completed within the year ({done} of {total} activities)."
    if going * 10 >= total * 6:
        return (
            f"Most of it was still under way at the end of the year ({going} of {total} "
            "activities), so its results are still to come."
        )
    if planned * 5 >= total:
        return f"A good part of it was still at the planning stage ({planned} of {total})."
    return f"The work was split between completed ({done}) and continuing ({going}) activities."


def _rating(o: OutcomeCounts) -> str:
    rated, well = o.rated, o.rated_well
    if not rated:
        return ""
    if well == rated:
        return f"Every partnership that rated its progress ({rated}) rated it good or better."
    if well * 4 >= rated * 3:
        return (
            f"Most partnerships rated their progress good or better ({well} of the {rated} "
            "that gave a rating)."
        )
    if well * 2 > rated:
        return (
            "Just over half of those that rated their progress called it good or better "
            f"({well} of {rated})."
        )
    return (
        f"Fewer than half of the partnerships that rated their progress called it good or "
        f"better ({well} of {rated}): the outcome the partnerships themselves see as hardest."
        if well * 3 < rated
        else f"Only {well} of the {rated} partnerships that rated their progress called it good "
        "or better."
    )


def _home_themes(d: Draft, key: str) -> list[str]:
    return [c for c, t in d.ref.themes.items() if str(t["outcome"]) == key]


def _rare(d: Draft, key: str, o: OutcomeCounts) -> str:
    rare = [(c, o.themes.get(c, 0)) for c in _home_themes(d, key) if o.themes.get(c, 0) * 6 <= d.N]
    if not rare or not d.N:
        return ""
    code, n = min(rare, key=lambda cn: cn[1])
    name = short_name(d.theme_name(code))
    if not n:
        return f"No partnership evidenced {name} under this outcome."
    return f"Few evidenced {name} ({n})."


# -- an outcome's section ----------------------------------------------------------------------


def structural_outcome(d: Draft, key: str) -> None:
    o = d.counts.outcome(key)
    d.add(Heading(2, d.outcome_title(key)), Heading(3, "Key findings"))
    d.add(para(outcome_summary(d, key)))
    d.add(Bullets(tuple(key_findings(d, key)), role=KEY_FINDINGS))
    d.add(Heading(3, "Summary of evidence"))
    used = [(c, n) for c, n in largest(o.themes, len(o.themes)) if n]
    # The chart follows the themes' text, so the text fills the page before it rather than a
    # chart too tall for what is left of a page leaving it half empty.
    if used:
        d.add(
            para(
                f"Figure {len(d.figures) + 1} shows how many partnerships evidenced each theme "
                "under this outcome."
            )
        )
    theme_blocks(d, key, used)
    unused = [lower_first(d.theme_name(c)) for c, n in o.themes.items() if not n]
    if unused:
        d.add(para(f"No partnership reported activity under this outcome on {listed(unused)}."))
    if used:
        theme_figure(d, key, used)
    d.insertions(f"Outcome {key}", 2)
    d.add(Heading(3, "Talking points"))
    d.write_talking_points(
        d.talking_points(key),
        none_text=f"No talking point rule applies to outcome {key} this year.",
        where=f"outcome {key}",
    )


def theme_blocks(d: Draft, key: str, used: list[tuple[str, int]]) -> None:
    """Each theme with its count and its one example; the themes no activity's own words
    illustrate are named together in one sentence rather than each standing alone."""
    plain: list[str] = []
    for code, n in used:
        name = d.theme_name(code)
        quote = d.examples.for_theme(key, code, keywords(name, code))
        if quote is None:
            plain.append(f"{short_name(name)} ({n})")
            continue
        text = f"Reported by {d.phrase(n, capital=False)}. "
        d.add(para(text + _quoted(d, quote.partnership, quote.title, quote.text), lead=f"{name}. "))
    if plain:
        d.add(para(f"Partnerships also reported work on {listed(plain)}."))


_OPENINGS = (
    "In {area}, “{title}”: {text}",
    "For example, {area} described “{title}”: {text}",
    "{area} reported “{title}”: {text}",
    "One example comes from {area}, “{title}”: {text}",
)


def _quoted(d: Draft, area: str, title: str, text: str) -> str:
    """The quote, its opening words varied so eighty examples do not all start alike."""
    opening = _OPENINGS[sum(d.examples.used.values()) % len(_OPENINGS)]
    if not title:
        return f"In {area}: {text}"
    return opening.format(area=area, title=title, text=text)


def key_findings(d: Draft, key: str) -> list[str]:
    """The details behind the summary, each with its exact numbers."""
    o = d.counts.outcome(key)
    bullets: list[str] = []
    status = [
        (o.by_status.get(s, 0), label)
        for s, label in (
            ("completed", "completed"),
            ("in_progress", "still in progress"),
            ("planned", "planned"),
        )
        if o.by_status.get(s, 0)
    ]
    if status:
        parts = [f"{number(n)} {'was' if n == 1 else 'were'} {label}" for n, label in status]
        bullets.append(f"Of the {plural(o.activities, 'activity', 'activities')}, {listed(parts)}.")
    for code, n in largest(o.themes, 3):
        if n:
            bullets.append(f"{d.phrase(n)} evidenced {lower_first(d.theme_name(code))}.")
    top = {c for c, n in largest(o.themes, 3) if n}
    rare = [
        (c, o.themes.get(c, 0))
        for c in _home_themes(d, key)
        if o.themes.get(c, 0) * 4 < d.N and c not in top
    ]
    for code, n in sorted(rare, key=lambda cn: cn[1])[:2]:
        bullets.append(
            f"{d.phrase(n)} evidenced {lower_first(d.theme_name(code))} under this outcome, "
            "one of its own themes."
        )
    bullets.extend(_rating_finding(o))
    for name in o.partnerships_without_activity:
        reason = d.examples.reason(name, key)
        bullets.append(
            f"{name} reported no activity under this outcome"
            + (f": “{reason}”" if reason else ", and gave no reason.")
        )
    action = [(a, n) for a, n in largest(o.priority_actions, 1) if n]
    if action:
        pa, n = action[0]
        bullets.append(
            f"{d.phrase(n)} linked activities here to priority action {pa} of the 2022 "
            f"national strategy ({lower_first(d.ref.priority_actions.get(int(pa), ''))})."
        )
    return bullets


def _rating_finding(o: OutcomeCounts, prefix: str = "") -> list[str]:
    if not o.rated:
        return []
    if o.rated == 1:
        text = "the one partnership that rated its progress rated it " + (
            "good or better" if o.rated_well else "below good"
        )
    elif o.rated_well == o.rated:
        text = f"all {o.rated} partnerships that rated their progress rated it good or better"
    else:
        text = (
            f"{number(o.rated_well)} of the {number(o.rated)} partnerships that rated their "
            "progress rated it good or better"
        )
    text += " (4 or more on the six-point scale)."
    return [prefix + text if prefix else text[0].upper() + text[1:]]


def self_evaluation_figure(d: Draft) -> None:
    scale = sorted(d.ref.self_evaluation, reverse=True)
    keys = (*STRUCTURAL, *PERSON_CENTRED)
    labels = tuple(f"Outcome {k}" for k in keys)
    series = tuple(
        (
            f"{scale_label(d.ref, v)} ({v})",
            tuple(float(d.counts.outcome(k).self_evaluation.get(str(v), 0)) for k in keys),
        )
        for v in scale
    )
    rated = [d.counts.outcome(k).rated for k in keys]
    if not any(rated):
        d.add(para("No partnership gave a self-evaluation rating for any outcome."))
        return
    well = [d.counts.outcome(k).rated_well for k in keys]
    best = max(range(len(labels)), key=lambda i: (well[i] / rated[i] if rated[i] else 0, -i))
    worst = min(range(len(labels)), key=lambda i: (well[i] / rated[i] if rated[i] else 1, i))
    unused = [name for name, values in series if not any(values)]
    d.add(
        para(
            "Figure 1 shows how partnerships rated their own progress on each outcome. "
            f"{labels[best]} was rated good or better most often ({well[best]} of "
            f"{rated[best]}); {lower_first(labels[worst])} least often ({well[worst]} of "
            f"{rated[worst]})."
            + (
                " No partnership rated any outcome "
                + listed([u.lower() for u in unused]).replace(" and ", " or ")
                + "."
                if unused
                else ""
            )
        )
    )
    d.figure(
        Chart(
            kind="self_evaluation",
            title="Self-evaluation ratings by outcome",
            labels=labels,
            series=series,
            axis_label="Number of partnerships",
            axis_max=float(d.N) if d.N else None,
        ),
        caption="Self-evaluation ratings given by partnerships, by outcome",
        alt=(
            "Stacked bar chart of the self-evaluation ratings partnerships gave each of the "
            "seven outcomes on the six-point scale from unsatisfactory (1) to excellent (6). "
            f"{labels[best]} had the largest share of partnerships rating their progress good "
            f"or better ({well[best]} of {rated[best]} that gave a rating). The data are in "
            "Appendix B."
        ),
    )


def theme_figure(
    d: Draft, key: str | None, used: list[tuple[str, int]], labels: tuple[str, ...] | None = None
) -> None:
    labels = labels or tuple(d.theme_name(c) for c, _ in used)
    where = f"outcome {key}" if key else "the person-centred outcomes 5, 6 and 7"
    top_label, top_n = labels[0], used[0][1]
    low_label, low_n = labels[-1], used[-1][1]
    d.figure(
        Chart(
            kind="themes",
            title=f"Partnerships evidencing each theme, {where}",
            labels=labels,
            series=(("Partnerships", tuple(float(n) for _, n in used)),),
            axis_label=f"Number of partnerships (of {d.N})",
            axis_max=float(d.N) if d.N else None,
        ),
        caption=f"Partnerships evidencing each theme, {where}",
        alt=(
            f"Horizontal bar chart of the number of partnerships, out of {d.N}, that "
            f"reported activity on each theme under {where}. The most evidenced was "
            f"{lower_first(top_label)} ({top_n}); the least, {lower_first(low_label)} "
            f"({low_n}). The data are in Appendix B."
        ),
    )


# -- the person-centred outcomes -----------------------------------------------------------------


_EVIDENCE = {
    "exit_questionnaires": "exit questionnaires",
    "outcome_monitoring": "outcome monitoring tools such as the Justice Star",
    "life_stories": "life stories and case studies",
}


def person_centred_summary(d: Draft) -> str:
    pc = d.counts.person_centred
    if not pc.present:
        return "The counts for the person-centred outcomes are not available."
    parts = []
    n = pc.partnerships_with_activity
    parts.append(
        f"{'All' if n == d.N else d.phrase(n)}{f' {d.N} partnerships' if n == d.N else ''} "
        "reported activity towards at least one of the person-centred outcomes."
    )
    methods = [(c, v) for c, v in largest(pc.evidence, 3) if v]
    if methods:
        (first, n1), rest = methods[0], methods[1:]
        text = (
            f"The most common way of evidencing progress was {_EVIDENCE.get(first, first)} ({n1})"
        )
        if rest:
            text += ", followed by " + listed([f"{_EVIDENCE.get(c, c)} ({v})" for c, v in rest])
        parts.append(text + ".")
    return " ".join(parts)


def person_centred(d: Draft) -> None:
    d.add(Heading(2, "Person-centred outcomes 5, 6 and 7"))
    d.add(Bullets(tuple(d.outcome_title(k) for k in PERSON_CENTRED)))
    d.add(Heading(3, "Key findings"))
    d.add(para(person_centred_summary(d)))
    d.add(Bullets(tuple(person_centred_findings(d)), role=KEY_FINDINGS))
    d.add(Heading(3, "Summary of evidence"))
    used: list[tuple[str, int]] = []
    labels: list[str] = []
    for key in PERSON_CENTRED:
        themes = d.counts.outcome(key).themes
        for code, n in largest(themes, len(themes)):
            if n:
                used.append((code, n))
                labels.append(f"Outcome {key}: {d.theme_name(code)}")
    if used:
        theme_figure(d, None, used, tuple(labels))
    for key in PERSON_CENTRED:
        o = d.counts.outcome(key)
        d.add(Paragraph(((d.outcome_title(key), True),)))
        written = [(c, n) for c, n in largest(o.themes, len(o.themes)) if n]
        if not written:
            d.add(para(f"No partnership reported activity under outcome {key}."))
        theme_blocks(d, key, written)
    d.insertions("Person-centred outcomes", 2)
    d.add(Heading(3, "Talking points"))
    d.write_talking_points(
        d.talking_points(*PERSON_CENTRED, "person_centred"),
        none_text="No talking point rule applies to outcomes 5, 6 and 7 this year.",
        where="the person-centred outcomes",
    )


def person_centred_findings(d: Draft) -> list[str]:
    bullets: list[str] = []
    pc = d.counts.person_centred
    for key in PERSON_CENTRED:
        o = d.counts.outcome(key)
        bullets.append(
            f"Outcome {key}: {d.phrase(o.partnerships_with_activity, capital=False)} reported "
            f"at least one activity, {plural(o.activities, 'activity', 'activities')} in all."
        )
    for code, n in largest(pc.evidence, 3):
        bullets.append(f"{d.phrase(n)} evidenced progress through {_EVIDENCE.get(code, code)}.")
    if pc.present:
        bullets.append(
            f"{d.phrase(pc.partnerships_with_case_studies)} included case studies, "
            f"{plural(pc.case_studies, 'case study', 'case studies')} in all; they stay in the "
            "returns and are not quoted here."
        )
    for key in PERSON_CENTRED:
        bullets.extend(_rating_finding(d.counts.outcome(key), prefix=f"Outcome {key}: "))
        for name in d.counts.outcome(key).partnerships_without_activity:
            reason = d.examples.reason(name, key)
            bullets.append(
                f"Outcome {key}: {name} reported no activity"
                + (f": “{reason}”" if reason else ", and gave no reason.")
            )
    return bullets
