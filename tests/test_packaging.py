"""`pip install .` gives a working cjreturns outside the repository: the wheel carries its data.

Builds the wheel offline (no build isolation, no dependencies), installs it into a plain folder
and runs it from a directory outside the checkout, so nothing can be read from the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _pip(*args: str) -> None:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run(
        [sys.executable, "-m", "pip", *args], check=True, capture_output=True, env=env, cwd=REPO
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO))
    (built,) = out.glob("cjreturns-*.whl")
    return built


def test_wheel_carries_schemas_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("return.schema.json", "reference.yaml", "rules.yaml"):
        assert f"cjreturns/_data/schemas/{data}" in names
    templates = [p.name for p in (REPO / "templates").iterdir() if p.is_file()]
    assert templates, "templates/ is empty"
    for name in templates:
        assert f"cjreturns/_data/templates/{name}" in names
    # Every file under schemas/ travels (subfolders such as plan/ too), not just the three
    # the validator reads.
    for p in (REPO / "schemas").rglob("*"):
        if p.is_file():
            assert f"cjreturns/_data/schemas/{p.relative_to(REPO / 'schemas').as_posix()}" in names
    assert "cjreturns/cli/__init__.py" in names
    assert not any(n.startswith(("tests/", "examples/", ".venv/")) for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "cjreturns = cjreturns.cli:main" in text


def test_installed_wheel_works_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(target), str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    case = REPO / "examples" / "invalid" / "returns" / "valid-bom-gaelic.yaml"
    shutil.copy(case, elsewhere / "r.yaml")
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import cjreturns, cjreturns.core.resources as r;"
        "print(cjreturns.__file__); print(r.data_dir('schemas')); print(r.data_dir('templates'));"
        "from cjreturns.validation.engine import validate_file;"
        "print(validate_file('r.yaml').valid)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, schemas, templates, valid = done.stdout.splitlines()
    assert Path(module).is_relative_to(target)
    assert Path(schemas) == target / "cjreturns" / "_data" / "schemas"
    assert Path(templates) == target / "cjreturns" / "_data" / "templates"
    assert valid == "True"
    cli = subprocess.run(
        [sys.executable, "-m", "cjreturns", "validate", "r.yaml", "--year", "2021-22"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert "1 file checked: 1 valid, 0 invalid; 0 errors, 0 warnings." in cli.stdout
    rules = subprocess.run(
        [sys.executable, "-m", "cjreturns", "rules", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert rules.returncode == 0, rules.stderr
    assert rules.stdout.startswith("id,severity,stage,checks,fix,workbook_fix\n")
