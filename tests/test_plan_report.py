"""The update document: changes between two hand-made updates, the local picture from returns,
and the Word draft read back (headings, tables, chart, accessibility, LibreOffice)."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from test_plan import small_plan
from typer.testing import CliRunner, Result

from cjreturns.cli import app
from cjreturns.outputs.report import check_docx
from cjreturns.plan import load
from cjreturns.plan.activity import activity_by_priority_action, activity_from_folder
from cjreturns.plan.changes import Change, changes_between
from cjreturns.plan.model import plan_from_document
from cjreturns.plan.report import build_update_report, cell_text, update_blocks

ROOT = Path(__file__).resolve().parent.parent
UPDATE_2 = ROOT / "examples" / "delivery-plan" / "update-2-2024-03.yaml"
UPDATE_0 = ROOT / "examples" / "delivery-plan" / "update-0-2023-06-aim-4.yaml"
RETURNS = ROOT / "examples" / "returns" / "2021-22"
AS_OF = dt.date(2026, 12, 1)
DAY = dt.date(2026, 12, 1)
runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def later_plan() -> dict[str, Any]:
    """Update 4 of the small plan: 2 completed, 3 revised, a new deliverable 4, 1 closed."""
    doc = copy.deepcopy(small_plan())
    doc["update"] = {"number": 4, "published": "2025-12"}
    one, two, three = doc["deliverables"]
    one.clear()
    one.update(number=1, priority_action=1, status="completed_previously", completed_in_update=3)
    two.update(status="complete", update="Done.")
    three.update(
        status="in_progress_revised",
        revised_timescales=[{"in_update": 4, "to": "2026-06"}],
        deliverable="Hear the voices of victims and survivors.",
        collaborators=["Victim Support Scotland"],
    )
    doc["deliverables"].append(
        {
            "number": 4,
            "priority_action": 12,
            "deliverable": "Publish a survivors' charter.",
            "timescale": "2025-09",
            "lead": ["Scottish Government"],
            "update": "Drafting.",
            "status": "in_progress",
        }
    )
    return doc


# -- changes ---------------------------------------------------------------------------------------


def test_changes_between_two_hand_made_updates() -> None:
    before, after = plan_from_document(small_plan()), plan_from_document(later_plan())
    c = changes_between(before, after, as_of=dt.date(2025, 12, 31))
    assert (c.previous_update, c.current_update, c.priority_actions_compared) == (3, 4, (1, 3, 12))
    assert c.status_changes == (
        Change(1, "Complete in this update", "Completed previously"),
        Change(2, "In progress (revised timescale)", "Complete in this update"),
        Change(3, "Outstanding", "In progress (revised timescale)"),
    )
    assert c.new_revisions == (Change(3, "March 2025", "June 2026 (revised in update 4)"),)
    # 1 was already complete in update 3; 2 is newly complete
    assert c.newly_completed == (
        Change(2, "In progress (revised timescale)", "Complete in this update"),
    )
    # 3 was overdue in June 2025 already (due March 2025) and is revised to 2026: not overdue;
    # 4 is new and was due September 2025
    assert c.newly_overdue == (Change(4, "not in the plan", "due by September 2025"),)
    assert c.new_deliverables == (Change(4, "", "Publish a survivors' charter."),)
    assert c.wording_changes == (
        Change(3, "Hear victims' voices.", "Hear the voices of victims and survivors."),
    )
    assert c.partner_changes == (
        Change(
            3,
            "Lead: Community Justice Scotland",
            "Lead: Community Justice Scotland; with: Victim Support Scotland",
        ),
    )


def test_no_changes_between_an_update_and_itself() -> None:
    plan = plan_from_document(small_plan())
    assert changes_between(plan, plan).none


def test_a_partial_earlier_file_does_not_make_everything_new() -> None:
    c = changes_between(load(UPDATE_0), load(UPDATE_2), as_of=AS_OF)
    assert c.priority_actions_compared == (11, 12, 13)
    # new under aim 4 in update 2: the justice social work deliverables 45 to 50
    assert [x.number for x in c.new_deliverables] == [45, 46, 47, 48, 49, 50]
    assert [x.number for x in c.new_revisions] == [38, 39]
    assert [x.number for x in c.newly_completed] == [35, 37]
    assert [x.number for x in c.wording_changes] == [34, 35, 39, 40]
    # 34 (April 2024), 36 (October 2023), 40 (June 2024), 41 (November 2026) and the new 45-50
    # (but 49 December 2025 and 50 March 2025 too): nothing was overdue in June 2023. In the
    # plan's order: priority action 11 (34, 36, 45-50), then 13 (40, 41)
    assert [x.number for x in c.newly_overdue] == [34, 36, 45, 46, 47, 48, 49, 50, 40, 41]


# -- the local picture -----------------------------------------------------------------------------


def test_v1_and_v2_returns_both_count_once_per_partnership() -> None:
    v1 = {
        "outcomes": {
            "1": {"activities": [{"priority_actions": [3, 11]}, {"priority_actions": [3]}]},
            "2": {"activities": [{"title": "untagged"}]},
        },
        "local_activity": [{"priority_actions": [13]}],
    }
    v2 = {
        "schema_version": "2.0",
        "priority_actions": {
            "3": {"activities": [{"title": "bail"}]},
            "8": {"activities": [], "no_activity_reason": "none this year"},
            "9": {"activities": [{"title": "jobs", "also_priority_actions": [10]}]},
        },
    }
    assert activity_by_priority_action({"Fife": v1, "Moray": v2}) == {
        3: ("Fife", "Moray"),
        9: ("Moray",),
        10: ("Moray",),
        11: ("Fife",),
        13: ("Fife",),
    }


def test_the_example_returns_counted_by_priority_action() -> None:
    activity = activity_from_folder(RETURNS, year="2021-22")
    assert (activity.year, activity.counted, activity.rejected) == ("2021-22", 30, 0)
    documents = {p.stem: yaml.safe_load(p.read_text()) for p in RETURNS.glob("*.yaml")}
    documents |= {p.stem: yaml.safe_load(p.read_text()) for p in RETURNS.glob("*.json")}

    def tagged(doc: dict[str, Any], pa: int) -> bool:
        acts = [a for o in doc["outcomes"].values() for a in o.get("activities", [])]
        acts += doc.get("local_activity", [])
        return any(pa in a.get("priority_actions", []) for a in acts)

    for pa in (1, 4, 6, 12):  # counted again here, from the files, another way
        assert activity.count(pa) == sum(tagged(d, pa) for d in documents.values()), pa


def test_the_v2_example_returns_counted_by_priority_action() -> None:
    folder = ROOT / "examples" / "returns" / "2024-25"
    activity = activity_from_folder(folder, year="2024-25")
    assert (activity.counted, activity.rejected) == (30, 0)
    documents = [yaml.safe_load(p.read_text()) for p in folder.glob("*.yaml")]
    documents += [yaml.safe_load(p.read_text()) for p in folder.glob("*.json")]

    def reports(doc: dict[str, Any], pa: int) -> bool:
        sections = {str(k): v for k, v in doc["priority_actions"].items()}
        acts = [a for s in sections.values() for a in s.get("activities", [])]
        return bool(sections[str(pa)].get("activities")) or any(
            pa in a.get("also_priority_actions", []) for a in acts
        )

    for pa in range(1, 14):  # counted again here, from the files
        assert activity.count(pa) == sum(reports(d, pa) for d in documents), pa
    assert activity.count(6) < 30  # some partnerships gave a reason for no activity


# -- the document ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def update_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "update.docx"
    result = run(
        "plan", "report", UPDATE_2, "--out", path, "--previous", UPDATE_0,
        "--returns", RETURNS, "--year", "2021-22", "--as-of", "2026-12-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"Wrote {path}: draft of the delivery plan (update 2, March 2024), status as of 2026-12-01."
    )
    return path


def headings(document: Any) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.split()[-1]), p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]


def test_the_document_has_the_published_structure(update_docx: Path) -> None:
    document = docx.Document(str(update_docx))
    found = headings(document)
    assert [t for level, t in found if level == 1] == [
        "Updating process",
        "Status summary",
        "Changes since update 0",
        "National and local pictures",
        "Table of deliverables",
        "Previously completed deliverables",
    ]
    aims = [t for level, t in found if level == 2 and t.startswith("Aim ")]
    assert [t.split(":")[0] for t in aims] == ["Aim 1", "Aim 2", "Aim 3", "Aim 4"]
    actions = [t for level, t in found if level == 3]
    assert [t.split(":")[0] for t in actions] == [f"Priority action {n}" for n in range(1, 14)]
    assert actions[1].endswith("mental health services")
    assert document.core_properties.title.endswith("delivery plan update 2 – March 2024")
    assert document.core_properties.language == "en-GB"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def caption(table: Any) -> str:
    """The table's caption as Word's Alt Text title holds it."""
    found = table._tbl.tblPr.find(f"{W}tblCaption")
    return found.get(f"{W}val") if found is not None else ""


def table_by_caption(document: Any, text: str) -> Any:
    for t in document.tables:
        if caption(t) == text:
            return t
    raise AssertionError(f"no table captioned {text!r}")


def cells(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_each_deliverable_has_its_table_in_the_page_order(update_docx: Path) -> None:
    document = docx.Document(str(update_docx))
    nine = cells(table_by_caption(document, "Deliverable 9"))
    assert [row[0] for row in nine] == [
        "No", "Deliverable", "Timescale", "Responsibility", "Further detail", "Update", "Status",
    ]  # fmt: skip
    assert nine[0][1] == "9"
    assert nine[2][1] == "December 2023\nRevised in update 1 to January 2025"
    assert nine[3][1] == (
        "Lead partner - Local Authorities\n"
        "In collaboration with - Social Work Scotland and Scottish Government"
    )
    assert nine[6][1] == "In progress (with revised timescale)"
    numbers = [
        int(cells(t)[0][1]) for t in document.tables if caption(t).startswith("Deliverable ")
    ]
    plan = load(UPDATE_2)
    assert numbers == [d.number for d in plan.deliverables]  # by aim and priority action
    one = cells(table_by_caption(document, "Deliverable 1"))
    assert one[1][1].startswith("Deliverable completed – see section")


def test_status_summary_table_and_chart(update_docx: Path) -> None:
    document = docx.Document(str(update_docx))
    table = cells(
        table_by_caption(document, "Deliverables by status and aim (the data of figure 1)")
    )
    assert table[0] == ["Status", "Aim 1", "Aim 2", "Aim 3", "Aim 4", "All aims"]
    assert table[1] == ["In progress", "3", "7", "6", "9", "25"]
    assert table[-2] == ["All deliverables", "8", "15", "13", "14", "50"]
    assert table[-1] == ["Overdue", "7", "9", "9", "10", "35"]
    with zipfile.ZipFile(update_docx) as z:
        charts = [n for n in z.namelist() if n.startswith("word/charts/c")]
        assert charts == ["word/charts/chart1.xml"]
        xml = z.read(charts[0]).decode()
    assert '<c:grouping val="stacked"/>' in xml and "<c:v>Aim</c:v>" not in xml  # axis title
    assert "<a:t>Aim</a:t>" in xml and "<c:v>Completed previously</c:v>" in xml
    overdue = cells(table_by_caption(document, "Deliverables overdue as of 1 December 2026"))
    assert [int(row[0]) for row in overdue[1:]] == load(UPDATE_2).summary(AS_OF)["overdue"]


def test_changes_local_picture_and_previously_completed(update_docx: Path) -> None:
    document = docx.Document(str(update_docx))
    revised = cells(table_by_caption(document, "New timescale revisions since update 0"))
    assert revised[1] == ["38", "December 2023", "December 2027 (revised in update 1)"]
    local = cells(
        table_by_caption(
            document,
            "Deliverables and partnerships reporting activity, by priority action "
            "(2021-22 returns)",
        )
    )
    activity = activity_from_folder(RETURNS, year="2021-22")
    assert local[0][-1] == "Partnerships reporting activity"
    assert [row[-1] for row in local[1:]] == [f"{activity.count(pa)} of 30" for pa in range(1, 14)]
    assert local[11][:4] == ["11: Leadership, governance and strategic planning", "10", "2", "8"]
    done = cells(table_by_caption(document, "Previously completed deliverables"))
    assert [row[0] for row in done[1:]] == ["1", "13", "14", "18", "23", "30", "37"]
    assert all(row[3] == "Update 1" for row in done[1:])
    # 37's text is not in update 2's file; update 0 (--previous) gives it
    assert done[-1][1].startswith("Establish a group or other appropriate structure")
    assert done[1][1].startswith("[Not in this plan file")


def test_the_document_passes_check_docx(update_docx: Path) -> None:
    assert check_docx(update_docx) == []
    result = run("check-docx", update_docx)
    assert result.exit_code == 0


def test_the_document_is_valid_office_open_xml(update_docx: Path) -> None:
    """As the national draft is checked: every part, the stacked chart and its workbook."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(update_docx))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid and result.warning_count == 0


