"""`govsite add_site`: bring a department's website onto the platform."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.sites.models import Organisation
from govsite.sites.provisioning import ProvisioningError, create_department_site
from govsite.sites.validators import validate_site_id_code


class Command(BaseCommand):
    help = (
        "新建部门网站：站点、首页、素材库分组、编辑与网站管理员用户组、三审流程，并关联部门网站导航。"
        "站点已存在时只补全缺少的部分。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hostname", required=True, help="域名，如 jyt.nmg.gov.cn")
        parser.add_argument("--name", required=True, help="网站名称，如 内蒙古自治区教育厅")
        parser.add_argument("--department", required=True, help="部门简称（用户组和素材分组名），如 教育厅")
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--site-id-code", default="", help="政府网站标识码")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["site_id_code"]:
            validate_site_id_code(options["site_id_code"])
        try:
            department = create_department_site(
                options["hostname"],
                options["name"],
                options["department"],
                options["port"],
                organisation=options["department"],
                profile={"site_id_code": options["site_id_code"]},
            )
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        site = department.site
        if department.created:
            self.stdout.write(f"已创建站点 {site.root_url}/（首页 id={site.root_page_id}）")
        else:
            self.stdout.write(f"站点 {site.root_url}/ 已存在：未作改动，只补全了缺少的用户组和审核流程。")
        self.stdout.write(f"用户组：{department.editors.name}、{department.site_admins.name}")
        linked = Organisation.objects.filter(site=site).exists()
        self.stdout.write(
            "已关联部门网站导航。" if linked else "部门网站导航中未找到同名部门，请在后台关联。"
        )
