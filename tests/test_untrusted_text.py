"""Untrusted text from returns and their file names in every national output and on the terminal.

A hostile collection (a rejected return whose partnership is a formula for `;`-separated CSV, a
file name that is Markdown structure, bidi overrides and zero-width characters, personal data
in narrative) is aggregated; every output is then scanned: no formula starter where a
spreadsheet could start a cell (after `,` `;` tab or at the start), no Markdown structure but
ours, no invisible characters raw, nothing of the rejected return's text.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import pytest
from aggregate_helpers import minimal_return, write_return
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.core.escaping import markdown_inline
from cjreturns.readers.cells import FORMULA_STARTERS

runner = CliRunner()
EVIL_NAME = "Angus;=1+2;"
STRUCTURE_FILE = "late\n---\n# Owned\u202e.yaml"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile") / "returns"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    write_return(d, "angus.yaml", minimal_return("Angus"))
    write_return(d, "evil.yaml", minimal_return(EVIL_NAME))  # rejected: not a partnership
    bad = minimal_return("Moray")
    bad["outcomes"]["1"]["activities"][0]["status"] = "=cmd|' /C calc'!A0"
    write_return(d, STRUCTURE_FILE, bad)  # rejected: its file name is Markdown structure
    hidden = copy.deepcopy(minimal_return("Highland"))
    hidden["outcomes"]["2"]["activities"][0]["title"] = "Drop\u200bin, =SUM(1)\u202e sessions"
    write_return(d, "highland.yaml", hidden)
    out = d.parent / "national"
    done = runner.invoke(app, ["aggregate", str(d), "--year", "2021-22", "--out", str(out)])
    assert done.exit_code == 1, done.output
    return out


def _texts(out: Path) -> dict[str, str]:
    """Every output as text: CSV, Markdown, JSON, and each part of the workbook."""
    found: dict[str, str] = {}
    for path in sorted(out.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith(".xml"):
                        found[f"{path.name}:{name}"] = z.read(name).decode("utf-8")
        else:
            found[path.name] = path.read_text(encoding="utf-8-sig")
    return found


def test_no_output_repeats_a_rejected_returns_own_text(outputs: Path) -> None:
    for name, text in _texts(outputs).items():
        assert "1+2" not in text, name
        assert "cmd|" not in text, name


def test_no_csv_field_starts_a_formula_after_any_separator(outputs: Path) -> None:
    starters = "".join(sorted(FORMULA_STARTERS - {"\t", "\r"}))
    risky = re.compile(rf"(?:^|[,;\t\n\r]) *[{re.escape(starters)}]")
    for path in sorted(outputs.glob("*.csv")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            for field in line.split('"'):  # text between quotes is still split by `;` readers
                m = risky.search(field)
                assert m is None, (path.name, line)


def test_talking_points_hold_no_structure_from_file_names_or_returns(outputs: Path) -> None:
    md = (outputs / "talking-points.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    assert "---" not in lines
    headings = [line for line in lines if line.startswith("#")]
    assert headings[0].startswith("# Talking points")
    assert all(h.startswith("## ") for h in headings[1:]), headings
    assert "Owned" not in "".join(headings)
    assert not re.search("[\u200b\u202e\x00-\x08\x0b-\x1f]", md)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\n---\n# b", "a --- \\# b"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("    code", "code"),
        ("x\u202ey\u200bz", "x\\[U+202E\\]y\\[U+200B\\]z"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("&#x202E;", "\\&\\#x202E;"),
        ("Fife and Angus", "Fife and Angus"),
    ],
)
def test_markdown_inline(text: str, shown: str) -> None:
    assert markdown_inline(text) == shown


def test_validate_shows_bidi_and_zero_width_characters_as_codes(tmp_path: Path) -> None:
    d = tmp_path / "returns"
    doc = minimal_return("Fife")
    doc["partnership"] = "Fife\u202e\u200b"
    write_return(d, "report\u202efdp.yaml", doc)
    done = runner.invoke(app, ["validate", str(d)], color=True)
    assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069]", done.output), done.output
    assert "report\\u202efdp.yaml" in done.output
    assert "Fife\\u202e\\u200b" in done.output


# -- personal data the checks must see, and no national output may quote ----------------------

PERSONAL = [
    ("a National Insurance number", "Her NI number QQ 12 34 56 C was on the form."),
    ("a titled name", "Support was arranged by Ms J. Leakey for the family."),
    ("a titled name", "The group was chaired by Dr.Leakwell this year."),
    ("a titled name", "Councillor Macdonald opened the new hub."),
    ("a titled name", "DS Haldane and DC Imrie attended each panel."),
    ("a titled name", "Professor Brodie reviewed the evaluation."),
    ("an email address", "Referrals go to duty @ fife.example.org for triage."),
    ("an email address", "Write to referrals at fife dot gov dot uk for a place."),
    ("a phone number", "Call the service on 07700 900123 any weekday."),
    ("a street address", "Sessions moved to 12 Kirk Wynd in the spring."),
    ("a postcode", "Sessions moved to the hall at KY1 1XX in the spring."),
]


@pytest.mark.parametrize(("kind", "text"), PERSONAL)
def test_personal_data_in_narrative_is_a_warning(kind: str, text: str, tmp_path: Path) -> None:
    from cjreturns.validation.engine import validate_file

    doc = minimal_return("Fife")
    doc["outcomes"]["1"]["activities"][0]["description"] = text
    path = write_return(tmp_path, "fife.yaml", doc)
    found = [f for f in validate_file(path, year="2021-22").findings if f.rule == "personal-data"]
    assert [f.path for f in found] == [("outcomes", "1", "activities", 0, "description")]
    assert kind in found[0].message
    assert text not in found[0].message  # the finding names the kind, never the value


def test_places_named_after_people_are_not_flagged() -> None:
    from cjreturns.validation.rules import load_settings

    settings = load_settings()
    for text in ("Dr Gray's Hospital", "Dr Mackinnon Memorial Hospital", "DC Thomson"):
        assert not settings.flags_text(f"Staff from {text} joined the panel."), text


@pytest.mark.slow
def test_no_national_output_quotes_personal_data(tmp_path: Path) -> None:
    """Every return carries one kind of personal data in its narrative; aggregate and the Word
    draft are scanned with the same patterns and none appears."""
    import docx

    from cjreturns.validation.rules import load_settings

    d = tmp_path / "returns"
    names = ["Fife", "Angus", "Moray", "Highland", "Stirling", "Falkirk", "Inverclyde"]
    for i, (name, (_, text)) in enumerate(zip(names * 2, PERSONAL, strict=False)):
        doc = minimal_return(name if i < len(names) else f"{name}")
        for outcome in doc["outcomes"].values():
            outcome["activities"][0]["description"] = text + " The work continued all year."
            outcome["activities"][0]["title"] = text[:60]
        write_return(d, f"{name.lower()}-{i}.yaml", doc)
    out = tmp_path / "national"
    assert runner.invoke(app, ["aggregate", str(d), "--out", str(out)]).exit_code in (0, 1)
    report = tmp_path / "report.docx"
    done = runner.invoke(app, ["report", str(d), "--out", str(report)])
    assert done.exit_code in (0, 1), done.output
    texts = _texts(out)
    texts["report.docx"] = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    settings = load_settings()
    for name, text in texts.items():
        for _, sample in PERSONAL:
            assert sample[:30] not in text, (name, sample)
        plain = re.sub(r"<[^>]+>", " ", text)
        flagged = [k for k, p in settings.personal_data if settings.personal_data_in(k, p, plain)]
        assert flagged == [], (name, flagged)
