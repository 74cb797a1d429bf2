"""S3-compatible object storage (MinIO, a CDN origin) as a publish target.

Each file is one object keyed `<prefix><hostname>/<relative path>`, uploaded with its Content-Type and
its sha256 as metadata (x-amz-meta-sha256): `differences` and a mirror compare hashes with HEAD requests,
never downloading a body, and a mirror uploads only what changed. An upload is atomic (S3 shows the old
or the new object, never a part), so the safe order of delivery holds as for the other backends.

boto3 is the optional extra `s3` (`pip install govsite[s3]`): imported only when an S3 target is used.
"""

import mimetypes
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings

from .backends import Backend, DeliveryError, walk
from .changesets import sha256_of
from .models import Target

DELETE_BATCH = 1000  # the most keys one DeleteObjects request may name
CONCURRENCY = 8  # requests in flight at once (boto3 clients are thread-safe)
TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + TEXT,
    ".htm": "text/html" + TEXT,
    ".xml": "application/xml" + TEXT,
    ".txt": "text/plain" + TEXT,
    ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".ofd": "application/ofd",
    ".wps": "application/vnd.ms-works",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".woff2": "font/woff2",
}
DEFAULT_TYPE = "application/octet-stream"


def content_type(rel: str) -> str:
    """The Content-Type of a published file from its name. A `.gz` twin is stored as the gzip file it
    is (no Content-Encoding), status and redirect dot files as octet-stream (they are data for the
    web node syncing from the bucket, not pages)."""
    name = rel.rsplit("/", 1)[-1].lower()
    suffix = os.path.splitext(name)[1]
    if name.startswith("."):
        return CONTENT_TYPES[".json"] if suffix == ".json" else DEFAULT_TYPE
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or DEFAULT_TYPE


def batches(items: list[str], size: int | None = None) -> Iterable[list[str]]:
    size = size or DELETE_BATCH  # read at call time: tests use a small batch
    for start in range(0, len(items), size):
        yield items[start : start + size]


class S3Backend(Backend):
    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self._client: Any = None

    def client(self) -> Any:
        """A boto3 S3 client for the target; the secret read from the environment variable it names."""
        if self._client is not None:
            return self._client
        try:
            import boto3  # type: ignore[import-untyped]
            from botocore.config import Config  # type: ignore[import-untyped]
        except ImportError as exc:
            raise DeliveryError("未安装 boto3：请安装可选依赖 pip install 'govsite[s3]'。") from exc
        target = self.target
        secret = os.environ.get(target.s3_secret_env, "")
        if not secret:
            raise DeliveryError(f"环境变量 {target.s3_secret_env} 未设置（S3访问密钥）。")
        timeout = settings.GOVSITE_DELIVERY_CONNECT_TIMEOUT
        config = Config(
            connect_timeout=timeout,
            read_timeout=max(timeout, 60),
            retries={"max_attempts": 3, "mode": "standard"},
            # Path-style URLs (endpoint/bucket/key): what MinIO and most S3-compatible stores expect.
            s3={"addressing_style": "path"},
            max_pool_connections=CONCURRENCY,
        )
        self._client = boto3.client(
            "s3",
            endpoint_url=target.s3_endpoint or None,
            region_name=target.s3_region or None,
            aws_access_key_id=target.s3_access_key_id,
            aws_secret_access_key=secret,
            config=config,
        )
        return self._client

    def site_prefix(self, hostname: str) -> str:
        return f"{self.target.s3_prefix}{hostname}/"

    def call(self, what: str, action: Callable[[], Any]) -> Any:
        """Run one request; botocore's errors (unreachable, refused, no such bucket) as DeliveryError."""
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        try:
            return action()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise DeliveryError(
                f"S3 {what}失败（{error.get('Code', '?')}）：{error.get('Message', '')}"
            ) from exc
        except BotoCoreError as exc:
            raise DeliveryError(f"S3 {what}失败：{exc}") from exc

    def in_parallel(self, work: Callable[[str], Any], items: list[str]) -> list[Any]:
        if len(items) <= 1:
            return [work(item) for item in items]
        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            return list(pool.map(work, items))

    def upload(self, source: Path, hostname: str, rel: str) -> None:
        file = source / rel
        if not file.is_file():
            return  # gone since the changeset was planned: the next changeset removes it
        digest = sha256_of(file)
        client, bucket = self.client(), self.target.s3_bucket
        with file.open("rb") as body:
            self.call(
                f"上传 {rel} ",
                lambda: client.put_object(
                    Bucket=bucket,
                    Key=self.site_prefix(hostname) + rel,
                    Body=body,
                    ContentType=content_type(rel),
                    Metadata={"sha256": digest},
                ),
            )

    def push(self, source: Path, hostname: str, files: list[str]) -> None:
        self.client()  # created once, before the threads share it
        self.in_parallel(lambda rel: self.upload(source, hostname, rel), files)

    def remove(self, source: Path, hostname: str, files: list[str]) -> None:
        client, bucket, prefix = self.client(), self.target.s3_bucket, self.site_prefix(hostname)
        for batch in batches(files):
            request = {"Objects": [{"Key": prefix + rel} for rel in batch], "Quiet": True}
            result = self.call("删除", partial(client.delete_objects, Bucket=bucket, Delete=request))
            failed = result.get("Errors") or []
            if failed:
                first = failed[0]
                raise DeliveryError(
                    f"S3 删除 {len(failed)} 个对象失败，如 {first.get('Key')}：{first.get('Message', '')}"
                )

    def keys(self, hostname: str) -> list[str]:
        """The relative paths of every object the bucket holds for the site."""
        client, prefix = self.client(), self.site_prefix(hostname)
        paginator = client.get_paginator("list_objects_v2")

        def listing() -> list[str]:
            found: list[str] = []
            for page in paginator.paginate(Bucket=self.target.s3_bucket, Prefix=prefix):
                found.extend(item["Key"][len(prefix) :] for item in page.get("Contents", []))
            return found

        return list(self.call("列出对象", listing))

    def stored_hash(self, hostname: str, rel: str) -> str:
        """The sha256 recorded on an object when it was uploaded ("" for an object uploaded otherwise)."""
        client = self.client()
        head = self.call(
            f"读取 {rel} ",
            lambda: client.head_object(Bucket=self.target.s3_bucket, Key=self.site_prefix(hostname) + rel),
        )
        return str(head.get("Metadata", {}).get("sha256", ""))

    def compare(self, source: Path, hostname: str) -> tuple[dict[str, Path], set[str], set[str]]:
        """The source's files, the keys the bucket has, and those of both whose object differs."""
        wanted, stored = walk(source), set(self.keys(hostname))
        both = sorted(stored & wanted.keys())
        hashes = self.in_parallel(lambda rel: self.stored_hash(hostname, rel), both)
        changed = {rel for rel, digest in zip(both, hashes, strict=True) if digest != sha256_of(wanted[rel])}
        return wanted, stored, changed

    def mirror(self, source: Path, hostname: str) -> None:
        wanted, stored, changed = self.compare(source, hostname)
        upload = [rel for rel in wanted if rel not in stored or rel in changed]
        self.apply(source, hostname, upload, sorted(stored - wanted.keys()))

    def differences(self, source: Path, hostname: str) -> list[str]:
        wanted, stored, changed = self.compare(source, hostname)
        lines = []
        for rel in sorted(wanted.keys() | stored):
            if rel not in stored:
                lines.append(f"缺少 {rel}")
            elif rel not in wanted:
                lines.append(f"多余 {rel}")
            elif rel in changed:
                lines.append(f"不同 {rel}")
        return lines
