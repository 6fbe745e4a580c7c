"""`cjreturns users ...` and `cjreturns register ...` as a person runs them: in a fresh process,
on a register file, each command opening it as the next one finds it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.register_helpers import PASSWORD, RETURNS


def run(
    *args: str, stdin: str = "", env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CJRETURNS_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "cjreturns", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_users_register_status_backup_and_restore(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    db = ["--database", url]
    done = run(
        "users", "add", "analyst@cjs.example", "--role", "analyst", *db, stdin=PASSWORD + "\n"
    )
    assert (done.returncode, done.stdout) == (0, "Added analyst@cjs.example (analyst).\n")
    refused = run(
        "users", "add", "c@fife.example", "--role", "coordinator", *db, stdin=PASSWORD + "\n"
    )
    assert refused.returncode == 2
    assert refused.stderr == "Error: a coordinator needs --partnership NAME\n"
    token = run("users", "token", "analyst@cjs.example", *db)
    assert token.returncode == 0 and token.stdout.startswith("cjr_") and len(token.stdout) > 40
    # Only its digest is in the register.
    con = sqlite3.connect(tmp_path / "register.sqlite3")
    assert con.execute(
        "SELECT count(*) FROM register_apitoken WHERE digest LIKE 'cjr_%'"
    ).fetchone() == (0,)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()

    added = run("register", "add", str(RETURNS / "fife.yaml"), "--partnership", "Fife", *db)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Fife 2021-22: version 1 recorded (0 errors, 0 warnings)")
    wrong = run("register", "add", str(RETURNS / "angus.json"), "--partnership", "Fife", *db)
    assert wrong.returncode == 1 and "This return is for Angus" in wrong.stderr

    status = run("register", "status", "--year", "2021-22", "--format", "json", *db)
    payload = json.loads(status.stdout)
    assert payload["year"] == "2021-22" and len(payload["partnerships"]) == 30
    fife = next(p for p in payload["partnerships"] if p["partnership"] == "Fife")
    assert {k: fife[k] for k in ("status", "version", "late", "errors", "warnings")} == {
        "status": "submitted",
        "version": 1,
        "late": True,
        "errors": 0,
        "warnings": 0,
    }
    text = run("register", "status", "--year", "2021-22", *db)
    assert text.stdout.splitlines()[-1] == (
        "2021-22: 0 accepted, 1 submitted, 0 returned, 0 checked only, 29 not started; 30 late."
    )

    backup = tmp_path / "backup.sqlite3"
    assert run("register", "backup", str(backup), *db).returncode == 0
    # More work after the backup, then the register is lost and restored from the backup.
    run("register", "add", str(RETURNS / "fife.yaml"), "--partnership", "Fife", *db)
    (tmp_path / "register.sqlite3").unlink()
    restored = run("register", "restore", str(backup), *db)
    assert restored.returncode == 0, restored.stderr
    status = json.loads(
        run("register", "status", "--year", "2021-22", "--format", "json", *db).stdout
    )
    # The version added after the backup is gone with the lost register; the backup's is back.
    assert next(p for p in status["partnerships"] if p["partnership"] == "Fife")["version"] == 1
    not_a_backup = tmp_path / "x.sqlite3"
    not_a_backup.write_bytes(b"hello")
    bad = run("register", "restore", str(not_a_backup), "--force", *db)
    assert bad.returncode == 2 and "is not a cjreturns register backup" in bad.stderr


def test_backup_of_postgresql_gives_pg_dump_advice(tmp_path: Path) -> None:
    done = run(
        "register", "backup", str(tmp_path / "b"), "--database", "postgresql://x@localhost/db"
    )
    assert done.returncode == 2 and "pg_dump" in done.stderr


def test_bad_database_url_is_a_usage_error() -> None:
    done = run("register", "status", "--year", "2021-22", "--database", "mysql://x/y")
    assert done.returncode == 2
    assert "is not sqlite:///PATH or postgresql://" in done.stderr
