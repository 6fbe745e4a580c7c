"""Synthetic, schema-valid collections of annual returns of any size, for the benchmarks.

Every code comes from the reference (`load_reference()`), so a generated return is valid against
the schema and the rules whatever the reference holds. Returns are spread over the 30
partnerships and over reporting years so that every (partnership, year) pair is distinct:
return i belongs to partnership i mod 30 and to the reporting year 2022-23 - i div 30: the
returns are of the 2016 framework (contract 1.0), whose last year is 2022-23, so the years run
back from it. Up to 210 returns that is 2022-23 back to 2016-17; past that they run back into
synthetic earlier years (3,000 returns reach 1923-24), which the 2016 rules check as they would
any year of that shape. Aggregation supersedes a return by the same partnership for the
same year, so distinct pairs make sure it counts all N returns and does the full work.

The output is deterministic for a seed. Usage:

    python benchmarks/generate.py OUT --returns 300 [--activities-scale 10] [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from cjreturns.contract.reference import Partnership, Reference, load_reference

LAST_YEAR = 2022  # 2022-23: the last reporting year under the 2016 framework (contract 1.0)

# Plain words only: no digits (postcodes, phone numbers), no titles (titled names), nothing a
# placeholder pattern matches, so generated text raises no warning.
_VOCABULARY = (
    "partners community justice service people support local council health housing "
    "recovery employability wellbeing team group worker project programme referral "
    "outreach women families victims prison release throughcare unpaid work order court "
    "police diversion bail training volunteers mentoring peer network planning strategy "
    "review evidence survey engagement awareness stigma access pathway assessment "
    "delivered developed launched continued expanded improved agreed worked together with "
    "across the and for of to in on through by from within their our new further weekly "
    "monthly regular joint shared partnership coordinator practitioners staff sessions "
    "events workshops resources online digital mental substance alcohol drug accommodation "
    "tenancy benefits advice food travel phones learning qualifications placements"
)
_WORDS = tuple(_VOCABULARY.split())

_BODIES = ("COPFS", "DWP / Jobcentre Plus", "Scottish Prison Service", "Victim Support Scotland")
_THIRD_SECTOR = ("Sacro", "Apex Scotland", "Turning Point Scotland", "Barnardo's", "Venture Trust")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


class _Writer:
    """Random text and picks from the reference, from one seeded generator per return."""

    def __init__(self, rng: random.Random, ref: Reference) -> None:
        self.rng = rng
        self.ref = ref

    def text(self, low: int, high: int) -> str:
        words = [self.rng.choice(_WORDS) for _ in range(self.rng.randint(low, high))]
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def title(self) -> str:
        return self.text(3, 6).rstrip(".")

    def pick(self, options: Sequence[Any], low: int, high: int) -> list[Any]:
        k = min(len(options), self.rng.randint(low, high))
        return self.rng.sample(list(options), k)

    def activity(self, start: int, number: int) -> dict[str, Any]:
        rng = self.rng
        begin = dt.date(start, 4, 1) + dt.timedelta(days=rng.randint(0, 150))
        end = begin + dt.timedelta(days=rng.randint(30, 200))
        act: dict[str, Any] = {
            # The number keeps titles apart: the same title twice under an outcome is a warning.
            "title": f"{self.title()} (activity {_tag(number)})",
            "description": self.text(20, 120),
            "themes": self.pick(list(self.ref.themes), 1, 3),
            "priority_actions": sorted(self.pick(sorted(self.ref.priority_actions), 0, 2)),
            "partners": self.pick(list(self.ref.statutory_partners), 1, 4),
            "status": rng.choice(list(self.ref.activity_status)),
            "period": {"start": begin, "end": end},
        }
        if rng.random() < 0.5:
            act["other_partners"] = self.pick(_BODIES, 1, 2)
        if rng.random() < 0.6:
            act["third_sector"] = self.pick(_THIRD_SECTOR, 1, 2)
        if rng.random() < 0.7:
            act["impact"] = self.text(15, 80)
        if rng.random() < 0.4:
            act["figures"] = [
                {"label": "people attending", "value": rng.randint(5, 400), "unit": "people"}
            ]
        if rng.random() < 0.2:
            act["links"] = [f"https://example.org/activity/{number}"]
        return act

    def indicators(self, partnership: Partnership) -> dict[str, dict[str, int]]:
        """Indicator values near the national rate for the partnership's population, by outcome.

        A part (`at_most`) never exceeds its whole, and every rate stays within the bounds of
        schemas/rules.yaml, so no count-exceeds or outlier finding is raised.
        """
        from cjreturns.validation.rules import load_settings

        rates = load_settings().indicator_rates
        values: dict[str, int] = {}
        for code in self.ref.indicators:
            national = rates.get(code, {}).get("national", 5.0)
            rate = national * self.rng.uniform(0.6, 1.4)
            values[code] = round(rate * partnership.population / 10_000)
        for code, spec in self.ref.indicators.items():
            whole = spec.get("at_most")
            if whole:
                values[code] = min(values[code], values[whole])
        by_outcome: dict[str, dict[str, int]] = {}
        for code, spec in self.ref.indicators.items():
            if self.rng.random() < 0.8:
                by_outcome.setdefault(str(spec["outcome"]), {})[code] = values[code]
        return by_outcome


def _tag(n: int) -> str:
    """A number written in letters (b, c, ... bb ...): keeps digits, and so anything that looks
    like a phone number or postcode, out of free text; no x, so never a placeholder "xxx"."""
    letters = "bcdfghjk"
    out = ""
    while True:
        n, r = divmod(n, len(letters))
        out = letters[r] + out
        if n == 0:
            return out


def make_return(
    index: int, *, activities_scale: int = 1, seed: int = 0, ref: Reference | None = None
) -> dict[str, Any]:
    """The `index`-th return of a generated collection (dates as datetime.date values)."""
    ref = ref or load_reference()
    partnership = ref.partnerships[index % len(ref.partnerships)]
    start = LAST_YEAR - index // len(ref.partnerships)
    rng = random.Random(f"{seed}:{index}")
    # How many activities, drawn apart from the content so that activities_scale=10 gives
    # exactly ten times the activities of the same return at scale 1.
    shape = random.Random(f"{seed}:{index}:shape")
    per_outcome = [shape.randint(2, 4) * activities_scale for _ in ref.outcomes]
    n_local = shape.randint(1, 3) * activities_scale
    w = _Writer(rng, ref)
    submitted = dt.date(start + 1, 6, 1) + dt.timedelta(days=rng.randint(0, 100))
    signed = submitted - dt.timedelta(days=rng.randint(0, 7))
    indicators = w.indicators(partnership)
    levels = list(ref.participation_levels)
    outcomes: dict[str, Any] = {}
    number = 0
    for key, n_activities in zip((str(k) for k in sorted(ref.outcomes)), per_outcome, strict=True):
        activities = []
        for _ in range(n_activities):
            number += 1
            activities.append(w.activity(start, number))
        outcome: dict[str, Any] = {
            "self_evaluation": rng.choice(sorted(ref.self_evaluation)),
            "activities": activities,
        }
        if key in indicators:
            outcome["indicators"] = indicators[key]
        if rng.random() < 0.3:
            outcome["challenges"] = [
                {"code": code, "description": w.text(10, 40)}
                for code in w.pick(list(ref.challenges), 1, 2)
            ]
        if int(key) >= 5 and rng.random() < 0.6:
            outcome["case_studies"] = [
                {"title": w.title(), "summary": w.text(40, 150), "consent_confirmed": True}
            ]
        outcomes[key] = outcome
    local = []
    for _ in range(n_local):
        number += 1
        local.append(w.activity(start, number))
    return {
        "schema_version": "1.0",
        "partnership": partnership.name,
        "reporting_year": _year_label(start),
        "submitted_on": submitted,
        "contact": {
            "name": "A. Coordinator",
            "email": f"coordinator@{_slug(partnership.name)}.example.org",
        },
        "sign_off": {
            "name": "A. Chair",
            "role": f"Chair, {partnership.name} Community Justice Partnership",
            "date": signed,
            "section_27_return": True,
            "section_23_report": True,
        },
        "governance": {
            "description": w.text(60, 250),
            "independent_chair": rng.random() < 0.1,
            "chair_role": "Chief Officer, Health and Social Care Partnership",
            "plan_period": f"{start}-{start + 3}",
            "reporting_lines": ["Community Planning Partnership Board"],
            "linked_partnerships": ["Alcohol and Drug Partnership"],
            "partners": {code: rng.choice(levels) for code in ref.statutory_partners},
            "other_partners": w.pick(_BODIES, 1, 3),
            "development": w.pick(list(ref.development), 0, 3),
            "third_sector_involvement": w.text(20, 100),
        },
        "context": {"pandemic_impact": w.text(40, 200), "local_context": w.text(40, 200)},
        "outcomes": outcomes,
        "local_activity": local,
        "achievements": [
            {"title": w.title(), "description": w.text(10, 60)} for _ in range(rng.randint(1, 3))
        ],
        "challenges": [
            {"code": code, "description": w.text(10, 60)}
            for code in w.pick(list(ref.challenges), 1, 3)
        ],
        "recommendations": [
            {
                "id": f"R{n}",
                "response": w.text(20, 80),
                "status": rng.choice(list(ref.recommendation_status)),
            }
            for n in range(1, rng.randint(2, 5))
        ],
        "next_steps": [w.text(8, 30) for _ in range(rng.randint(2, 4))],
    }


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _render(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(_json_ready(document), indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        # Dates stay unquoted YAML dates, as people write them.
        return yaml.dump(
            document, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100
        )
    raise ValueError(f"unknown format {fmt!r}: use yaml or json")


def generate_collection(
    out_dir: Path | str,
    n_returns: int,
    *,
    activities_scale: int = 1,
    seed: int = 0,
    formats: Sequence[str] = ("yaml", "json"),
) -> list[Path]:
    """Write `n_returns` returns under `out_dir/<year>/<partnership>.<format>`; return the paths.

    Formats alternate return by return. `activities_scale` multiplies the number of activities
    (2 to 4 per outcome and 1 to 3 local ones at scale 1).
    """
    if n_returns < 0 or activities_scale < 1 or not formats:
        raise ValueError("need n_returns >= 0, activities_scale >= 1 and at least one format")
    ref = load_reference()
    out = Path(out_dir)
    paths = []
    for i in range(n_returns):
        document = make_return(i, activities_scale=activities_scale, seed=seed, ref=ref)
        fmt = formats[i % len(formats)]
        path = out / document["reporting_year"] / f"{_slug(document['partnership'])}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_render(document, fmt), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic collection of returns.")
    parser.add_argument("out", type=Path, help="folder to write into")
    parser.add_argument("--returns", type=int, default=30, help="how many returns (default 30)")
    parser.add_argument(
        "--activities-scale", type=int, default=1, help="multiply activities per return"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--formats", default="yaml,json", help="comma-separated, alternating (default yaml,json)"
    )
    args = parser.parse_args(argv)
    paths = generate_collection(
        args.out,
        args.returns,
        activities_scale=args.activities_scale,
        seed=args.seed,
        formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()),
    )
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths):,} returns ({size / 1024 / 1024:.1f} MB) under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
