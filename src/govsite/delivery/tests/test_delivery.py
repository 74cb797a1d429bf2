"""Delivery to real targets: a directory, and a web node reached by rsync over a real sshd.

rsync and sshd are system packages (scripts/system-deps.sh installs them): missing, these tests fail.
"""

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from govsite.content.models import ArticlePage
from govsite.content.tests.helpers import column, path_of
from govsite.core.background import _CLOCK
from govsite.delivery.backends import RsyncBackend, walk
from govsite.delivery.changesets import delivery_order, record, sha256_of, stage
from govsite.delivery.export import ExportError, apply_export, build_export
from govsite.delivery.models import Changeset, Target, TargetState
from govsite.delivery.service import catch_up, deliver, latest_sequence, prune, verify
from govsite.delivery.tasks import prune_changesets_task
from govsite.publishing.layout import public_root, relative_file, site_dir

from .sshd import Sshd

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_ssh_reuse")]

TITLE = "自治区科技厅召开成果转化推进会"


@pytest.fixture
def kjt() -> Site:
    shutil.rmtree(public_root(), ignore_errors=True)
    return Site.objects.get(hostname="kjt.localhost")


def publish_article(capture, title: str = TITLE) -> ArticlePage:
    with capture(execute=True):
        article = ArticlePage(title=title, source="科学技术厅", body="<p>示例内容</p>")
        column("gzdt").add_child(instance=article)
        article.save_revision().publish()
    article.refresh_from_db()
    return article


def file_of(article: ArticlePage) -> str:
    rel = relative_file(path_of(article))
    assert rel is not None
    return rel


def tree(root: Path) -> dict[str, str]:
    return {rel: sha256_of(file) for rel, file in walk(root).items()}


def test_a_published_article_reaches_every_target_with_the_lists_that_show_it(
    kjt: Site, sshd: Sshd, tmp_path: Path, django_capture_on_commit_callbacks, monkeypatch
):
    directory = Target.objects.create(
        name="网闸前置目录", kind=Target.Kind.DIRECTORY, location=str(tmp_path / "nfs")
    )
    node = sshd.target(tmp_path / "node")
    article = publish_article(django_capture_on_commit_callbacks)

    source = site_dir(kjt.hostname)
    for root in (tmp_path / "nfs" / kjt.hostname, tmp_path / "node" / kjt.hostname):
        assert (root / file_of(article)).read_bytes() == (source / file_of(article)).read_bytes()
        assert TITLE in (root / "kjdt/gzdt/index.html").read_text()
        assert TITLE in (root / "index.html").read_text()
        assert tree(root) == tree(source)
    for target in (directory, node):
        state = TargetState.objects.get(target=target, site=kjt)
        assert (state.applied_sequence, state.last_error) == (latest_sequence(kjt), "")
    assert all(lines == [] for lines in verify(kjt).values())
    assert len(verify(kjt)) == 2

    # The next publish is incremental: two rsync runs (articles, then lists), each taking along the
    # status markers publishing cleared for its pages; no third run for them.
    runs: list[list[str]] = []
    run = RsyncBackend.run

    def counted(backend: RsyncBackend, args: list[str], files: list[str] | None = None) -> str:
        runs.append(files or [])
        return run(backend, args, files)

    monkeypatch.setattr(RsyncBackend, "run", counted)
    second = publish_article(django_capture_on_commit_callbacks, "第二篇")
    assert len(runs) == 2
    assert any(name.endswith(f"/.{file_of(second).rsplit('/', 1)[-1]}.410") for name in runs[0])
    assert f"{kjt.hostname}/kjdt/gzdt/index.html" in runs[1]
    assert tree(tmp_path / "node" / kjt.hostname) == tree(source)


def test_a_node_that_was_down_catches_up_on_its_own(
    kjt: Site, sshd: Sshd, tmp_path: Path, django_capture_on_commit_callbacks
):
    node = sshd.target(tmp_path / "node")
    publish_article(django_capture_on_commit_callbacks, "第一篇")
    sshd.stop()
    articles = [
        publish_article(django_capture_on_commit_callbacks, f"停机期间发布的稿件{n}") for n in range(10)
    ]
    state = TargetState.objects.get(target=node, site=kjt)
    assert "rsync 失败" in state.last_error and state.applied_sequence < latest_sequence(kjt)
    assert not (tmp_path / "node" / kjt.hostname / file_of(articles[-1])).exists()

    sshd.start()
    outcomes = catch_up()
    assert [o.error for o in outcomes] == [""] and not outcomes[0].full_sync  # replayed, not mirrored
    state.refresh_from_db()
    assert (state.applied_sequence, state.last_error) == (latest_sequence(kjt), "")
    root = tmp_path / "node" / kjt.hostname
    assert tree(root) == tree(site_dir(kjt.hostname))
    for article in articles:
        assert article.title in (root / "kjdt/gzdt/index.html").read_text()
    assert verify(kjt) == {(node, kjt): []}
    call_command("publish", "--verify", "--site", kjt.hostname, stdout=io.StringIO())


