"""The CLI as a person meets it: --version, help that is not cut off, usage lines in words."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cjreturns import __version__
from cjreturns.cli import app
from cjreturns.cli.validate import VOCABULARIES

runner = CliRunner()


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    out: list[list[str]] = []

    def walk(command: Any, trail: list[str]) -> None:
        out.append(trail)
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*trail, name])

    walk(root, [])
    return out


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"cjreturns {__version__}\n"


def test_top_level_help_lists_each_command_whole() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = " ".join(result.output.split("Commands:")[1].split())
    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        first = " ".join((command.help or "").strip().split("\n\n")[0].split())
        assert f"{name} {first}" in listed, name
    assert "..." not in listed.replace("indicators ...", "")


@pytest.mark.parametrize("trail", _commands(), ids=lambda t: " ".join(t) or "cjreturns")
def test_usage_lines_name_arguments_in_words(trail: list[str]) -> None:
    result = runner.invoke(app, [*trail, "--help"])
    assert result.exit_code == 0, result.output
    assert "<list[" not in result.output
    usage = result.output.splitlines()[0]
    assert "{" not in usage and "<" not in usage, usage


def test_validate_help_mentions_cells() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert "sheet and cell in a workbook" in " ".join(result.output.split())


@pytest.mark.parametrize("name", VOCABULARIES)
def test_codes_take_singular_names_and_label_every_entry(name: str) -> None:
    plural = runner.invoke(app, ["codes", name])
    assert plural.exit_code == 0, plural.output
    singular = name.removesuffix("s") if name.endswith("s") else name
    assert runner.invoke(app, ["codes", singular.replace("_", "-")]).output == plural.output
    for line in plural.output.splitlines():
        code, _, label = line.partition("  ")
        if name != "partnerships":  # a partnership's name is its label
            assert label.strip(), f"{name}: {code} has no label"


def test_codes_unknown_list_is_a_usage_error() -> None:
    result = runner.invoke(app, ["codes", "colours"])
    assert result.exit_code == 2
    assert "no list called 'colours'" in result.output
