"""Command-line interface: `cjreturns COMMAND ...` (see `cjreturns --help`)."""

from __future__ import annotations

from cjreturns.cli import aggregate as _aggregate  # noqa: F401  (registers commands)
from cjreturns.cli import plan as _plan  # noqa: F401  (registers commands)
from cjreturns.cli import portal as _portal  # noqa: F401  (registers commands)
from cjreturns.cli import report as _report  # noqa: F401  (registers commands)
from cjreturns.cli import validate as _validate  # noqa: F401  (registers commands)
from cjreturns.cli import workbook as _workbook  # noqa: F401  (registers commands)
from cjreturns.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
