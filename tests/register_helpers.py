"""Shared set-up for the register and portal tests: accounts and example returns as bytes."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETURNS = ROOT / "examples" / "returns" / "2021-22"
INVALID = ROOT / "examples" / "invalid" / "returns"
YEAR = "2021-22"
PASSWORD = "a-long-test-password-42"


def example(name: str) -> tuple[bytes, str]:
    path = RETURNS / name if (RETURNS / name).exists() else INVALID / name
    return path.read_bytes(), path.name


def make_users() -> dict[str, object]:
    """A coordinator for Fife, one for Angus and an analyst."""
    from cjreturns.register.services import accounts

    return {
        "fife": accounts.add_user(
            "fife@example.org", role="coordinator", password=PASSWORD, partnership="Fife"
        ),
        "angus": accounts.add_user(
            "angus@example.org", role="coordinator", password=PASSWORD, partnership="Angus"
        ),
        "analyst": accounts.add_user("analyst@cjs.example", role="analyst", password=PASSWORD),
    }
