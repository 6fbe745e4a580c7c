"""The national report draft built from the example collection, read back with python-docx.

The draft is built once per module (about five seconds); every test reads that one file. Numbers
in the Key findings are checked against an aggregate computed separately from the same returns.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from cjreturns.aggregation import aggregate
from cjreturns.contract.reference import load_reference
from cjreturns.outputs.report import build_report, check_docx, load_context

ROOT = Path(__file__).resolve().parents[1]
RETURNS = ROOT / "examples" / "returns" / "2021-22"
CONTEXT = ROOT / "examples" / "context-2021-22.yaml"
DAY = dt.date(2023, 1, 31)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    result = aggregate(RETURNS, year="2021-22")
    data = build_report(
        result.to_json_dict(), result.returns, context=load_context(CONTEXT), generated_on=DAY
    )
    return {"bytes": data, "returns": result.returns}


@pytest.fixture(scope="module")
def second() -> Any:
    """A second, independent aggregation of the same returns."""
    return aggregate(RETURNS, year="2021-22")


@pytest.fixture(scope="module")
def agg(second: Any) -> dict[str, Any]:
    """What the numbers in the text must agree with."""
    return second.to_json_dict()


@pytest.fixture(scope="module")
def draft(built: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "national-report-2021-22.docx"
    path.write_bytes(built["bytes"])
    return path


@pytest.fixture(scope="module")
def document(draft: Path) -> Any:
    return docx.Document(str(draft))


Para = tuple[str, str]  # (style name, text): read once, python-docx style look-ups are slow


@pytest.fixture(scope="module")
def paras(document: Any) -> list[Para]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def headings(paras: list[Para]) -> list[tuple[int, str]]:
    out = []
    for style, text in paras:
        m = re.fullmatch(r"Heading (\d)", style)
        if m:
            out.append((int(m.group(1)), text))
    return out


def section(paras: list[Para], heading: str, level: int) -> list[Para]:
    """Paragraphs after a heading, up to the next heading of the same or a higher level."""
    out: list[Para] = []
    inside = False
    for style, text in paras:
        m = re.fullmatch(r"Heading (\d)", style)
        if m and inside and int(m.group(1)) <= level:
            break
        if inside:
            out.append((style, text))
        if m and int(m.group(1)) == level and text == heading:
            inside = True
    assert inside, f"no heading {heading!r} at level {level}"
    return out


def bullets_under(paragraphs: list[Para], heading: str) -> list[str]:
    out: list[str] = []
    inside = False
    for style, text in paragraphs:
        if style.startswith("Heading"):
            inside = text == heading
            continue
        if inside and style == "List Bullet":
            out.append(text)
    return out


# -- structure -----------------------------------------------------------------------------------


def test_top_level_sections_in_the_national_report_order(paras: list[Para]) -> None:
    assert [t for level, t in headings(paras) if level == 1] == [
        "Contents",
        "Foreword",
        "Executive summary",
        "Introduction",
        "Key facts",
        "Governance and partnership working",
        "Progress towards the national outcomes",
        "Gaps and challenges",
        "Appendix: progress on recommendations from last year's report",
        "Annex: coverage, method and count tables",
    ]


def test_title_page_says_draft_year_and_generation_date(document: Any, paras: list[Para]) -> None:
    first = paras[:4]
    assert first[0] == ("Title", "Community Justice Outcome Activity Annual Report")
    assert first[1] == ("Subtitle", "Reporting year 2021-22 (1 April 2021 to 31 March 2022)")
    assert first[2] == ("Draft Marking", "DRAFT: not for publication")
    assert first[3][1].startswith("Generated on 31 January 2023 by cjreturns")
    header = document.sections[0].header.paragraphs[0].text
    assert header == "DRAFT: Community Justice Outcome Activity Annual Report 2021-22"


def test_each_outcome_has_its_section_with_the_three_parts(paras: list[Para]) -> None:
    ref = load_reference()
    for k in range(1, 5):
        paragraphs = section(paras, f"Outcome {k}: {ref.outcomes[k]['text']}", 2)
        parts = [text for style, text in paragraphs if style == "Heading 3"]
        assert parts == ["Key findings", "Summary of evidence", "Talking points"]
        assert any(text.startswith("For example, in ") for _, text in paragraphs)
    person = section(paras, "Person-centred outcomes 5, 6 and 7", 2)
    parts = [text for style, text in person if style == "Heading 3"]
    assert parts == ["Key findings", "Summary of evidence", "Talking points"]
    h4 = [text for style, text in person if style == "Heading 4"]
    assert h4 == [f"Outcome {k}: {ref.outcomes[k]['text']}" for k in (5, 6, 7)]


def test_contents_has_a_toc_field_and_a_plain_list(paras: list[Para], draft: Path) -> None:
    body = zipfile.ZipFile(draft).read("word/document.xml").decode()
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    listed = [text for style, text in section(paras, "Contents", 1) if style == "List Bullet"]
    assert listed == [t for level, t in headings(paras) if level == 1][1:]
    settings = zipfile.ZipFile(draft).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings


def test_headings_never_skip_a_level(paras: list[Para]) -> None:
    previous = 0
    for level, text in headings(paras):
        assert level <= previous + 1, text
        previous = level


# -- numbers -------------------------------------------------------------------------------------

PHRASE = r"(?P<word>[A-Za-z ]+?) (?:partnerships?) \((?P<n>\d+) of (?P<N>\d+)\)"


def check_phrase(m: re.Match[str], n: int, total: int) -> None:
    assert (int(m["n"]), int(m["N"])) == (n, total), m.group(0)
    word = m["word"].strip().lower()
    if n == 1:
        assert word == "one"
    elif n == 0:
        assert word == "no"
    else:
        assert word == load_reference().quantifier(n, total), m.group(0)


def theme_code(label: str) -> str:
    ref = load_reference()
    found = [c for c, t in ref.themes.items() if t["name"].lower() == label.lower()]
    assert len(found) == 1, label
    return found[0]


def check_outcome_bullet(text: str, key: str, agg: dict[str, Any]) -> None:
    """Every Key findings bullet matches one known sentence and its numbers match the aggregate."""
    block = agg["outcomes"][key]
    total = agg["partnerships_counted"]
    ref = load_reference()
    if m := re.fullmatch(
        PHRASE + r" reported at least one activity towards this outcome, (?P<a>[\d,]+) "
        r"activit(y|ies) in all\.",
        text,
    ):
        check_phrase(m, block["partnerships_with_activity"], total)
        assert int(m["a"].replace(",", "")) == block["activities"]
    elif m := re.fullmatch(
        r"Of the (?P<a>[\d,]+) activit(y|ies), (?P<c>\d+) (was|were) completed, (?P<i>\d+) "
        r"(was|were) in progress and (?P<p>\d+) (was|were) planned\.",
        text,
    ):
        assert int(m["a"].replace(",", "")) == block["activities"]
        status = block["by_status"]
        assert (int(m["c"]), int(m["i"]), int(m["p"])) == (
            status["completed"],
            status["in_progress"],
            status["planned"],
        )
    elif m := re.fullmatch(PHRASE + r" evidenced (?P<theme>.+?)(, a theme usually .*)?\.", text):
        check_phrase(m, block["themes"].get(theme_code(m["theme"]), 0), total)
    elif m := re.fullmatch(
        r"(?P<good>\d+) of the (?P<rated>\d+) partnerships that evaluated their progress on "
        r"this outcome rated it good or better \(4 or above on the six-point scale\)\.",
        text,
    ):
        ratings = block["self_evaluation"]
        assert int(m["rated"]) == sum(ratings.values())
        assert int(m["good"]) == sum(ratings[v] for v in ("4", "5", "6"))
    elif m := re.fullmatch(
        PHRASE + r" linked activities under this outcome to priority action (?P<pa>\d+) of the "
        r"2022 national strategy \((?P<short>.+)\)\.",
        text,
    ):
        check_phrase(m, block["priority_actions"][m["pa"]], total)
        assert max(block["priority_actions"].values()) == block["priority_actions"][m["pa"]]
        assert m["short"].lower() == ref.priority_actions[int(m["pa"])].lower()
    else:
        pytest.fail(f"a Key findings sentence the test does not know: {text!r}")


def test_structural_key_findings_agree_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    ref = load_reference()
    for key in ("1", "2", "3", "4"):
        paragraphs = section(paras, f"Outcome {key}: {ref.outcomes[int(key)]['text']}", 2)
        found = bullets_under(paragraphs, "Key findings")
        assert len(found) >= 4
        for text in found:
            check_outcome_bullet(text, key, agg)


def test_the_first_finding_for_outcome_1_reads_like_the_national_report(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    ref = load_reference()
    paragraphs = section(paras, f"Outcome 1: {ref.outcomes[1]['text']}", 2)
    block = agg["outcomes"]["1"]
    n, total = block["partnerships_with_activity"], agg["partnerships_counted"]
    assert bullets_under(paragraphs, "Key findings")[0] == (
        f"{ref.quantifier(n, total).capitalize()} partnerships ({n} of {total}) reported at "
        f"least one activity towards this outcome, {block['activities']} activities in all."
    )


def test_person_centred_key_findings_agree_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    total = agg["partnerships_counted"]
    pc = agg["person_centred"]
    person = section(paras, "Person-centred outcomes 5, 6 and 7", 2)
    found = bullets_under(person, "Key findings")
    seen_outcomes = set()
    for text in found:
        if m := re.fullmatch(
            r"Outcome (?P<k>[567]): " + PHRASE + r" reported at least one activity, "
            r"(?P<a>[\d,]+) activities in all\.",
            text,
        ):
            block = agg["outcomes"][m["k"]]
            check_phrase(m, block["partnerships_with_activity"], total)
            assert int(m["a"].replace(",", "")) == block["activities"]
            seen_outcomes.add(m["k"])
        elif m := re.fullmatch(r"Outcome (?P<k>[567]): (?P<rest>.+)", text):
            check_outcome_bullet(m["rest"], m["k"], agg)
        elif m := re.fullmatch(PHRASE + r" reported activity towards at least one .*", text):
            check_phrase(m, pc["partnerships_with_activity"], total)
        elif m := re.fullmatch(PHRASE + r" evidenced progress through (?P<theme>.+)\.", text):
            check_phrase(m, pc["evidence"][theme_code(m["theme"])], total)
        elif m := re.fullmatch(
            PHRASE + r" included case studies, (?P<c>\d+) case stud(y|ies) in all\.", text
        ):
            check_phrase(m, pc["partnerships_with_case_studies"], total)
            assert int(m["c"]) == pc["case_studies"]
        else:
            pytest.fail(f"a Key findings sentence the test does not know: {text!r}")
    assert seen_outcomes == {"5", "6", "7"}


def test_executive_summary_agrees_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    total = agg["partnerships_counted"]
    summary = " ".join(
        text for style, text in section(paras, "Executive summary", 1) if style == "Normal"
    )
    found = re.findall(PHRASE + r" reported activity towards outcome (?P<k>\d)\.", summary)
    assert [k for *_, k in found] == ["1", "2", "3", "4", "5", "6", "7"]
    for m in re.finditer(PHRASE + r" reported activity towards outcome (?P<k>\d)\.", summary):
        check_phrase(m, agg["outcomes"][m["k"]]["partnerships_with_activity"], total)
    for m in re.finditer(
        r"outcome (?P<k>\d)\. The theme most often evidenced was (?P<theme>.+?) "
        r"\((?P<n>\d+) of (?P<N>\d+)\)\.",
        summary,
    ):
        themes = agg["outcomes"][m["k"]]["themes"]
        assert int(m["n"]) == themes[theme_code(m["theme"])] == max(themes.values())
        assert int(m["N"]) == total


def test_local_activity_sentence_agrees_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    local = agg["local_activity"]
    texts = [t for _, t in section(paras, "Progress towards the national outcomes", 1)]
    found = [t for t in texts if "beyond the national outcomes" in t]
    m = re.fullmatch(
        PHRASE + r" also reported local activity beyond the national outcomes, "
        r"(?P<a>\d+) activit(y|ies) in all\.",
        found[0],
    )
    assert m is not None, found
    check_phrase(m, local["partnerships_with_activity"], agg["partnerships_counted"])
    assert int(m["a"]) == local["activities"]


def test_local_indicator_sentences_agree_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    ref = load_reference()
    names = {i["name"]: code for code, i in ref.indicators.items()}
    found = [
        text for style, text in section(paras, "Local indicators", 2) if style == "List Bullet"
    ]
    assert len(found) == sum(1 for b in agg["indicators"].values() if b["partnerships_reporting"])
    for text in found:
        m = re.fullmatch(
            r"(?P<name>[^:]+): (?P<total>[\d,]+) in all, from "
            + PHRASE
            + r"; median rate (?P<median>[\d.,]+) per 10,000 people \(from (?P<lo>[\d.,]+) to "
            r"(?P<hi>[\d.,]+)\)\.",
            text,
        )
        assert m is not None, text
        block = agg["indicators"][names[m["name"]]]
        assert int(m["total"].replace(",", "")) == block["total"]
        check_phrase(m, block["partnerships_reporting"], agg["partnerships_counted"])
        assert float(m["median"].replace(",", "")) == block["median_rate"]
        assert float(m["lo"].replace(",", "")) == block["min_rate"]
        assert float(m["hi"].replace(",", "")) == block["max_rate"]


def test_governance_and_challenge_counts_agree_with_the_aggregate(
    paras: list[Para], agg: dict[str, Any]
) -> None:
    ref = load_reference()
    total = agg["partnerships_counted"]
    by_label = {name.lower(): code for code, name in ref.development.items()}
    governance = section(paras, "Governance and partnership working", 1)
    for text in bullets_under(governance, "Key findings"):
        if m := re.fullmatch(PHRASE + r" described (?P<what>.+)\.", text):
            check_phrase(m, agg["partnership_development"][by_label[m["what"].lower()]], total)
        elif m := re.fullmatch(PHRASE + r" reported no participation from (?P<who>.+)\.", text):
            code = {v: k for k, v in ref.statutory_partners.items()}[m["who"]]
            check_phrase(m, agg["partner_participation"][code]["none"], total)
        else:
            pytest.fail(f"unknown governance finding {text!r}")
    gaps = [
        text
        for style, text in section(paras, "Gaps and challenges", 1)
        if style == "List Bullet" and ": " in text
    ]
    named = {code: n for code, n in agg["challenges"].items() if n}
    assert len(gaps) == len(named)
    labels = {name: code for code, name in ref.challenges.items()}
    for text, (code, n) in zip(gaps, named.items(), strict=True):
        label, phrase = text.split(": ", 1)
        assert labels[label] == code  # ranked as the aggregate ranks them
        m = re.fullmatch(PHRASE, phrase)
        assert m is not None, text
        check_phrase(m, n, total)


def test_coverage_table_matches_the_aggregate(document: Any, agg: dict[str, Any]) -> None:
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "Files received")
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    cov = agg["coverage"]
    assert rows["Files received"] == str(cov["received"])
    assert rows["Returns accepted and counted"] == str(len(cov["accepted"]))
    assert rows["Accepted but received after the due date"] == str(len(cov["late"]))
    assert rows["Partnerships with no return"] == str(len(cov["missing"]))
    assert rows["Returns rejected (with errors)"] == str(len(cov["rejected"]))


# -- key facts, images, accessibility -------------------------------------------------------------


def test_key_facts_table_holds_the_context_values(document: Any) -> None:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Measure")
    assert [c.text for c in table.rows[0].cells] == [
        "Measure",
        "2021-22",
        "2020-21",
        "Change",
        "Source",
    ]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert rows["Diversion from prosecution cases commenced"] == [
        "2,700",
        "2,200",
        "+500 (+23%)",
        "Justice Social Work Statistics 2021-22",
    ]
    assert rows["Community payback orders commenced"][:3] == ["12,150", "8,200", "+3,950 (+48%)"]
    assert rows["Victims of homicide"][:3] == ["53", "not available", "not available"]
    assert len(rows) == 7


def test_context_key_facts_are_the_reference_key_facts() -> None:
    with (ROOT / "schemas" / "reference.yaml").open(encoding="utf-8") as fh:
        reference = yaml.safe_load(fh)["key_facts_2021_22"]
    facts = load_context(CONTEXT).key_facts
    assert [(f.code, f.value, f.previous, f.source) for f in facts] == [
        (r["code"], r["value"], r["previous"], r["source"]) for r in reference
    ]


def test_every_image_has_alt_text_and_a_data_table(
    document: Any, paras: list[Para], draft: Path
) -> None:
    body = zipfile.ZipFile(draft).read("word/document.xml").decode()
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    shapes = document.inline_shapes
    assert len(shapes) == len(descriptions) >= 7
    assert all(len(d) > 60 for d in descriptions)
    captions = [text for style, text in paras if style == "Caption"]
    for n in range(1, len(shapes) + 1):
        assert any(c.startswith(f"Figure {n}: ") for c in captions)
        assert any(c.startswith("Table ") and f"Data for Figure {n}: " in c for c in captions)


def test_the_draft_is_valid_office_open_xml(draft: Path) -> None:
    """Schema and semantic checks of every part, as Word's Open XML SDK validator makes them:
    element order in the chart parts, allowed values such as tblHeader's, styles parts."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(draft))
    assert [str(e) for e in result.errors] == []
    assert result.is_valid and result.warning_count == 0


