"""The same inputs give the same bytes whatever the clock says (determinism tests that ran
twice in one process would mostly pass even if an output went back to using "now").

Each command runs as its own process with the system clock moved by libfaketime (Debian's
faketime, which .ci/run installs), and with SOURCE_DATE_EPOCH fixed, the reproducible-builds
convention every dated output honours. Every file written must be byte-identical between runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "returns"

FAKETIME = shutil.which("faketime")


def _run(shift: str, out: Path, year: str, context: str) -> dict[str, bytes]:
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    commands = [
        ["aggregate", str(EXAMPLES / year), "--year", year, "--out", str(out / "agg")],
        [
            "report",
            str(EXAMPLES / year),
            "--year",
            year,
            "--context",
            str(REPO / "examples" / context),
            "--out",
            str(out / "draft.docx"),
        ],
        ["template", "--year", year, "--out", str(out / "blank.xlsx")],
    ]
    for command in commands:
        done = subprocess.run(
            [str(FAKETIME), "-f", shift, sys.executable, "-m", "cjreturns", *command],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
        assert done.returncode in (0, 1), done.stdout + done.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("year", "context"), [("2021-22", "context-2021-22.yaml"), ("2024-25", "context-2024-25.yaml")]
)
def test_outputs_do_not_depend_on_the_clock(year: str, context: str, tmp_path: Path) -> None:
    if FAKETIME is None:
        pytest.skip("faketime is not installed (.ci/run installs Debian's faketime)")
    first = _run("+0d", tmp_path / "now", year, context)
    later = _run("+400d", tmp_path / "later", year, context)
    assert sorted(first) == sorted(later)
    assert len(first) >= 5, sorted(first)
    changed = [name for name in first if first[name] != later[name]]
    assert changed == []
