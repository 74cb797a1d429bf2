"""`govsite add_site`: bring a department's website onto the platform."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from wagtail.models import Page, Site

from govsite.content.models import HomePage
from govsite.sites.models import Organisation, SiteProfile
from govsite.sites.provisioning import provision_department
from govsite.sites.validators import validate_site_id_code
from govsite.workflow.provisioning import provision_review


class Command(BaseCommand):
    help = "新建部门网站：站点、首页、素材库分组、编辑与网站管理员用户组，并关联部门网站导航。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hostname", required=True, help="域名，如 jyt.nmg.gov.cn")
        parser.add_argument("--name", required=True, help="网站名称，如 内蒙古自治区教育厅")
        parser.add_argument("--department", required=True, help="部门简称（用户组和素材分组名），如 教育厅")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--site-id-code", default="", help="政府网站标识码")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        hostname = options["hostname"].lower()
        if Site.objects.filter(hostname=hostname, port=options["port"]).exists():
            raise CommandError(f"站点 {hostname}:{options['port']} 已存在。")
        if options["site_id_code"]:
            validate_site_id_code(options["site_id_code"])
        home = HomePage(title=options["name"], slug=hostname.split(".")[0])
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(
            hostname=hostname, port=options["port"], root_page=home, site_name=options["name"]
        )
        department = provision_department(site, options["department"])
        provision_review(site, options["department"])  # 三审 groups and workflow
        profile = SiteProfile.for_site(site)
        profile.site_name = profile.organiser = options["name"]
        profile.site_id_code = options["site_id_code"]
        profile.save()
        linked = Organisation.objects.filter(name=options["department"], site__isnull=True).update(site=site)
        self.stdout.write(f"已创建站点 {site.root_url}/（首页 id={home.pk}）")
        self.stdout.write(f"用户组：{department.editors.name}、{department.site_admins.name}")
        self.stdout.write(
            "已关联部门网站导航。" if linked else "部门网站导航中未找到同名部门，请在后台关联。"
        )
