"""govsite.testing: a server a test starts never outlives the test, even when the test fails."""

import os
import sys
import time
from pathlib import Path

import pytest

from govsite.testing import BackgroundPlatformBuild, cli_env, free_port, running

# A server like granian: the main process forks a worker that listens, and on SIGTERM the main process
# exits at once, without stopping the worker (a crash or a slow shutdown looks the same from outside).
SERVER = """
import os, signal, socket, sys, time
port, pid_file = int(sys.argv[1]), sys.argv[2]
if os.fork() == 0:
    sock = socket.socket(); sock.bind(("127.0.0.1", port)); sock.listen()
    open(pid_file, "w").write(str(os.getpid()))
    while True:
        time.sleep(1)
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
while True:
    time.sleep(1)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_failing_test_leaves_no_server_worker_behind(tmp_path: Path) -> None:
    script, pid_file, port = tmp_path / "server.py", tmp_path / "worker.pid", free_port()
    script.write_text(SERVER)
    with (
        pytest.raises(RuntimeError),
        running(
            [sys.executable, str(script), str(port), str(pid_file)], dict(os.environ), port, tmp_path / "log"
        ),
    ):
        raise RuntimeError("the test failed while its server ran")
    worker = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker), "the server's worker outlived the test"


def test_a_failed_background_platform_build_fails_the_test_that_waits_for_it(tmp_path: Path) -> None:
    """conftest's platform build runs in a thread while the session goes on: its failure must reach the
    first test that needs the platform, with the step's output, never pass quietly."""
    not_a_dir = tmp_path / "var"
    not_a_dir.write_text("")  # the platform cannot make its var dir here: its first step fails at once
    build = BackgroundPlatformBuild(cli_env(not_a_dir), "--port", "80")
    with pytest.raises(AssertionError, match=r"govsite migrate --noinput -v0 failed:(.|\n)*FileExistsError"):
        build.wait()
    build.stop()
