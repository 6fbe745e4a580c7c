"""The invalid-examples corpus: each case in examples/invalid/ gives exactly its expected findings.

examples/invalid/expected.yaml lists, per case file in returns/, every finding (rule, severity,
dotted path, line, column). A finding missing or one too many fails the case, so a rule that
starts firing on valid content elsewhere in the file shows up here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cjreturns.validation.engine import validate_document, validate_file
from cjreturns.validation.rules import RULES, rules_to_run

INVALID_DIR = Path(__file__).resolve().parent.parent / "examples" / "invalid"
CASES_DIR = INVALID_DIR / "returns"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (INVALID_DIR / "expected.yaml").read_text(encoding="utf-8")
)

Key = tuple[str, str, str, int | None, int | None]


def _expected(case: dict[str, Any]) -> set[Key]:
    return {
        (f["rule"], f["severity"], f["path"], f["line"], f["column"])
        for f in case.get("findings") or []
    }


def _actual(name: str) -> set[Key]:
    result = validate_file(CASES_DIR / name, year=EXPECTED[name].get("year"))
    return {(f.rule, f.severity, f.dotted_path, f.line, f.column) for f in result.findings}


def test_every_case_file_has_an_expectation_and_every_expectation_a_file() -> None:
    files = {p.name for p in CASES_DIR.iterdir() if p.is_file()}
    assert files == set(EXPECTED)


def test_every_case_says_what_the_mistake_is() -> None:
    assert all(isinstance(case.get("why"), str) and case["why"] for case in EXPECTED.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_gives_exactly_the_expected_findings(name: str) -> None:
    expected, actual = _expected(EXPECTED[name]), _actual(name)
    assert actual - expected == set(), "unexpected findings"
    assert expected - actual == set(), "expected findings not produced"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_validity_follows_from_its_severities(name: str) -> None:
    result = validate_file(CASES_DIR / name, year=EXPECTED[name].get("year"))
    has_error = any(f["severity"] == "error" for f in EXPECTED[name].get("findings") or [])
    assert result.valid is not has_error
    # Every finding a person can act on says where: a line, or the whole file when unreadable.
    for f in result.findings:
        assert f.message.strip()
        assert f.line is not None or f.rule in {"file-empty", "file-binary"}


def test_every_rule_a_case_produces_is_catalogued() -> None:
    produced = {f["rule"] for case in EXPECTED.values() for f in case.get("findings") or []}
    assert produced <= set(RULES)
    for case in EXPECTED.values():
        for f in case.get("findings") or []:
            assert RULES[f["rule"]].severity == f["severity"], f


def test_every_business_rule_is_exercised_by_a_case() -> None:
    produced = {f["rule"] for case in EXPECTED.values() for f in case.get("findings") or []}
    business = {r.id for r in rules_to_run()}
    assert business - produced == set()
    # rule-crashed is catalogued as a rules-stage id but has no check: it reports a bug.
    assert {r.id for r in RULES.values() if r.stage == "rules"} - business == {"rule-crashed"}


def test_the_valid_cases_are_valid_with_no_findings() -> None:
    clean = [name for name, case in EXPECTED.items() if not case.get("findings")]
    assert sorted(clean) == ["personal-data-in-contact.yaml", "valid-bom-gaelic.yaml"]


def test_personal_data_findings_name_the_kind_and_never_echo_the_value() -> None:
    values = {
        "personal-data-email.yaml": ("an email address", "tom.baird@fife.gov.uk"),
        "personal-data-phone.yaml": ("a phone number", "01592 583 219"),
        "personal-data-chi.yaml": ("a CHI-like 10-digit number", "1203854412"),
        "personal-data-postcode.yaml": ("a postcode", "KY1 2NB"),
        "personal-data-titled-name.yaml": ("a titled name", "Kowalski"),
        "personal-data-date-of-birth.yaml": ("a date of birth", "14/03/2001"),
    }
    for name, (kind, value) in values.items():
        (finding,) = validate_file(CASES_DIR / name).findings
        assert f"({kind})" in finding.message
        assert value not in finding.message


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("DOB: 14/03/2001, seen weekly.", ["a date of birth"]),
        ("His d.o.b. is on file.", ["a date of birth"]),
        ("A man born on 3rd May 2001 was housed.", ["a date of birth"]),
        ("Volunteers from Dobbies garden centre and Mr Dobson's allotment.", ["a titled name"]),
        ("Phone 0131 496 0000 or +44 1592 583219.", ["a phone number"]),
        ("Email team@fife.gov.uk", ["an email address"]),
        ("CHI 3112851234", ["a CHI-like 10-digit number"]),
        # Starting with 0, a CHI number also looks like a phone number: both kinds are named.
        ("CHI 010180-1234", ["a phone number", "a CHI-like 10-digit number"]),
        ("Moved to EH1 1YZ", ["a postcode"]),
        ("2,700 diversion cases in 2021-22, up from 2,200; 14250 hours; S12000047.", []),
        ("Unpaid work teams in KY1 and the A92 corridor.", []),
        # Places named after people are not people (rules.yaml `not_within`), either apostrophe
        ("Groups meet at Dr Gray's Hospital, Elgin.", []),
        ("Groups meet at Dr Gray’s Hospital and Dr Mackinnon Memorial Hospital.", []),
        ("Mrs Smith's son was seen at Dr Gray's Hospital.", ["a titled name"]),
        ("Dr Gray's team ran the clinic.", ["a titled name"]),
    ],
)
def test_personal_data_patterns(text: str, kinds: list[str]) -> None:
    from cjreturns.validation.rules import load_settings

    s = load_settings()
    found = [kind for kind, pattern in s.personal_data if s.personal_data_in(kind, pattern, text)]
    assert found == kinds


def _kinds_with_needs() -> list[str]:
    from cjreturns.validation.rules import load_settings

    return sorted(load_settings().personal_data_needs)


def test_an_email_kind_declares_what_every_match_holds() -> None:
    # The costly email pattern is the reason `needs` exists: if it lost its `needs`, every
    # return would pay for it again (benchmarks/: validation of 300 returns).
    assert "an email address" in _kinds_with_needs()


@pytest.mark.parametrize("kind", _kinds_with_needs())
def test_every_match_of_a_pattern_holds_one_of_its_needs(kind: str) -> None:
    """`needs` (rules.yaml) lets a text without any of them skip the pattern: sound only if
    every text the pattern matches holds one, in any case. Generated matches check it."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cjreturns.validation.rules import load_settings

    s = load_settings()
    pattern = dict(s.personal_data)[kind]
    needs = s.personal_data_needs[kind]

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(pattern, fullmatch=False))
    def matched_text_holds_a_need(text: str) -> None:
        if pattern.search(text):
            assert any(n in text.casefold() for n in needs), text
            assert s.personal_data_in(kind, pattern, text) == s.personal_data_in(
                kind, pattern, text + " "
            )

    matched_text_holds_a_need()


