"""National aggregation: coverage, tidy tables, counts with quantifier words, talking points."""

from __future__ import annotations

from cjreturns.aggregation.collection import Coverage
from cjreturns.aggregation.national import Aggregate, aggregate, aggregate_results
from cjreturns.aggregation.talking_points import TalkingPoint, TalkingPointRulesError

__all__ = [
    "Aggregate",
    "Coverage",
    "TalkingPoint",
    "TalkingPointRulesError",
    "aggregate",
    "aggregate_results",
]
