"""Backing up and restoring a SQLite register (PostgreSQL has pg_dump and pg_restore for that).

SQLite's online backup copies a consistent snapshot while the portal keeps serving; a restore
copies a backup back the same way, after checking it really is a register.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from cjreturns.core.errors import OutputExistsError, UsageError

PG_ADVICE = (
    "this register is PostgreSQL: back it up with `pg_dump --format=custom --file OUT DBNAME` "
    "and restore with `pg_restore --clean --dbname DBNAME OUT` (PostgreSQL's own tools keep a "
    "consistent snapshot while the portal runs)"
)


def sqlite_path(url: str) -> Path:
    from cjreturns.register.database import database_settings

    settings = database_settings(url)
    if settings["ENGINE"] != "django.db.backends.sqlite3":
        raise UsageError(PG_ADVICE)
    return Path(str(settings["NAME"]))


def _copy(source: sqlite3.Connection, out: Path) -> None:
    """Write the snapshot to a temporary file beside `out`, then rename: never half a backup."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def backup(url: str, out: Path, *, force: bool = False) -> Path:
    """A consistent copy of the register at `url` in the single file `out`."""
    db = sqlite_path(url)
    if not db.is_file():
        raise UsageError(f"no register at {db}")
    if out.exists() and not force:
        raise OutputExistsError(f"{out} already exists; use --force to overwrite")
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        _copy(source, out)
    finally:
        source.close()
    return out


def _is_register(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False
    return ok and {"register_submission", "django_migrations"} <= tables


def restore(backup_file: Path, url: str, *, force: bool = False) -> Path:
    """Put a backup back as the register at `url` (stop the portal first)."""
    db = sqlite_path(url)
    if not backup_file.is_file() or not _is_register(backup_file):
        raise UsageError(f"{backup_file} is not a cjreturns register backup")
    if db.exists() and not force:
        raise OutputExistsError(f"{db} already exists; use --force to replace it with the backup")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        _copy(source, db)
    finally:
        source.close()
    for stale in (Path(f"{db}-wal"), Path(f"{db}-shm")):  # the old file's journal is not ours
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    return db
