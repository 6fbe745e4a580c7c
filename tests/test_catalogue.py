"""The rule catalogue is data, one definition per rule, and rule sets are versioned per year."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile.corpus import CASES

from cjreturns.contract.catalogue import (
    CatalogueError,
    load_catalogue,
    parse_catalogue,
    rule_set,
)
from cjreturns.core.findings import Finding
from cjreturns.validation.engine import validate_file, validate_paths
from cjreturns.validation.rules import CHECKS, catalogue_rows, rules_for

REPO = Path(__file__).resolve().parent.parent


def _assert_catalogued(findings: list[Finding] | tuple[Finding, ...], year: str | None) -> None:
    rules = rule_set(year)
    for f in findings:
        entry = rules.get(f.rule)
        assert entry is not None, f"{f.rule} is emitted but not in the catalogue"
        assert f.severity == entry.severity, f


def test_every_finding_over_the_examples_matches_its_catalogue_entry() -> None:
    result = validate_paths([REPO / "examples" / "returns" / "2021-22"], year="2021-22")
    seen = [f for r in result.files for f in r.findings]
    assert seen, "the examples give some warnings"
    _assert_catalogued(seen, "2021-22")


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
        _assert_catalogued(r.findings, None)


def test_every_check_has_an_entry_and_every_rules_entry_a_check() -> None:
    rules = rules_for()
    assert set(CHECKS) <= set(rules)
    checked = {r.id for r in rules.values() if r.stage == "rules"}
    # rule-crashed is reported by the engine when a check fails; it has no check of its own.
    assert checked - set(CHECKS) == {"rule-crashed"}


def test_stopping_rules_are_reading_rules_and_the_ones_that_leave_a_faithful_copy_do_not() -> None:
    stops = rule_set(None).stopping()
    assert {"file-binary", "yaml-syntax", "workbook-unreadable"} <= stops
    assert stops.isdisjoint({"duplicate-key", "not-a-number", "yaml-value", "workbook-value"})


def test_the_shipped_catalogue_files_are_well_formed() -> None:
    raw = yaml.safe_load((REPO / "schemas" / "rules" / "catalogue.yaml").read_text("utf-8"))
    assert len(raw["rules"]) == len(load_catalogue().base) >= 50
    for rule_id in raw["rules"]:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule_id), rule_id


_BASE = {
    "rules": {
        "alpha": {"stage": "rules", "severity": "error", "title": "A.", "fix": "Fix A."},
        "beta": {"stage": "rules", "severity": "warning", "title": "B.", "fix": "Fix B."},
        "gamma": {
            "stage": "reading",
            "severity": "error",
            "title": "G.",
            "fix": "G.",
            "stops": True,
        },
    }
}
_YEARS = {
    "2023-24": {
        "added": {"delta": {"stage": "rules", "severity": "warning", "title": "D.", "fix": "D."}},
        "deleted": ["beta"],
    },
    "2024-25": {"amended": {"alpha": {"severity": "warning", "fix": "Fix A, newly."}}},
}


def _statuses(year: str) -> dict[str, str]:
    return {e.id: e.status for e in parse_catalogue(_BASE, _YEARS).for_year(year).with_status()}


def test_a_year_before_any_change_has_the_base_set_unchanged() -> None:
    assert _statuses("2021-22") == {"alpha": "unchanged", "beta": "unchanged", "gamma": "unchanged"}


def test_a_year_says_what_it_added_and_deleted() -> None:
    assert _statuses("2023-24") == {
        "alpha": "unchanged",
        "beta": "deleted",
        "gamma": "unchanged",
        "delta": "added",
    }
    in_force = parse_catalogue(_BASE, _YEARS).for_year("2023-24")
    assert [e.id for e in in_force] == ["alpha", "gamma", "delta"]
    assert "beta" not in in_force and in_force.get("beta") is None


def test_a_rule_amended_in_a_later_year_is_written_once_and_inherited_after() -> None:
    catalogue = parse_catalogue(_BASE, _YEARS)
    assert _statuses("2024-25") == {"alpha": "amended", "gamma": "unchanged", "delta": "unchanged"}
    amended = catalogue.for_year("2024-25")["alpha"]
    assert (amended.severity, amended.fix, amended.title) == ("warning", "Fix A, newly.", "A.")
    # The year after inherits the amended rule, now unchanged; the year before keeps the old one.
    later = catalogue.for_year("2026-27")
    assert later["alpha"].severity == "warning" and later["alpha"].status == "unchanged"
    assert catalogue.for_year("2023-24")["alpha"].severity == "error"
    assert "beta" not in later and [e.id for e in later.with_status()] == [
        "alpha",
        "gamma",
        "delta",
    ]


def test_no_year_means_the_newest_set() -> None:
    newest = parse_catalogue(_BASE, _YEARS).for_year(None)
    assert newest["alpha"].severity == "warning" and "beta" not in newest


@pytest.mark.parametrize(
    ("years", "problem"),
    [
        ({"2023-24": {"deleted": ["nope"]}}, "deletes unknown rule nope"),
        ({"2023-24": {"amended": {"nope": {"severity": "error"}}}}, "amends unknown rule nope"),
        ({"2023-24": {"added": {"alpha": _BASE["rules"]["alpha"]}}}, "adds rule alpha"),
        ({"2023-24": {"amended": {"alpha": {"severity": "fatal"}}}}, "severity 'fatal'"),
        ({"2023-24": {"amended": {"alpha": {"colour": "red"}}}}, "unknown"),
        ({"2023-24": {"removed": ["alpha"]}}, "unknown section"),
        ({"2023": {}}, "not a reporting year"),
    ],
)
def test_a_broken_year_file_is_refused_saying_what_is_wrong(
    years: dict[str, Any], problem: str
) -> None:
    with pytest.raises(CatalogueError, match=re.escape(problem)):
        parse_catalogue(_BASE, years).for_year("2024-25")


def test_only_reading_rules_may_stop_further_checks() -> None:
    base = {"rules": {"x": {"stage": "rules", "severity": "error", "title": "X", "fix": "X"}}}
    base["rules"]["x"]["stops"] = True
    with pytest.raises(CatalogueError, match="only reading rules"):
        parse_catalogue(base, {})


def test_catalogue_rows_list_deleted_rules_for_their_year_only() -> None:
    rows = catalogue_rows("2021-22")
    assert {r.status for r in rows} == {"unchanged"}
    assert len(rows) == len(rules_for("2021-22"))


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
