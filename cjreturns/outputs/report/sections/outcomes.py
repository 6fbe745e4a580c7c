"""Progress towards the national outcomes: the structural outcomes 1 to 4 one by one, then
the person-centred outcomes 5, 6 and 7 together, as the national report has them."""

from __future__ import annotations

from cjreturns.outputs.report.blocks import (
    Bullets,
    Chart,
    Heading,
    para,
)
from cjreturns.outputs.report.draft import (
    KEY_FINDINGS,
    MAX_THEME_FINDINGS,
    PERSON_CENTRED,
    RATED_WELL,
    STRUCTURAL,
    Draft,
    largest,
    scale_label,
    section_of,
)
from cjreturns.outputs.report.sections.indicators import indicators
from cjreturns.outputs.report.text import (
    lower_first,
    number,
    plural,
)


def progress(d: Draft) -> None:
    d.add(
        Heading(1, "Progress towards the national outcomes"),
        para(
            "Outcomes 1 to 4 are the structural outcomes: what partners do together. "
            "Outcomes 5, 6 and 7 are the person-centred outcomes, about the difference made "
            "to people's lives, and are reported together as the national report does."
        ),
    )
    local = d.agg.get("local_activity") or {}
    if local.get("partnerships_with_activity"):
        activities = int(local.get("activities", 0))
        d.add(
            para(
                f"{d.phrase(local['partnerships_with_activity'])} also reported local "
                "activity beyond the national outcomes, "
                f"{plural(activities, 'activity', 'activities')} in all."
            )
        )
    self_evaluation_figure(d)
    for key in STRUCTURAL:
        structural_outcome(d, key)
    person_centred(d)
    indicators(d)


def self_evaluation_figure(d: Draft) -> None:
    scale = sorted(d.ref.self_evaluation, reverse=True)
    labels = tuple(f"Outcome {k}" for k in (*STRUCTURAL, *PERSON_CENTRED))
    series = tuple(
        (
            f"{scale_label(d.ref, v)} ({v})",
            tuple(
                float((d.outcome(k).get("self_evaluation") or {}).get(str(v), 0))
                for k in (*STRUCTURAL, *PERSON_CENTRED)
            ),
        )
        for v in scale
    )
    rated = [int(sum(vals)) for vals in zip(*(s[1] for s in series), strict=True)]
    if not any(rated):
        d.add(para("No partnership gave a self-evaluation rating for any outcome."))
        return
    well = [
        sum(int((d.outcome(k).get("self_evaluation") or {}).get(str(v), 0)) for v in RATED_WELL)
        for k in (*STRUCTURAL, *PERSON_CENTRED)
    ]
    best = max(range(len(labels)), key=lambda i: (well[i], -i))
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
            f"{labels[best]} had the most partnerships rating their progress good or better "
            f"({well[best]} of {rated[best]} that gave a rating). The data are in the annex."
        ),
    )


def structural_outcome(d: Draft, key: str) -> None:
    block = d.outcome(key)
    d.add(Heading(2, d.outcome_title(key)), Heading(3, "Key findings"))
    d.add(Bullets(tuple(key_findings(d, key)), role=KEY_FINDINGS))
    d.add(Heading(3, "Summary of evidence"))
    themes = block.get("themes") or {}
    used = [(c, n) for c, n in largest(themes, len(themes)) if n]
    if used:
        theme_figure(d, key, used)
    for code, n in used:
        d.add(
            Heading(4, d.theme_name(code)),
            para(
                f"{d.phrase(n)} reported activity on "
                f"{lower_first(d.theme_name(code))} under this outcome."
            ),
        )
        for line in d.examples.for_theme(key, code, d.context.examples_per_theme):
            d.add(para(line))
    unused = [d.theme_name(c) for c, n in themes.items() if not n]
    if unused:
        d.add(
            para(
                "No partnership reported activity under this outcome on: "
                + "; ".join(lower_first(u) for u in unused)
                + "."
            )
        )
    d.add(Heading(3, "Talking points"))
    d.render_talking_points(
        d.talking_points(lambda tp: section_of(tp) == key),
        none_text=f"No talking point rule was triggered for outcome {key}.",
    )


