"""The national files: byte-identical JSON, the accessible workbook read back with openpyxl,
CSV, Markdown, refusal to overwrite, atomicity, formula neutralisation and privacy."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from aggregate_helpers import (
    CASE_STUDY_SUMMARY,
    CASE_STUDY_TITLE,
    CONTACT_EMAIL,
    CONTACT_NAME,
    SIGN_OFF_NAME,
    minimal_return,
    write_return,
)
from openpyxl import load_workbook

from cjreturns.aggregation import aggregate
from cjreturns.core.errors import OutputExistsError
from cjreturns.outputs import national_tables
from cjreturns.outputs.national_tables import output_paths, write_outputs
from cjreturns.outputs.tables_workbook import HEADER_ROW, neutralise

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "returns" / "2021-22"


@pytest.fixture()
def returns(tmp_path: Path) -> Path:
    d = tmp_path / "returns"
    fife = minimal_return("Fife")
    fife["outcomes"]["4"]["indicators"] = {"diversion_referrals": 4, "cpo_commenced": 250}
    fife["outcomes"]["5"]["case_studies"] = [
        {"title": CASE_STUDY_TITLE, "summary": CASE_STUDY_SUMMARY, "consent_confirmed": True}
    ]
    write_return(d, "fife.yaml", fife)
    angus = minimal_return("Angus", submitted_on="2022-10-03")
    angus["outcomes"]["4"]["indicators"] = {"diversion_referrals": 40}
    write_return(d, "angus.json", angus)
    # A rejected return whose partnership name is a spreadsheet formula.
    write_return(d, "evil.yaml", minimal_return('=HYPERLINK("http://x.example","click")'))
    return d


def test_outputs_written_and_listed(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_outputs(aggregate(returns), out)
    assert sorted(written) == sorted(output_paths(out))
    assert {p.name for p in out.iterdir()} == {p.name for p in written}  # no temporary files
    assert (out / "table-01-coverage.csv").exists()


def test_json_is_byte_identical(returns: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_outputs(aggregate(returns), first)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(returns, moved)  # the same returns somewhere else on disk
    write_outputs(aggregate(moved), second)
    for name in ("aggregate.json", "talking-points.md", "table-06-indicators.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_refuses_to_overwrite(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "talking-points.md").write_text("my notes", encoding="utf-8")
    agg = aggregate(returns)
    with pytest.raises(OutputExistsError, match=r"talking-points\.md already exists"):
        write_outputs(agg, out)
    assert [p.name for p in out.iterdir()] == ["talking-points.md"]  # nothing else written
    assert (out / "talking-points.md").read_text(encoding="utf-8") == "my notes"
    write_outputs(agg, out, force=True)
    assert (out / "talking-points.md").read_text(encoding="utf-8").startswith("# Talking points")


def test_failure_leaves_earlier_outputs_intact(
    returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    agg = aggregate(returns)
    write_outputs(agg, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(national_tables, "statistics_workbook", broken)
    with pytest.raises(RuntimeError):
        write_outputs(agg, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_workbook_structure(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(aggregate(returns), out)
    wb = load_workbook(out / "national-tables.xlsx")
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    assert wb.sheetnames[3:] == [f"Table_{i}" for i in range(1, 12)]
    cover_text = " ".join(str(c.value) for row in wb["Cover"].iter_rows() for c in row if c.value)
    notes_text = " ".join(str(c.value) for row in wb["Notes"].iter_rows() for c in row if c.value)
    for shorthand in ("[c]", "[x]"):
        assert f"{shorthand} means" in cover_text
        assert shorthand in notes_text
    contents = wb["Contents"]
    links = [contents.cell(row=HEADER_ROW + i, column=1) for i in range(1, 12)]
    assert [c.value for c in links] == [f"Table_{i}" for i in range(1, 12)]
    assert all(c.hyperlink is not None and c.hyperlink.location == f"'{c.value}'!A1" for c in links)
    for ws in wb.worksheets:
        assert not ws.merged_cells.ranges, ws.title
        if ws.title == "Cover":
            continue
        assert ws["A1"].value and ws["A1"].font.bold
        # Above the header row only column A holds anything: one header row, no stray cells.
        for row in ws.iter_rows(min_row=1, max_row=HEADER_ROW - 1):
            assert all(c.value is None for c in row[1:]), ws.title
        header = [c.value for c in ws[HEADER_ROW]]
        assert all(isinstance(h, str) and h for h in header), ws.title
        assert len(ws.tables) == 1
        table = next(iter(ws.tables.values()))
        assert table.ref.startswith(f"A{HEADER_ROW}:")
        assert table.headerRowCount in (None, 1)


def test_suppression_and_totals(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(aggregate(returns), out)
    wb = load_workbook(out / "national-tables.xlsx")
    values = wb["Table_7"]
    header = [c.value for c in values[HEADER_ROW]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in values.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    # readable headings: the indicators' names, not their codes
    referrals, cpo = (
        "Diversion from prosecution referrals received",
        "Community payback orders commenced",
    )
    assert referrals in header and not [h for h in header if "_" in str(h)]
    assert rows["Fife"][referrals] == "[c]"  # 4 is below 5
    assert rows["Fife"][cpo] == 250
    assert rows["Angus"][referrals] == 40
    assert rows["Angus"][cpo] == "[x]"  # not reported
    assert values.cell(row=HEADER_ROW, column=3).alignment.wrap_text  # long headings wrap
    cover = wb["Cover"]
    assert cover["A3"].alignment.wrap_text and len(cover["A3"].value) > 100
    rates = wb["Table_8"]
    rate_rows = {r[0]: r for r in rates.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert rate_rows["Fife"][2] == "[c]"
    national = wb["Table_6"]
    header = [c.value for c in national[HEADER_ROW]]
    totals = {
        r[0]: dict(zip(header, r, strict=True))
        for r in national.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    }
    assert totals["diversion_referrals"]["National total"] == 44  # 4 + 40: unsuppressed
    assert totals["diversion_referrals"]["Partnerships reporting"] == 2
    assert totals["bail_assessments"]["Median rate"] == "[x]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Fife", "Fife"),
        (5, 5),
        (None, None),
        ("a\x07b", "ab"),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_a_rejected_return_is_published_by_its_file_name_only(
    returns: Path, tmp_path: Path
) -> None:
    """Its `partnership` text (here a formula) is untrusted: no output repeats it."""
    out = tmp_path / "out"
    write_outputs(aggregate(returns), out)
    wb = load_workbook(out / "national-tables.xlsx")
    names = [r[0] for r in wb["Table_1"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert [n for n in names if "evil" in str(n)] == ["File: evil.yaml"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                assert "HYPERLINK" not in str(cell.value), (ws.title, cell.coordinate)
    for path in out.iterdir():
        if path.suffix in (".csv", ".md", ".json"):
            assert "HYPERLINK" not in path.read_text(encoding="utf-8-sig"), path.name
    text = (out / "table-01-coverage.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[:2] for r in rows if "evil" in r[0]] == [
        ["File: evil.yaml", "not counted: errors (partnership not recognised)"]
    ]


def test_markdown_talking_points(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    agg = aggregate(returns)
    write_outputs(agg, out)
    md = (out / "talking-points.md").read_text(encoding="utf-8")
    assert md.startswith("# Talking points: community justice annual returns 2021-22\n")
    assert "## Returns" in md
    assert "Evidence (returns-late): late 1" in md
    assert "Questions to consider:" in md
    assert md.count("\n- ") >= len(agg.talking_points)


def _all_output_text(out: Path) -> str:
    """Every output as text, the workbook's XML parts included."""
    parts = []
    for p in sorted(out.iterdir()):
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                parts += [z.read(n).decode("utf-8") for n in z.namelist()]
        else:
            parts.append(p.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


def test_no_personal_data_in_hand_built_outputs(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(aggregate(returns), out)
    text = _all_output_text(out)
    for secret in (
        CONTACT_NAME,
        CONTACT_EMAIL,
        SIGN_OFF_NAME,
        CASE_STUDY_TITLE,
        CASE_STUDY_SUMMARY[:40],
        "quarter with all statutory partners",
    ):
        assert secret not in text


def _narrative(document: dict[str, object]) -> set[str]:
    """Contacts, sign-off names, case studies and longer narrative from one return."""
    found: set[str] = set()
    for key in ("contact", "sign_off"):
        block = document.get(key)
        if isinstance(block, dict):
            found |= {str(block[k]) for k in ("name", "email") if block.get(k)}

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "case_studies" and isinstance(v, list):
                    for c in v:
                        found.update(str(c.get(f)) for f in ("title", "summary") if c.get(f))
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif (
            isinstance(value, str)
            and len(value) > 30
            and key in {"description", "impact", "summary", "no_activity_reason", "response"}
        ):
            found.add(value)

    walk(document)
    return found


@pytest.mark.skipif(
    not EXAMPLES.is_dir() or not any(EXAMPLES.iterdir()),
    reason="the example collection is not there yet",
)
def test_example_run_outputs_have_no_personal_data(tmp_path: Path) -> None:
    out = tmp_path / "out"
    agg = aggregate(EXAMPLES, year="2021-22")
    write_outputs(agg, out)
    assert agg.coverage.counted >= 25
    text = _all_output_text(out)
    secrets = set().union(*(_narrative(doc) for doc in agg.returns.values()))
    assert len(secrets) > 30
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == []
    # and nothing that even looks like an email address
    assert re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_outputs_get_ordinary_permissions_and_keep_those_they_replace(tmp_path: Path) -> None:
    """Temporary files are private (0o600); the outputs must not be, in a shared folder."""
    from cjreturns.outputs.files import atomic_write_bytes, write_set

    old = os.umask(0o022)
    try:
        new = atomic_write_bytes(tmp_path / "report.docx", b"x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        os.umask(0o027)
        both = write_set(tmp_path / "set", {"a.csv": b"1", "b.csv": b"2"})
        assert [stat.S_IMODE(p.stat().st_mode) for p in both] == [0o640, 0o640]
        assert stat.S_IMODE((tmp_path / "set").stat().st_mode) == 0o750
        new.chmod(0o664)  # an analyst shared it with the group: replacing it keeps that
        atomic_write_bytes(new, b"y", force=True)
        write_set(tmp_path / "set", {"a.csv": b"3", "b.csv": b"2"}, force=True)
        assert stat.S_IMODE(new.stat().st_mode) == 0o664
        assert stat.S_IMODE(both[0].stat().st_mode) == 0o640
        assert new.read_bytes() == b"y" and both[0].read_bytes() == b"3"
    finally:
        os.umask(old)


def test_quantifier_rules_read_as_words() -> None:
    from cjreturns.outputs.quantifiers import quantifier_rule

    assert quantifier_rule("n == N") == "every partnership counted"
    assert quantifier_rule("n / N >= 0.75") == "three quarters or more of the partnerships counted"
    assert quantifier_rule("n / N > 0.5") == "more than half of the partnerships counted"
    assert quantifier_rule("n >= 3") == "three or more partnerships"
    assert quantifier_rule("n > 0") == "one or more partnerships"
