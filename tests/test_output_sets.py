"""Outputs under interruption, concurrency and a hostile environment.

- A set of outputs (one run's national files) is replaced as a whole: killed at any point of the
  write (SIGKILL at every rename, SIGTERM and SIGKILL at random moments of a real `aggregate`),
  a reader sees the old set or the new one, and the next run leaves no leftovers.
- Two runs without --force into the same new path never both succeed.
- A read-only folder, a full disk or a file in the parent path is one line and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.core.errors import OutputExistsError, OutputWriteError
from cjreturns.outputs.files import atomic_write_bytes, write_set

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2021-22"
posix = pytest.mark.skipif(os.name != "posix", reason="signals and permission bits")
runner = CliRunner()


def _leftovers(out: Path) -> list[str]:
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
    inside = [p.name for p in out.iterdir() if p.name.startswith(".")] if out.is_dir() else []
    return sorted(beside + inside)


# -- killed at every step of the swap ------------------------------------------------------------

_KILL_AT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from cjreturns.outputs import files

    calls = [0]
    stop_at = int(sys.argv[2])

    def counted(name, original):
        def step(*args, **kwargs):
            calls[0] += 1
            if calls[0] == stop_at:
                os.kill(os.getpid(), signal.SIGKILL)  # no cleanup at all
            return original(*args, **kwargs)
        return step

    for name in ("rename", "replace", "link"):
        setattr(os, name, counted(name, getattr(os, name)))
    exchange = files._exchange if sys.argv[4] == "exchange" else (lambda a, b: False)
    files._exchange = counted("exchange", exchange)
    names = ("aggregate.json", "table-01.csv", "talking-points.md")
    files.write_set(Path(sys.argv[1]), {n: sys.argv[3].encode() for n in names}, force=True)
    print("steps", calls[0])
    """
)


def _write_set_killed_at(
    out: Path, step: int, content: str, mode: str = "exchange"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _KILL_AT, str(out), str(step), content, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _contents(out: Path) -> set[str]:
    return {p.read_text() for p in out.iterdir() if not p.name.startswith(".")}


@posix
@pytest.mark.parametrize("mode", ["exchange", "two-renames"])
def test_a_set_killed_at_any_step_is_all_old_or_all_new_and_cleaned_next_time(
    mode: str, tmp_path: Path
) -> None:
    """`two-renames` is the swap where the system has no atomic exchange (not Linux)."""
    out = tmp_path / "national"
    done = _write_set_killed_at(out, 0, "old", mode)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout.split()[-1])
    assert steps >= 3
    (out / "notes.txt").write_text("the analyst's own notes")
    for step in range(1, steps + 1):
        killed = _write_set_killed_at(out, step, "new", mode)
        assert killed.returncode == -signal.SIGKILL, (step, killed.stdout, killed.stderr)
        # the folder may be briefly absent on systems without an atomic exchange, never mixed
        seen = _contents(out) - {"the analyst's own notes"} if out.exists() else {"old"}
        assert seen in ({"old"}, {"new"}), (step, seen)
        if out.exists():
            assert (out / "notes.txt").read_text() == "the analyst's own notes"
        again = _write_set_killed_at(out, 0, "old", mode)  # the next run cleans up
        assert again.returncode == 0, again.stderr
        assert _contents(out) == {"old", "the analyst's own notes"}
        assert _leftovers(out) == [], step


