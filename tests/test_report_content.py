"""What the draft says for small hand-built collections, and how text from returns is handled.

Content is checked as blocks (no Word file) where possible: fast, and exact.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from aggregate_helpers import CONTACT_EMAIL, CONTACT_NAME, SIGN_OFF_NAME, minimal_return

from cjreturns.aggregation import aggregate
from cjreturns.contract.reference import load_reference
from cjreturns.outputs.report.blocks import (
    Bullets,
    Contents,
    Figure,
    Heading,
    Paragraph,
    Report,
    Table,
    TitlePage,
)
from cjreturns.outputs.report.builder import render_docx
from cjreturns.outputs.report.content import KEY_FINDINGS, build_content, markdown_blocks
from cjreturns.outputs.report.text import clean_text, count_phrase, excerpt

DAY = dt.date(2023, 2, 1)


def write(folder: Path, name: str, document: dict[str, Any]) -> None:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(document, indent=1), encoding="utf-8")


def collection(tmp_path: Path, changes: dict[str, Any] | None = None) -> Any:
    """Fife, Angus and Highland: minimal valid returns, Fife's changed by `changes`."""
    folder = tmp_path / "returns"
    for name in ("Fife", "Angus", "Highland"):
        doc = minimal_return(name)
        if name == "Fife" and changes:
            doc = changes_applied(doc, changes)
        write(folder, f"{name.lower()}.json", doc)
    return aggregate(folder, year="2021-22")


