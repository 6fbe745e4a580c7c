"""Atomic, refuse-to-overwrite file writing shared by every output.

One file: written to a temporary file in the same folder, then put in place in one step, so a
reader never sees half a file. Without `force` it is put in place by exclusive creation (a hard
link that fails if the name exists), so two runs racing for one new name cannot both succeed.

A set of files (the national outputs of one run): written complete into a sibling folder, which
then takes the output folder's place in one atomic exchange (renameat2 RENAME_EXCHANGE on Linux;
elsewhere two renames, between which the folder is briefly absent, never mixed). A reader sees
the whole old set or the whole new set; files in the folder that are not outputs are carried
over. SIGTERM is turned into an orderly stop while a write is under way, and whatever SIGKILL or
a power cut leaves behind (the sibling folders) is cleaned up by the next run.

An OSError from the machine (read-only folder, full disk, a file in the parent path) becomes
OutputWriteError: one line naming the path and the cause, exit code 2, earlier outputs intact.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from cjreturns.core.errors import OutputExistsError, OutputWriteError

# Sibling folders of an output folder `out`: `.out.cjreturns-new-*` while a set is written,
# `.out.cjreturns-ready-*` once it is complete, `.out.cjreturns-old-*` holding the set it replaced.
_SIBLING = ".{name}.cjreturns-"


def check_writable(paths: Iterable[Path], *, force: bool) -> None:
    """Refuse before any work is done if an output exists and `force` is not set."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise _exists(existing)


def _exists(existing: list[Path]) -> OutputExistsError:
    names = ", ".join(str(p) for p in existing[:3])
    more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
    return OutputExistsError(f"{names}{more} already exists; use --force to overwrite")


def environment_error(path: Path, exc: OSError) -> OutputWriteError:
    """One line for the user: the path and what the machine said (not a bug report)."""
    where = exc.filename if isinstance(exc.filename, str) else str(path)
    cause = exc.strerror or type(exc).__name__
    hint = {
        errno.ENOSPC: " (the disk is full)",
        errno.EROFS: " (the folder is on a read-only disk)",
        errno.EACCES: " (no permission to write there)",
        errno.EPERM: " (the folder or file may be locked or immutable)",
        errno.ENOTDIR: " (a file stands where a folder is needed)",
        errno.EFBIG: " (the file size limit was reached)",
    }.get(exc.errno or 0, "")
    return OutputWriteError(f"cannot write {path}: {cause}{hint} [{where}]; nothing was changed")


@contextlib.contextmanager
def _orderly_stop() -> Iterator[None]:
    """While outputs are written, SIGTERM stops the run as Ctrl-C would (cleanup runs, exit 143)
    instead of killing it between two renames."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not allowed here (an embedding host): write without it
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def atomic_write_bytes(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically; refuse to replace an existing file unless `force`."""
    check_writable([path], force=force)
    tmp_name: str | None = None
    try:
        with _orderly_stop():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp_name = _write_temp(path, data)
            if force:
                os.replace(tmp_name, path)
            else:
                _create_exclusively(tmp_name, path)
    except OSError as exc:
        raise environment_error(path, exc) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
    return path


def _write_temp(path: Path, data: bytes, *, like: Path | None = None) -> str:
    """A finished temporary file beside `path`, with the permissions of `like` (or `path`)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp_name, _file_mode(like or path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def _create_exclusively(tmp_name: str, path: Path) -> None:
    """Give the finished temporary file the name `path` only if nothing has it yet."""
    try:
        os.link(tmp_name, path)
    except FileExistsError as exc:
        raise _exists([path]) from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links here (some network shares): claim the name, then fill it atomically.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError as exists:
            raise _exists([path]) from exists
        os.replace(tmp_name, path)


def atomic_write_text(path: Path, text: str, *, force: bool = False) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), force=force)


def atomic_write_all(files: Mapping[Path, bytes], *, force: bool = False) -> list[Path]:
    """Write a few files that sit among other files (a report and its manifest beside it) as one
    step: every temporary file is written first, then all are put in place; if that fails part
    way the files already replaced are put back. Without `force`, each is created exclusively.
    (A folder that holds only one run's outputs is `write_set`, atomic for readers too.)"""
    paths = list(files)
    check_writable(paths, force=force)
    temps: list[tuple[str, Path]] = []
    kept: list[tuple[Path, str | None]] = []  # (output, its previous content or None if new)
    try:
        with _orderly_stop():
            try:
                for path, data in files.items():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    temps.append((_write_temp(path, data), path))
                for tmp_name, path in temps:
                    kept.append((path, _keep_previous(path)))
                    if force:
                        os.replace(tmp_name, path)
                    else:
                        _create_exclusively(tmp_name, path)
            except BaseException:
                for path, previous in reversed(kept):
                    with contextlib.suppress(OSError):
                        if previous is None:
                            if not force and path.exists() and not _same_file(path, temps):
                                continue  # another run's file, not ours to remove
                            os.unlink(path)
                        else:
                            os.replace(previous, path)
                raise
            finally:
                for name in [t for t, _ in temps] + [b for _, b in kept if b is not None]:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name)
    except OSError as exc:
        raise environment_error(paths[0].parent if paths else Path("."), exc) from exc
    return paths


