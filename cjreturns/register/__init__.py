"""The register: every submission of every partnership's return, kept as versions, with its
findings, the partnership's answers to queries, CJS's decisions and an append-only audit log.

A Django app usable without the web server: `setup()` configures Django for a register URL,
then `cjreturns.register.services` does the work (the CLI and the portal both call it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_configured: str | None = None


def database_url(explicit: str | None = None) -> str:
    """--database, else CJRETURNS_DATABASE_URL, else ./cjreturns-register.sqlite3."""
    from cjreturns.register.database import DEFAULT_DATABASE_URL

    return explicit or os.environ.get("CJRETURNS_DATABASE_URL") or DEFAULT_DATABASE_URL


def _keep_secret_key(url: str) -> None:
    """A SQLite register keeps its signing key in a private file beside it, so sessions survive a
    restart without anyone having to configure one; a hosted service sets CJRETURNS_SECRET_KEY."""
    if os.environ.get("CJRETURNS_SECRET_KEY") or not url.startswith("sqlite:///"):
        return
    from cjreturns.register.database import database_settings

    name = str(database_settings(url)["NAME"])
    if name == ":memory:":
        return
    key_file = Path(name + ".secret-key")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    os.environ["CJRETURNS_SECRET_KEY"] = key_file.read_text().strip()


def setup(url: str | None = None, *, migrate: bool = True) -> str:
    """Configure Django for the register at `url` and bring its tables up to date.

    Imports Django here, not at module level, so commands that never touch the register stay
    quick to start. Returns the URL in use.
    """
    global _configured
    url = database_url(url)
    from django.apps import apps

    if _configured is None and apps.ready:  # Django set up by its host (a test run, a shell)
        from django.conf import settings

        if url != settings.DATABASE_URL:
            raise RuntimeError(f"Django is already set up for {settings.DATABASE_URL}, not {url}")
        _configured = url
    if _configured is None:
        os.environ["CJRETURNS_DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjreturns.portal.settings")
        _keep_secret_key(url)
        import django

        django.setup()
        _configured = url
    elif _configured != url:
        raise RuntimeError(f"the register is already open at {_configured}; cannot switch to {url}")
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    return url
