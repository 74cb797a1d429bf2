"""A real OpenSSH server for delivery's tests and benchmark: a free port, a throwaway host key and
client key, a configuration of its own (`sshd -f cfg -D`); the user running it is the only one let in."""

import getpass
import os
import shutil
import subprocess
from pathlib import Path

from govsite.delivery.models import Target
from govsite.testing import free_port, stop_process_group, wait_for_port

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


class Sshd:
    """A real OpenSSH server on a free port with a throwaway host key and client key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        for key in ("host_key", "client_key"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / key)], check=True
            )
        (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
        host_key = (folder / "host_key.pub").read_text().split()
        (folder / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key[0]} {host_key[1]}\n")
        (folder / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {folder}/host_key\n"
            f"PidFile {folder}/sshd.pid\n"
            f"AuthorizedKeysFile {folder}/authorized_keys\nStrictModes no\nUsePAM no\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
            f"AllowUsers {getpass.getuser()}\n"
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
        log = (self.folder / "sshd.log").open("a")
        cmd = [SSHD, "-f", str(self.folder / "sshd_config"), "-D", "-e"]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port, self.proc, timeout=20, log=self.folder / "sshd.log")

    def stop(self) -> None:
        if self.proc is not None:
            stop_process_group(self.proc)
            self.proc = None

    def target(self, root: Path, name: str = "网页服务器一") -> Target:
        return Target.objects.create(
            name=name,
            kind=Target.Kind.RSYNC,
            location=f"{getpass.getuser()}@127.0.0.1:{root}/",
            ssh_port=self.port,
            ssh_key=str(self.folder / "client_key"),
            ssh_known_hosts=str(self.folder / "known_hosts"),
        )
