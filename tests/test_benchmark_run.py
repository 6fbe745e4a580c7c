"""`make benchmark` keeps working: its stages run on a tiny generated collection.

The benchmark itself is slow and not a test; this only checks each stage still fits the
library's API and reports the figures the results table reads.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cj_bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_stages_report_their_figures(tmp_path: Path) -> None:
    run = _run_module()
    folder = run._collection(tmp_path, 4, 1)
    assert run._collection(tmp_path, 4, 1) == folder  # reused, not generated again

    validate = run.stage_validate(folder, 1)
    assert validate["files"] == 4
    assert validate["ours_s"] > 0 and validate["floor_s"] > 0

    aggregate = run.stage_aggregate(folder, 1)
    assert (aggregate["files"], aggregate["counted"]) == (4, 4)

    memory = run.stage_memory(folder, 1)
    assert memory["peak_mb"] >= memory["import_mb"] > 0

    assert run.stage_outputs(folder, 1)["ours_s"] > 0

    workbook = run.stage_workbook(folder, 1)
    assert workbook["files"] == 4 and workbook["cells"] > 0

    report = run.stage_report(folder, 1)
    assert report["files"] == 4 and report["tables"] > 0 and report["paragraphs"] > 0

    demo = run.stage_demo(folder, 1)
    assert demo["files"] == 4
    assert set(demo["steps"]) == {"validate", "aggregate", "workbook", "report"}
    assert set(run.STAGES) == {
        "validate", "memory", "aggregate", "outputs", "workbook", "report", "demo"
    }  # fmt: skip
