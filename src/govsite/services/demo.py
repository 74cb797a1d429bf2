"""Demo 办事指南 of the S&T department (called by `govsite demo`): five service items of
内蒙古自治区科学技术厅 with all ten elements, the materials and, where the item has one, the
blank form to download.

Idempotent: each guide is known by its slug under the column; running again changes nothing that exists.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from docx import Document as WordDocument
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

from .models import ServiceGuidePage, ServiceMaterial

ADDRESS = "内蒙古呼和浩特市赛罕区丰州南路78号 内蒙古自治区科学技术厅"
HOURS = "工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）"
NO_FEE = "不收费。"


@dataclass(frozen=True)
class Material:
    name: str
    requirement: str = ""
    form: tuple[str, ...] = ()  # the rows of the blank form to attach, when there is one


@dataclass(frozen=True)
class Guide:
    slug: str
    item_name: str
    pub: str
    summary: str
    legal_basis: str
    conditions: str
    materials: tuple[Material, ...]
    location: str
    agency: str
    procedure: str
    phone: str
    legal_time_limit: str = ""
    promised_time_limit: str = ""
    online_url: str = ""
    materials_note: str = ""
    fees: str = NO_FEE
    hours: str = HOURS


GUIDES = [
    Guide(
        slug="kjxzxqy-pj",
        item_name="科技型中小企业评价",
        pub="2021-04-12 09:00",
        summary="科技型中小企业评价实行企业自主评价、省级科技管理部门组织服务、全国科技型中小企业"
        "信息库统一公示的方式。符合条件的企业入库后可享受研发费用加计扣除等优惠政策。",
        legal_basis="1.《科技部 财政部 国家税务总局关于印发〈科技型中小企业评价办法〉的通知》"
        "（国科发政〔2017〕115号）\n"
        "2.《财政部 税务总局 科技部关于提高科技型中小企业研究开发费用税前加计扣除比例的通知》"
        "（财税〔2017〕34号）",
        conditions="1.在中国境内（不包括港、澳、台地区）注册的居民企业；\n"
        "2.职工总数不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元；\n"
        "3.企业提供的产品和服务不属于国家规定的禁止、限制和淘汰类；\n"
        "4.企业在填报上一年及当年内未发生重大安全、重大质量事故和严重环境违法、科研严重失信行为，"
        "且企业未列入经营异常名录和严重违法失信企业名单；\n"
        "5.企业根据科技型中小企业评价指标进行综合评价所得分值不低于60分，且科技人员指标得分不得为0分。",
        materials=(
            Material("科技型中小企业信息表", "在服务平台在线填报"),
            Material("上一年度企业所得税年度纳税申报表主表及研发费用加计扣除优惠明细表", "扫描件上传"),
            Material("知识产权、科技奖励、研发机构等证明材料", "有则提供，扫描件上传"),
        ),
        materials_note="企业对所填报信息和上传材料的真实性负责。",
        location="网上办理：全国科技型中小企业信息服务平台。\n现场咨询：" + ADDRESS + "。",
        agency="内蒙古自治区科学技术厅成果转化与区域创新处（科技型中小企业评价工作机构）",
        phone="0471-6328766",
        procedure="1.企业对照评价条件自主评价，在服务平台注册并填报信息；\n"
        "2.自治区科学技术厅自收到企业信息之日起20个工作日内组织形式审查；\n"
        "3.符合条件的企业名单在服务平台公示10个工作日；\n"
        "4.公示无异议的纳入全国科技型中小企业信息库，取得入库登记编号。",
        legal_time_limit="20个工作日（不含公示时间）",
        promised_time_limit="15个工作日（不含公示时间）",
        online_url="https://www.innofund.gov.cn/",
    ),
    Guide(
        slug="gxjsqy-rd",
        item_name="高新技术企业认定",
        pub="2021-04-10 09:00",
        summary="高新技术企业认定由自治区科学技术厅、财政厅、税务局组成的认定机构组织实施。"
        "认定合格的企业资格自颁发证书之日起有效期为三年，可依法享受企业所得税优惠。",
        legal_basis="1.《中华人民共和国企业所得税法》及其实施条例\n"
        "2.《科技部 财政部 国家税务总局关于修订印发〈高新技术企业认定管理办法〉的通知》"
        "（国科发火〔2016〕32号）\n"
        "3.《科技部 财政部 国家税务总局关于修订印发〈高新技术企业认定管理工作指引〉的通知》"
        "（国科发火〔2016〕195号）",
        conditions="1.企业申请认定时须注册成立一年以上；\n"
        "2.企业通过自主研发、受让、受赠、并购等方式，获得对其主要产品（服务）在技术上发挥核心支持作用的知识产权的所有权；\n"
        "3.对企业主要产品（服务）发挥核心支持作用的技术属于《国家重点支持的高新技术领域》规定的范围；\n"
        "4.企业从事研发和相关技术创新活动的科技人员占企业当年职工总数的比例不低于10%；\n"
        "5.企业近三个会计年度的研究开发费用总额占同期销售收入总额的比例符合规定要求；\n"
        "6.近一年高新技术产品（服务）收入占企业同期总收入的比例不低于60%；\n"
        "7.企业创新能力评价应达到相应要求；\n"
        "8.企业申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为。",
        materials=(
            Material(
                "高新技术企业认定申请书",
                "在认定管理工作网在线填报后打印，加盖企业公章",
                ("企业名称", "统一社会信用代码", "注册时间", "技术领域", "知识产权数量", "联系人及电话"),
            ),
            Material("证明企业依法成立的营业执照等相关注册登记证件", "复印件1份"),
            Material("知识产权相关材料、科研项目立项证明、科技成果转化、研究开发的组织管理等相关材料"),
            Material(
                "企业高新技术产品（服务）的关键技术和技术指标、生产批文、认证认可和相关资质证书、产品质量检验报告等"
            ),
            Material("企业职工和科技人员情况说明材料"),
            Material(
                "近三个会计年度研究开发费用和近一个会计年度高新技术产品（服务）收入专项审计或鉴证报告",
                "由符合条件的中介机构出具，附研究开发活动说明材料",
            ),
            Material("近三个会计年度的财务会计报告", "经符合条件的中介机构鉴证"),
            Material("近三个会计年度企业所得税年度纳税申报表", "复印件1份"),
        ),
        materials_note="以上材料按顺序装订成册，一式两份，并上传电子版。",
        location="网上申报：高新技术企业认定管理工作网。\n纸质材料报送：" + ADDRESS + "。",
        agency="内蒙古自治区高新技术企业认定管理工作领导小组办公室（设在自治区科学技术厅）",
        phone="0471-6328706",
        procedure="1.企业自我评价；\n2.在高新技术企业认定管理工作网注册登记；\n"
        "3.准备并提交申请材料；\n4.认定机构组织专家评审；\n5.认定机构审查认定，报全国高新技术企业认定管理"
        "工作领导小组办公室备案；\n6.在高新技术企业认定管理工作网公示10个工作日；\n"
        "7.公示无异议的，颁发高新技术企业证书。",
        legal_time_limit="按年度认定批次办理",
        online_url="http://www.innocom.gov.cn/",
    ),
    Guide(
        slug="kjjhxm-sb",
        item_name="自治区科技计划项目申报",
        pub="2021-03-22 10:00",
        summary="自治区科技计划项目按年度发布申报指南，面向区内高等学校、科研院所、企业等单位公开征集。"
        "申报的具体方向、支持方式和时间以当年申报通知为准。",
        legal_basis="1.《中华人民共和国科学技术进步法》\n2.《内蒙古自治区科技计划项目管理办法》\n"
        "3.自治区科学技术厅当年发布的科技计划项目申报指南",
        conditions="1.在自治区境内注册、具有独立法人资格的高等学校、科研院所、企业和其他组织；\n"
        "2.项目负责人具有高级职称或博士学位，申报当年不超过60周岁，同期主持自治区科技计划项目不超过1项；\n"
        "3.申报单位和项目负责人无不良科研信用记录；\n"
        "4.项目符合当年申报指南的支持方向。",
        materials=(
            Material("自治区科技计划项目申报书", "在系统中在线填写"),
            Material(
                "申报单位及项目负责人科研诚信承诺书",
                "签字并加盖单位公章后上传",
                ("申报单位", "项目名称", "项目负责人", "承诺内容", "项目负责人签字", "单位公章及日期"),
            ),
            Material("合作协议", "有合作单位的提供"),
            Material("自筹资金证明", "企业牵头申报的提供"),
        ),
        location="网上申报：自治区科技计划项目管理信息系统。\n咨询：" + ADDRESS + "。",
        agency="内蒙古自治区科学技术厅资源配置与管理处",
        phone="0471-6328766",
        procedure="1.申报单位按申报指南组织项目负责人在线填写申报书；\n2.申报单位审核、推荐；\n"
        "3.盟市科技局或主管部门审核、推荐；\n4.自治区科学技术厅形式审查；\n5.组织专家评审；\n"
        "6.公示立项名单；\n7.下达项目计划、签订任务书。",
        legal_time_limit="按当年申报通知的时间安排办理",
    ),
    Guide(
        slug="jshtrd-dj",
        item_name="技术合同认定登记",
        pub="2021-03-15 09:30",
        summary="技术开发、技术转让、技术许可、技术咨询和技术服务合同经认定登记后，当事人可按国家"
        "规定享受有关税收优惠政策，技术合同成交额纳入技术市场统计。",
        legal_basis="1.《中华人民共和国民法典》第三编第二十章“技术合同”\n"
        "2.《技术合同认定登记管理办法》（国科发政字〔2000〕063号）\n"
        "3.《技术合同认定规则》（国科发政字〔2001〕253号）",
        conditions="1.申请人为技术合同的卖方（技术开发方、转让方、许可方、咨询方或服务方）；\n"
        "2.合同依法订立、已经生效，合同名称、标的、价款等约定明确；\n"
        "3.在合同成立后及时申请认定登记，年度内签订的合同在次年3月底前申请。",
        materials=(
            Material(
                "技术合同认定登记申请表",
                "加盖合同卖方公章",
                ("合同名称", "合同类别", "卖方", "买方", "成交金额", "技术交易额"),
            ),
            Material("技术合同文本", "原件1份（登记后退回）"),
            Material("申请人营业执照或事业单位法人证书", "复印件1份"),
            Material("授权委托书及经办人身份证件", "委托他人办理的提供"),
        ),
        location="内蒙古自治区技术市场管理办公室（" + ADDRESS + "）；各盟市科技局技术合同登记点。",
        agency="内蒙古自治区技术合同登记机构",
        phone="0471-6328706",
        procedure="1.申请人在全国技术合同网上登记系统填报合同信息；\n2.向技术合同登记机构提交申请材料；\n"
        "3.登记机构审查合同是否属于技术合同、分类是否正确、技术交易额是否合理；\n"
        "4.符合条件的予以登记，发给技术合同登记证明；不予登记的书面说明理由。",
        legal_time_limit="自受理之日起30日",
        promised_time_limit="5个工作日",
    ),
    Guide(
        slug="wgrlhgzxk",
        item_name="外国人来华工作许可",
        pub="2021-02-26 09:00",
        summary="用人单位聘用外国人在自治区境内工作，应当为其申请外国人来华工作许可。"
        "外国人凭工作许可通知办理签证入境，入境后申领外国人工作许可证。",
        legal_basis="1.《中华人民共和国出境入境管理法》第四十一条\n2.《外国人在中国就业管理规定》\n"
        "3.《外国人来华工作许可服务指南（暂行）》",
        conditions="用人单位：依法设立，无严重违法失信记录；聘用外国人从事的岗位应有特殊需要，"
        "国内暂缺适当人选；工资、薪金不低于当地最低工资标准。\n"
        "外国人：年满18周岁，身体健康，无犯罪记录；有确定的聘用单位，具有从事其工作所必需的专业技能"
        "或相适应的工作经历；所从事的工作符合我国经济社会发展需要。",
        materials=(
            Material("外国人来华工作许可申请表", "在线填写，本人签字、用人单位盖章后上传"),
            Material("工作资历证明", "原件扫描件"),
            Material("最高学位（学历）证书或相关批准书、职业技能资格证书", "原件扫描件，境外证书需认证"),
            Material("无犯罪记录证明", "由外国人国籍国或经常居住地出具，经认证"),
            Material("体检证明", "6个月内有效"),
            Material("聘用合同或任职证明", "原件扫描件"),
            Material("护照或国际旅行证件", "信息页扫描件"),
            Material("本人近期正面免冠照片", "电子照片"),
        ),
        materials_note="外文材料须附中文翻译件。",
        location="网上办理：外国人来华工作管理服务系统。\n窗口：内蒙古自治区政务服务中心科技厅窗口。",
        agency="内蒙古自治区科学技术厅外国专家服务处",
        phone="0471-6328766",
        procedure="1.用人单位在外国人来华工作管理服务系统注册；\n2.在线提交申请材料；\n"
        "3.受理机构5个工作日内审查、受理；\n4.决定机构作出许可决定，发放外国人来华工作许可通知；\n"
        "5.外国人入境后15日内在线申领外国人工作许可证。",
        legal_time_limit="20个工作日",
        promised_time_limit="10个工作日",
        online_url="https://fuwu.most.gov.cn/",
    ),
]


def _form_document(title: str, rows: tuple[str, ...], collection: Collection) -> Any:
    """A blank form (DOCX): the title and a two-column table to fill in."""
    document_model = get_document_model()
    existing = document_model.objects.filter(title=title, collection=collection).first()
    if existing:
        return existing
    word = WordDocument()
    word.add_heading(title, level=1)
    table = word.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, label in zip(table.rows, rows, strict=True):
        row.cells[0].text = label
    buffer = io.BytesIO()
    word.save(buffer)
    document = document_model(title=title, collection=collection)
    document.file.save("bszn-biaoge.docx", ContentFile(buffer.getvalue()), save=False)
    document.save()
    return document


def build_demo_services(column: Page, collection: Collection) -> list[str]:
    """Create the guides that are missing under `column`; returns the titles created."""
    created = []
    existing = set(column.get_children().values_list("slug", flat=True))
    for guide in GUIDES:
        if guide.slug in existing:
            continue
        page = ServiceGuidePage(
            title=f"{guide.item_name}办事指南",
            slug=guide.slug,
            item_name=guide.item_name,
            pub_date=timezone.make_aware(dt.datetime.fromisoformat(guide.pub)),
            body=f"<p>{guide.summary}</p>",
            legal_basis=guide.legal_basis,
            conditions=guide.conditions,
            materials_note=guide.materials_note,
            location=guide.location,
            agency=guide.agency,
            fees=guide.fees,
            hours=guide.hours,
            phone=guide.phone,
            procedure=guide.procedure,
            legal_time_limit=guide.legal_time_limit,
            promised_time_limit=guide.promised_time_limit,
            online_url=guide.online_url,
        )
        page.materials = [
            ServiceMaterial(
                name=m.name,
                requirement=m.requirement,
                document=_form_document(m.name, m.form, collection) if m.form else None,
            )
            for m in guide.materials
        ]
        column.add_child(instance=page)
        page.save_revision().publish()
        created.append(page.title)
    return created
