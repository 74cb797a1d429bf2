"""Demo data for 三审: reviewer users and leaders (called by build_demo)."""

from django.contrib.auth import get_user_model
from wagtail.models import Site

from govsite.checks.models import Leader

from .provisioning import provision_review

DEMO_DEPARTMENTS = (("kjt.localhost", "科学技术厅"), ("jyt.localhost", "教育厅"))
DEMO_REVIEWERS = (("kjt-reviewer1", "初审"), ("kjt-reviewer2", "复审"), ("kjt-reviewer3", "终审"))
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
    site = kjt.site_workflow.site
    for order, (name, title) in enumerate(DEMO_LEADERS):
        Leader.objects.get_or_create(site=site, name=name, defaults={"title": title, "sort_order": order})
    return created
