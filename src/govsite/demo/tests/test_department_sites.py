"""Every department site, however it is made (add_site, the demo, the generator), is made by
`create_department_site`: it has its collection, its groups with their rights, and its 三审."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site, WorkflowPage

from govsite.sites.models import SiteProfile
from govsite.workflow.models import SiteWorkflow

pytestmark = pytest.mark.django_db


def assert_department_site(hostname: str, short_name: str) -> None:
    site = Site.objects.get(hostname=hostname)
    collection = Collection.objects.get(name=short_name)
    for suffix in ("编辑", "网站管理员", "初审", "复审", "终审"):
        group = Group.objects.get(name=f"{short_name}-{suffix}")
        assert GroupCollectionPermission.objects.filter(group=group, collection=collection).exists()
    editors = Group.objects.get(name=f"{short_name}-编辑")
    assert GroupPagePermission.objects.filter(group=editors, page=site.root_page).exists()
    site_workflow = SiteWorkflow.objects.get(site=site)
    assert site_workflow.department == short_name
    steps = [task.name for task in site_workflow.workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert steps == [f"{short_name}-初审", f"{short_name}-复审", f"{short_name}-终审"]
    assert WorkflowPage.objects.get(page=site.root_page).workflow == site_workflow.workflow


def test_demo_sites_are_department_sites():
    assert_department_site("kjt.localhost", "科学技术厅")
    assert_department_site("jyt.localhost", "教育厅")


def add_gat(*extra: str) -> None:
    name = ("--name", "内蒙古自治区公安厅")
    call_command("add_site", "--hostname", "gat.localhost", *name, "--department", "公安厅", *extra)


def test_add_site_twice_completes_and_changes_nothing(capsys):
    try:
        add_gat("--site-id-code", "1500000099")
        assert_department_site("gat.localhost", "公安厅")
        site = Site.objects.get(hostname="gat.localhost")
        profile = SiteProfile.for_site(site)
        profile.phone = "0471-1234567"  # edited by the site administrators since
        profile.save()
        counts = (Site.objects.count(), Group.objects.count(), SiteWorkflow.objects.count())
        capsys.readouterr()

        add_gat()
        assert "已存在" in capsys.readouterr().out
        assert (Site.objects.count(), Group.objects.count(), SiteWorkflow.objects.count()) == counts
        assert_department_site("gat.localhost", "公安厅")
        profile = SiteProfile.for_site(Site.objects.get(hostname="gat.localhost"))
        assert (profile.site_id_code, profile.phone) == ("1500000099", "0471-1234567")
    finally:
        Site.clear_site_root_paths_cache()


def test_add_site_refuses_another_department_on_an_existing_site():
    groups = Group.objects.count()
    with pytest.raises(CommandError, match="科学技术厅"):
        call_command("add_site", "--hostname", "kjt.localhost", "--name", "x", "--department", "x")
    assert Group.objects.count() == groups


# Not in test_generator.py: that module shares one generated platform among its tests.
def test_demo_command_generates_and_reports(capsys):
    try:
        call_command("demo", "--port", "80", "--articles", "30", "--sites", "1", "--seed", "3")
        out = capsys.readouterr().out
        assert "已生成文章 30 篇" in out and "篇/秒" in out
        assert "http://gen1.localhost/" in out
        call_command("demo", "--port", "80", "--articles", "30", "--sites", "1")
        assert "未新增文章" in capsys.readouterr().out
    finally:
        Site.clear_site_root_paths_cache()
