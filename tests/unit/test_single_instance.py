"""A second launch finds the running assist and asks it to show itself (real sockets, real processes)."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import textwrap
from multiprocessing.connection import Client
from pathlib import Path

import pytest

from assist import single_instance
from assist.paths import Paths

WINDOWS = sys.platform == "win32"
FAMILY = "AF_PIPE" if WINDOWS else "AF_UNIX"
unix_only = pytest.mark.skipif(WINDOWS, reason="Unix sockets and folder modes; Windows uses named pipes")


@pytest.fixture
def runtime(monkeypatch):
    # Short on purpose: a Unix socket path must stay under ~104 characters.
    folder = tempfile.mkdtemp(prefix="ai-")
    os.chmod(folder, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path / "base")


class Requests:
    """Collects what second launches asked, as the overlay's handler would."""

    def __init__(self):
        self.commands = []
        self.arrived = threading.Event()

    def __call__(self, command):
        self.commands.append(command)
        self.arrived.set()


def run_second_launch(paths, runtime, code):
    script = textwrap.dedent(f"""
        from assist import single_instance
        from assist.paths import Paths
        paths = Paths.for_basedir({str(paths.config.parent)!r})
    """) + textwrap.dedent(code)
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)


def test_a_second_process_is_refused_and_shows_the_running_one(paths, runtime):
    requests = Requests()
    with single_instance.acquire(paths) as instance:
        instance.serve(requests)
        result = run_second_launch(paths, runtime, """
            print(single_instance.acquire(paths) is None, single_instance.show_running(paths))
        """)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["True", "True"]
        assert requests.arrived.wait(10)
    assert requests.commands == ["show"]


def test_after_close_the_next_launch_becomes_the_running_one(paths, runtime):
    first = single_instance.acquire(paths)
    assert single_instance.acquire(paths) is None
    first.close()
    second = single_instance.acquire(paths)
    assert second is not None
    second.close()


def test_different_base_folders_run_side_by_side(tmp_path, runtime):
    one = single_instance.acquire(Paths.for_basedir(tmp_path / "one"))
    two = single_instance.acquire(Paths.for_basedir(tmp_path / "two"))
    try:
        assert one is not None and two is not None
        assert one.address != two.address
    finally:
        one.close()
        two.close()


def test_a_crashed_instance_does_not_block_the_next_start(paths, runtime):
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from assist import single_instance
            from assist.paths import Paths
            instance = single_instance.acquire(Paths.for_basedir({str(paths.config.parent)!r}))
            instance.serve(lambda command: None)
            print("running", flush=True)
            time.sleep(600)
        """)],
        stdout=subprocess.PIPE, text=True, env=dict(os.environ, XDG_RUNTIME_DIR=str(runtime)))
    try:
        assert child.stdout.readline().strip() == "running"
        assert single_instance.acquire(paths) is None
        child.kill()  # SIGKILL; TerminateProcess on Windows
        child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()
    if not WINDOWS:
        socket_files = list((runtime / "assist").glob("*.sock"))
        assert socket_files, "a killed process leaves its socket behind: the case this test is about"
    requests = Requests()
    with single_instance.acquire(paths) as instance:
        instance.serve(requests)
        assert single_instance.show_running(paths)
        assert requests.arrived.wait(10)


def test_show_running_says_false_when_nothing_runs(paths, runtime):
    assert single_instance.show_running(paths, timeout=0.5) is False


def test_a_client_without_the_key_is_refused_and_the_instance_keeps_answering(paths, runtime):
    requests = Requests()
    with single_instance.acquire(paths) as instance:
        instance.serve(requests)
        reply = single_instance._request(instance._endpoint, b"show", timeout=10, key=b"not the key")
        assert reply == b"refused"
        assert not requests.commands
        assert single_instance.show_running(paths)
        assert requests.arrived.wait(10)
    assert requests.commands == ["show"]


def test_a_client_that_says_nothing_neither_stalls_the_instance_nor_its_quit(paths, runtime):
    requests = Requests()
    instance = single_instance.acquire(paths)
    instance.serve(requests)
    silent = Client(instance.address, FAMILY)  # connects, never answers the challenge
    try:
        assert single_instance.show_running(paths, timeout=20)
        assert requests.arrived.wait(10)
        again = Client(instance.address, FAMILY)
        closer = threading.Thread(target=instance.close, daemon=True)
        closer.start()
        closer.join(30)
        assert not closer.is_alive(), "quitting hung on a connection that never answered"
        again.close()
    finally:
        silent.close()
    assert single_instance.show_running(paths, timeout=0.5) is False


def test_unknown_commands_never_reach_the_handler(paths, runtime):
    requests = Requests()
    with single_instance.acquire(paths) as instance:
        instance.serve(requests)
        # With the key a second launch of the same user reads, but a command it may not give.
        assert single_instance._request(instance._endpoint, b"quit", timeout=10) == b"unknown"
        with pytest.raises(ValueError):
            single_instance.show_running(paths, command="quit")
        assert single_instance.show_running(paths)
        assert requests.arrived.wait(10)
    assert requests.commands == ["show"]


@unix_only
def test_the_folder_and_the_key_are_private(paths, runtime):
    with single_instance.acquire(paths):
        folder = runtime / "assist"
        assert folder.stat().st_mode & 0o777 == 0o700
        key_file = next(folder.glob("*.key"))
        assert key_file.stat().st_mode & 0o777 == 0o600
    assert not key_file.exists()


@unix_only
def test_a_shared_folder_that_others_can_enter_is_refused(paths, runtime):
    folder = runtime / "assist"
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    with pytest.raises(PermissionError):
        single_instance.acquire(paths)


@unix_only
def test_a_deep_runtime_folder_still_gives_one_instance(paths, runtime, monkeypatch):
    # A socket path past sun_path's ~104 bytes cannot be bound: the socket moves to a short folder.
    deep = runtime / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True, mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    with single_instance.acquire(paths) as instance:
        assert len(os.fsencode(instance.address)) <= single_instance.MAX_SOCKET_PATH
        requests = Requests()
        instance.serve(requests)
        assert single_instance.acquire(paths) is None
        assert single_instance.show_running(paths)
        assert requests.arrived.wait(5) and requests.commands == ["show"]