def test_same_inputs_same_bytes() -> None:
    plan = load(UPDATE_2)
    one = build_update_report(plan, as_of=AS_OF, generated_on=DAY)
    assert one == build_update_report(plan, as_of=AS_OF, generated_on=DAY)


def test_without_previous_or_returns_those_sections_are_left_out() -> None:
    report = update_blocks(load(UPDATE_0), as_of=dt.date(2023, 6, 30), generated_on=DAY)
    level_1 = [h.text for h in report.headings() if h.level == 1]
    assert level_1 == [
        "Updating process",
        "Status summary",
        "Table of deliverables",
        "Previously completed deliverables",
    ]
    (table,) = [b for b in report.blocks if getattr(b, "caption", "") == "Deliverable 34"]
    # the plan as first published: no update or status rows
    assert [row[0] for row in table.rows] == [
        "Deliverable", "Timescale", "Responsibility", "Further detail",
    ]  # fmt: skip
    assert table.rows[2][1] == (
        "Lead partners - Care Inspectorate, Scottish Government and Community Justice Scotland\n"
        "In collaboration with - statutory community justice partners and third sector"
    )


def test_an_update_without_a_status_or_update_text_says_so() -> None:
    doc = small_plan()
    del doc["deliverables"][0]["update"]
    report = update_blocks(plan_from_document(doc), as_of=AS_OF, generated_on=DAY)
    (table,) = [b for b in report.blocks if getattr(b, "caption", "") == "Deliverable 1"]
    assert table.rows[4] == ("Update", "[No update given: add one.]")


