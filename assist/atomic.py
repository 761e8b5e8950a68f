"""Saving any user file without ever leaving a broken one: write beside, fsync, keep the old one as a backup, replace.

A crash or power cut at any moment leaves the target either as it was or as it is meant to be;
`<name>.bak` holds the version before the last save. A lock file beside the target keeps two
running instances from writing at the same time (they re-read under the lock, see store.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import filelock

LOCK_TIMEOUT = 10.0  # seconds; a save is milliseconds, so waiting longer means something is stuck


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def lock_for(path: Path) -> filelock.FileLock:
    path.parent.mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(str(path.with_name(path.name + ".lock")), timeout=LOCK_TIMEOUT)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory; os.replace is already durable enough there
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(path: Path, content: str | bytes, *, backup: bool = True) -> None:
    """Write `content` (text as UTF-8) so that `path` is always either the old or the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_synced(tmp, content.encode("utf-8") if isinstance(content, str) else content)
        if backup and path.exists():
            # The backup is itself replaced atomically, so it is never half-written either.
            bak_tmp = path.with_name(f".{path.name}.{os.getpid()}.bak.tmp")
            shutil.copyfile(path, bak_tmp)
            with open(bak_tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(bak_tmp, backup_path(path))
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)


def keep_aside(path: Path, reason: str) -> Path:
    """Copy a file the agent must fix to `<name>.<reason>-<time>` (byte for byte) and return the copy."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
        counter += 1
    shutil.copy2(path, target)
    return target
