"""How long the offline check page takes, beside CPython, for the same workbook.

Cold load to first findings (open the page from disk, Pyodide starts, the wheels install, one
workbook is checked), then a second check of the same file in the warm page, and CPython's
`validate_file` on it (in process, after one warm-up). Not a timed test: run it by hand after
`make check-page`:

    .venv/bin/python benchmarks/check_page.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "dist" / "check-your-return.html"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_times(workbook: Path, runs: int) -> list[tuple[float, float, float]]:
    """(page ready, first findings, second check) in seconds, one triple per cold run."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            began = time.perf_counter()
            page.goto(PAGE.as_uri())
            page.wait_for_function("document.documentElement.dataset.state === 'ready'",
                                   timeout=180_000)  # fmt: skip
            ready = time.perf_counter() - began
            page.set_input_files("input[type=file]", str(workbook))
            page.wait_for_function("document.documentElement.dataset.state === 'checked'")
            first = time.perf_counter() - began
            page.evaluate("document.documentElement.dataset.state = 'ready'")
            again = time.perf_counter()
            page.set_input_files("input[type=file]", [])
            page.set_input_files("input[type=file]", str(workbook))
            page.wait_for_function("document.documentElement.dataset.state === 'checked'")
            second = time.perf_counter() - again
            out.append((ready, first, second))
            context.close()
        browser.close()
    return out


def cpython_time(workbook: Path, runs: int) -> float:
    from cjreturns.validation.engine import validate_file

    validate_file(workbook)  # imports and caches, as the page's first check also pays
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        validate_file(workbook)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not PAGE.is_file():
        raise SystemExit(f"{PAGE} is missing: run `make check-page` first")
    from cjreturns.workbook import convert

    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "fife.xlsx"
        workbook.write_bytes(convert(ROOT / "examples/returns/2021-22/fife.yaml", to="xlsx"))
        runs = browser_times(workbook, args.runs)
        warm = cpython_time(workbook, max(args.runs, 5))
    size = PAGE.stat().st_size / 1024 / 1024
    print(f"check page: {PAGE.name}, {size:.1f} MB; workbook: fife.xlsx (example return)")
    for name, i in (("page ready", 0), ("cold load to first findings", 1), ("second check", 2)):
        values = [r[i] for r in runs]
        print(f"  {name:<28} median {statistics.median(values):6.2f} s  "
              f"(runs: {', '.join(f'{v:.2f}' for v in values)})")  # fmt: skip
    second = statistics.median(r[2] for r in runs)
    print(f"  {'CPython validate_file':<28} median {warm:6.2f} s  "
          f"(the page's second check is {second / warm:.1f}x this)")  # fmt: skip


if __name__ == "__main__":
    main()