def rewrite(file: Path, body: bytes, mtime: float) -> None:
    file.write_bytes(body)
    os.utime(file, (mtime, mtime))


# Not ("rsync", True): a full sync keeps rsync's quick check (docs/delivery.md), and a directory's
# changeset is copied whole anyway.
@pytest.mark.parametrize(("kind", "full_sync"), [("rsync", False), ("directory", True)])
def test_a_file_rewritten_with_its_size_within_the_second_it_was_delivered_reaches_the_target(
    kind: str, full_sync: bool, kjt: Site, tmp_path: Path, request, django_capture_on_commit_callbacks
):
    """Issue 19: publishing an article renders the previous one again (its 上一篇 link) about a second
    after it was first written and delivered. Both writes in the same second, its .gz twin the same
    size: rsync's quick check (size, mtime in whole seconds) took the twin for unchanged and the node
    kept the old one, which only `--verify` showed. An rsync changeset is now compared by content, a
    directory's full sync by the mtime to the nanosecond."""
    root = tmp_path / "node"
    if kind == "rsync":
        target = request.getfixturevalue("sshd").target(root)
    else:
        target = Target.objects.create(name="备用目录", kind=Target.Kind.DIRECTORY, location=str(root))
    rel = file_of(publish_article(django_capture_on_commit_callbacks)) + ".gz"
    file, second = site_dir(kjt.hostname) / rel, int(time.time()) - 60
    rewrite(file, b"1" * 3089, second + 0.05)  # the twin of the article as first published…
    record(kjt, [rel])
    assert not deliver(target, kjt).error
    rewrite(file, b"2" * 3089, second + 0.95)  # …and with the next article's link, 0.9 s later
    record(kjt, None if full_sync else [rel])  # None: a whole-site changeset (a rebuild): a full sync
    outcome = deliver(target, kjt)
    assert (outcome.full_sync, outcome.error) == (full_sync, "")
    assert (root / kjt.hostname / rel).read_bytes() == b"2" * 3089
    assert verify(kjt) == {(target, kjt): []}


def test_verify_lists_what_a_target_lacks(kjt: Site, tmp_path: Path, django_capture_on_commit_callbacks):
    target = Target.objects.create(
        name="备用目录", kind=Target.Kind.DIRECTORY, location=str(tmp_path / "nfs")
    )
    article = publish_article(django_capture_on_commit_callbacks)
    (tmp_path / "nfs" / kjt.hostname / file_of(article)).unlink()
    assert verify(kjt) == {(target, kjt): [f"缺少 {file_of(article)}"]}
    with pytest.raises(CommandError, match="1 个发布目标与本机文件不一致"):
        call_command("publish", "--verify", "--site", kjt.hostname, stdout=io.StringIO())


def test_export_of_a_whole_site_and_of_a_changeset_range_apply_to_identical_copies(
    kjt: Site, tmp_path: Path, django_capture_on_commit_callbacks
):
    publish_article(django_capture_on_commit_callbacks, "第一篇")
    whole = tmp_path / "whole.tar"
    call_command("publish", "--site", kjt.hostname, "--export", str(whole), stdout=io.StringIO())
    far = tmp_path / "far"
    call_command("apply", str(whole), str(far), stdout=io.StringIO())
    assert tree(far / kjt.hostname) == tree(site_dir(kjt.hostname))

    since = latest_sequence(kjt)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(title="第一篇").unpublish()  # a removal in the range
    publish_article(django_capture_on_commit_callbacks, "第二篇")
    part = tmp_path / "part.tar.gz"
    manifest = build_export([kjt], part, since=since)
    assert not manifest["sites"][kjt.hostname]["whole_site"]
    assert None in manifest["sites"][kjt.hostname]["files"].values()  # the withdrawn article's files
    apply_export(part, far)
    assert tree(far / kjt.hostname) == tree(site_dir(kjt.hostname))


