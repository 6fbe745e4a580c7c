"""Time `aggregate` + `write_outputs` on the example collection and on collections 100x larger.

Cases (each runs in its own process so peak memory is its own):
  examples       the 30 example returns (examples/returns/2021-22)
  generated      3,000 synthetic returns from benchmarks/generate.py (30 partnerships x 100
                 reporting years; the latest year is counted, the rest set aside)
  resubmissions  the 30 examples copied 100 times with different submitted_on dates: 3,000
                 returns for one year, 2,970 of them superseded

Usage: python benchmarks/bench_aggregate.py [--scale 100] [--case NAME ...]
Prints seconds (aggregate, write) and peak resident memory (MB) per case. A script, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "returns" / "2021-22"
CASES = ("examples", "generated", "resubmissions")


def _resubmissions(out: Path, copies: int) -> Path:
    """Each example `copies` times, the copies dated a day apart before the original."""
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix not in {".json", ".yaml", ".yml"}:
            continue
        text = path.read_text(encoding="utf-8")
        m = re.search(r"(submitted_on\"?:\s*\"?)(\d{4}-\d{2}-\d{2})", text)
        if m is None:
            continue
        original = dt.date.fromisoformat(m.group(2))
        for k in range(copies):
            day = original - dt.timedelta(days=k)
            copy = text[: m.start(2)] + day.isoformat() + text[m.end(2) :]
            (out / f"{path.stem}-{k:03d}{path.suffix}").write_text(copy, encoding="utf-8")
    return out


def _prepare(case: str, scale: int, work: Path) -> Path:
    if case == "examples":
        return EXAMPLES
    if case == "generated":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from generate import generate_collection

        generate_collection(work, 30 * scale)
        return work
    return _resubmissions(work, scale)


def run_one(case: str, scale: int) -> dict[str, object]:
    """Prepare the collection, then time aggregation and writing (preparation is not timed)."""
    with tempfile.TemporaryDirectory(prefix="cjbench-") as tmp:
        work = Path(tmp) / "returns"
        work.mkdir()
        folder = _prepare(case, scale, work)
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        from cjreturns.aggregation import aggregate
        from cjreturns.outputs.national_tables import write_outputs

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        agg = aggregate(folder)
        aggregated = time.perf_counter()
        write_outputs(agg, Path(tmp) / "out")
        written = time.perf_counter()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        return {
            "case": case,
            "files": files,
            "counted": agg.coverage.counted,
            "superseded": len(agg.coverage.superseded),
            "aggregate_s": round(aggregated - start, 2),
            "write_s": round(written - aggregated, 2),
            "peak_rss_mb": round(rss / 1024, 1),
            "rss_growth_mb": round((rss - rss_before) / 1024, 1),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="how many times the examples")
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case")
    parser.add_argument("--one", choices=CASES, help=argparse.SUPPRESS)  # child process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.scale)))
        return 0
    print(
        f"{'case':<14} {'files':>6} {'counted':>7} {'superseded':>10} {'aggregate s':>11} "
        f"{'write s':>7} {'peak MB':>8}"
    )
    for case in args.case or CASES:
        child = subprocess.run(
            [sys.executable, __file__, "--one", case, "--scale", str(args.scale)],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(f"{case}: failed\n{child.stderr}", file=sys.stderr)
            return 1
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{r['case']:<14} {r['files']:>6} {r['counted']:>7} {r['superseded']:>10} "
            f"{r['aggregate_s']:>11} {r['write_s']:>7} {r['peak_rss_mb']:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
