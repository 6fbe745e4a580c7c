"""The server killed in the middle of uploads (a bounded loop): afterwards the register is whole,
every kept version has exactly the bytes it was sent with, and no earlier version is lost."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.register_helpers import PASSWORD, RETURNS

SETUP = """
import sys
from cjreturns.register import setup
setup(sys.argv[1])
from cjreturns.register.services import accounts
user = accounts.add_user("fife@example.org", role="coordinator", password=sys.argv[2],
                         partnership="Fife")
print(accounts.new_token(user))
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _upload(base: str, token: str, data: bytes) -> int | None:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="fife.yaml"\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    req = urllib.request.Request(f"{base}/api/v1/returns/2021-22/submissions", data=body)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except OSError:
        return None  # the server died under it


@pytest.mark.slow
def test_killing_the_server_mid_upload_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    url = f"sqlite:///{db}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CJRETURNS_", "DJANGO_"))}
    made = subprocess.run(
        [sys.executable, "-c", SETUP, url, PASSWORD],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    data = (RETURNS / "fife.yaml").read_bytes()
    completed = 0
    for round_ in range(3):
        port = _port()
        server = subprocess.Popen(
            [sys.executable, "-m", "cjreturns", "serve", "--port", str(port), "--database", url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(f"{base}/sign-in/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail("the portal did not start")
            # One upload that completes (an earlier version that must survive) ...
            assert _upload(base, token, data) == 201
            completed += 1
            # ... then several at once, with the server killed while they are in flight.
            threads = [threading.Thread(target=_upload, args=(base, token, data)) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(0.05 * (round_ + 1))
            server.send_signal(signal.SIGKILL)
            for t in threads:
                t.join(timeout=60)
        finally:
            server.kill()
            server.wait(timeout=30)

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = con.execute(
            "SELECT version, content, sha256 FROM register_submission ORDER BY version"
        ).fetchall()
        events = con.execute(
            "SELECT count(*) FROM register_auditevent WHERE action = 'submitted'"
        ).fetchone()[0]
    finally:
        con.close()
    versions = [r[0] for r in rows]
    assert versions == list(range(1, len(rows) + 1))  # no gap, no half-written version
    assert len(rows) >= completed == 3
    for _, content, digest in rows:
        assert bytes(content) == data and hashlib.sha256(content).hexdigest() == digest
    assert events == len(rows)  # each version and its audit line were kept together
