"""Atomic, refuse-to-overwrite file writing shared by every output.

A write goes to a temporary file in the same folder and is renamed into place, so a reader never
sees half a file and a failure leaves the previous output intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from cjreturns.errors import OutputExistsError


def check_writable(paths: Iterable[Path], *, force: bool) -> None:
    """Refuse before any work is done if an output exists and `force` is not set."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise OutputExistsError(f"{names}{more} already exists; use --force to overwrite")


def atomic_write_bytes(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically; refuse to replace an existing file unless `force`."""
    check_writable([path], force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return path


def atomic_write_text(path: Path, text: str, *, force: bool = False) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), force=force)


def atomic_write_all(files: Mapping[Path, bytes], *, force: bool = False) -> list[Path]:
    """Write several outputs as one step: refuse if any exists (without `force`), write every
    temporary file first, and only then rename them all into place, so a failure while writing
    leaves every earlier output as it was."""
    paths = list(files)
    check_writable(paths, force=force)
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                            dir=path.parent)
            temps.append((tmp_name, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp_name, path in temps:
            os.replace(tmp_name, path)
    finally:
        for tmp_name, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
    return paths