def test_every_table_has_a_repeating_header_row(document: Any) -> None:
    assert len(document.tables) >= 15
    for table in document.tables:
        tr_pr = table._tbl.findall(f"{W}tr")[0].find(f"{W}trPr")
        assert tr_pr is not None and tr_pr.find(f"{W}tblHeader") is not None


def test_the_draft_passes_its_own_accessibility_check(draft: Path) -> None:
    assert check_docx(draft) == []


def test_document_properties_and_language(document: Any, draft: Path) -> None:
    props = document.core_properties
    assert props.title == "Community Justice Outcome Activity Annual Report 2021-22 (draft)"
    assert (
        props.subject == "Progress towards the national outcomes for community justice in Scotland"
    )
    assert props.language == "en-GB"
    assert props.created is not None and props.created.date() == DAY
    styles = zipfile.ZipFile(draft).read("word/styles.xml").decode()
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="en-GB"', styles, re.S)
    assert document.styles["Normal"].font.name == "Arial"


# -- privacy and safety --------------------------------------------------------------------------


def personal_values(returns: dict[str, dict[str, Any]]) -> set[str]:
    values = set()
    for doc in returns.values():
        for block in (doc.get("contact") or {}, doc.get("sign_off") or {}):
            for key in ("name", "email", "phone"):
                if isinstance(block.get(key), str) and len(block[key]) > 3:
                    values.add(block[key])
    return values


