"""Where the schema, reference data and templates live, installed or in a checkout.

The wheel carries `schemas/` and `templates/` inside the package (`cjreturns/_data/`); a checkout
or an editable install reads them from the repository root. Nothing reads `../shared`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `schemas` or `templates`, wherever this copy of cjreturns keeps it."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cjreturns is missing its {name}/ folder; reinstall the package")


def schema_path(filename: str) -> Path:
    return data_dir("schemas") / filename


def template_path(filename: str) -> Path:
    return data_dir("templates") / filename
