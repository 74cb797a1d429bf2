"""How files reach a target: a directory (local or NFS) or a web node by rsync over SSH (S3: s3.py).

Each backend pushes groups of files in order (a group is complete before the next starts), removes
files last, mirrors a whole site (full sync) and lists how a site on the target differs from the source.
Every file lands atomically: the directory backend writes a temporary file and renames it, rsync does
the same on the node.
"""

import os
import shlex
import shutil
import subprocess
from abc import ABC, abstractmethod
from pathlib import Path

from django.conf import settings

from govsite.publishing.layout import TEMPORARY_GLOB, temporary_file

from .changesets import delivery_order, is_delivered, sha256_of
from .models import Target

EXCLUDE_TEMPORARY = f"--exclude={TEMPORARY_GLOB}"  # a file the publisher is writing right now
RSYNC_VANISHED = 24  # "some files vanished before they could be transferred": the next changeset has them
# A changeset's files are compared by content (--checksum), not by rsync's quick check (size and mtime
# in whole seconds): a page re-rendered under a second after it was delivered (the next article's
# publish adds its 上一篇 link) can keep its size, and its .gz twin often does; the quick check took
# such a file for unchanged and the node kept the old one. A few dozen small files: the checksums cost
# next to nothing. Only same-size files are read on the node.
CHANGESET_ARGS = ["-a", "--checksum", "--mkpath", "--from0", "--files-from=-"]


class DeliveryError(Exception):
    """A target could not be brought up to date (unreachable, full disk…): retried later."""


class Backend(ABC):
    def __init__(self, target: Target) -> None:
        self.target = target

    @abstractmethod
    def push(self, source: Path, hostname: str, files: list[str]) -> None:
        """Copy these files (relative to the site directory `source`) to the target, each atomically."""

    @abstractmethod
    def remove(self, source: Path, hostname: str, files: list[str]) -> None:
        """Remove these files from the target's copy of the site (absent ones are fine)."""

    @abstractmethod
    def mirror(self, source: Path, hostname: str) -> None:
        """Make the target's copy of the site identical to `source` (full sync)."""

    @abstractmethod
    def differences(self, source: Path, hostname: str) -> list[str]:
        """How the target's copy differs from `source`: one line per file, empty when identical."""

    def send(self, source: Path, hostname: str, files: list[str], stale: list[str]) -> None:
        """Send one group of files and drop the stale answers that go with it (delivery_order)."""
        self.push(source, hostname, files)
        if stale:
            self.remove(source, hostname, stale)

    def apply(self, source: Path, hostname: str, present: list[str], removed: list[str]) -> None:
        """Deliver a changeset in the safe order: assets, articles, lists; removed pages last."""
        groups, last = delivery_order(present, removed)
        for files, stale in groups:
            self.send(source, hostname, files, stale)
        if last:
            self.remove(source, hostname, last)


# --- directory ---------------------------------------------------------------------------------
def walk(root: Path) -> dict[str, Path]:
    """The delivered files under a site directory, by relative path."""
    if not root.is_dir():
        return {}
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            file = Path(folder, name)
            rel = file.relative_to(root).as_posix()
            if is_delivered(rel):
                found[rel] = file
    return found


