"""发布目标 in the admin (platform administrators only), full syncs, and the catch-up on the clock."""

import re
import shutil
from pathlib import Path

import pytest
from wagtail.models import Site

from govsite.core.background import _CLOCK
from govsite.delivery.changesets import record
from govsite.delivery.models import Target, TargetState
from govsite.delivery.service import deliver, verify
from govsite.delivery.tasks import catch_up_task
from govsite.publishing.layout import public_root, site_dir
from govsite.publishing.publisher import write_atomically
from govsite.testing import demo_user

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/govsite_delivery/target/"
ADD = LIST + "add/"


def target_form(**fields: str) -> dict[str, str]:
    return {"name": "网页服务器一", "kind": "rsync", "site": "", "location": "www@10.0.0.5:/srv/www/",
            "ssh_port": "22", "ssh_key": "/etc/govsite/deliver_ed25519", "ssh_known_hosts": "",
            "enabled": "on", **fields}  # fmt: skip


def test_a_platform_administrator_adds_a_target(admin_client):
    page = admin_client.get(ADD).content.decode()
    assert "rsync（经SSH推送到网页服务器）" in page and "留空表示全部站点" in page
    assert admin_client.post(ADD, target_form()).status_code == 302
    assert Target.objects.get().location == "www@10.0.0.5:/srv/www/"


def test_a_malformed_location_is_refused_in_chinese_and_the_input_kept(admin_client):
    response = admin_client.post(ADD, target_form(location="10.0.0.5 /srv/www"))
    page = response.content.decode()
    assert response.status_code == 200 and "rsync 类型的位置应形如 用户@主机:/路径/" in page
    assert 'value="10.0.0.5 /srv/www"' in page and not Target.objects.exists()
    response = admin_client.post(ADD, target_form(kind="directory", location="srv/www"))
    assert "目录类型的位置必须是绝对路径" in response.content.decode()


@pytest.mark.parametrize("username", ["kjt-editor", "kjt-reviewer1"])
def test_department_users_cannot_see_or_change_targets(client, username):
    client.force_login(demo_user(username))
    assert client.get(LIST).status_code in (302, 403)
    assert client.post(ADD, target_form()).status_code in (302, 403)
    assert not Target.objects.exists()


def test_a_whole_site_changeset_mirrors_the_site(tmp_path: Path):
    kjt = Site.objects.get(hostname="kjt.localhost")
    shutil.rmtree(public_root(), ignore_errors=True)
    source = site_dir(kjt.hostname)
    write_atomically(source / "index.html", "<p>首页</p>".encode() * 100)
    target = Target.objects.create(name="备用目录", kind=Target.Kind.DIRECTORY, location=str(tmp_path))
    stale = tmp_path / kjt.hostname / "kjdt" / "old.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("旧页面")
    record(kjt, None)  # what a full rebuild sends
    outcome = deliver(target, kjt)
    assert outcome.full_sync and not outcome.error and not stale.exists()
    assert (tmp_path / kjt.hostname / "index.html.gz").is_file()
    assert verify(kjt) == {(target, kjt): []}


def test_the_platform_clock_retries_targets_that_are_behind(tmp_path: Path):
    kjt = Site.objects.get(hostname="kjt.localhost")
    shutil.rmtree(public_root(), ignore_errors=True)
    write_atomically(site_dir(kjt.hostname) / "index.html", b"<p>home</p>")
    assert _CLOCK[catch_up_task.module_path].task is catch_up_task
    blocked = tmp_path / "blocked"
    blocked.write_text("not a directory")  # the target's parent is a file: every write fails
    target = Target.objects.create(name="坏目录", kind=Target.Kind.DIRECTORY, location=str(blocked))
    catch_up_task.enqueue()
    assert "写入目录" in TargetState.objects.get(target=target).last_error
    blocked.unlink()
    catch_up_task.enqueue()
    state = TargetState.objects.get(target=target)
    assert (state.last_error, state.synced) == ("", True)
    assert (blocked / kjt.hostname / "index.html").read_bytes() == b"<p>home</p>"


def s3_form(**fields: str) -> dict[str, str]:
    return target_form(**{"kind": "s3", "location": "", "s3_endpoint": "https://minio.example.gov.cn:9000",
                          "s3_bucket": "govsite-www", "s3_prefix": "www", "s3_region": "cn-north-1",
                          "s3_access_key_id": "GOVSITEKEY", "s3_secret_env": "GOVSITE_S3_SECRET_ACCESS_KEY",
                          **fields})  # fmt: skip


def test_a_platform_administrator_adds_an_s3_target_with_chinese_labels(admin_client):
    page = admin_client.get(ADD).content.decode()
    for label in (
        "S3兼容对象存储（如MinIO，CDN源站）",
        "S3服务地址",
        "存储桶",
        "对象键前缀",
        "保存访问密钥的环境变量",
    ):
        assert label in page
    assert admin_client.post(ADD, s3_form()).status_code == 302
    target = Target.objects.get()
    assert (target.kind, target.s3_bucket, target.s3_prefix) == ("s3", "govsite-www", "www/")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"s3_bucket": "Govsite_WWW"}, "存储桶名称须为3至63个字符"),
        ({"s3_bucket": "192.168.1.10"}, "存储桶名称不能是IP地址的形式"),
        ({"s3_bucket": ""}, "请填写存储桶名称"),
        ({"s3_endpoint": "ftp://minio.example.gov.cn"}, "S3服务地址应以 http:// 或 https:// 开头"),
        ({"s3_secret_env": "my secret"}, "请填写环境变量名"),
        ({"s3_prefix": "www/../x/"}, "对象键前缀只能包含"),
    ],
)
def test_bad_s3_fields_are_refused_in_chinese(admin_client, fields, message):
    response = admin_client.post(ADD, s3_form(**fields))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Target.objects.exists()


def shown_kinds(page: str) -> dict[str, bool]:
    """Each kind-specific panel of the form (by its kinds) → shown (not `hidden`)."""
    return {kinds: not hidden for kinds, hidden in re.findall(r'data-target-kinds="([^"]+)"( hidden)?', page)}


def test_the_form_shows_only_the_fields_of_the_chosen_kind(admin_client):
    page = admin_client.get(ADD).content.decode()  # a new target is an rsync one
    assert shown_kinds(page) == {"directory rsync": True, "rsync": True, "s3": False}
    assert "delivery/target_kind.js" in page  # switches at once when the kind is changed

    # Without JavaScript: rsync chosen, saved as S3 → the S3 fields are shown with their errors.
    response = admin_client.post(ADD, target_form(kind="s3"))
    page = response.content.decode()
    assert shown_kinds(page) == {"directory rsync": False, "rsync": False, "s3": True}
    assert "请填写存储桶名称" in page and not Target.objects.exists()

    assert admin_client.post(ADD, s3_form()).status_code == 302
    page = admin_client.get(f"{LIST}edit/{Target.objects.get().pk}/").content.decode()
    assert shown_kinds(page) == {"directory rsync": False, "rsync": False, "s3": True}
    directory = admin_client.post(ADD, target_form(name="共享目录", kind="directory", location="relative"))
    assert shown_kinds(directory.content.decode()) == {"directory rsync": True, "rsync": False, "s3": False}