def _same_file(path: Path, temps: list[tuple[str, Path]]) -> bool:
    """Whether `path` is the file this run created (a hard link of its temporary file)."""
    for tmp_name, target in temps:
        if target == path:
            with contextlib.suppress(OSError):
                return os.path.samefile(tmp_name, path)
    return False


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


def write_set(
    out: Path,
    files: Mapping[str, bytes],
    *,
    force: bool = False,
    owned: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Write the files of one run into the folder `out` as one set (see the module docstring).

    `owned(name)` says which names in `out` belong to earlier sets (dropped when replaced);
    anything else there is carried over. Refuses without `force` if any of the files exists,
    also when another run creates them meanwhile.
    """
    out = Path(os.path.abspath(out))
    is_ours = owned or (lambda name: name in files)
    paths = [out / name for name in files]
    check_writable(paths, force=force)
    with contextlib.suppress(OSError):
        if out.resolve() == Path.cwd().resolve():  # a folder cannot swap places with itself
            return atomic_write_all(dict(zip(paths, files.values(), strict=True)), force=force)
    try:
        with _orderly_stop():
            out.parent.mkdir(parents=True, exist_ok=True)
            with _locked(out.parent):  # one set-writer at a time beside `out`
                clean_leftovers(out)
                _write_and_swap(out, files, is_ours, force=force)
    except OSError as exc:
        raise environment_error(out, exc) from exc
    return paths


def _write_and_swap(
    out: Path, files: Mapping[str, bytes], owned: Callable[[str], bool], *, force: bool
) -> None:
    prefix = _SIBLING.format(name=out.name) + "new-"
    new = Path(tempfile.mkdtemp(prefix=prefix, dir=out.parent))
    try:
        os.chmod(new, _file_mode(out, folder=True))  # mkdtemp's folders are private
        for name, data in files.items():
            tmp = _write_temp(new / name, data, like=out / name)
            os.replace(tmp, new / name)
        ready = new.with_name(new.name.replace("-new-", "-ready-", 1))
        os.rename(new, ready)
        new = ready
        _fsync_dir(out.parent)
        _swap_in(new, out, files, owned, force=force)
    finally:
        if new.exists():
            if "-ready-" in new.name and not out.exists():
                os.rename(new, out)  # stopped between the two renames: finish the swap
            else:
                shutil.rmtree(new, ignore_errors=True)


try:
    import fcntl

    _CAN_LOCK = True
except ImportError:  # Windows
    _CAN_LOCK = False


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (the system drops it when the process dies, however
    it dies), so clean-up never removes what a concurrent run is still writing. Where folders
    cannot be locked (Windows), clean-up only removes leftovers more than an hour old."""
    if not _CAN_LOCK:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _swap_in(
    ready: Path, out: Path, files: Mapping[str, bytes], owned: Callable[[str], bool], *, force: bool
) -> None:
    """Put the complete set at `ready` in the place of `out`, keeping what is not ours."""
    if not out.exists():
        try:
            os.rename(ready, out)  # atomic; fails if another run made `out` meanwhile
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    if not out.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out))
    for entry in os.scandir(out):  # carry over what is not an output (notes, other files)
        if not owned(entry.name) and not (ready / entry.name).exists():
            _carry(Path(entry.path), ready / entry.name)
    old = ready.with_name(ready.name.replace("-ready-", "-old-", 1))
    if _exchange(ready, out):
        os.rename(ready, old)  # `ready` now names the replaced set
    else:
        os.rename(out, old)
        os.rename(ready, out)
    if not force and any((old / name).exists() for name in files):
        # another run wrote these outputs after our check: put its set back, refuse ours
        if not _exchange(out, old):
            os.rename(out, ready)
            os.rename(old, out)
            old = ready
        shutil.rmtree(old, ignore_errors=True)  # our set, refused
        raise _exists([out / name for name in files if (out / name).exists()])
    shutil.rmtree(old, ignore_errors=True)


def _carry(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(str(source), str(target))


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def clean_leftovers(out: Path) -> None:
    """Remove what an interrupted write left beside `out`; finish a swap that was cut between
    its two renames (the complete new set is put in place)."""
    parent = out.parent
    if not parent.is_dir():
        return
    prefix = _SIBLING.format(name=out.name)
    pattern = re.compile(re.escape(prefix) + r"(new|ready|old)-[A-Za-z0-9_]+$")
    for entry in sorted(os.scandir(parent), key=lambda e: e.name):
        m = pattern.match(entry.name)
        if m is None or not entry.is_dir(follow_symlinks=False):
            continue
        if not _CAN_LOCK and time.time() - entry.stat().st_mtime < 3600:
            continue  # perhaps another run's, under way: nothing tells us otherwise here
        if m.group(1) == "ready" and not out.exists():
            with contextlib.suppress(OSError):
                os.rename(entry.path, out)
                continue
        shutil.rmtree(entry.path, ignore_errors=True)
    if out.is_dir():  # temporary files of single-file writes cut off by SIGKILL
        for entry in os.scandir(out):
            if _TEMP_FILE.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


_TEMP_FILE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.(tmp|previous)")  # as mkstemp names ours


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step where the system can (Linux renameat2)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # this file system cannot: two renames instead
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _file_mode(path: Path, *, folder: bool = False) -> int:
    """The permissions the output should have: those of the file it replaces, else what any new
    file gets (0o666 less the umask). mkstemp's temporary files are private (0o600), which would
    leave a shared output folder with files only their writer can read."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0o022)  # the only portable way to read it: set, then put it back
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


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
