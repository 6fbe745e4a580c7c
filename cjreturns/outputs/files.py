"""Atomic, refuse-to-overwrite file writing shared by every output.

A write goes to a temporary file in the same folder and is renamed into place, so a reader never
sees half a file and a failure leaves the previous output intact.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from cjreturns.core.errors import OutputExistsError


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
        os.chmod(tmp_name, _file_mode(path))
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
    leaves every earlier output as it was. If a rename fails part way (on Windows, a workbook
    open in Excel cannot be replaced), the files already renamed are put back as they were."""
    paths = list(files)
    check_writable(paths, force=force)
    temps: list[tuple[str, Path]] = []
    kept: list[tuple[Path, str | None]] = []  # (output, its previous content or None if new)
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp_name, path))
            os.chmod(tmp_name, _file_mode(path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp_name, path in temps:
            kept.append((path, _keep_previous(path)))
            os.replace(tmp_name, path)
    except BaseException:
        for path, previous in reversed(kept):
            with contextlib.suppress(OSError):
                if previous is None:
                    os.unlink(path)
                else:
                    os.replace(previous, path)
        raise
    finally:
        for name in [t for t, _ in temps] + [b for _, b in kept if b is not None]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
    return paths


def _file_mode(path: Path) -> int:
    """The permissions the output should have: those of the file it replaces, else what any new
    file gets (0o666 less the umask). mkstemp's temporary files are private (0o600), which would
    leave a shared output folder with files only their writer can read."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0o022)  # the only portable way to read it: set, then put it back
    os.umask(umask)
    return 0o666 & ~umask


def _keep_previous(path: Path) -> str | None:
    """A second name for `path`'s current content (a hard link, or a copy where links are not
    supported), so it can be put back; None if there is no such file yet."""
    if not path.exists():
        return None
    fd, backup = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".previous", dir=path.parent)
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    return backup


_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes) -> bytes:
    """Re-pack an Office file (.docx, .xlsx) so its bytes depend only on its content.

    Writers stamp every zip member with the current time; we use a fixed time and mode, with
    [Content_Types].xml first as Office writes it, so the same inputs give the same file.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst,
    ):
        names = sorted(src.namelist(), key=lambda n: n != "[Content_Types].xml")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()
