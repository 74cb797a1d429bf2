"""Changesets as one tar file for networks joined only by a one-way transfer (网闸).

    manifest.json                        {"format", "version", "sites": {hostname: {...}}}
    manifest.json.sig                    HMAC-SHA256 of manifest.json's bytes, hex (GOVSITE_EXPORT_KEY)
    files/<hostname>/<relative path>     the files, as published

A site's entry: whole_site (the far side removes what the export does not have), the changeset
range, and files: relative path → sha256, or null for a removal. `apply_export` checks every file
against the manifest before it writes anything, then writes in the safe order, atomically. The
hashes catch damage; the signature, with a key shared by both sides and never carried in the file,
catches forgery (whoever rewrites a file can recompute its hash, not the HMAC).
"""

import hashlib
import hmac
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from govsite.publishing.layout import site_dir

from .backends import walk
from .changesets import current_manifest, is_delivered, needs_whole_site, ordered, sha256_of
from .models import Changeset

FORMAT = "govsite-delivery-export"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
MIN_KEY_LENGTH = 32
HOSTNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d+)?$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class ExportError(Exception):
    """An export file that must not be applied (damaged, altered, not an export): nothing was written."""


def export_key() -> bytes | None:
    """GOVSITE_EXPORT_KEY as bytes, None when not set; a key too short to resist guessing is refused."""
    key = settings.GOVSITE_EXPORT_KEY.strip()
    if not key:
        return None
    if len(key) < MIN_KEY_LENGTH:
        raise ExportError(
            f"GOVSITE_EXPORT_KEY 太短：至少 {MIN_KEY_LENGTH} 个字符"
            "（可用 python -c 'import secrets; print(secrets.token_hex(32))' 生成）。"
        )
    return key.encode()


def signature_of(body: bytes, key: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _add_member(tar: tarfile.TarFile, name: str, body: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(body)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(body))


def _site_entry(site: Site, since: int | None) -> dict[str, Any]:
    root = site_dir(site.hostname)
    changesets = Changeset.objects.filter(site=site)
    latest = max(changesets.values_list("sequence", flat=True), default=0)
    after = changesets.filter(sequence__gt=since or 0)
    if since is None or needs_whole_site(after, since, latest):
        files: dict[str, str | None] = {rel: sha256_of(file) for rel, file in sorted(walk(root).items())}
        return {"whole_site": True, "from_sequence": 0, "to_sequence": latest, "files": files}
    paths: set[str] = set()
    for manifest in after.values_list("manifest", flat=True):
        paths.update(rel for rel in manifest if is_delivered(rel))
    files = current_manifest(root, sorted(paths))
    return {"whole_site": False, "from_sequence": since, "to_sequence": latest, "files": files}


def build_export(sites: list[Site], file: Path, since: int | None = None) -> dict[str, Any]:
    """Write the sites' changes after changeset `since` (None: the whole sites) into one tar file, signed
    when GOVSITE_EXPORT_KEY is set."""
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created": timezone.now().isoformat(),
        "sites": {site.hostname: _site_entry(site, since) for site in sites},
    }
    key = export_key()
    mode = "w:gz" if file.name.endswith((".gz", ".tgz")) else "w"
    tmp = file.with_name(f".{file.name}.tmp")
    with tarfile.open(tmp, mode) as tar:  # type: ignore[call-overload]
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        _add_member(tar, MANIFEST, body)
        if key is not None:
            _add_member(tar, SIGNATURE, signature_of(body, key).encode())
        for hostname, entry in manifest["sites"].items():
            for rel, digest in entry["files"].items():
                if digest is not None:
                    tar.add(site_dir(hostname) / rel, arcname=f"files/{hostname}/{rel}", recursive=False)
    os.replace(tmp, file)
    return manifest


# --- the far side ------------------------------------------------------------------------------
@dataclass
class Applied:
    hostname: str
    written: int = 0
    removed: int = 0
    whole_site: bool = False

    def __str__(self) -> str:
        kind = "整站" if self.whole_site else "增量"
        return f"{self.hostname}（{kind}）：写入 {self.written} 个文件，删除 {self.removed} 个"


def _safe_relative(rel: Any) -> bool:
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel or rel.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in PurePosixPath(rel).parts) and "//" not in rel


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes | None:
    try:
        handle = tar.extractfile(tar.getmember(name))
    except KeyError:
        return None
    return handle.read() if handle else None