def key_findings(d: Draft, key: str) -> list[str]:
    """Bullets from the counts, each naming its quantifier and its exact numbers."""
    block = d.outcome(key)
    n = int(block.get("partnerships_with_activity", 0))
    activities = int(block.get("activities", 0))
    bullets = [
        f"{d.phrase(n)} reported at least one activity towards this outcome, "
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
    top = [(c, n) for c, n in largest(themes, MAX_THEME_FINDINGS) if n]
    for code, count in top:
        bullets.append(f"{d.phrase(count)} evidenced {lower_first(d.theme_name(code))}.")
    home = [c for c, t in d.ref.themes.items() if str(t["outcome"]) == key]
    rare = [
        (c, int(themes.get(c, 0)))
        for c in home
        if int(themes.get(c, 0)) * 4 < d.N and c not in dict(top)
    ]
    for code, count in sorted(rare, key=lambda cn: (cn[1], home.index(cn[0])))[:2]:
        bullets.append(
            f"{d.phrase(count)} evidenced {lower_first(d.theme_name(code))}, "
            "a theme usually reported under this outcome."
        )
    bullets.extend(_self_evaluation_finding(d, key))
    actions = block.get("priority_actions") or {}
    top_action = largest(actions, 1)
    if top_action and top_action[0][1]:
        pa, count = top_action[0]
        bullets.append(
            f"{d.phrase(count)} linked activities under this outcome to priority "
            f"action {pa} of the 2022 national strategy "
            f"({lower_first(d.ref.priority_actions.get(int(pa), ''))})."
        )
    return bullets


def _self_evaluation_finding(d: Draft, key: str) -> list[str]:
    ratings = d.outcome(key).get("self_evaluation") or {}
    rated = sum(int(v) for v in ratings.values())
    if not rated:
        return []
    well = sum(int(ratings.get(str(v), 0)) for v in RATED_WELL)
    return [
        f"{number(well)} of the {number(rated)} partnerships that evaluated their progress "
        "on this outcome rated it good or better (4 or above on the six-point scale)."
    ]


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
            f"({low_n}). The data are in the annex."
        ),
    )


def person_centred(d: Draft) -> None:
    d.add(Heading(2, "Person-centred outcomes 5, 6 and 7"))
    d.add(Bullets(tuple(d.outcome_title(k) for k in PERSON_CENTRED)))
    d.add(Heading(3, "Key findings"))
    d.add(Bullets(tuple(person_centred_findings(d)), role=KEY_FINDINGS))
    d.add(Heading(3, "Summary of evidence"))
    used: list[tuple[str, int]] = []
    labels: list[str] = []
    for key in PERSON_CENTRED:
        themes = d.outcome(key).get("themes") or {}
        for code, n in largest(themes, len(themes)):
            if n:
                used.append((code, n))
                labels.append(f"Outcome {key}: {d.theme_name(code)}")
    if used:
        theme_figure(d, None, used, tuple(labels))
    for key in PERSON_CENTRED:
        d.add(Heading(4, d.outcome_title(key)))
        themes = d.outcome(key).get("themes") or {}
        written = False
        for code, n in largest(themes, len(themes)):
            if not n:
                continue
            written = True
            d.add(
                para(
                    f"{d.phrase(n)} reported activity on "
                    f"{lower_first(d.theme_name(code))} under this outcome.",
                    lead=f"{d.theme_name(code)}. ",
                )
            )
            for line in d.examples.for_theme(key, code, d.context.examples_per_theme):
                d.add(para(line))
        if not written:
            d.add(para(f"No partnership reported activity under outcome {key}."))
    d.add(Heading(3, "Talking points"))
    d.render_talking_points(
        d.talking_points(lambda tp: section_of(tp) in (*PERSON_CENTRED, "person_centred")),
        none_text="No talking point rule was triggered for outcomes 5, 6 and 7.",
    )


def person_centred_findings(d: Draft) -> list[str]:
    bullets: list[str] = []
    pc = d.agg.get("person_centred") or {}
    if pc:
        bullets.append(
            f"{d.phrase(pc.get('partnerships_with_activity', 0))} reported activity "
            "towards at least one of the person-centred outcomes."
        )
    for key in PERSON_CENTRED:
        block = d.outcome(key)
        n = int(block.get("partnerships_with_activity", 0))
        activities = int(block.get("activities", 0))
        bullets.append(
            f"Outcome {key}: {d.phrase(n, capital=False)} reported at least one "
            f"activity, {plural(activities, 'activity', 'activities')} in all."
        )
    for code, n in largest(pc.get("evidence") or {}, 3):
        bullets.append(
            f"{d.phrase(n)} evidenced progress through {lower_first(d.theme_name(code))}."
        )
    if pc:
        cases = int(pc.get("case_studies", 0))
        bullets.append(
            f"{d.phrase(pc.get('partnerships_with_case_studies', 0))} included case "
            f"studies, {plural(cases, 'case study', 'case studies')} in all."
        )
    for key in PERSON_CENTRED:
        for line in _self_evaluation_finding(d, key):
            bullets.append(f"Outcome {key}: {line}")
    return bullets
