"""Delivery to a real S3-compatible server: moto's server mode on a free port (moto[server] is in the
dev extra: missing, this module fails to import, it is not skipped)."""

import io
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.request import Request, urlopen

import boto3  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from moto.server import ThreadedMotoServer
from wagtail.models import Site

from govsite.delivery import s3
from govsite.delivery.changesets import record, sha256_of
from govsite.delivery.models import Target, TargetState
from govsite.delivery.s3 import content_type
from govsite.delivery.service import deliver, latest_sequence, verify
from govsite.publishing.layout import public_root, site_dir
from govsite.publishing.publisher import write_atomically
from govsite.testing import free_port

from .test_delivery import TITLE, file_of, publish_article

pytestmark = pytest.mark.django_db

BUCKET = "govsite-cdn-origin"
SECRET_ENV = "GOVSITE_TEST_S3_SECRET"


@pytest.fixture
def s3_server(monkeypatch) -> Iterator[str]:
    """A moto S3 server over HTTP; yields its endpoint URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets in the process, not the server: start every test from an empty store.
    urlopen(Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10).close()
    monkeypatch.setenv(SECRET_ENV, "test-secret")
    yield endpoint
    server.stop()


@pytest.fixture
def bucket(s3_server: str) -> Any:
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def kjt() -> Site:
    shutil.rmtree(public_root(), ignore_errors=True)
    return Site.objects.get(hostname="kjt.localhost")


def s3_target(endpoint: str) -> Target:
    target = Target(
        name="CDN源站",
        kind=Target.Kind.S3,
        s3_endpoint=endpoint,
        s3_bucket=BUCKET,
        s3_prefix="www",
        s3_access_key_id="testing",
        s3_secret_env=SECRET_ENV,
    )
    target.full_clean()
    target.save()
    return target


def key(kjt: Site, rel: str) -> str:
    return f"www/{kjt.hostname}/{rel}"


def stored_keys(bucket: Any, kjt: Site) -> set[str]:
    prefix = f"www/{kjt.hostname}/"
    pages = bucket.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return {item["Key"][len(prefix) :] for page in pages for item in page.get("Contents", [])}


def test_a_published_article_reaches_the_bucket_with_its_lists_and_a_removal_removes_it(
    kjt: Site, s3_server: str, bucket: Any, django_capture_on_commit_callbacks
):
    target = s3_target(s3_server)
    article = publish_article(django_capture_on_commit_callbacks)
    rel, source = file_of(article), site_dir(kjt.hostname)

    stored = bucket.get_object(Bucket=BUCKET, Key=key(kjt, rel))
    assert stored["Body"].read() == (source / rel).read_bytes()
    assert stored["ContentType"] == "text/html; charset=utf-8"
    assert stored["Metadata"] == {"sha256": sha256_of(source / rel)}
    listing = bucket.get_object(Bucket=BUCKET, Key=key(kjt, "kjdt/gzdt/index.html"))
    assert TITLE in listing["Body"].read().decode()
    twin = bucket.head_object(Bucket=BUCKET, Key=key(kjt, rel + ".gz"))
    assert twin["ContentType"] == "application/gzip" and "ContentEncoding" not in twin
    state = TargetState.objects.get(target=target, site=kjt)
    assert (state.applied_sequence, state.last_error) == (latest_sequence(kjt), "")
    assert verify(kjt) == {(target, kjt): []}

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    keys = stored_keys(bucket, kjt)
    assert rel not in keys and rel + ".gz" not in keys
    assert keys == {
        p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()
    }  # status files (.t….html.410) included: the web nodes syncing from the bucket need them
    assert (
        TITLE
        not in bucket.get_object(Bucket=BUCKET, Key=key(kjt, "kjdt/gzdt/index.html"))["Body"].read().decode()
    )


def test_a_mirror_uploads_only_what_changed_removes_stale_objects_and_verify_finds_changes(
    kjt: Site, s3_server: str, bucket: Any, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(s3, "DELETE_BATCH", 10)  # S3 allows 1,000 keys per request; 10 shows the batching
    bucket.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    source = site_dir(kjt.hostname)
    write_atomically(source / "index.html", "<p>首页</p>".encode() * 100)
    write_atomically(source / "images/logo.png", b"\x89PNG fake")
    write_atomically(source / "kjdt/.old.html.410", b"410")
    stale = [f"kjdt/old/{n}.html" for n in range(21)]  # three DeleteObjects batches
    assert [len(batch) for batch in s3.batches(stale)] == [10, 10, 1]
    for rel in stale:
        bucket.put_object(Bucket=BUCKET, Key=key(kjt, rel), Body=b"old")
    target = s3_target(s3_server)

    record(kjt, None)  # a full rebuild: the whole site is mirrored
    outcome = deliver(target, kjt)
    assert outcome.full_sync and not outcome.error
    assert stored_keys(bucket, kjt) == {
        "index.html",
        "index.html.gz",
        "images/logo.png",
        "kjdt/.old.html.410",
    }
    assert bucket.head_object(Bucket=BUCKET, Key=key(kjt, "images/logo.png"))["ContentType"] == "image/png"
    assert verify(kjt) == {(target, kjt): []}
    call_command("publish", "--verify", "--site", kjt.hostname, stdout=io.StringIO())

    write_atomically(source / "images/logo.png", b"\x89PNG changed")
    record(kjt, None)
    assert not deliver(target, kjt).error
    versions = bucket.list_object_versions(Bucket=BUCKET, Prefix=key(kjt, ""))["Versions"]
    uploads = [v["Key"] for v in versions]
    assert uploads.count(key(kjt, "index.html")) == 1  # unchanged: not uploaded again
    assert uploads.count(key(kjt, "images/logo.png")) == 2

    bucket.put_object(Bucket=BUCKET, Key=key(kjt, "index.html"), Body=b"defaced")
    bucket.delete_object(Bucket=BUCKET, Key=key(kjt, "images/logo.png"))
    bucket.put_object(Bucket=BUCKET, Key=key(kjt, "extra.html"), Body=b"x")
    assert verify(kjt) == {(target, kjt): ["多余 extra.html", "缺少 images/logo.png", "不同 index.html"]}
    with pytest.raises(CommandError, match="1 个发布目标与本机文件不一致"):
        call_command("publish", "--verify", "--site", kjt.hostname, stdout=io.StringIO())


def test_a_missing_secret_or_bucket_is_a_stored_error_not_a_crash(
    kjt: Site, s3_server: str, bucket: Any, monkeypatch
):
    write_atomically(site_dir(kjt.hostname) / "index.html", b"<p>home</p>")
    target = s3_target(s3_server)
    monkeypatch.delenv(SECRET_ENV)
    assert "环境变量 GOVSITE_TEST_S3_SECRET 未设置" in deliver(target, kjt).error
    monkeypatch.setenv(SECRET_ENV, "test-secret")
    Target.objects.filter(pk=target.pk).update(s3_bucket="no-such-bucket")
    target.refresh_from_db()
    assert "NoSuchBucket" in deliver(target, kjt).error
    assert not TargetState.objects.get(target=target).synced


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("kjdt/t20260301_12.html", "text/html; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("static/site.css", "text/css; charset=utf-8"),
        ("static/app.js", "text/javascript; charset=utf-8"),
        ("images/a.JPG", "image/jpeg"),
        ("documents/通知.pdf", "application/pdf"),
        (
            "documents/a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("index.html.gz", "application/gzip"),
        ("kjdt/.t2.html.redirect", "application/octet-stream"),
        (".redirects.json", "application/json"),
    ],
)
def test_content_type_from_the_file_name(rel: str, expected: str):
    assert content_type(rel) == expected