@pytest.mark.parametrize(
    ("text", "searched", "found"),
    [
        ("Write to team@fife.gov.uk.", True, True),
        ("Write to team (AT) fife.gov.uk.", True, True),
        ("Write to team [at] fife . gov . uk.", True, True),
        ("Write to team at fife dot gov dot uk.", True, True),
        ("Write to TEAM AT FIFE DOT GOV DOT UK.", True, True),
        ("The anecdote was told at Fife College.", True, False),
        ("Teams at Fife and Dundee met on 3 March.", False, False),
    ],
)
def test_text_without_a_need_is_not_searched_and_text_with_one_is(
    text: str, searched: bool, found: bool
) -> None:
    from cjreturns.validation.rules import load_settings

    s = load_settings()
    pattern = dict(s.personal_data)["an email address"]
    assert s.personal_data_in("an email address", pattern, text) is found
    assert s.may_hold("an email address", text.casefold()) is searched
    document = _valid_document()
    document["next_steps"] = [text]
    rules = [f.rule for f in validate_document(document) if f.path == ("next_steps", 0)]
    assert ("personal-data" in rules) is found


def test_a_hospital_named_after_a_doctor_is_not_personal_data_but_a_doctor_is() -> None:
    document = _valid_document()
    document["next_steps"] = [
        "Extend the group work at Dr Gray’s Hospital to Forres.",
        "Ask Dr Gray to chair the group.",
    ]
    findings = validate_document(document)
    assert [(f.rule, f.path) for f in findings if f.rule == "personal-data"] == [
        ("personal-data", ("next_steps", 1))
    ]


def _valid_document() -> dict[str, Any]:
    from cjreturns.readers import read_return

    document = read_return(CASES_DIR / "valid-bom-gaelic.yaml").document
    assert isinstance(document, dict)
    return document


def test_a_blank_partnership_is_not_accepted() -> None:
    from cjreturns.validation.engine import validate_document

    document = _valid_document()
    document["partnership"] = "   "
    assert [f.rule for f in validate_document(document)] == ["empty-text"]


def test_whitespace_only_required_text_is_not_accepted() -> None:
    from cjreturns.validation.engine import validate_document

    document = _valid_document()
    document["outcomes"]["3"]["activities"][0]["description"] = "   "
    assert [f.rule for f in validate_document(document)] == ["empty-text"]
