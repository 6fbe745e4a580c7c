"""The register tests again, on PostgreSQL: `.ci/run` starts a throwaway cluster (`.ci/postgres`)
and names it in CJRETURNS_TEST_POSTGRESQL_URL. Outside CI, without one, this skips saying so;
in CI a missing cluster is a failure, not a skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
URL = os.environ.get("CJRETURNS_TEST_POSTGRESQL_URL")
FILES = ["tests/test_register.py", "tests/test_register_outputs.py", "tests/test_api.py"]


@pytest.mark.skipif(
    not URL and not os.environ.get("CI"),
    reason="no PostgreSQL to test against: run `.ci/postgres start DIR` and set "
    "CJRETURNS_TEST_POSTGRESQL_URL to the URL it prints",
)
def test_register_tests_pass_on_postgresql() -> None:
    assert URL, "CI must start PostgreSQL (.ci/run) and set CJRETURNS_TEST_POSTGRESQL_URL"
    env = {**os.environ, "CJRETURNS_DATABASE_URL": URL}
    files = [f for f in FILES if (ROOT / f).exists()]
    done = subprocess.run(
        # The slow tests make their own SQLite registers: nothing more to learn on PostgreSQL.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
    assert (
        "postgresql"
        in subprocess.run(
            [
                sys.executable,
                "-c",
                "from cjreturns.portal import settings as s; "
                "print(s.DATABASES['default']['ENGINE'])",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
