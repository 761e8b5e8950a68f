"""One assist per user and base folder: a second launch shows the running one and exits.

Qt-free, so that it can be tested without a display; app.py wires it to the overlay:

    instance = single_instance.acquire(paths)
    if instance is None:                     # assist already runs for this user and base folder
        single_instance.show_running(paths)  # asks it to show its overlay; True when it answered
        return 0
    instance.serve(on_request)               # on_request(command) is called with "show" on a
                                             # background thread: hand it to the GUI thread (a
                                             # queued signal), never touch widgets from it
    ...
    instance.close()                         # at exit; an Instance is also a context manager

How it works. A lock file, held for the life of the process, marks the running instance; the
operating system releases it when the process ends, even by a crash, so a stale lock never blocks
a start. The running instance listens on a local endpoint named after the user and the base
folder: a Unix socket in a private folder (0700) on Linux and macOS, a named pipe on Windows,
through `multiprocessing.connection` (framing only: `send_bytes`, never pickles). A client must
answer an HMAC challenge with a random key that the running instance writes next to the lock,
readable by the user only. Every wait has a time limit, on both sides: a client that connects and
says nothing cannot stall the instance, and quitting never waits on a second launch. Only short
ASCII commands travel, and no chat text ever does. `--temp-basedir` gives each
launch its own base folder, so such launches never meet.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import logging
import os
import secrets
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Client, Listener
from pathlib import Path
from typing import Callable

import filelock

from .logs import Safe
from .paths import Paths

log = logging.getLogger(__name__)

COMMANDS = ("show",)  # what a second launch may ask of the running one
_REPLY_OK = b"ok"
_REPLY_UNKNOWN = b"unknown"
_REPLY_REFUSED = b"refused"
_WAKE = b"wake"  # sent by close() to itself, to end the blocking accept()
_MAX_MESSAGE = 64
_NONCE_BYTES = 32
_PATIENCE = 2.0  # seconds either side waits for the other's next message


class Instance:
    """The running assist's claim: holds the lock and answers second launches once `serve`d."""

    def __init__(self, endpoint: "_Endpoint", lock: filelock.BaseFileLock, listener: Listener):
        self._endpoint = endpoint
        self._lock = lock
        self._listener = listener
        self._handler: Callable[[str], None] | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    @property
    def address(self) -> str:
        return self._endpoint.address

    def serve(self, on_request: Callable[[str], None]) -> None:
        """Answer second launches on a background thread; `on_request(command)` runs on it."""
        self._handler = on_request
        if self._thread is None:
            self._thread = threading.Thread(target=self._accept_loop, name="assist-single-instance",
                                            daemon=True)
            self._thread.start()

    def close(self) -> None:
        if self._closing.is_set():
            return
        self._closing.set()
        if self._thread is not None:
            # accept() blocks until someone connects: be that someone (bounded: never hangs a quit).
            _request(self._endpoint, _WAKE, timeout=1.0)
            self._thread.join(timeout=_PATIENCE + 1)
        self._listener.close()  # also removes the Unix socket file
        self._endpoint.key_file.unlink(missing_ok=True)
        self._lock.release()

    def __enter__(self) -> "Instance":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                conn = self._listener.accept()  # the socket only: the challenge follows, with limits
            except (EOFError, ConnectionError) as error:
                log.warning("A connection to the single-instance endpoint failed (%s)", type(error).__name__)
                continue
            except OSError:
                if self._closing.is_set():
                    return
                log.exception("The single-instance endpoint failed; second launches will not find this one")
                return
            with conn:
                self._answer(conn)

    def _answer(self, conn) -> None:
        try:
            nonce = secrets.token_bytes(_NONCE_BYTES)
            conn.send_bytes(nonce)
            if not conn.poll(_PATIENCE):
                return
            digest = conn.recv_bytes(_MAX_MESSAGE)
            if not conn.poll(_PATIENCE):
                return
            # Read the command before judging the key: closing a Unix socket with unread data
            # resets it, and the client would never see the refusal.
            message = conn.recv_bytes(_MAX_MESSAGE)
        except (OSError, EOFError, ValueError):  # includes a message longer than _MAX_MESSAGE
            return
        if not hmac.compare_digest(digest, _digest(self._endpoint.read_key(), nonce)):
            log.warning("Refused a connection to the single-instance endpoint (wrong key)")
            _reply(conn, _REPLY_REFUSED)
            return
        if message == _WAKE and self._closing.is_set():
            return
        command = message.decode("ascii", "replace")
        if command not in COMMANDS:
            log.warning("Ignored an unknown single-instance command (%d bytes)", len(message))
            _reply(conn, _REPLY_UNKNOWN)
            return
        _reply(conn, _REPLY_OK)
        log.info("A second launch asked to %s the running instance", Safe(command))  # one of COMMANDS
        if self._handler is not None:
            try:
                self._handler(command)
            except Exception:
                log.exception("The single-instance handler failed")


