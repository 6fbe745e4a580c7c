"""`cjreturns report`, the context file and the house-style template."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from aggregate_helpers import minimal_return
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.core.resources import template_path
from cjreturns.outputs.report.context import ContextError, load_context, parse_context
from cjreturns.outputs.report.template_source import render

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    for name in ("Fife", "Angus", "Highland"):
        (folder / f"{name.lower()}.json").write_text(
            json.dumps(minimal_return(name)), encoding="utf-8"
        )
    return folder


def context_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "context.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_writes_the_draft_and_refuses_to_overwrite(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    context = context_file(tmp_path, 'reporting_year: "2021-22"\nforeword: "Our **foreword**."\n')
    env = {"SOURCE_DATE_EPOCH": "1675209600"}  # 1 February 2023
    args = ["report", str(returns), "--out", str(out), "--context", str(context)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Wrote {out}: draft national report for 2021-22 from 3 of 30 partnerships' returns "
        f"(0 late, 27 missing, 0 rejected); its manifest: {tmp_path / 'draft.manifest.json'}."
    )
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Our foreword." in texts
    assert texts[3].startswith("Generated on 1 February 2023 by cjreturns")
    # Provenance: beside the draft and in its properties, the same inputs and their digests.
    manifest = json.loads((tmp_path / "draft.manifest.json").read_text(encoding="utf-8"))
    digests = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in returns.iterdir()}
    assert {i["name"]: i["sha256"] for i in manifest["inputs"]} == digests
    assert all(i["counted"] for i in manifest["inputs"])
    assert manifest["outputs"] == [
        {"name": "draft.docx", "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    ]
    assert (manifest["kind"], manifest["reporting_year"], manifest["tool_version"]) == (
        "report",
        "2021-22",
        "0.1.0",
    )
    assert manifest["generated_at"] == "2023-02-01T00:00:00Z"
    props = json.loads(document.core_properties.comments)
    assert props == {k: v for k, v in manifest.items() if k != "outputs"}
    assert document.core_properties.keywords == f"cjreturns 0.1.0; {manifest['rules_version']}"

    again = runner.invoke(app, args, env=env)
    assert again.exit_code == 2
    assert "already exists; use --force to overwrite" in again.output
    forced = runner.invoke(app, [*args, "--force"], env=env)
    assert forced.exit_code == 0, forced.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foreword: [unclosed\n", "is not valid YAML at line 2, column 1"),
        ("forward: typo\n", "unknown key 'forward'"),
        ("key_facts:\n  - {label: X, value: many}\n", "key_facts[0].value must be a number"),
        ("charts: {indicators: [not_a_code]}\n", "'not_a_code', which is not an indicator"),
        ('reporting_year: "2022-23"\n', "is for 2022-23 but the returns are for 2021-22"),
    ],
)
def test_context_problems_are_usage_errors(
    returns: Path, tmp_path: Path, text: str, message: str
) -> None:
    context = context_file(tmp_path, text)
    out = tmp_path / "draft.docx"
    result = runner.invoke(
        app, ["report", str(returns), "--out", str(out), "--context", str(context)]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "draft.txt"], "must be a .docx file"),
        (["--out", "draft.docx", "--year", "2021"], "is not a reporting year"),
        (["--out", "draft.docx", "--context", "missing.yaml"], "does not exist"),
    ],
)
def test_usage_problems_exit_2(
    returns: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / e) if e.endswith((".txt", ".docx", ".yaml")) else e for e in extra]
    result = runner.invoke(app, ["report", str(returns), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_no_such_folder_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nope"), "--out", "x.docx"])
    assert result.exit_code == 2
    assert "no such folder" in result.output


def test_nothing_countable_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    broken = minimal_return("Fife")
    del broken["outcomes"]
    (folder / "fife.json").write_text(json.dumps(broken), encoding="utf-8")
    result = runner.invoke(app, ["report", str(folder), "--out", str(tmp_path / "d.docx")])
    assert result.exit_code == 1
    assert "could be counted" in result.output
    assert not (tmp_path / "d.docx").exists()


# -- the context file ----------------------------------------------------------------------------


def test_example_context_parses() -> None:
    context = load_context(ROOT / "examples" / "context-2021-22.yaml")
    assert context.reporting_year == "2021-22"
    assert len(context.key_facts) == 7
    assert [r.id for r in context.recommendations] == [
        "SG1",
        "SG2",
        "SG3",
        "CJS1",
        "CJS2",
        "CJS3",
        "R1",
        "R2",
        "R3",
        "R4",
    ]
    assert all(r.progress for r in context.recommendations)
    assert context.chart_indicators == ("diversion_commenced", "cpo_commenced")


def test_context_must_be_a_mapping() -> None:
    with pytest.raises(ContextError, match="expected a mapping"):
        parse_context(["a", "list"])
    with pytest.raises(ContextError, match="label is required"):
        parse_context({"key_facts": [{"value": 1}]})
    with pytest.raises(ContextError, match="examples_per_theme"):
        parse_context({"examples_per_theme": 99})


# -- the template --------------------------------------------------------------------------------


def house_style(document: Any) -> list[Any]:
    """What template_source.py decides, read back (not bytes: python-docx versions differ)."""
    out: list[Any] = []
    for name in (
        "Normal",
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Heading 4",
        "Caption",
        "List Bullet",
        "List Number",
        "Quote",
        "Draft Marking",
        "Figure",
        "Report Table",
    ):
        style = document.styles[name]
        font, fmt = style.font, getattr(style, "paragraph_format", None)
        out.append(
            (
                name,
                font.name,
                font.size,
                font.bold,
                font.italic,
                font.color.rgb if font.color.type else None,
                fmt
                and (
                    fmt.space_before,
                    fmt.space_after,
                    fmt.page_break_before,
                    fmt.keep_with_next,
                    fmt.alignment,
                ),
            )
        )
    section = document.sections[0]
    props = document.core_properties
    out.append(
        (
            section.page_width,
            section.page_height,
            section.left_margin,
            section.top_margin,
            props.title,
            props.subject,
            props.language,
            props.author,
        )
    )
    return out


def test_committed_template_is_what_the_script_makes() -> None:
    committed = docx.Document(str(template_path("report-template.docx")))
    fresh = docx.Document(io.BytesIO(render()))
    assert house_style(committed) == house_style(fresh)
    assert render() == render()  # and the script itself is deterministic


def test_template_house_style() -> None:
    document = docx.Document(str(template_path("report-template.docx")))
    styles = document.styles
    for name in (
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Normal",
        "Caption",
        "List Bullet",
        "Report Table",
        "Draft Marking",
        "Figure",
    ):
        assert styles[name] is not None
    assert styles["Normal"].font.name == "Arial"
    assert styles["Normal"].font.size.pt == 12
    assert styles["Heading 1"].paragraph_format.page_break_before is True
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.title == "Community Justice Outcome Activity Annual Report"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.paragraphs == []


def test_the_context_holds_every_section_the_returns_cannot() -> None:
    context = parse_context(
        {
            "summary": "Overall.",
            "next_steps": "Next.",
            "sections": [
                {"after": "introduction", "title": "The year in context", "text": "A year."},
                {"after": "Key facts", "text": "A paragraph after the key facts."},
            ],
            "recommendations": {"note": "About them.", "items": [{"id": "R1", "text": "Do."}]},
        }
    )
    assert (context.summary, context.next_steps) == ("Overall.", "Next.")
    assert [s.title for s in context.sections_after("Introduction")] == ["The year in context"]
    assert [s.text for s in context.sections_after("key facts")] == [
        "A paragraph after the key facts."
    ]
    assert context.recommendations_note == "About them."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"next_step": "x"}, "unknown key 'next_step' (known keys: charts, examples_per_theme"),
        ({"sections": [{"after": "Nowhere", "text": "x"}]}, "must name a section of the draft"),
        ({"sections": [{"after": "Foreword"}]}, "sections[0].text is required"),
        (
            {"key_facts": [{"label": "Bail", "value": 570, "previous": 470, "change": 35,
                            "compared_with": "2019-20"}]},
            "change 35% does not agree with value 570 and previous 470 (+21%)",
        ),
        (
            {"key_facts": [{"label": "Bail", "value": 570, "change": 20}]},
            "compared_with is required",
        ),
        ({"key_facts": {"nte": "x"}}, "unknown key 'nte' (known keys: facts, note)"),
    ],
)  # fmt: skip
def test_context_mistakes_are_refused_with_what_to_do(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ContextError) as caught:
        parse_context(raw)
    assert message in str(caught.value)


def test_a_published_change_within_rounding_is_kept() -> None:
    fact = parse_context(
        {"key_facts": [{"label": "Bail", "value": 570, "previous": 470, "change": 20,
                        "compared_with": "2019-20"}]}
    ).key_facts[0]  # fmt: skip
    assert fact.change_percent() == 20  # as published, not the 21% the rounded figures give
