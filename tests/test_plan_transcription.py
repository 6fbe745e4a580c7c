"""The example plans say what the published pages say: checked against the seed text itself.

Numbers, priority actions, aims, statuses, timescales and revisions are parsed from the seed
(tests/plan_seed.py reads the page layout, not our YAML); texts are compared word for word;
partners must be the published "Lead partner - ..." wording split at commas, "and" and
"including", with nothing added or dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from plan_seed import (
    AIM_4,
    COMPLETED,
    UPDATE_2,
    SeedDeliverable,
    parse_plan,
    parse_update,
    seed_path,
)

from cjreturns.plan import load
from cjreturns.plan.strategy import load_strategy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "delivery-plan"
UPDATE_2_FILE = EXAMPLES / "update-2-2024-03.yaml"
UPDATE_0_FILE = EXAMPLES / "update-0-2023-06-aim-4.yaml"


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def covered_by(published: str, names: list[str]) -> bool:
    """The names appear in order in the published text, with only joining words between."""
    rest = published.strip().rstrip(".")
    for name in names:
        at = rest.find(name)
        if at < 0 or not re.fullmatch(r"[\s,]*(?:(?:and|including|the),?\s*)*", rest[:at]):
            return False
        rest = rest[at + len(name) :]
    return re.fullmatch(r"[\s,.]*", rest) is not None


def transcribed(path: Path) -> dict[int, dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {d["number"]: d for d in document["deliverables"]}


def check_against(seed: list[SeedDeliverable], ours: dict[int, dict], *, update: int) -> None:
    strategy = load_strategy()
    assert [d.number for d in seed] == list(ours), "same deliverables, in the page's order"
    for s in seed:
        d = ours[s.number]
        where = f"deliverable {s.number}"
        assert d["priority_action"] == s.priority_action, where
        assert strategy.aim_of(d["priority_action"]) == s.aim, where
        assert d.get("status") == s.status, where
        if s.status == "completed_previously":
            assert all(words(" ".join(v)) == COMPLETED for v in s.sections.values()), where
            assert set(d) == {"number", "priority_action", "status", "completed_in_update"}
            assert d["completed_in_update"] < update
            continue
        first, text, revisions = s.timescale()
        assert d.get("timescale_text") == text, where
        if text is None:
            assert d["timescale"] == first, where
        else:  # words: the month held is December of the last year they name
            last_year = re.findall(r"\d{4}", text)[-1]
            assert d["timescale"] == f"{last_year}-12", where
        assert [(r["in_update"], r["to"]) for r in d.get("revised_timescales", [])] == revisions
        assert words(d["deliverable"]) == s.text("Deliverable"), where
        assert words(d["further_detail"]) == s.text("Further detail"), where
        assert words(d.get("update")) == s.text("Update"), where
        lead, collaborators = s.responsibility()
        assert covered_by(lead, d["lead"]), (where, lead, d["lead"])
        assert covered_by(collaborators, d.get("collaborators", [])), (where, collaborators)


def test_update_2_is_the_published_update_deliverable_by_deliverable() -> None:
    seed = parse_update(seed_path(UPDATE_2))
    assert len(seed) == 50
    check_against(seed, transcribed(UPDATE_2_FILE), update=2)


def test_update_0_is_the_published_plan_for_aim_4() -> None:
    seed = parse_plan(seed_path(AIM_4))
    assert [d.number for d in seed] == list(range(34, 42))
    check_against(seed, transcribed(UPDATE_0_FILE), update=0)


def test_the_seed_counts_match_what_the_plan_loads() -> None:
    """Counts from the seed's status lines, against the loaded plan's summary."""
    text = seed_path(UPDATE_2).read_text(encoding="utf-8")
    statuses = re.findall(r"^Status\n\n(.+)$", text, flags=re.M)
    plan = load(UPDATE_2_FILE)
    by_status = plan.summary()["by_status"]
    assert by_status["in_progress"] == statuses.count("In progress") == 25
    assert by_status["in_progress_revised"] == statuses.count(
        "In progress (with revised timescale)"
    )
    assert by_status["outstanding"] == statuses.count("Outstanding") == 6
    assert by_status["complete"] == statuses.count("Complete") == 5
    assert by_status["completed_previously"] == statuses.count(COMPLETED) == 7
    revisions = re.findall(r"Revised in update (\d)", text)
    assert sum(len(d.revised_timescales) for d in plan.deliverables) == len(revisions) == 9


@pytest.mark.parametrize(
    ("published", "names", "ok"),
    [
        ("A, B and C", ["A", "B", "C"], True),
        ("A, including the B", ["A", "B"], True),
        ("A, B and C", ["A", "C"], False),  # B dropped
        ("A and B", ["A", "B", "D"], False),  # D invented
        ("A and B", ["B", "A"], False),  # out of order
    ],
)
def test_the_partner_check_catches_drops_and_inventions(
    published: str, names: list[str], ok: bool
) -> None:
    assert covered_by(published, names) is ok
