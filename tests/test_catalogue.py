"""The rule catalogue is data, one definition per rule, and rule sets are versioned per year."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile.corpus import CASES

from cjreturns.contract.catalogue import CatalogueError, load_catalogue, parse_catalogue
from cjreturns.core.findings import Finding
from cjreturns.validation.engine import validate_file, validate_paths
from cjreturns.validation.rules import CHECKS
from cjreturns.validation.years import rule_set

REPO = Path(__file__).resolve().parent.parent


def _assert_catalogued(findings: list[Finding] | tuple[Finding, ...], year: str | None) -> None:
    """Each finding's rule is in force in its year's rule set, with the severity it says."""
    rules = rule_set(year or "2021-22").rules
    for f in findings:
        entry = rules.get(f.rule)
        assert entry is not None, f"{f.rule} is emitted but not in the {year} rule set"
        assert f.severity == entry.severity, f


def test_every_finding_over_the_examples_matches_its_catalogue_entry() -> None:
    for year in ("2021-22", "2024-25"):
        result = validate_paths([REPO / "examples" / "returns" / year], year=year)
        seen = [f for r in result.files for f in r.findings]
        assert seen, "the examples give some warnings"
        _assert_catalogued(seen, year)


def test_every_finding_over_the_invalid_cases_matches_its_catalogue_entry() -> None:
    cases = REPO / "examples" / "invalid"
    expected = yaml.safe_load((cases / "expected.yaml").read_text(encoding="utf-8"))
    rules_seen: set[str] = set()
    for name, case in expected.items():
        result = validate_file(cases / "returns" / name, year=case.get("year"))
        _assert_catalogued(result.findings, case.get("year"))
        rules_seen |= {f.rule for f in result.findings}
    assert len(rules_seen) > 30


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.whole_folder and not c.env], ids=lambda c: c.name
)
def test_every_finding_over_the_hostile_corpus_matches_its_catalogue_entry(
    case: Any, tmp_path: Path
) -> None:
    target = case.build(tmp_path)
    result = validate_paths([target])
    for r in result.files:
        _assert_catalogued(r.findings, r.reporting_year)


def test_every_check_has_an_entry_and_every_rules_entry_a_check() -> None:
    base = {e.id: e for e in load_catalogue().base}
    assert set(CHECKS) <= set(base)
    checked = {e.id for e in base.values() if e.stage == "rules"}
    # rule-crashed is reported by the engine when a check fails; it has no check of its own.
    assert checked - set(CHECKS) == {"rule-crashed"}


def test_stopping_rules_are_reading_rules_and_the_ones_that_leave_a_faithful_copy_do_not() -> None:
    stops = {e.id for e in load_catalogue().base if e.stops}
    assert {"file-binary", "yaml-syntax", "workbook-unreadable"} <= stops
    assert stops.isdisjoint({"duplicate-key", "not-a-number", "yaml-value", "workbook-value"})


def test_the_shipped_catalogue_files_are_well_formed() -> None:
    raw = yaml.safe_load((REPO / "schemas" / "rules" / "catalogue.yaml").read_text("utf-8"))
    assert len(raw["rules"]) == len(load_catalogue().base) >= 50
    for rule_id in raw["rules"]:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule_id), rule_id


def test_a_broken_catalogue_entry_is_refused_saying_what_is_wrong() -> None:
    good = {"stage": "rules", "severity": "error", "title": "X.", "fix": "X."}
    for change, problem in [
        ({"severity": "fatal"}, "severity 'fatal'"),
        ({"stage": "later"}, "stage 'later'"),
        ({"colour": "red"}, "unknown field"),
        ({"stops": True}, "only a reading rule"),
    ]:
        with pytest.raises(CatalogueError, match=re.escape(problem)):
            parse_catalogue({"rules": {"x": {**good, **change}}})
    with pytest.raises(CatalogueError, match="missing"):
        parse_catalogue({"rules": {"x": {"stage": "rules"}}})


# -- one definition per fact: the calendar and dates ------------------------------------------

_SOURCES = [
    p
    for top in ("cjreturns", "templates", "benchmarks")
    for p in (REPO / top).rglob("*")
    if p.suffix in {".py", ".html", ".js"} and p.is_file()
]


@pytest.mark.parametrize("literal", ["30 September", "09-30", "-09-30", "(9, 30)"])
def test_the_deadline_is_typed_only_in_the_reference_calendar(literal: str) -> None:
    """Dates of the cycle come from schemas/reference.yaml's reporting_calendar, nowhere else."""
    offenders = [
        str(p.relative_to(REPO)) for p in _SOURCES if literal in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_no_platform_specific_strftime_codes() -> None:
    """`%-d` and `%#d` raise or misbehave on one platform or another (Windows, where the
    coordinators are): dates are formatted with f-strings instead."""
    pattern = re.compile(r"%[-#][a-zA-Z]")
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for p in _SOURCES
        if p.suffix == ".py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and "strftime" in line
    ]
    assert offenders == []