def acquire(paths: Paths) -> Instance | None:
    """Claim the single instance for this user and base folder; None when another one holds it."""
    endpoint = _Endpoint.for_paths(paths)
    lock = filelock.FileLock(str(endpoint.lock_file), thread_local=False)  # close() may run on another thread
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        return None
    try:
        endpoint.write_key(secrets.token_bytes(32))
        if endpoint.family == "AF_UNIX":
            # We hold the lock, so a socket file left here is from a process that died.
            Path(endpoint.address).unlink(missing_ok=True)
        listener = Listener(endpoint.address, endpoint.family)
    except BaseException:
        lock.release()
        raise
    return Instance(endpoint, lock, listener)


def show_running(paths: Paths, command: str = "show", timeout: float = 3.0) -> bool:
    """Ask the running instance to `command` (show itself); True when it answered in time.

    It waits up to `timeout` seconds because the running one may still be starting (holding the
    lock but not yet listening).
    """
    if command not in COMMANDS:
        raise ValueError(f"unknown single-instance command: {command!r}")
    endpoint = _Endpoint.for_paths(paths)
    if not _is_held(endpoint.lock_file):
        return False  # nothing runs: no need to wait
    _let_the_running_one_come_forward()
    deadline = time.monotonic() + timeout
    while True:
        reply = _request(endpoint, command.encode("ascii"), timeout=max(0.1, deadline - time.monotonic()))
        if reply is not None:
            return reply == _REPLY_OK
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _digest(key: bytes, nonce: bytes) -> bytes:
    return hmac.new(key, nonce, hashlib.sha256).digest()


def _request(endpoint: "_Endpoint", message: bytes, timeout: float, key: bytes | None = None) -> bytes | None:
    """Connect, answer the challenge, send `message`: the instance's reply, or None if there was no
    instance or it did not answer within `timeout` seconds (each wait is bounded)."""
    try:
        key = endpoint.read_key() if key is None else key
        with Client(endpoint.address, endpoint.family) as conn:
            if not conn.poll(timeout):
                return None
            nonce = conn.recv_bytes(_MAX_MESSAGE)
            conn.send_bytes(_digest(key, nonce))
            conn.send_bytes(message)
            if not conn.poll(timeout):
                return None
            return conn.recv_bytes(_MAX_MESSAGE)
    except (OSError, EOFError, ValueError):
        return None


class _Endpoint:
    """Where the lock, the key and the socket (or pipe) of one user and base folder are."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.lock_file = folder / f"{name}.lock"
        self.key_file = folder / f"{name}.key"
        if sys.platform == "win32":
            self.family = "AF_PIPE"
            self.address = rf"\\.\pipe\{name}"
        else:
            self.family = "AF_UNIX"
            self.address = str(folder / f"{name}.sock")

    @classmethod
    def for_paths(cls, paths: Paths) -> "_Endpoint":
        identity = f"{_user()}\0{Path(paths.config).resolve()}"
        name = "assist-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
        return cls(_private_folder(f"{name}.sock"), name)

    def write_key(self, key: bytes) -> None:
        # Created readable by the user only, before any byte of the key is written.
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key.hex().encode("ascii"))

    def read_key(self) -> bytes:
        return bytes.fromhex(self.key_file.read_text("ascii"))


def _let_the_running_one_come_forward() -> None:
    """On Windows only the foreground process may raise a window; this launch is in the foreground
    (the agent just started it), so it hands that right on before asking."""
    if sys.platform == "win32":
        import ctypes

        ASFW_ANY = -1
        ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)


def _is_held(lock_file: Path) -> bool:
    probe = filelock.FileLock(str(lock_file))
    try:
        probe.acquire(timeout=0)
    except filelock.Timeout:
        return True
    probe.release()
    return False


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


# A Unix socket's path must fit in sun_path: 108 bytes on Linux, 104 on macOS, NUL included.
MAX_SOCKET_PATH = 100


def _private_folder(socket_name: str = "") -> Path:
    """A folder only this user can enter: the session's runtime folder when there is one and the
    socket's path fits there, else a per-user folder in the temporary folder."""
    if sys.platform == "win32":
        folder = Path(tempfile.gettempdir()) / "assist"  # %TEMP% is per user on Windows
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    candidates = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK):
        candidates.append(Path(runtime) / "assist")
    # macOS's temp folder is per user; /tmp on Linux is shared, hence the uid and the check below.
    # /tmp last: a deep runtime or TMPDIR folder would make the socket's path too long to bind.
    candidates += [Path(tempfile.gettempdir()) / f"assist-{os.getuid()}", Path("/tmp") / f"assist-{os.getuid()}"]
    folder = next((c for c in candidates if len(os.fsencode(c / socket_name)) <= MAX_SOCKET_PATH), candidates[-1])
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{folder} must belong to this user and be private (mode 0700)")
    return folder


def _reply(conn, message: bytes) -> None:
    try:
        conn.send_bytes(message)
    except OSError:
        pass
