"""Coverage: accepted, rejected, superseded, conflicts, missing and late, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from aggregate_helpers import minimal_return, with_changes, write_return

from cjreturns.aggregation import aggregate


@pytest.fixture()
def collection(tmp_path: Path) -> Path:
    """Ten files from five partnerships and one unknown name."""
    d = tmp_path / "returns"
    write_return(d, "fife.yaml", minimal_return("Fife", submitted_on="2022-09-30"))  # on time
    # A newer Fife return with an error never replaces the accepted one.
    bad_fife = minimal_return("Fife", submitted_on="2022-10-02")
    bad_fife["outcomes"]["1"]["activities"][0]["status"] = "finished"
    write_return(d, "fife-resent.yaml", bad_fife)
    write_return(d, "highland.json", minimal_return("Highland", submitted_on="2022-10-01"))
    write_return(d, "angus-draft.yaml", minimal_return("Angus", submitted_on="2022-08-01"))
    write_return(d, "angus-final.yaml", minimal_return("Angus", submitted_on="2022-09-15"))
    moray = minimal_return("Moray", submitted_on="2022-09-10")
    write_return(d, "moray-a.yaml", moray)
    moray_b = with_changes(moray)
    moray_b["outcomes"]["2"]["self_evaluation"] = 4
    write_return(d, "moray-b.yaml", moray_b)
    # The same content twice on the same date is one return, not a conflict.
    write_return(d, "stirling.yaml", minimal_return("Stirling"))
    write_return(d, "stirling-copy.json", minimal_return("Stirling"))
    write_return(d, "unknown.yaml", minimal_return("Fyfe"))  # not a partnership
    return d


def test_coverage_by_hand(collection: Path) -> None:
    cov = aggregate(collection).coverage
    assert cov.reporting_year == "2021-22"
    assert len(cov.expected) == 30
    assert len(cov.received) == 10
    assert [(a.partnership, a.file, a.late) for a in cov.accepted] == [
        ("Angus", "angus-final.yaml", False),
        ("Fife", "fife.yaml", False),
        ("Highland", "highland.json", True),
        ("Stirling", "stirling-copy.json", False),
    ]
    assert [(r.partnership, r.file) for r in cov.rejected] == [
        ("Fife", "fife-resent.yaml"),
        (None, "unknown.yaml"),  # its own text for a name is never published
    ]
    assert {e["rule"] for e in cov.rejected[0].errors} == {"unknown-code"}
    assert [(s.partnership, s.file, s.superseded_by) for s in cov.superseded] == [
        ("Angus", "angus-draft.yaml", "angus-final.yaml"),
        ("Stirling", "stirling.yaml", "stirling-copy.json"),
    ]
    assert [(c.partnership, c.submitted_on, c.files) for c in cov.conflicts] == [
        ("Moray", "2022-09-10", ("moray-a.yaml", "moray-b.yaml")),
    ]
    assert len(cov.missing) == 30 - 5  # Fife, Highland, Angus, Moray, Stirling sent files
    assert "Moray" not in cov.missing and "Aberdeen City" in cov.missing
    assert [a.partnership for a in cov.late] == ["Highland"]
    assert cov.summary() == {
        "expected": 30,
        "received": 10,
        "accepted": 4,
        "rejected": 2,
        "superseded": 2,
        "conflicts": 1,
        "missing": 25,
        "late": 1,
        "other_years": 0,
    }


def test_conflicting_partnership_is_not_counted(collection: Path) -> None:
    agg = aggregate(collection)
    assert "Moray" not in agg.returns
    assert agg.counts["partnerships_counted"] == 4
    assert agg.counts["outcomes"]["1"]["partnerships_with_activity"] == 4


def test_coverage_json_lists_files_and_errors(collection: Path) -> None:
    cov = aggregate(collection).to_json_dict()["coverage"]
    assert list(cov)[:8] == [
        "expected",
        "received",
        "accepted",
        "rejected",
        "superseded",
        "conflicts",
        "missing",
        "late",
    ]
    assert cov["expected"] == 30 and cov["received"] == 10
    assert cov["late"] == [{"partnership": "Highland", "submitted_on": "2022-10-01"}]
    assert cov["rejected"][0]["file"] == "fife-resent.yaml"
    assert cov["rejected"][0]["errors"][0]["path"] == "outcomes.1.activities.0.status"
    assert cov["conflicts"] == [
        {
            "partnership": "Moray",
            "submitted_on": "2022-09-10",
            "files": ["moray-a.yaml", "moray-b.yaml"],
        },
    ]


def test_other_years_are_set_aside_without_year(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    write_return(d, "angus.yaml", minimal_return("Angus"))
    write_return(
        d, "moray.yaml", minimal_return("Moray", year="2020-21", submitted_on="2021-09-01")
    )
    cov = aggregate(d).coverage
    assert cov.reporting_year == "2021-22"
    assert [a.partnership for a in cov.accepted] == ["Angus", "Fife"]
    assert [(o.partnership, o.file) for o in cov.other_years] == [("Moray", "moray.yaml")]
    assert "Moray" in cov.missing  # its only return is for another year


def test_a_partnership_whose_only_return_is_for_another_year_is_missing(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    write_return(
        d, "moray.yaml", minimal_return("Moray", year="2020-21", submitted_on="2021-09-01")
    )
    for year in (None, "2021-22"):  # set aside (inferred year) or rejected (year given)
        cov = aggregate(d, year=year).coverage
        assert "Moray" in cov.missing, year
        assert cov.summary()["missing"] == 29


def test_an_identical_return_under_an_alias_is_superseded_not_a_conflict(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_return(d, "edinburgh.yaml", minimal_return("City of Edinburgh"))
    write_return(d, "edinburgh-copy.yaml", minimal_return("Edinburgh"))  # an alias
    cov = aggregate(d).coverage
    assert cov.conflicts == ()
    assert [(a.partnership, a.file) for a in cov.accepted] == [
        ("City of Edinburgh", "edinburgh-copy.yaml")
    ]
    assert [(s.partnership, s.file) for s in cov.superseded] == [
        ("City of Edinburgh", "edinburgh.yaml")
    ]


def test_wrong_year_is_rejected_when_year_given(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    write_return(
        d, "moray.yaml", minimal_return("Moray", year="2020-21", submitted_on="2021-09-01")
    )
    cov = aggregate(d, year="2021-22").coverage
    assert [a.partnership for a in cov.accepted] == ["Fife"]
    assert [r.partnership for r in cov.rejected] == ["Moray"]


def test_unreadable_file_is_rejected(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_return(d, "fife.yaml", minimal_return("Fife"))
    (d / "broken.json").write_text("{not json", encoding="utf-8")
    cov = aggregate(d).coverage
    assert [(r.partnership, r.file) for r in cov.rejected] == [(None, "broken.json")]
    assert cov.rejected[0].errors[0]["rule"] == "json-syntax"


def test_progress_is_reported(tmp_path: Path) -> None:
    d = tmp_path / "r"
    for name in ("Fife", "Angus", "Moray"):
        write_return(d, f"{name}.yaml", minimal_return(name))
    seen: list[tuple[int, int]] = []
    aggregate(d, progress=lambda i, total, path: seen.append((i, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_public_api_reexports() -> None:
    import cjreturns
    import cjreturns.aggregation as aggregation
    import cjreturns.outputs.national_tables as national_tables

    assert cjreturns.aggregate is aggregation.aggregate
    # Writing the national files is an output, not aggregation (aggregation never imports up).
    assert cjreturns.write_outputs is national_tables.write_outputs


def test_only_recommendation_ids_shaped_like_ids_are_published(tmp_path: Path) -> None:
    """A recommendation `id` is free text that becomes a key of aggregate.json."""
    d = tmp_path / "r"
    doc = minimal_return("Fife")
    doc["recommendations"] = [
        {"id": "R2", "status": "complete"},
        {"id": '=HYPERLINK("http://x")', "status": "complete"},
        {"id": "Ms J. Leakey's idea", "status": "in_progress"},
    ]
    write_return(d, "fife.yaml", doc)
    counts = aggregate(d).to_json_dict()["recommendations"]
    assert list(counts) == ["R2"]
