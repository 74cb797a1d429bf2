"""Demo data for 三审: reviewer users and leaders (called by build_demo)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import Site

from govsite.checks.models import Leader
from govsite.content.models import ColumnPage

from .columns import set_editor_columns
from .models import ANY_ONE, EVERYONE
from .provisioning import ReviewSetup, ReviewStep, column_workflow, provision_review, set_column_steps

DEMO_DEPARTMENTS = (("kjt.localhost", "科学技术厅"), ("jyt.localhost", "教育厅"))
DEMO_REVIEWERS = (("kjt-reviewer1", "初审"), ("kjt-reviewer2", "复审"), ("kjt-reviewer3", "终审"))
# 栏目审核流程: 政务公开 four steps (保密审查 by every member of its group), 工作动态 two.
SECRECY_REVIEWERS = ("kjt-reviewer1", "kjt-reviewer2")
COLUMN_CHAINS = {
    "zwgk": (
        ("初审", "初审", ANY_ONE),
        ("复审", "复审", ANY_ONE),
        ("保密审查", "保密审查", EVERYONE),
        ("终审", "终审", ANY_ONE),
    ),
    "gzdt": (("初审", "初审", ANY_ONE), ("终审", "终审", ANY_ONE)),
}
# 栏目授权: an editor who writes in 科技动态 (and its columns) only.
COLUMN_EDITOR, COLUMN_EDITOR_COLUMNS = "kjt-news-editor", ("kjdt",)
DEMO_LEADERS = (("张明远", "党组书记、厅长"), ("李文博", "副厅长"), ("王晓燕", "副厅长"))  # fictional


def build_demo_workflow(password: str) -> list[str]:
    """Provision 三审 on the demo sites and create kjt-reviewer1..3; returns what was created."""
    created: list[str] = []
    user_model = get_user_model()
    setups = {}
    for hostname, department in DEMO_DEPARTMENTS:
        site = Site.objects.filter(hostname=hostname).first()
        if site:
            setups[hostname] = provision_review(site, department)
    kjt = setups.get("kjt.localhost")
    if kjt is None:
        return created
    for username, step in DEMO_REVIEWERS:
        if not user_model.objects.filter(username=username).exists():
            user = user_model.objects.create_user(username, f"{username}@example.gov.cn", password)
            user.groups.set([kjt.step_groups[step]])
            created.append(f"用户：{username}（科学技术厅-{step}）")
    created += build_demo_columns(kjt, password)
    site = kjt.site_workflow.site
    for order, (name, title) in enumerate(DEMO_LEADERS):
        Leader.objects.get_or_create(site=site, name=name, defaults={"title": title, "sort_order": order})
    return created


def _demo_user(username: str, password: str, groups: list[Group], created: list[str], note: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username, f"{username}@example.gov.cn", password)
        user.groups.add(*groups)
        created.append(f"用户：{username}（{note}）")
    return user


def build_demo_columns(kjt: ReviewSetup, password: str) -> list[str]:
    """The S&T site's column chains and an editor limited to 科技动态."""
    created: list[str] = []
    site_workflow = kjt.site_workflow
    department = site_workflow.department
    secrecy, _ = Group.objects.get_or_create(name=f"{department}-保密审查")
    secrecy.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for username in SECRECY_REVIEWERS:
        get_user_model().objects.get(username=username).groups.add(secrecy)
    groups = {**kjt.step_groups, "保密审查": secrecy}
    columns = ColumnPage.objects.descendant_of(site_workflow.site.root_page)
    for slug, steps in COLUMN_CHAINS.items():
        column = columns.filter(slug=slug).first()
        if column is not None and column_workflow(column) is None:
            set_column_steps(
                site_workflow, column, [ReviewStep(name, groups[g], mode) for name, g, mode in steps]
            )
            created.append(f"栏目审核流程：{column.title}（{len(steps)} 步）")

    user_model = get_user_model()
    if not user_model.objects.filter(username=COLUMN_EDITOR).exists():
        editor = _demo_user(COLUMN_EDITOR, password, [], created, "栏目授权：科技动态")
        set_editor_columns(site_workflow, editor, list(columns.filter(slug__in=COLUMN_EDITOR_COLUMNS)))
    return created