def test_a_tampered_export_is_refused_and_nothing_is_written(
    kjt: Site, tmp_path: Path, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks)
    export = tmp_path / "export.tar"
    build_export([kjt], export)
    tampered = tmp_path / "tampered.tar"
    victim = f"files/{kjt.hostname}/{file_of(article)}"
    with tarfile.open(export) as source, tarfile.open(tampered, "w") as out:
        for member in source:
            handle = source.extractfile(member)
            assert handle is not None
            body = handle.read()
            if member.name == victim:
                body = body.replace("示例内容".encode(), "篡改内容".encode())
                member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    far = tmp_path / "far"
    with pytest.raises(CommandError, match=r"导出文件已被篡改或损坏.*未写入任何文件"):
        call_command("apply", str(tampered), str(far), stdout=io.StringIO())
    assert list(far.iterdir()) == []
    with pytest.raises(ExportError, match="不是 tar 文件或已损坏"):
        apply_export(Path(__file__), far)


def test_changesets_record_what_each_publish_wrote_and_removed(kjt: Site, django_capture_on_commit_callbacks):
    article = publish_article(django_capture_on_commit_callbacks)
    rel = file_of(article)
    written = Changeset.objects.filter(site=kjt).latest("sequence")
    assert written.manifest[rel] == sha256_of(site_dir(kjt.hostname) / rel)
    assert written.manifest["kjdt/gzdt/index.html"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    removed = Changeset.objects.filter(site=kjt).latest("sequence")
    assert removed.sequence == written.sequence + 1 and removed.manifest[rel] is None


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("images/logo.png", 0),
        ("kjdt/gzdt/202603/t20260301_12.html", 1),
        ("kjdt/gzdt/202603/t20260301_12.html.gz", 1),
        ("kjdt/gzdt/202603/.t20260301_12.html.410", 1),
        ("kjdt/gzdt/index.html", 2),
        ("kjdt/gzdt/rss.xml.gz", 2),
        ("sitemaps/202603.xml", 2),
        (".redirects.json", 2),
    ],
)
def test_assets_then_articles_then_the_pages_that_link_to_them(rel: str, expected: int):
    assert stage(rel) == expected


KEY = "govsite-test-export-key-0123456789abcdef"


def rewrite_export(source: Path, out: Path, edit: Callable[[str, bytes], bytes | None]) -> None:
    """Copy an export, each member's body passed through `edit` (None: the member is left out)."""
    with tarfile.open(source) as tar, tarfile.open(out, "w") as new:
        for member in tar:
            handle = tar.extractfile(member)
            assert handle is not None
            body = edit(member.name, handle.read())
            if body is not None:
                member.size = len(body)
                new.addfile(member, io.BytesIO(body))


def test_a_forged_export_with_recomputed_hashes_is_refused_when_a_key_is_set(
    kjt: Site, tmp_path: Path, django_capture_on_commit_callbacks
):
    article = publish_article(django_capture_on_commit_callbacks)
    rel = file_of(article)
    with override_settings(GOVSITE_EXPORT_KEY=KEY):
        export = tmp_path / "export.tar"
        build_export([kjt], export)
    forged_body = (
        (site_dir(kjt.hostname) / rel).read_bytes().replace("示例内容".encode(), "伪造内容".encode())
    )

    def forge(name: str, body: bytes) -> bytes:
        if name == f"files/{kjt.hostname}/{rel}":
            return forged_body
        if name == "manifest.json":  # the hash recomputed: the hashes alone no longer tell
            manifest = json.loads(body)
            manifest["sites"][kjt.hostname]["files"][rel] = hashlib.sha256(forged_body).hexdigest()
            return json.dumps(manifest, ensure_ascii=False).encode()
        return body

    forged, unsigned = tmp_path / "forged.tar", tmp_path / "unsigned.tar"
    rewrite_export(export, forged, forge)
    rewrite_export(export, unsigned, lambda name, body: None if name == "manifest.json.sig" else body)
    far = tmp_path / "far"
    with override_settings(GOVSITE_EXPORT_KEY=KEY):
        with pytest.raises(CommandError, match=r"导出文件的签名不符.*未写入任何文件"):
            call_command("apply", str(forged), str(far), stdout=io.StringIO())
        with pytest.raises(CommandError, match="导出文件没有签名"):
            call_command("apply", str(unsigned), str(far), stdout=io.StringIO())
        assert list(far.iterdir()) == []
        out = io.StringIO()
        call_command("apply", str(export), str(far), stdout=out)
        assert "签名校验通过" in out.getvalue()
        assert tree(far / kjt.hostname) == tree(site_dir(kjt.hostname))
    with override_settings(GOVSITE_EXPORT_KEY=KEY.upper()), pytest.raises(ExportError, match="签名不符"):
        apply_export(export, far)  # the two sides' keys differ
    with override_settings(GOVSITE_EXPORT_KEY="short"), pytest.raises(ExportError, match="太短"):
        apply_export(export, far)
    err = io.StringIO()
    call_command("apply", str(forged), str(tmp_path / "keyless"), stdout=io.StringIO(), stderr=err)
    assert "未配置 GOVSITE_EXPORT_KEY，未校验导出文件的签名" in err.getvalue()  # said, not silent


