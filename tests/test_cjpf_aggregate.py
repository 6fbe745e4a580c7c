"""2023-framework aggregation on a tiny collection whose counts were worked out by hand, and
the national files and talking points it gives."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from cjreturns.aggregation.by_year import aggregate_for_year
from cjreturns.aggregation.cjpf import CJPFAggregate
from cjreturns.outputs.cjpf_tables import write_cjpf_outputs
from cjreturns.readers import read_return

ROOT = Path(__file__).resolve().parent.parent
BASE = read_return(ROOT / "examples" / "returns" / "2024-25" / "fife.yaml").document
REASON = "No local work towards this priority action was planned this year."


def _act(status: str, *themes: str, also: tuple[int, ...] = ()) -> dict[str, Any]:
    act: dict[str, Any] = {
        "title": f"{status} {' '.join(themes)} work",
        "description": "Partners delivered this work together for people in the area.",
        "themes": list(themes),
        "status": status,
    }
    if also:
        act["also_priority_actions"] = list(also)
    return act


def _return(
    name: str,
    actions: dict[int, list[dict[str, Any]]],
    *,
    measures: dict[str, dict[str, int]],
    self_evaluation: dict[int, int] = {},  # noqa: B006 - read only
    challenges: dict[str, list[str]] | None = None,
    submitted: str = "2025-09-19",
) -> dict[str, Any]:
    assert isinstance(BASE, dict)
    doc = copy.deepcopy(BASE)
    doc["partnership"] = name
    doc["submitted_on"] = submitted
    doc["priority_actions"] = {}
    for pa in range(1, 14):
        acts = actions.get(pa, [])
        entry: dict[str, Any] = {"activities": acts}
        if not acts:
            entry["no_activity_reason"] = REASON
        if pa in self_evaluation:
            entry["self_evaluation"] = self_evaluation[pa]
        for code in (challenges or {}).get(str(pa), []):
            entry.setdefault("challenges", []).append({"code": code, "description": "Hard."})
        doc["priority_actions"][str(pa)] = entry
    doc["outcomes"] = {k: {"measures": v} for k, v in measures.items()}
    doc["challenges"] = [
        {"code": c, "description": "Hard."} for c in (challenges or {}).get("partnership", [])
    ]
    return doc


@pytest.fixture(scope="module")
def agg(tmp_path_factory: pytest.TempPathFactory) -> CJPFAggregate:
    folder = tmp_path_factory.mktemp("returns")
    returns = {
        "fife": _return(
            "Fife",
            {1: [_act("completed", "diversion"), _act("planned", "diversion", "direct_measures")],
             8: [_act("in_progress", "housing", also=(10,))]},
            measures={"1": {"diversion_assessments": 100, "diversion_commenced": 80,
                            "diversion_completed": 60}, "4": {"cpo_commenced": 500}},
            self_evaluation={1: 4},
        ),
        "angus": _return(
            "Angus",
            {1: [_act("in_progress", "diversion")], 10: [_act("completed", "throughcare")]},
            measures={"1": {"diversion_commenced": 20, "diversion_completed": 10}},
            self_evaluation={1: 5},
            challenges={"partnership": ["workforce"], "10": ["workforce"]},
        ),
        "moray": _return(
            "Moray",
            {2: [_act("planned", "arrest_referral")]},
            measures={},
            challenges={"partnership": ["workforce", "rurality"]},
            submitted="2025-10-10",
        ),
    }  # fmt: skip
    for stem, doc in returns.items():
        (folder / f"{stem}.json").write_text(json.dumps(doc), encoding="utf-8")
    result = aggregate_for_year(folder, year="2024-25")
    assert isinstance(result, CJPFAggregate)
    return result


def test_coverage(agg: CJPFAggregate) -> None:
    s = agg.coverage.summary()
    assert (s["accepted"], s["late"], s["rejected"], s["missing"]) == (3, 1, 0, 27)


def test_priority_action_counts(agg: CJPFAggregate) -> None:
    pa1 = agg.counts["priority_actions"]["1"]
    assert pa1["partnerships_with_activity"] == 2
    assert pa1["partnerships_with_activity_word"] == "many"  # 2 of 3
    assert pa1["activities"] == 3
    assert pa1["by_status"] == {"planned": 1, "in_progress": 1, "completed": 1}
    assert pa1["themes"] == {"diversion": 2, "direct_measures": 1}
    assert pa1["self_evaluation"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1, "6": 0}
    assert pa1["partnerships_no_activity"] == 1
    assert pa1["aim"] == 1
    pa10 = agg.counts["priority_actions"]["10"]
    assert (pa10["partnerships_with_activity"], pa10["partnerships_referring"]) == (1, 2)
    assert pa10["challenges"] == {"workforce": 1}
    assert agg.counts["priority_actions"]["4"]["partnerships_no_activity"] == 3


def test_aim_counts(agg: CJPFAggregate) -> None:
    aims = agg.counts["aims"]
    assert (aims["1"]["partnerships_with_activity"], aims["1"]["activities"]) == (3, 4)
    assert aims["1"]["partnerships_with_activity_word"] == "all"
    assert aims["1"]["self_evaluation_median"] == 4.5
    assert (aims["3"]["partnerships_with_activity"], aims["3"]["activities"]) == (2, 2)
    assert aims["2"]["partnerships_with_activity"] == 0
    assert aims["4"]["priority_actions"] == [11, 12, 13]


def test_measure_counts(agg: CJPFAggregate) -> None:
    m = agg.counts["measures"]
    commenced = m["diversion_commenced"]
    assert (commenced["total"], commenced["partnerships_reporting"]) == (100, 2)
    # 100 / (371,910 + 116,040) people x 10,000
    assert commenced["national_rate"] == 2.05
    assert commenced["rates"] == {"Angus": 1.72, "Fife": 2.15}
    assessed = m["diversion_assessments"]
    assert (assessed["total"], assessed["partnerships_reporting"]) == (100, 1)
    assert m["custody_referrals"]["total"] == 0 and m["custody_referrals"]["national_rate"] is None
    assert m["cpo_commenced"]["source"] == "cjreturns"
    outcomes = agg.counts["outcomes"]
    assert outcomes["1"]["partnerships_reporting"] == 2
    assert outcomes["4"]["partnerships_reporting"] == 1
    assert outcomes["1"]["measures"] == ["diversion_assessments", "diversion_commenced",
                                         "diversion_completed"]  # fmt: skip


def test_challenges_and_shared_sections(agg: CJPFAggregate) -> None:
    c = agg.counts
    assert c["challenges"]["workforce"] == 2  # Angus names it twice: counted once
    assert c["challenges"]["rurality"] == 1
    assert c["challenges_ranking"] == ["workforce", "rurality"]
    assert c["improvement_tool"]["partnerships_used"] == 3
    assert sum(c["partner_participation"]["police_scotland"].values()) == 3


def test_talking_points(agg: CJPFAggregate) -> None:
    texts = {p.id: [] for p in agg.talking_points}
    for p in agg.talking_points:
        texts[p.id].append(p.text)
    assert (
        "3 of 3 partnerships reported no activity towards priority action 4 "
        "(electronic monitoring)." in texts["priority-action-gaps"]
    )
    assert texts["completion-rate"][0] == (
        "Across the 2 partnerships reporting both, 70 diversion from prosecution cases were "
        "completed against 100 commenced (70.0 per cent)."
    )  # fmt: skip
    assert (
        "1 of the 3 returns counted arrived after the 30 September deadline: Moray."
        in texts["returns-late"]
    )


def test_national_files(agg: CJPFAggregate, tmp_path: Path) -> None:
    written = write_cjpf_outputs(agg, tmp_path)
    assert len(written) == 13
    data = json.loads((tmp_path / "aggregate.json").read_text(encoding="utf-8"))
    assert data["framework"] == "cjpf_2023"
    assert list(data)[:3] == ["reporting_year", "framework", "coverage"]
    assert "Morven" not in (tmp_path / "aggregate.json").read_text(encoding="utf-8")
    wb = load_workbook(tmp_path / "national-tables.xlsx")
    assert wb.sheetnames[:3] == ["Cover", "Contents", "Notes"]
    t3 = wb["Table_3"]
    assert t3["A1"].value == "Table 3: Partnerships and activities, by priority action, 2024-25"
    header = [c.value for c in t3[5]]
    assert header[:5] == ["Priority action", "Short title", "Aim", "Partnerships with activity",
                          "Quantifier"]  # fmt: skip
    assert [c.value for c in t3[6]][:4] == [1, "Diversion and direct measures", 1, 2]
    values = wb["Table_7"]
    rows = {r[0].value: [c.value for c in r] for r in values.iter_rows(min_row=6)}
    assert rows["Angus"][2:5] == ["[x]", 20, 10]
    md = (tmp_path / "talking-points.md").read_text(encoding="utf-8")
    assert "## Aim 1: Optimise the use of diversion" in md
    assert "### Priority action 4: Electronic monitoring" in md
