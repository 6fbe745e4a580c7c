"""`cjreturns --help` stays fast: the CLI imports no heavy library until a command needs it.

Run in a fresh interpreter, because the test session itself has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "docx", "openpyxl", "jsonschema", "django")


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_cli_import_loads_no_heavy_library() -> None:
    loaded = _modules_after("import cjreturns.cli")
    assert "typer" in loaded  # the check itself works: the CLI really was imported
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_help_loads_no_heavy_library() -> None:
    statement = (
        "from typer.testing import CliRunner\n"
        "from cjreturns.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output"
    )
    loaded = _modules_after(statement)
    assert sorted(m for m in HEAVY if m in loaded) == []


def test_package_import_is_light_and_every_public_name_resolves() -> None:
    loaded = _modules_after("import cjreturns")
    assert sorted(m for m in (*HEAVY, "yaml") if m in loaded) == []
    statement = (
        "import cjreturns\n"
        "missing = [n for n in cjreturns.__all__ if getattr(cjreturns, n, None) is None]\n"
        "assert missing == [], missing"
    )
    _modules_after(statement)
