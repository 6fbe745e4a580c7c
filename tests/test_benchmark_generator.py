"""The benchmark's synthetic returns are valid returns, and the same for the same seed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from cjreturns.validation.engine import validate_paths

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    # benchmarks/ is a folder of scripts, not a package: load the module from its file.
    spec = importlib.util.spec_from_file_location(
        "cj_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_generated_returns_validate_without_findings(tmp_path: Path) -> None:
    gen = _generator()
    paths = gen.generate_collection(tmp_path / "a", 10, seed=3)
    paths += gen.generate_collection(tmp_path / "b", 2, activities_scale=3, seed=3)
    assert len(paths) == 12
    assert sorted(p.suffix for p in paths) == [".json"] * 6 + [".yaml"] * 6
    result = validate_paths([tmp_path])
    assert result.summary() == {"files": 12, "valid": 12, "invalid": 0, "errors": 0, "warnings": 0}
    by_name = {f.path.name: f for f in result.files}
    assert by_name["aberdeen-city.yaml"].reporting_year == "2022-23"
    assert by_name["aberdeen-city.yaml"].partnership == "Aberdeen City"


def test_pairs_are_distinct_and_years_run_on() -> None:
    gen = _generator()
    docs = [gen.make_return(i) for i in range(0, 3000, 97)] + [gen.make_return(2999)]
    pairs = {(d["partnership"], d["reporting_year"]) for d in docs}
    assert len(pairs) == len(docs)
    assert docs[-1]["reporting_year"] == "1923-24"  # 3,000 returns: 100 years of 30, back


def test_activities_scale_multiplies_activities() -> None:
    gen = _generator()

    def count(doc: dict) -> int:  # type: ignore[type-arg]
        return sum(len(o["activities"]) for o in doc["outcomes"].values()) + len(
            doc["local_activity"]
        )

    assert count(gen.make_return(5, activities_scale=10)) == 10 * count(gen.make_return(5))


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    gen = _generator()
    gen.generate_collection(tmp_path / "one", 4, activities_scale=2, seed=7)
    gen.generate_collection(tmp_path / "two", 4, activities_scale=2, seed=7)
    gen.generate_collection(tmp_path / "other", 4, activities_scale=2, seed=8)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")
    assert _snapshot(tmp_path / "one") != _snapshot(tmp_path / "other")
