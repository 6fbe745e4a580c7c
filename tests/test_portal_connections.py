"""A SQLite register as `cjreturns serve` runs it: each server thread opens one connection and
keeps it for every later request (no reconnect, no PRAGMAs again per request), in WAL mode with
synchronous=NORMAL (no fsync per commit; safe in WAL mode) and foreign keys enforced.

Run in a fresh process on a file register, through Django's own WSGI handler: the test client
would hide a connection closed after each request, since it switches that closing off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.register_helpers import PASSWORD, RETURNS

SCRIPT = """
import io, json, sys, threading, uuid
from cjreturns.register import setup
setup(sys.argv[1])
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.backends.signals import connection_created
from cjreturns.register.services import accounts

user = accounts.add_user("fife@example.org", role="coordinator", password=sys.argv[2],
                         partnership="Fife")
token = accounts.new_token(user)
data = open(sys.argv[3], "rb").read()
app = WSGIHandler()
opened, statuses, pragmas = [], [], {}
connection_created.connect(lambda sender, connection, **kw: opened.append(threading.get_ident()),
                          weak=False)

def post():
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\\r\\nContent-Disposition: form-data; name=\\"file\\"; "
            f"filename=\\"fife.yaml\\"\\r\\n\\r\\n")
    body = head.encode() + data + f"\\r\\n--{boundary}--\\r\\n".encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/returns/2021-22/check",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
               "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
               "CONTENT_LENGTH": str(len(body)), "HTTP_AUTHORIZATION": f"Bearer {token}"}
    answer = b"".join(app(environ, lambda status, headers: statuses.append(status)))
    assert json.loads(answer)["findings"] is not None

def serve_thread():  # one waitress thread: several requests in a row
    for _ in range(4):
        post()
    with connection.cursor() as cursor:
        for name in ("journal_mode", "synchronous", "foreign_keys"):
            cursor.execute(f"PRAGMA {name}")
            pragmas[name] = cursor.fetchone()[0]

connection.close()  # the set-up's own connection; the server threads open theirs
threads = [threading.Thread(target=serve_thread) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"opened": len(opened), "threads": len(set(opened)), "statuses": statuses,
                  "pragmas": pragmas}))
"""


def test_each_server_thread_keeps_one_connection_with_wal_and_normal_sync(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CJRETURNS_", "DJANGO_"))}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            f"sqlite:///{tmp_path / 'register.sqlite3'}",
            PASSWORD,
            str(RETURNS / "fife.yaml"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["statuses"] == ["200 OK"] * 8
    assert (seen["opened"], seen["threads"]) == (2, 2)  # 8 requests, one connection per thread
    assert seen["pragmas"] == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1}