def _check_signature(tar: tarfile.TarFile, body: bytes, key: bytes | None) -> None:
    """With a key configured, only an export signed with that key is applied."""
    if key is None:
        return
    signature = _member_bytes(tar, SIGNATURE)
    if signature is None:
        raise ExportError("导出文件没有签名：本机已配置 GOVSITE_EXPORT_KEY，只接受用同一密钥签名的导出文件。")
    expected = signature_of(body, key).encode()
    if not hmac.compare_digest(signature.strip(), expected):
        raise ExportError(
            "导出文件的签名不符：清单在导出后被改动，或导出方与本机的 GOVSITE_EXPORT_KEY 不一致。"
        )


def _read_manifest(tar: tarfile.TarFile, key: bytes | None) -> dict[str, Any]:
    body = _member_bytes(tar, MANIFEST)
    if body is None:
        raise ExportError("不是发布导出文件：缺少或无法读取 manifest.json。")
    _check_signature(tar, body, key)
    try:
        manifest = json.loads(body)
    except ValueError as exc:
        raise ExportError("不是发布导出文件：缺少或无法读取 manifest.json。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportError("不是发布导出文件：manifest.json 格式不符。")
    if manifest.get("version") != VERSION:
        raise ExportError(f"导出文件版本 {manifest.get('version')} 不受支持（支持 {VERSION}）。")
    sites = manifest.get("sites")
    if not isinstance(sites, dict):
        raise ExportError("导出文件的 manifest.json 缺少站点清单。")
    for hostname, entry in sites.items():
        if not HOSTNAME_RE.match(str(hostname)) or not isinstance(entry, dict):
            raise ExportError(f"导出文件中的站点名不合法：{hostname}")
        files = entry.get("files")
        if not isinstance(files, dict):
            raise ExportError(f"导出文件中站点 {hostname} 缺少文件清单。")
        for rel, digest in files.items():
            if not _safe_relative(rel) or not (digest is None or SHA256_RE.match(str(digest))):
                raise ExportError(f"导出文件的清单中有不合法的条目：{hostname}/{rel}")
    return manifest


def _stage(tar: tarfile.TarFile, manifest: dict[str, Any], staging: Path) -> None:
    """Extract every file into `staging`, checking each against the manifest: nothing unlisted,
    nothing missing, every hash right."""
    expected = {
        f"files/{hostname}/{rel}": digest
        for hostname, entry in manifest["sites"].items()
        for rel, digest in entry["files"].items()
        if digest is not None
    }
    seen = set()
    for member in tar:
        if member.name in (MANIFEST, SIGNATURE) or member.isdir():
            continue
        if member.name not in expected or not member.isfile():
            raise ExportError(f"导出文件已被篡改：清单之外的文件 {member.name}")
        handle = tar.extractfile(member)
        if handle is None:
            raise ExportError(f"导出文件已损坏：无法读取 {member.name}")
        target = staging / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            shutil.copyfileobj(handle, out)
        os.utime(target, (member.mtime, member.mtime))
        if sha256_of(target) != expected[member.name]:
            raise ExportError(f"导出文件已被篡改或损坏：{member.name} 的校验值与清单不符。")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise ExportError(f"导出文件不完整：缺少 {len(missing)} 个文件，如 {missing[0]}")


def apply_export(file: Path, directory: Path) -> list[Applied]:
    """Apply an export to `directory` (a public root: one subdirectory per site). Refused whole, with
    nothing written, when any file does not match the manifest, or, with GOVSITE_EXPORT_KEY set, when
    the manifest is not signed with that key."""
    key = export_key()
    directory.mkdir(parents=True, exist_ok=True)
    try:
        tar = tarfile.open(file, "r:*")  # noqa: SIM115 (the with below closes it)
    except (OSError, tarfile.TarError) as exc:
        raise ExportError(f"无法打开导出文件 {file}：不是 tar 文件或已损坏。") from exc
    with tar, tempfile.TemporaryDirectory(prefix=".govsite-apply-", dir=directory) as tmp:
        staging = Path(tmp)
        try:
            manifest = _read_manifest(tar, key)
            _stage(tar, manifest, staging)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ExportError(f"导出文件已损坏：{exc}") from exc
        return [
            _apply_site(staging, directory, hostname, entry) for hostname, entry in manifest["sites"].items()
        ]


def _apply_site(staging: Path, directory: Path, hostname: str, entry: dict[str, Any]) -> Applied:
    result = Applied(hostname, whole_site=bool(entry.get("whole_site")))
    root = directory / hostname
    files: dict[str, str | None] = entry["files"]
    present = [rel for rel, digest in files.items() if digest is not None]
    for group in ordered(present):
        for rel in group:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "files" / hostname / rel, target)  # same filesystem: atomic
            result.written += 1
    removed = [rel for rel, digest in files.items() if digest is None]
    if result.whole_site:
        removed += [rel for rel in walk(root) if rel not in files]
    for rel in sorted(removed):
        if (root / rel).is_file():
            (root / rel).unlink()
            result.removed += 1
    return result
