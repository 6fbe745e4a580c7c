"""The architecture holds: layers checked by import-linter, every module importable first."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import cjreturns

REPO = Path(__file__).resolve().parent.parent


def _modules() -> list[str]:
    # The portal's and register's Django modules need settings first; they have their own tests.
    return sorted(
        m.name
        for m in pkgutil.walk_packages(cjreturns.__path__, "cjreturns.")
        if not m.name.startswith(("cjreturns.portal", "cjreturns.register"))
    )


def test_import_linter_contracts_are_kept() -> None:
    """A module importing from a layer above it (or a cycle between siblings) fails the build."""
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [shutil.which("lint-imports") or "lint-imports"]
    done = subprocess.run(
        [*command, "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Layers follow the data KEPT" in done.stdout
    assert "No import cycles between sibling modules KEPT" in done.stdout


@pytest.mark.slow
def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    """Import order must not matter: a cycle shows up when a module is the first one imported
    (importing cjreturns.outputs.national_tables first once raised a circular ImportError)."""
    script = (
        "import importlib, subprocess, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    r = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True,"
        " text=True)\n"
        "    if r.returncode:\n"
        "        failed.append(name + ': ' + r.stderr.strip().splitlines()[-1])\n"
        "print('\\n'.join(failed))\n"
    )
    modules = [m for m in _modules() if not m.endswith("__main__")]
    done = subprocess.run(
        [sys.executable, "-c", script, *modules], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