def test_sigterm_while_writing_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM stops the run as Ctrl-C does; the temporary folder is removed, the old set kept."""
    out = tmp_path / "national"
    write_set(out, {"a.csv": b"old", "b.csv": b"old"})
    real = os.replace

    def terminated(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", terminated)
    with pytest.raises(SystemExit) as stopped:
        write_set(out, {"a.csv": b"new", "b.csv": b"new"}, force=True)
    assert stopped.value.code == 128 + signal.SIGTERM
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.csv": b"old", "b.csv": b"old"}
    assert _leftovers(out) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back as it was


def _coverage_counts(out: Path) -> tuple[int, int, int]:
    """Partnerships counted per aggregate.json, per the coverage CSV, per talking-points.md."""
    agg = json.loads((out / "aggregate.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((out / "table-01-coverage.csv").read_text("utf-8-sig"))))
    counted = sum(1 for r in rows if len(r) > 1 and r[1].startswith("counted"))
    md = (out / "talking-points.md").read_text(encoding="utf-8")
    in_md = len(agg["coverage"]["accepted"]) if f"{counted} of 30" in md else -1
    return len(agg["coverage"]["accepted"]), counted, in_md


@posix
@pytest.mark.slow
def test_aggregate_killed_at_random_moments_leaves_one_consistent_set(tmp_path: Path) -> None:
    """A real `cjreturns aggregate --force`, stopped by SIGTERM or SIGKILL at random moments
    (bounded: 8 runs): the folder always holds one run's complete set."""
    thirty = tmp_path / "thirty"
    twenty_nine = tmp_path / "twenty-nine"
    for folder, files in ((thirty, sorted(EXAMPLES.iterdir())), (twenty_nine, [])):
        folder.mkdir()
        for path in files:
            (folder / path.name).write_bytes(path.read_bytes())
    for path in sorted(thirty.iterdir())[1:]:
        (twenty_nine / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "national"
    exe = [sys.executable, "-m", "cjreturns", "aggregate"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1664582400"}

    def run(source: Path) -> subprocess.Popen[bytes]:
        args = [*exe, str(source), "--year", "2021-22", "--out", str(out), "--force"]
        return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    start = time.perf_counter()
    assert run(thirty).wait(timeout=120) in (0, 1)
    took = time.perf_counter() - start
    assert _coverage_counts(out) == (30, 30, 30)
    rng = random.Random(12)
    for i in range(8):
        source = twenty_nine if i % 2 == 0 else thirty
        proc = run(source)
        time.sleep(rng.uniform(0.5, 1.1) * took)
        proc.send_signal(signal.SIGKILL if i % 3 == 0 else signal.SIGTERM)
        proc.wait(timeout=120)
        counts = _coverage_counts(out)
        assert counts in ((30, 30, 30), (29, 29, 29)), (i, counts)
    assert run(twenty_nine).wait(timeout=120) in (0, 1)
    assert _coverage_counts(out) == (29, 29, 29)
    assert _leftovers(out) == []


# -- two runs racing for one new name ------------------------------------------------------------

_RACE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cjreturns.core.errors import OutputExistsError
    from cjreturns.outputs.files import atomic_write_bytes, write_set

    kind, target, me, start = sys.argv[1], Path(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    time.sleep(max(0.0, start - time.time()))
    try:
        if kind == "file":
            atomic_write_bytes(target, me.encode())
        else:
            write_set(target, {"a.json": me.encode(), "b.csv": me.encode()})
    except OutputExistsError:
        sys.exit(2)
    """
)


@posix
@pytest.mark.parametrize("kind", ["file", "set"])
def test_concurrent_runs_without_force_never_both_succeed(kind: str, tmp_path: Path) -> None:
    for attempt in range(6):
        target = tmp_path / f"{kind}-{attempt}"
        start = time.time() + 0.8  # both start at the same moment, after their imports
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _RACE, kind, str(target), who, str(start)],
            )
            for who in ("first", "second")
        ]
        codes = sorted(p.wait(timeout=60) for p in procs)
        assert codes == [0, 2], (attempt, codes)
        if kind == "file":
            assert target.read_text() in ("first", "second")
        else:
            assert len({p.read_text() for p in target.iterdir()}) == 1  # one writer's set
            assert _leftovers(target) == []


def test_without_force_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"earlier")
    with pytest.raises(OutputExistsError):
        atomic_write_bytes(path, b"later")
    assert path.read_bytes() == b"earlier"
    assert _leftovers(tmp_path / "x") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


# -- the environment -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (30, "Read-only file system (the folder is on a read-only disk)"),
        (1, "Operation not permitted (the folder or file may be locked or immutable)"),
        (13, "Permission denied (no permission to write there)"),
    ],
)
def test_a_folder_that_refuses_writes_is_one_line_and_exit_2(
    code: int, cause: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only, immutable (chattr +i) or not ours: the system refuses to create anything in
    the folder. Simulated (the tests may run as root, whom permission bits do not stop); the
    real thing is below for other users."""
    locked = tmp_path / "locked"
    out = locked / "national"
    assert runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_mkdir, real_open = os.mkdir, os.open

    def refuse(real: object) -> object:
        def call(path: object, *args: object, **kwargs: object) -> object:
            if str(path).startswith(str(locked)) and (real is real_mkdir or args[0] & os.O_CREAT):
                raise OSError(code, os.strerror(code), str(path))
            return real(path, *args, **kwargs)  # type: ignore[operator]

        return call

    monkeypatch.setattr(os, "mkdir", refuse(real_mkdir))
    monkeypatch.setattr(os, "open", refuse(real_open))
    for args in (
        ["aggregate", str(EXAMPLES), "--out", str(out), "--force"],
        ["aggregate", str(EXAMPLES), "--out", str(locked / "other")],
        ["template", "--year", "2021-22", "--out", str(locked / "t.xlsx")],
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == 2, done.output
        lines = done.output.strip().splitlines()
        assert lines[-1].startswith("Error: cannot write ") and cause in lines[-1], lines
        assert "This is a bug" not in done.output
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(out) == []


@posix
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_folder_for_real(tmp_path: Path) -> None:
    out = tmp_path / "national"
    assert runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    out.chmod(0o555)
    tmp_path.chmod(0o555)
    try:
        done = runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out), "--force"])
    finally:
        tmp_path.chmod(0o755)
        out.chmod(0o755)
    assert done.exit_code == 2, done.output
    assert "Permission denied" in done.output and "This is a bug" not in done.output


def test_a_file_in_the_parent_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file where a folder should be")
    for args in (
        ["template", "--year", "2021-22", "--out", str(blocker / "sub" / "t.xlsx")],
        ["aggregate", str(EXAMPLES), "--out", str(blocker / "national")],
        ["report", str(EXAMPLES), "--out", str(blocker / "r.docx")],
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == 2, done.output
        assert "This is a bug" not in done.output
        assert "Not a directory" in done.output or "File exists" in done.output, done.output
        assert len(done.output.strip().splitlines()) >= 1
    assert blocker.read_text() == "a file where a folder should be"


def test_a_full_disk_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "national"
    assert runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    done = runner.invoke(app, ["aggregate", str(EXAMPLES), "--out", str(out), "--force"])
    assert done.exit_code == 2, done.output
    assert "No space left on device (the disk is full)" in done.output
    assert "This is a bug" not in done.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(out) == []


def _small_file_limit() -> None:  # pragma: no cover - runs in the child
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))  # aggregate.json is 50 KB


@posix
def test_a_real_write_that_the_system_refuses_is_exit_2(tmp_path: Path) -> None:
    """The file-size limit stands in for a full disk: the write itself fails in the kernel."""
    out = tmp_path / "national"
    done = subprocess.run(
        [sys.executable, "-m", "cjreturns", "aggregate", str(EXAMPLES), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_small_file_limit,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"Error: cannot write {out}: File too large"), done.stderr
    assert not out.exists() and _leftovers(out) == []


def test_output_write_error_is_a_usage_error() -> None:
    from cjreturns.core.errors import UsageError

    assert issubclass(OutputWriteError, UsageError)
