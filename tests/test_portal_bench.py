"""benchmarks/bench_portal.py keeps working: a tiny run (two coordinators, one round, a register
of one year) reports every figure benchmarks/RESULTS.md reads, and no upload fails.

The benchmark itself is long and not a test; this only checks it still fits the portal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_portal_benchmark_reports_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CJRETURNS_", "DJANGO_"))}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_portal.py"),
            *("--coordinators", "2", "--rounds", "1", "--years", "1", "--versions", "1"),
            *("--samples", "3"),
            *("--json", str(out)),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["machine"]["cpus"] == os.cpu_count()
    assert set(result["machine"]["load_average_1min"]) == {
        "start",
        "breakdown",
        "dashboard",
        "alone",
        "concurrent",
        "end",
    }
    steps = result["request_breakdown_ms"]
    assert "token lookup" in steps and all(v["wall_ms"] > 0 for v in steps.values())
    if sys.platform == "linux":
        cpu = result["one_coordinator_alone_cpu"]
        assert cpu["check_cpu_ms"] > 0 and cpu["library_cpu_ms"] > 0
    assert result["one_coordinator_alone"]["files"] == 2
    upload = result["upload_to_findings"]
    for run in ("check", "submissions", "library_30_threads", "library_one_at_a_time"):
        assert (upload[run]["runs"], upload[run]["failures"]) == (2, 0)
        assert 0 < upload[run]["p50_s"] <= upload[run]["p95_s"]
    assert upload["check_p95_over_library_30_threads_p95"] > 0
    assert result["dashboard"]["submissions_in_register"] == 30
    assert "targets: upload p95 <= 1 s:" in done.stdout