def test_cell_text_keeps_paragraphs_and_list_items_apart() -> None:
    assert cell_text("One.\nTwo:\n• a\n• b\nThree.") == "One.\n\nTwo:\n\n• a\n• b\n\nThree."


def test_report_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "u.docx"
    assert run("plan", "report", UPDATE_2, "--out", tmp_path / "u.pdf").exit_code == 2
    assert run("plan", "report", UPDATE_2, "--out", out, "--returns", RETURNS).exit_code == 2
    assert (
        run("plan", "report", UPDATE_0, "--out", out, "--previous", UPDATE_2).exit_code == 2
    )  # the earlier file must be an earlier update
    assert run("plan", "report", UPDATE_0, "--out", out).exit_code == 0
    refused = run("plan", "report", UPDATE_0, "--out", out)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert run("plan", "report", UPDATE_0, "--out", out, "--force").exit_code == 0


@pytest.mark.slow
def test_libreoffice_converts_the_update_to_pdf(update_docx: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("LibreOffice or poppler-utils is not installed (.ci/run installs them)")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(update_docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, str(tmp_path / "update.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    for heading in (
        "Status summary",
        "Changes since update 0",
        "Previously completed deliverables",
    ):
        assert heading in text
    assert "Figure 1: Deliverables by status and aim" in text
    assert "Revised in update 1 to January 2025" in text
