"""The 2023-framework Word draft: structured per aim and per priority action (headings read
back), accessible, reproducible, numbers from the counts and no personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from cjreturns.aggregation.by_year import aggregate_for_year
from cjreturns.aggregation.cjpf import CJPFAggregate
from cjreturns.cli import app
from cjreturns.outputs.cjpf_report import build_cjpf_report
from cjreturns.outputs.report import check_docx, load_context

ROOT = Path(__file__).resolve().parent.parent
RETURNS = ROOT / "examples" / "returns" / "2024-25"
CONTEXT = ROOT / "examples" / "context-2024-25.yaml"
DAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def agg() -> CJPFAggregate:
    result = aggregate_for_year(RETURNS, year="2024-25")
    assert isinstance(result, CJPFAggregate)
    return result


@pytest.fixture(scope="module")
def draft(agg: CJPFAggregate, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("draft") / "report.docx"
    data = build_cjpf_report(
        agg.to_json_dict(), agg.returns, context=load_context(CONTEXT), generated_on=DAY
    )
    path.write_bytes(data)
    return path


def _headings(path: Path) -> list[tuple[int, str]]:
    out = []
    for p in docx.Document(str(path)).paragraphs:
        if p.style is not None and p.style.name.startswith("Heading "):
            out.append((int(p.style.name.split()[1]), p.text))
    return out


def test_headings_per_aim_and_priority_action(draft: Path) -> None:
    heads = _headings(draft)
    aims = [t for level, t in heads if level == 1 and t.startswith("Aim ")]
    pas = [t for level, t in heads if level == 2 and t.startswith("Priority action ")]
    assert [a.split(":")[0] for a in aims] == ["Aim 1", "Aim 2", "Aim 3", "Aim 4"]
    assert (
        aims[0]
        == "Aim 1: Optimise the use of diversion and intervention at the earliest opportunity"
    )
    assert [p.split(":")[0] for p in pas] == [f"Priority action {i}" for i in range(1, 14)]
    assert pas[7] == "Priority action 8: Housing on release (SHORE standards)"
    # each priority action sits under its own aim
    aim_of: dict[str, str] = {}
    current = ""
    for level, text in heads:
        if level == 1:
            current = text.split(":")[0]
        elif text.startswith("Priority action "):
            aim_of[text.split(":")[0]] = current
    assert aim_of["Priority action 2"] == "Aim 1"
    assert aim_of["Priority action 6"] == "Aim 2"
    assert aim_of["Priority action 10"] == "Aim 3"
    assert aim_of["Priority action 13"] == "Aim 4"
    top = [t for level, t in heads if level == 1]
    assert top[:6] == ["Contents", "Foreword", "Executive summary", "Introduction", "Key facts",
                       "Returns"]  # fmt: skip
    assert top[-5:] == ["Self-evaluation", "Outcome measures",
                        "Statutory partners and partnership development", "Gaps and challenges",
                        "Annex: tables"]  # fmt: skip


def test_check_docx_passes(draft: Path) -> None:
    assert check_docx(draft) == []


def test_charts_per_aim_and_for_self_evaluation_with_alt_text(draft: Path) -> None:
    document = docx.Document(str(draft))
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions == [
        *(f"Figure {i}: Partnerships reporting activity towards each priority action of aim {i}"
          for i in range(1, 5)),
        "Figure 5: Self-evaluation ratings given by partnerships, by priority action",
    ]  # fmt: skip
    charts = [p for p in document.part.package.parts if p.partname.endswith(".xml")
              and "/charts/chart" in p.partname]  # fmt: skip
    assert len(charts) == 5


def test_numbers_come_from_the_counts(draft: Path, agg: CJPFAggregate) -> None:
    text = "\n".join(p.text for p in docx.Document(str(draft)).paragraphs)
    pa4 = agg.counts["priority_actions"]["4"]
    assert (
        f"reported {pa4['activities']} activities towards this priority action: "
        f"{pa4['by_status']['completed']} completed" in text
    )
    assert "2 returns arrived after the 30 September deadline." in text
    tables = docx.Document(str(draft)).tables
    first = [[c.text for c in row.cells] for row in tables[0].rows]
    total = agg.counts["measures"]["diversion_assessments"]["total"]
    assert first[1][:3] == ["Diversion from prosecution assessments undertaken", f"{total:,}", "30"]
    assert "Placeholder foreword, to be replaced by CJS." in text


def test_no_personal_data_and_reproducible(draft: Path, agg: CJPFAggregate) -> None:
    document = docx.Document(str(draft))
    text = "\n".join(p.text for p in document.paragraphs)
    for doc in agg.returns.values():
        assert doc["contact"]["name"] not in text
        assert doc["contact"]["email"] not in text
        if doc.get("sign_off"):
            assert doc["sign_off"]["name"] not in text
    again = build_cjpf_report(
        agg.to_json_dict(), agg.returns, context=load_context(CONTEXT), generated_on=DAY
    )
    assert again == draft.read_bytes()


def test_cli_report_follows_the_year(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(
        app, ["report", str(RETURNS), "--out", str(out), "--context", str(CONTEXT)]
    )
    assert result.exit_code == 0, result.output
    assert "draft national report for 2024-25 from 30 of 30" in result.stdout
    assert len([t for level, t in _headings(out) if level == 2]) == 13


def test_the_draft_is_valid_office_open_xml(draft: Path) -> None:
    """As the 2016 draft is checked: every part, the native charts and their workbooks."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(draft))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid and result.warning_count == 0
