"""Fixtures of delivery's tests with real targets (test_delivery, test_topology)."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from .sshd import SSHD, Sshd

RSYNC = shutil.which("rsync")


@pytest.fixture
def no_ssh_reuse() -> Iterator[None]:
    """No SSH connection kept open after a test (a stopped sshd must really be unreachable)."""
    with override_settings(GOVSITE_DELIVERY_SSH_CONTROL_PERSIST=0):
        yield


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    if not Path(SSHD).exists() or RSYNC is None:
        pytest.fail(
            "rsync or sshd is not installed: run `make system-deps` (scripts/system-deps.sh) as root."
        )
    folder = tmp_path / "sshd"
    folder.mkdir()
    server = Sshd(folder)
    server.start()
    yield server
    server.stop()
