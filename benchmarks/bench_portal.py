"""A bounded load run of the collection portal on this machine (localhost only).

1. Upload-to-findings: N simulated coordinators (default 30, one per example partnership) each
   POST their return to `/api/v1/returns/YEAR/check` at once, R rounds; p50/p95 of the time from
   sending the upload to having the findings, beside the library's own `validate_file` time for
   the same files (median of 5, in this process); and one coordinator alone (10 in a row).
2. Dashboard: a register of Y years x 30 partnerships x V versions (default 10 x 30 x 10 = 3,000
   submissions, each with its findings), then the analyst's status page and the status API for
   one year, timed over HTTP (best and median of 10).

Targets (issue 14): upload p95 <= 1 s and <= 3x the library; dashboard <= 200 ms.
The server is `cjreturns serve` (waitress) in its own process on 127.0.0.1 and a free port; every
loop is bounded in count and time, and the server is stopped at the end.

Usage: python benchmarks/bench_portal.py [--coordinators 30] [--rounds 3] [--years 10]
       [--versions 10] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETURNS = ROOT / "examples" / "returns" / "2021-22"
YEAR = "2021-22"
PASSWORD = "benchmark-password-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def request(
    url: str,
    *,
    token: str | None = None,
    cookie: str | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if cookie:
        req.add_header("Cookie", f"sessionid={cookie}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as r:  # localhost only
        return r.status, r.read()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def populate(url: str, *, coordinators: int, years: int, versions: int) -> dict[str, object]:
    """Accounts, tokens and the big register, written straight through the ORM (bulk)."""
    from cjreturns.register import setup

    setup(url)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from cjreturns.register.models import Partnership, Submission
    from cjreturns.register.services import accounts, intake
    from cjreturns.register.services.years import collection_for

    files = sorted(RETURNS.iterdir())[:coordinators]
    tokens = []
    for path in files:
        checked = intake.validate_upload(path.read_bytes(), path.name, year=YEAR)
        email = f"c{len(tokens)}@bench.example"
        user = accounts.add_user(
            email, role="coordinator", password=PASSWORD, partnership=checked.partnership
        )
        tokens.append((accounts.new_token(user), path))
    analyst = accounts.add_user("analyst@bench.example", role="analyst", password=PASSWORD)
    # The big register: every partnership, every year, V versions, with real findings.
    sample = intake.validate_upload(files[0].read_bytes(), files[0].name, year=YEAR)
    now = timezone.now()
    rows = []
    for y in range(years):
        year = f"{2021 - y}-{(22 - y) % 100:02d}"
        collection = collection_for(year)
        for p in Partnership.objects.all():
            for v in range(1, versions + 1):
                rows.append(
                    Submission(
                        partnership=p,
                        collection=collection,
                        version=v,
                        uploaded_by=analyst,
                        uploaded_at=now,
                        channel="bench",
                        file_name=sample.file_name,
                        content=files[0].read_bytes(),
                        size=sample.size,
                        sha256=sample.sha256,
                        format="yaml",
                        tool_version="bench",
                        rules_version="bench",
                        findings=sample.result,
                        valid=sample.valid,
                        errors=sample.result["errors"],
                        warnings=sample.result["warnings"],
                    )
                )
    Submission.objects.bulk_create(rows, batch_size=500)
    session = SessionStore()
    session[SESSION_KEY] = str(analyst.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = analyst.get_session_auth_hash()
    session.create()
    return {
        "tokens": tokens,
        "analyst_token": accounts.new_token(analyst),
        "cookie": session.session_key,
        "submissions": len(rows),
    }


def library_times(paths: list[Path], runs: int = 5) -> dict[str, float]:
    """Each file's median `validate_file` time, measured as the portal's requests are (a median
    of several, on a busy machine both alike), after one warm-up run."""
    from cjreturns.validation.engine import validate_file

    times: dict[str, list[float]] = {p.name: [] for p in paths}
    for p in paths:
        validate_file(p, year=YEAR)
    for _ in range(runs):
        for p in paths:
            start = time.perf_counter()
            validate_file(p, year=YEAR)
            times[p.name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coordinators", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cjreturns-bench-portal-"))
    url = f"sqlite:///{work / 'register.sqlite3'}"
    started = time.perf_counter()
    data = populate(url, coordinators=args.coordinators, years=args.years, versions=args.versions)
    print(f"register: {data['submissions']:,} submissions in {time.perf_counter() - started:.1f} s")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["CJRETURNS_SECRET_KEY"] = os.environ["CJRETURNS_SECRET_KEY"]  # the sessions made above
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cjreturns",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database",
            url,
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request(f"{base}/sign-in/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the portal did not start within 60 s")

        tokens = data["tokens"]
        assert isinstance(tokens, list)
        lib = library_times([p for _, p in tokens])
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def coordinator(token: str, path: Path) -> None:
            body, ctype = multipart(path)
            for _ in range(args.rounds):
                start = time.perf_counter()
                try:
                    status, answer = request(
                        f"{base}/api/v1/returns/{YEAR}/check",
                        token=token,
                        body=body,
                        content_type=ctype,
                    )
                    json.loads(answer)["findings"]
                    ok = status == 200
                except Exception as exc:
                    ok, status = False, repr(exc)
                with lock:
                    (latencies if ok else failures).append(
                        time.perf_counter() - start if ok else f"{path.name}: {status}"
                    )

        # One coordinator alone first: the request's own cost beside the library's, no queueing.
        alone: list[float] = []
        first_token, first_path = tokens[0]
        body, ctype = multipart(first_path)
        for _ in range(10):
            start = time.perf_counter()
            request(
                f"{base}/api/v1/returns/{YEAR}/check",
                token=first_token,
                body=body,
                content_type=ctype,
            )
            alone.append(time.perf_counter() - start)

        threads = [threading.Thread(target=coordinator, args=tp) for tp in tokens]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        wall = time.perf_counter() - wall
        lib_values = list(lib.values())
        upload = {
            "coordinators": len(tokens),
            "rounds": args.rounds,
            "requests": len(latencies),
            "failures": len(failures),
            "wall_s": round(wall, 2),
            "p50_s": round(percentile(latencies, 50), 3),
            "p95_s": round(percentile(latencies, 95), 3),
            "library_p50_s": round(percentile(lib_values, 50), 4),
            "library_p95_s": round(percentile(lib_values, 95), 4),
        }
        upload["p95_over_library_p95"] = round(upload["p95_s"] / upload["library_p95_s"], 1)
        upload["alone_p50_s"] = round(percentile(alone, 50), 4)
        upload["alone_library_s"] = round(lib[first_path.name], 4)
        upload["alone_over_library"] = round(upload["alone_p50_s"] / upload["alone_library_s"], 1)

        dashboard_times, api_times = [], []
        for _ in range(10):
            start = time.perf_counter()
            status, page = request(f"{base}/analyst/{YEAR}/", cookie=str(data["cookie"]))
            dashboard_times.append(time.perf_counter() - start)
            assert status == 200 and b"Returns for" in page, page[:300]
            start = time.perf_counter()
            request(f"{base}/api/v1/returns/{YEAR}/status", token=str(data["analyst_token"]))
            api_times.append(time.perf_counter() - start)
        dashboard = {
            "submissions_in_register": data["submissions"],
            "page_best_ms": round(min(dashboard_times) * 1000, 1),
            "page_median_ms": round(statistics.median(dashboard_times) * 1000, 1),
            "api_best_ms": round(min(api_times) * 1000, 1),
            "api_median_ms": round(statistics.median(api_times) * 1000, 1),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    result = {"upload_to_findings": upload, "dashboard": dashboard, "failures": failures[:5]}
    print(json.dumps(result, indent=2))
    targets = (
        upload["p95_s"] <= 1.0,
        upload["p95_over_library_p95"] <= 3.0,
        dashboard["page_median_ms"] <= 200,
    )
    print(
        "targets: upload p95 <= 1 s: {}; <= 3x library: {}; dashboard <= 200 ms: {}".format(
            *("met" if t else "NOT met" for t in targets)
        )
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if not failures else 1


if __name__ == "__main__":
    os.environ.setdefault("CJRETURNS_SECRET_KEY", uuid.uuid4().hex * 2)
    sys.exit(main())