def copy_atomically(source: Path, target: Path) -> None:
    """Copy `source` over `target` so that readers see the old or the new file, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_file(target)
    try:
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def same_file(a: Path, b: Path) -> bool:
    """Same size and mtime to the nanosecond (copy_atomically keeps it): a file rewritten within the
    second it was copied in, with the same size, is not taken for unchanged."""
    sa, sb = a.stat(), b.stat()
    return sa.st_size == sb.st_size and sa.st_mtime_ns == sb.st_mtime_ns


class DirectoryBackend(Backend):
    def site_root(self, hostname: str) -> Path:
        return Path(self.target.location) / hostname

    def push(self, source: Path, hostname: str, files: list[str]) -> None:
        root = self.site_root(hostname)
        try:
            for rel in files:
                if (source / rel).is_file():
                    copy_atomically(source / rel, root / rel)
        except OSError as exc:
            raise DeliveryError(f"写入目录 {root} 失败：{exc}") from exc

    def remove(self, source: Path, hostname: str, files: list[str]) -> None:
        root = self.site_root(hostname)
        try:
            for rel in files:
                (root / rel).unlink(missing_ok=True)
        except OSError as exc:
            raise DeliveryError(f"删除目录 {root} 中的文件失败：{exc}") from exc

    def mirror(self, source: Path, hostname: str) -> None:
        root = self.site_root(hostname)
        wanted, existing = walk(source), walk(root)
        changed = [
            rel for rel, file in wanted.items() if rel not in existing or not same_file(file, existing[rel])
        ]
        self.apply(source, hostname, changed, [rel for rel in existing if rel not in wanted])

    def differences(self, source: Path, hostname: str) -> list[str]:
        wanted, existing = walk(source), walk(self.site_root(hostname))
        lines = []
        for rel in sorted(wanted.keys() | existing.keys()):
            if rel not in existing:
                lines.append(f"缺少 {rel}")
            elif rel not in wanted:
                lines.append(f"多余 {rel}")
            elif sha256_of(wanted[rel]) != sha256_of(existing[rel]):
                lines.append(f"不同 {rel}")
        return lines


# --- rsync over SSH ----------------------------------------------------------------------------
class RsyncBackend(Backend):
    """rsync writes each file to a temporary name on the node and renames it into place."""

    def ssh_command(self) -> str:
        target = self.target
        options = [
            "ssh",
            "-p",
            str(target.ssh_port),
            "-o",
            "BatchMode=yes",
            "-o",
            f"ConnectTimeout={settings.GOVSITE_DELIVERY_CONNECT_TIMEOUT}",
        ]
        if target.ssh_key:
            options += ["-i", target.ssh_key, "-o", "IdentitiesOnly=yes"]
        if target.ssh_known_hosts:
            options += [
                "-o",
                f"UserKnownHostsFile={target.ssh_known_hosts}",
                "-o",
                "StrictHostKeyChecking=yes",
            ]
        persist = settings.GOVSITE_DELIVERY_SSH_CONTROL_PERSIST
        if persist:  # one SSH connection reused by the publishes of the next `persist` seconds
            options += ["-o", "ControlMaster=auto", "-o", "ControlPath=/tmp/govsite-ssh-%C"]
            options += ["-o", f"ControlPersist={persist}"]
        return shlex.join(options)

    def destination(self, suffix: str = "") -> str:
        location = self.target.location
        return (location if location.endswith("/") else location + "/") + suffix

    def run(self, args: list[str], files: list[str] | None = None) -> str:
        command = [settings.GOVSITE_RSYNC, "-e", self.ssh_command(), *args]
        stdin = "".join(f"{name}\0" for name in files).encode() if files is not None else None
        try:
            result = subprocess.run(  # noqa: S603 (argv from the target's validated fields, no shell)
                command, input=stdin, capture_output=True, timeout=settings.GOVSITE_DELIVERY_TIMEOUT
            )
        except FileNotFoundError as exc:
            raise DeliveryError(f"找不到 rsync 程序（{settings.GOVSITE_RSYNC}），请安装 rsync。") from exc
        except subprocess.TimeoutExpired as exc:
            raise DeliveryError(f"rsync 超时（{settings.GOVSITE_DELIVERY_TIMEOUT} 秒）") from exc
        if result.returncode not in (0, RSYNC_VANISHED):
            error = result.stderr.decode(errors="replace").strip().splitlines()
            raise DeliveryError(f"rsync 失败（退出码 {result.returncode}）：{' '.join(error[-3:])}")
        return result.stdout.decode(errors="replace")

    def push(self, source: Path, hostname: str, files: list[str]) -> None:
        # Paths are given under the public root ("<hostname>/kjdt/t1.html") so --relative (implied by
        # --files-from) creates the site directory and its folders on the node.
        names = [f"{hostname}/{rel}" for rel in files]
        self.run([*CHANGESET_ARGS, "--ignore-missing-args", f"{source.parent}/", self.destination()], names)

    def remove(self, source: Path, hostname: str, files: list[str]) -> None:
        # Files missing at the source become deletions on the node (--delete-missing-args).
        names = [f"{hostname}/{rel}" for rel in files if not (source / rel).exists()]
        if names:
            args = ["-a", "--mkpath", "--from0", "--files-from=-", "--delete-missing-args"]
            self.run([*args, f"{source.parent}/", self.destination()], names)

    def send(self, source: Path, hostname: str, files: list[str], stale: list[str]) -> None:
        """One rsync run (and SSH session) for a group and its stale answers, not two: every publish
        clears its pages' status markers, so most groups have some. Only while every file of the group
        is still at the source: a file a concurrent publish just removed would otherwise be deleted
        from the node now, before the lists that link to it are replaced (push() skips it instead)."""
        stale = [rel for rel in stale if not (source / rel).exists()]
        if not stale or not all((source / rel).is_file() for rel in files):
            super().send(source, hostname, files, stale)
            return
        names = [f"{hostname}/{rel}" for rel in [*files, *stale]]
        self.run([*CHANGESET_ARGS, "--delete-missing-args", f"{source.parent}/", self.destination()], names)

    def mirror(self, source: Path, hostname: str) -> None:
        # --delay-updates puts every changed file in place at the end, together; --delete-after then
        # removes what the site no longer has: a reader never follows a link to a missing file.
        # It keeps rsync's quick check (too many files to checksum; and the nanosecond comparison,
        # --modify-window=-1, is sent as "-@-1", which rrsync on the node refuses), see docs/delivery.md.
        args = ["-a", "--mkpath", "--delete", "--delete-after", "--delay-updates", EXCLUDE_TEMPORARY]
        self.run([*args, f"{source}/", self.destination(f"{hostname}/")])

    def differences(self, source: Path, hostname: str) -> list[str]:
        args = ["-rcn", "--delete", "--itemize-changes", EXCLUDE_TEMPORARY]
        output = self.run([*args, f"{source}/", self.destination(f"{hostname}/")])
        # Lines are "<flags> <path>"; a directory whose only difference is its time (".d..t…") is no
        # difference of the published site.
        return [line for line in output.splitlines() if line.strip() and not line.startswith(".d")]


BACKENDS: dict[str, type[Backend]] = {
    Target.Kind.DIRECTORY: DirectoryBackend,
    Target.Kind.RSYNC: RsyncBackend,
}


def backend_for(target: Target) -> Backend:
    if target.kind == Target.Kind.S3:
        from .s3 import S3Backend  # its module imports this one; boto3 is loaded only when used

        return S3Backend(target)
    return BACKENDS[target.kind](target)