def test_no_contact_or_sign_off_details_anywhere(built: dict[str, Any]) -> None:
    values = personal_values(built["returns"])
    assert len(values) >= 30
    with zipfile.ZipFile(io.BytesIO(built["bytes"])) as z:
        xml = "\n".join(
            z.read(n).decode("utf-8", "replace")
            for n in z.namelist()
            if n.endswith(".xml") or n.endswith(".rels")
        )
    assert [v for v in values if v in xml] == []
    assert re.findall(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}", xml) == []


def test_no_hyperlinks_and_only_our_own_fields(draft: Path) -> None:
    with zipfile.ZipFile(draft) as z:
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "<w:hyperlink" not in body and "fldSimple" not in body
    assert 'TargetMode="External"' not in rels
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", body)
    assert [i.split()[0] for i in instructions] == ["TOC"]


def test_same_inputs_and_date_give_the_same_bytes(built: dict[str, Any], second: Any) -> None:
    again = build_report(
        second.to_json_dict(), second.returns, context=load_context(CONTEXT), generated_on=DAY
    )
    assert again == built["bytes"]


# -- LibreOffice ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_the_draft_to_pdf(draft: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: PDF conversion not checked "
            "(.ci/run installs libreoffice-writer-nogui)"
        )
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(draft),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "national-report-2021-22.pdf"
    assert done.returncode == 0 and pdf.exists(), done.stderr
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 20
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the charts' text not checked")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # LibreOffice drew the native charts from their data: their axis titles, category labels
    # and the median bar are text in the PDF, not pixels.
    assert "Number of partnerships (of 30)" in text
    assert "Median of these partnerships" in text  # neither string is in the document's text