def changes_applied(doc: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return doc


def report_for(result: Any) -> Report:
    return build_content(result.to_json_dict(), result.returns, generated_on=DAY)


def unnumbered(text: str) -> str:
    return re.sub(r"^(\d+(\.\d+)*|[A-Z](\.\d+)+) ", "", text)


def key_findings(report: Report, heading: str) -> list[str]:
    seen = False
    for block in report.blocks:
        if isinstance(block, Heading) and unnumbered(block.text) == heading:
            seen = True
        elif seen and isinstance(block, Bullets) and block.role == KEY_FINDINGS:
            return list(block.items)
    raise AssertionError(f"no key findings under {heading!r}")


def paragraphs(report: Report) -> list[str]:
    return [b.text for b in report.blocks if isinstance(b, Paragraph)]


OUTCOME_1 = "Outcome 1: " + load_reference().outcomes[1]["text"]


# -- text helpers --------------------------------------------------------------------------------


def test_clean_text_drops_control_and_direction_characters() -> None:
    assert clean_text("Safe\x07 text\u202e reversed\x00\n  here\u200b") == "Safe text reversed here"


def test_excerpt_keeps_whole_sentences_then_cuts() -> None:
    assert excerpt("One two. Three four five. Six.", max_words=5) == "One two. Three four five."
    long = " ".join(f"w{i}" for i in range(60))
    assert excerpt(long, max_words=10) == " ".join(f"w{i}" for i in range(10)) + "…"
    assert excerpt("no full stop") == "no full stop."


@pytest.mark.parametrize(
    ("n", "total", "text"),
    [
        (30, 30, "All partnerships (30 of 30)"),
        (24, 30, "Most partnerships (24 of 30)"),
        (15, 30, "Many partnerships (15 of 30)"),
        (8, 30, "Several partnerships (8 of 30)"),
        (3, 30, "Some partnerships (3 of 30)"),
        (2, 30, "A few partnerships (2 of 30)"),
        (1, 30, "One partnership (1 of 30)"),
        (0, 30, "No partnership (0 of 30)"),
    ],
)
def test_count_phrase_uses_the_reference_quantifiers(n: int, total: int, text: str) -> None:
    assert count_phrase(n, total, load_reference()) == text


def test_markdown_paragraphs_bullets_and_bold() -> None:
    blocks = markdown_blocks("First **bold** line\ncontinues.\n\n- one\n- two\n\n## Not a heading")
    assert blocks[0] == Paragraph((("First ", False), ("bold", True), (" line continues.", False)))
    assert blocks[1] == Bullets(("one", "two"))
    assert blocks[2] == Paragraph((("Not a heading", False),))


# -- counts in words -----------------------------------------------------------------------------


def test_key_findings_for_a_small_collection_worked_by_hand(tmp_path: Path) -> None:
    result = collection(
        tmp_path,
        {
            "outcomes.1.activities": [
                {
                    "title": "Stalls at gala days",
                    "description": "Partners ran information "
                    "stalls at three gala days across the area.",
                    "themes": ["engagement_events"],
                    "status": "in_progress",
                    "priority_actions": [13],
                },
                {
                    "title": "Survey questions",
                    "description": "Four questions on community "
                    "justice were added to the citizens' panel survey.",
                    "themes": ["public_perception_survey"],
                    "status": "planned",
                },
            ],
            "outcomes.1.self_evaluation": 5,
        },
    )
    report = report_for(result)
    assert key_findings(report, OUTCOME_1) == [
        "Of the 4 activities, 2 were completed, 1 was still in progress and 1 was planned.",
        "All partnerships (3 of 3) evidenced engagement events and campaigns.",
        "One partnership (1 of 3) evidenced public perception questions in community surveys.",
        "No partnership (0 of 3) evidenced social media and online resources under this "
        "outcome, one of its own themes.",
        "No partnership (0 of 3) evidenced consultation with communities for planning under "
        "this outcome, one of its own themes.",
        "The one partnership that rated its progress rated it good or better (4 or more on the "
        "six-point scale).",
        "One partnership (1 of 3) linked activities here to priority action 13 of the 2022 "
        "national strategy (understanding and confidence; reducing stigma).",
    ]
    summary = next(
        b.text
        for i, b in enumerate(report.blocks)
        if isinstance(b, Paragraph)
        and isinstance(report.blocks[i - 1], Heading)
        and report.blocks[i - 1].text.endswith(" Key findings")
        and "4 activities" in b.text
    )
    assert summary.startswith("All 3 partnerships reported activity towards this outcome, 4 ")
    theme = next(t for t in paragraphs(report) if t.startswith("Public perception questions"))
    assert theme.startswith(
        "Public perception questions in community surveys. Reported by one partnership (1 of 3)."
    )
    assert "Fife" in theme and (
        "“Survey questions”: Four questions on community justice were added to the citizens' "
        "panel survey." in theme
    )


def test_examples_spread_across_areas_and_skip_unsafe_text(tmp_path: Path) -> None:
    result = collection(
        tmp_path,
        {"outcomes.1.activities.0.description": "Contact Mr Jones on 01592 583000 to book."},
    )
    texts = paragraphs(report_for(result))
    text = "\n".join(texts)
    assert "Mr Jones" not in text and "01592" not in text
    engagement = next(t for t in texts if t.startswith("Engagement events and campaigns. "))
    # one example for the theme, and not Fife's: its description is not quotable
    assert engagement.count("“Work on engagement_events”") == 1
    assert ("Angus" in engagement or "Highland" in engagement) and "Fife" not in engagement


def test_a_place_named_after_a_doctor_can_be_quoted() -> None:
    from cjreturns.outputs.report.content import Examples

    examples = Examples({})
    assert examples.safe("Open days were held at Dr Gray’s Hospital in Elgin.")
    assert not examples.safe("Dr Gray ran the open days.")  # a person, by title and name
    assert not examples.safe("Open days: TBC")


def test_placeholder_text_is_never_quoted(tmp_path: Path) -> None:
    result = collection(tmp_path, {"outcomes.2.activities.0.description": "TBC"})
    assert "TBC" not in "\n".join(paragraphs(report_for(result)))


def test_case_studies_are_counted_never_quoted(tmp_path: Path) -> None:
    story = (
        "A person on a community payback order found settled housing and began a college "
        "course with help from a peer mentor over the year."
    )
    clean = {"title": "A settled home", "summary": story, "consent_confirmed": True}
    result = collection(tmp_path, {"outcomes.5.case_studies": [clean]})
    text = repr(report_for(result).blocks)
    assert "A settled home" not in text
    assert "community payback order found settled housing" not in text
    assert "included case studies, 1 case study in all; they stay in the returns" in text


def test_recommendation_responses_come_from_the_aggregate(tmp_path: Path) -> None:
    result = collection(
        tmp_path,
        {"recommendations": [{"id": "R2", "response": "Exit data used.", "status": "in_progress"}]},
    )
    assert result.to_json_dict()["recommendations"] == {
        "R2": {"not_started": 0, "in_progress": 1, "complete": 0, "not_stated": 0}
    }


def test_no_contact_or_sign_off_in_the_content(tmp_path: Path) -> None:
    report = report_for(collection(tmp_path))
    words = repr(report.blocks)
    for value in (CONTACT_NAME, CONTACT_EMAIL, SIGN_OFF_NAME):
        assert value not in words


def test_without_context_the_analysts_sections_are_marked_placeholders(tmp_path: Path) -> None:
    report = report_for(collection(tmp_path))
    drafts = [b.text for b in report.blocks if isinstance(b, Paragraph) and b.style == "draft"]
    assert [d.split(" here")[0] for d in drafts] == [
        "Placeholder: add the foreword",
        "Placeholder: add the overall key findings",
        "Placeholder: add the next steps",
        "Placeholder: add the introduction",
        "Placeholder: add the key facts (national statistics)",
        "Placeholder: add the recommendations from last year's report",
    ]
    assert "under “next_steps” in the context file" in drafts[2]


def test_talking_points_sit_in_their_sections(tmp_path: Path) -> None:
    agg = {
        "reporting_year": "2021-22",
        "partnerships_counted": 0,
        "talking_points": [
            {
                "id": "theme-rare",
                "scope": "theme",
                "outcome": "3",
                "text": "Theme point.",
                "evidence": {"theme": "housing", "N": 30, "n": 2},
            },
            {
                "id": "late",
                "scope": "coverage",
                "outcome": None,
                "text": "Late point.",
                "evidence": {},
            },
            {
                "id": "challenge-common",
                "scope": "challenge",
                "outcome": None,
                "text": "Challenge point.",
                "evidence": {"challenge": "workforce"},
            },
        ],
    }
    report = build_content(agg, {}, generated_on=DAY)
    order = [
        unnumbered(b.text) if isinstance(b, Heading) else b.text
        for b in report.blocks
        if isinstance(b, Heading | Paragraph)
    ]

    def after(point: str) -> str:
        i = next(i for i, t in enumerate(order) if t.endswith(point))
        return next(t for t in reversed(order[:i]) if t.startswith(("Outcome", "Coverage", "Gaps")))

    assert after("Theme point.").startswith("Outcome 3:")
    assert after("Late point.") == "Coverage of returns"
    assert after("Challenge point.") == "Gaps and challenges"
    # a point's numbers are in its own words: no "Evidence:" line of raw names and values
    assert not [t for t in order if t.startswith("Evidence")]


# -- Word: text from returns stays text ----------------------------------------------------------

HOSTILE = (
    '{ HYPERLINK "http://evil.example" } =HYPERLINK("http://x") <w:fldSimple/> '
    "\x07bell\u202eflip https://evil.example/path"
)


def test_return_text_becomes_plain_runs_never_fields_or_links() -> None:
    report = Report(title="T 2021-22", subject="S", reporting_year="2021-22")
    report.add(
        TitlePage("T", "2021-22", "1 April 2021 to 31 March 2022", "1 February 2023", 3),
        Heading(1, "Contents"),
        Contents(),
        Heading(1, "Section"),
        Paragraph(((clean_text(HOSTILE), False),)),
        Table("Cells", ("A", "B"), ((clean_text(HOSTILE), "1"),)),
    )
    data = render_docx(report, generated_on=DAY)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "<w:hyperlink" not in body and "<w:fldSimple" not in body
    assert re.findall(r"<w:instrText[^>]*>\s*(\w+)", body) == ["TOC"]
    assert "evil.example" not in rels and 'TargetMode="External"' not in rels
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert clean_text(HOSTILE) in texts
    assert "\x07" not in body and "\u202e" not in body
    assert document.tables[0].cell(1, 0).text == clean_text(HOSTILE)


def test_a_report_without_figures_has_no_images() -> None:
    report = build_content({"reporting_year": "2021-22"}, {}, generated_on=DAY)
    assert not [b for b in report.blocks if isinstance(b, Figure)]
    document = docx.Document(io.BytesIO(render_docx(report, generated_on=DAY)))
    assert len(document.inline_shapes) == 0
    assert document.paragraphs[0].text == "Community Justice Outcome Activity Annual Report"
