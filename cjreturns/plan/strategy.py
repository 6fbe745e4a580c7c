"""The National Strategy for Community Justice (2022) as the plan needs it: aims, priority actions.

Read from the project's reference data (schemas/reference.yaml, `strategy_2022`), so the plan,
the returns and the report name the same thirteen priority actions under the same four aims.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cjreturns.contract.reference import load_reference


@dataclass(frozen=True)
class PriorityAction:
    id: int
    aim: int
    short: str
    text: str


@dataclass(frozen=True)
class Aim:
    id: int
    text: str
    priority_actions: tuple[int, ...]


@dataclass(frozen=True)
class Strategy:
    aims: dict[int, Aim]
    priority_actions: dict[int, PriorityAction]

    def aim_of(self, priority_action: int) -> int:
        return self.priority_actions[priority_action].aim


@cache
def load_strategy() -> Strategy:
    """The strategy's aims and priority actions, each priority action knowing its aim."""
    raw = load_reference().raw["strategy_2022"]
    aim_of = {int(pa): int(a["id"]) for a in raw["aims"] for pa in a["priority_actions"]}
    aims = {
        int(a["id"]): Aim(int(a["id"]), a["text"], tuple(int(p) for p in a["priority_actions"]))
        for a in raw["aims"]
    }
    actions = {
        int(p["id"]): PriorityAction(
            int(p["id"]), aim_of[int(p["id"])], p["short"], p.get("text", p["short"])
        )
        for p in raw["priority_actions"]
    }
    return Strategy(aims, actions)
