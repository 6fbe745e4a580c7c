"""Register URLs: sqlite:///PATH or postgresql://..., turned into Django's DATABASES entry.

Kept apart from the settings module, which reads the environment once when it is imported.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_DATABASE_URL = "sqlite:///cjreturns-register.sqlite3"


def database_settings(url: str) -> dict[str, object]:
    """Django's DATABASES entry for a register URL (sqlite:///PATH or postgresql://...)."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them
        name = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not name:
            raise ImproperlyConfigured(f"{url!r} names no file: use sqlite:///PATH")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(name).expanduser()) if name != ":memory:" else name,
            "OPTIONS": {
                # WAL lets the dashboard read while a coordinator's upload is written; IMMEDIATE
                # takes the write lock at the start of a transaction, so two uploads queue
                # (busy timeout) instead of failing half way with "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # One connection per server thread, kept between requests: opening one costs more
            # than most requests (the PRAGMAs above run on every connect).
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": None},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "postgres",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(
        f"database URL {url!r} is not sqlite:///PATH or postgresql://USER@HOST:PORT/NAME"
    )