def age(site: Site, days: int, **lookup: int) -> None:
    Changeset.objects.filter(site=site, **lookup).update(created_at=timezone.now() - timedelta(days=days))


def test_old_changesets_are_pruned_and_a_target_lacking_them_gets_a_full_sync(
    kjt: Site, tmp_path: Path, django_capture_on_commit_callbacks
):
    assert _CLOCK[prune_changesets_task.module_path].task is prune_changesets_task
    nfs = tmp_path / "nfs"
    target = Target.objects.create(name="备用目录", kind=Target.Kind.DIRECTORY, location=str(nfs))
    publish_article(django_capture_on_commit_callbacks, "第一篇")
    applied = TargetState.objects.get(target=target).applied_sequence
    assert applied == latest_sequence(kjt)
    Target.objects.filter(pk=target.pk).update(enabled=False)  # the node is down
    publish_article(django_capture_on_commit_callbacks, "第二篇")
    missed = latest_sequence(kjt)
    Target.objects.filter(pk=target.pk).update(enabled=True)
    age(kjt, 8, sequence__lte=missed)  # both older than the retention (7 days)…
    publish_article(django_capture_on_commit_callbacks, "第三篇")  # …the third is recent

    with override_settings(GOVSITE_EXPORT_KEY=""):
        call_command("publish", "--prune", stdout=io.StringIO())
    assert list(Changeset.objects.filter(site=kjt).values_list("sequence", flat=True)) == [missed + 1]
    # Kept: the latest of a site, even when old.
    age(kjt, 30)
    with override_settings(GOVSITE_DELIVERY_KEEP_DAYS=1):
        prune_changesets_task.enqueue()
    assert Changeset.objects.filter(site=kjt).count() == 1

    # The node comes back: the first two changesets are gone, the rest of its backlog is recent; it
    # must not replay only the third (the second article would be missing): a full sync.
    TargetState.objects.filter(target=target).update(applied_sequence=applied, last_error="x")
    outcome = deliver(target, kjt)
    assert outcome.full_sync and not outcome.error
    assert tree(nfs / kjt.hostname) == tree(site_dir(kjt.hostname))
    assert build_export([kjt], tmp_path / "since.tar", since=applied)["sites"][kjt.hostname]["whole_site"]


def test_recent_changesets_and_those_within_the_backlog_window_are_kept(
    kjt: Site, django_capture_on_commit_callbacks
):
    publish_article(django_capture_on_commit_callbacks, "第一篇")
    publish_article(django_capture_on_commit_callbacks, "第二篇")
    before = Changeset.objects.filter(site=kjt).count()
    assert prune() == 0
    age(kjt, 3)  # older than KEEP_DAYS=1 but within a 5-day backlog window: a target may replay them
    with override_settings(GOVSITE_DELIVERY_KEEP_DAYS=1, GOVSITE_DELIVERY_MAX_BACKLOG_HOURS=120):
        assert prune() == 0
    assert Changeset.objects.filter(site=kjt).count() == before


def test_stale_answers_go_with_their_page_and_removed_pages_come_last():
    article, folder = "kjdt/gzdt/202603/t20260301_12.html", "kjdt/gzdt/202603/"
    groups, last = delivery_order(
        [article, "kjdt/gzdt/index.html"],
        [
            f"{folder}.t20260301_12.html.410",  # the notice of a restored article
            f"{article}.gz",
            "kjdt/gzdt/.index.html.redirect",
            f"{folder}t20260301_11.html",  # a withdrawn article: after the lists that linked to it
            f"{folder}.t20260301_11.html.redirect",
        ],
    )
    assert groups == [
        ([article], [f"{folder}.t20260301_12.html.410", f"{article}.gz"]),
        (["kjdt/gzdt/index.html"], ["kjdt/gzdt/.index.html.redirect"]),
    ]
    assert last == [f"{folder}.t20260301_11.html.redirect", f"{folder}t20260301_11.html"]
