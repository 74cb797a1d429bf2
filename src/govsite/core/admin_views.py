"""The audit administrator's screen: search the audit trail and export it as CSV (三员分立, E6/E7).

Only `govsite_core.view_auditrecord` opens it (the 审计管理员 role; the system and security
administrators do not have it), `export_auditrecord` exports. The export is itself audited, like
every admin export (core.audit.AuditMiddleware).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from wagtail.log_actions import registry as log_actions

from .models import AuditRecord

VIEW = "govsite_core.view_auditrecord"
EXPORT = "govsite_core.export_auditrecord"
PER_PAGE = 50
EXPORT_LIMIT = 100_000
EVENT_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "账户锁定",
    "account.create": "创建账号",
    "account.change": "修改账号",
    "account.deactivate": "停用账号",
    "account.activate": "启用账号",
    "account.password_change": "修改密码",
    "account.delete": "删除账号",
    "role.create": "创建角色",
    "role.change": "修改角色",
    "role.delete": "删除角色",
    "permission.user_groups": "调整用户角色",
    "permission.user_permissions": "调整用户权限",
    "permission.group_permissions": "调整角色权限",
    "permission.page": "调整页面权限",
    "permission.collection": "调整文件集权限",
    "export": "导出数据",
    "audit.pruned": "清理过期审计记录",
    "job.requeue": "重新排队后台任务",
}
CSV_COLUMNS = (
    ("seq", "序号"),
    ("time", "时间"),
    ("username", "用户"),
    ("event", "事件"),
    ("event_label", "事件名称"),
    ("object_type", "对象类型"),
    ("object_id", "对象编号"),
    ("object_label", "对象"),
    ("outcome", "结果"),
    ("ip", "IP 地址"),
    ("user_agent", "客户端"),
    ("detail", "详情"),
    ("hash", "哈希"),
)


def event_label(event: str) -> str:
    if event in EVENT_LABELS:
        return EVENT_LABELS[event]
    label = log_actions.get_action_label(event)
    return str(label) if label else event


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="用户", required=False, max_length=150)
    event = forms.CharField(
        label="事件", required=False, max_length=100, help_text="如 auth.login、wagtail.publish"
    )
    obj = forms.CharField(label="对象", required=False, max_length=255, help_text="对象类型、编号或名称")
    outcome = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), ("success", "成功"), ("failure", "失败")]
    )
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search(data: dict[str, Any]) -> QuerySet[AuditRecord]:
    records = AuditRecord.objects.order_by("-seq")
    if data.get("username"):
        records = records.filter(username__icontains=data["username"])
    if data.get("event"):
        records = records.filter(event__icontains=data["event"])
    if data.get("obj"):
        text = data["obj"]
        records = records.filter(
            Q(object_type__icontains=text) | Q(object_id=text) | Q(object_label__icontains=text)
        )
    if data.get("outcome"):
        records = records.filter(outcome=data["outcome"])
    if data.get("start"):
        records = records.filter(time__gte=_day_start(data["start"]))
    if data.get("end"):
        records = records.filter(time__lt=_day_start(data["end"] + dt.timedelta(days=1)))
    return records


def audit_list(request: HttpRequest) -> HttpResponseBase:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    records: QuerySet[AuditRecord]
    if form.is_bound and not form.is_valid():
        records = AuditRecord.objects.none()
    else:
        records = search(form.cleaned_data if form.is_bound else {})
    if request.GET.get("export") == "csv":
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied
        return export_csv(records)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    context = {
        "form": form,
        "page": page,
        "rows": [(item, event_label(item.event)) for item in page],
        "query": query.urlencode(),
        "can_export": request.user.has_perm(EXPORT),
    }
    return TemplateResponse(request, "core/admin/audit_list.html", context)


def _csv_rows(records: QuerySet[AuditRecord]) -> Iterator[list[str]]:
    yield [label for _, label in CSV_COLUMNS]
    for item in records[:EXPORT_LIMIT].iterator(chunk_size=2000):
        values = {
            **{name: getattr(item, name, "") for name, _ in CSV_COLUMNS if hasattr(item, name)},
            "time": timezone.localtime(item.time).isoformat(timespec="seconds"),
            "event_label": event_label(item.event),
        }
        yield [_cell(values.get(name)) for name, _ in CSV_COLUMNS]


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet never runs as a formula (=, +, -, @ at the start)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(records: QuerySet[AuditRecord]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        ("\ufeff" if n == 0 else "") + writer.writerow(row) for n, row in enumerate(_csv_rows(records))
    )
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


urlpatterns = [path("", audit_list, name="list")]
