"""The handlers' admin (留言办理): list (masked), message detail (audited) and its steps.

Every view goes through `access.message_for` / `access.visible_messages`: a handler sees their own
site's messages only (and those their site transferred away, read only); another department's message
loaded by id is a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages as flash
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry, Site

from govsite.core.crypto import lookup_hash
from govsite.core.personal import mask_name, mask_number
from govsite.core.publicforms import open_private
from govsite.sites.models import SiteProfile
from govsite.workdays.calendar import WorkdayCalendar

from . import services
from .access import handler_sites, may_act, message_for, visible_messages
from .deadlines import current_deadline
from .models import Alert, Channel, Message, MessageAttachment, Status, site_channels


def _require_handler(request: HttpRequest) -> None:
    if not handler_sites(request.user).exists():
        raise PermissionDenied


@sensitive_post_parameters("phone")
def message_list(request: HttpRequest) -> HttpResponse:
    """The messages of the handler's sites, newest first, personal data masked. ?due=1: needing attention.
    A posted phone: the messages from that phone (found by its keyed hash, the phone being encrypted;
    posted so that no access log holds it)."""
    _require_handler(request)
    params = request.POST if request.method == "POST" else request.GET
    items = visible_messages(request.user).select_related("site", "channel").defer("email")
    phone = request.POST.get("phone", "").strip()[:30]
    if phone:
        items = items.filter(phone_hash=lookup_hash(phone))
    status = params.get("status", "")
    items = items.filter(status=status) if status in Status.values else items.exclude(status=Status.SPAM)
    due_only = params.get("due") == "1"
    if due_only:
        items = items.filter(status__in=[Status.RECEIVED, Status.ACCEPTED, Status.REVIEW])
    calendar, today = WorkdayCalendar.load(), timezone.localdate()
    mine = set(handler_sites(request.user).values_list("pk", flat=True))
    rows: list[dict[str, Any]] = []
    for item in items[:500]:
        deadline = current_deadline(item, calendar, today)
        if due_only and (deadline is None or deadline.alert == Alert.NONE):
            continue
        rows.append(
            {
                "message": item,
                "name": mask_name(item.name),
                "phone": mask_number(item.phone),
                "deadline": deadline,
                "elsewhere": item.site_id not in mine,
            }
        )
    context = {
        "rows": rows,
        "due_only": due_only,
        "statuses": Status.choices,
        "status": status,
        "phone": phone,
    }
    return TemplateResponse(request, "interaction/admin/message_list.html", context)


def _transfer_targets(message: Message) -> Any:
    """The other department sites of the cluster (sites with a profile), by name."""
    return (
        Site.objects.exclude(pk=message.site_id)
        .filter(pk__in=SiteProfile.objects.values("site_id"))
        .order_by("site_name", "hostname")
    )


def _site_label(site: Site) -> str:
    return str(site.site_name or site.hostname)


class DateForm(forms.Form):
    on = forms.DateField(label="日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class RejectForm(DateForm):
    reason = forms.CharField(label="不予受理理由（将告知留言人）", widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(DateForm):
    to_site = forms.ModelChoiceField(label="转办至", queryset=Site.objects.none())
    note = forms.CharField(label="转办说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReplyForm(forms.Form):
    office = forms.CharField(label="答复部门", max_length=100)
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)


class ReturnForm(forms.Form):
    note = forms.CharField(label="退回意见", widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


STEP_FORMS: dict[str, type[forms.Form]] = {
    "accept": DateForm,
    "reject": RejectForm,
    "spam": EmptyForm,
    "transfer": TransferForm,
    "reply": ReplyForm,
    "approve": DateForm,
    "send_back": ReturnForm,
    "close": DateForm,
}


def _step_form(step: str, message: Message, data: Any = None) -> forms.Form:
    today = timezone.localdate()
    initial: dict[str, Any] = {"on": today}
    if step == "reply":
        profile = SiteProfile.for_site(message.site)
        initial = {"office": message.reply_office or profile.organiser, "text": message.reply_text}
    form = STEP_FORMS[step](data, initial=initial, prefix=step)
    if isinstance(form, TransferForm):
        field = cast("forms.ModelChoiceField[Site]", form.fields["to_site"])
        field.queryset = _transfer_targets(message)
        field.label_from_instance = _site_label  # type: ignore[method-assign,assignment]
    return form


def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole message with the writer's data in full; every view is an audit entry."""
    message = message_for(request.user, pk)
    services.audit(message, "viewed", request.user)
    return _detail_response(request, message)


def _detail_response(
    request: HttpRequest, message: Message, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    step_forms = {step: _step_form(step, message) for step in STEP_FORMS}
    if bound:
        step_forms[bound[0]] = bound[1]
    context = {
        "message": message,
        "deadline": current_deadline(message, WorkdayCalendar.load(), timezone.localdate()),
        "forms": step_forms,
        "may_act": may_act(request.user, message),
        "history": _history(message),
        "transfers": message.transfers.select_related("from_site", "to_site", "by"),
        "status": Status,
        "own_draft": message.replied_by_id == request.user.pk,
    }
    return TemplateResponse(
        request, "interaction/admin/message_detail.html", context, status=400 if bound else 200
    )


def _history(message: Message) -> list[Any]:
    content_type = ContentType.objects.get_for_model(Message)
    return list(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(message.pk))
        .exclude(action="govsite.interaction.viewed")
        .select_related("user")
        .order_by("-timestamp")[:50]
    )


def _run_step(step: str, message: Message, user: Any, data: dict[str, Any]) -> None:
    if step == "accept":
        services.accept(message, user, data["on"])
    elif step == "reject":
        services.reject(message, user, data["reason"], data["on"])
    elif step == "spam":
        services.mark_spam(message, user)
    elif step == "transfer":
        services.transfer(message, user, data["to_site"], data["note"], data["on"])
    elif step == "reply":
        services.reply(message, user, data["office"], data["text"])
    elif step == "approve":
        services.approve(message, user, data["on"])
    elif step == "send_back":
        services.send_back(message, user, data["note"])
    else:
        services.close(message, user, data["on"])


# What each step did, said on the page the handler lands on (never a bare "saved").
DONE = {
    "accept": "已受理",
    "reject": "已不予受理，理由将告知留言人",
    "spam": "已标记为垃圾信息",
    "transfer": "已转办至{site}",
    "reply": "答复已提交审核（须由拟稿人以外的人员审核通过）",
    "approve": "审核通过，答复已发布",
    "send_back": "答复已退回拟稿人修改",
    "close": "已办结",
}


def done_message(step: str, message: Message) -> str:
    return DONE[step].format(site=_site_label(message.site)) + f"：{message.number}"


@require_POST
def message_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step from the detail page's forms; a refusal re-shows the page with the reason."""
    message = message_for(request.user, pk)
    if step not in STEP_FORMS:
        raise Http404
    if not may_act(request.user, message):  # transferred away meanwhile: read only, and say so
        where = _site_label(message.site)
        flash.error(request, f"{message.number} 已转办至{where}，本单位只能查看，不能办理。")
        return HttpResponseRedirect(reverse("govsite_interaction:detail", args=[message.pk]))
    form = _step_form(step, message, request.POST)
    if not form.is_valid():
        return _detail_response(request, message, (step, form))
    try:
        _run_step(step, message, request.user, form.cleaned_data)
    except services.TransitionError as error:
        form.add_error(None, str(error))
        message.refresh_from_db()
        return _detail_response(request, message, (step, form))
    flash.success(request, done_message(step, message))
    if step == "transfer":  # the message now belongs to another site: back to the list
        return HttpResponseRedirect(reverse("govsite_interaction:list"))
    return HttpResponseRedirect(reverse("govsite_interaction:detail", args=[message.pk]))


def message_file(request: HttpRequest, pk: int, item: int) -> FileResponse:
    """A writer's attachment: only for the message's handlers, never from /media/."""
    message = message_for(request.user, pk)
    attachment = get_object_or_404(MessageAttachment, pk=item, message=message)
    services.audit(message, "file_viewed", request.user)
    return FileResponse(open_private(attachment.file), as_attachment=True, filename=attachment.title)


ChannelFormSet = forms.modelformset_factory(
    Channel, fields=["name", "intro", "reply_workdays", "enabled", "sort_order"], extra=0, edit_only=True
)


def channel_settings(request: HttpRequest) -> HttpResponse:
    """渠道设置: the channels of the handler's sites (name, intro, reply period, enabled, order).

    The formset's queryset is the handler's sites' channels only, and it only edits (`edit_only`): a
    posted id of another site's channel matches no row of the queryset and is not saved."""
    _require_handler(request)
    sites = handler_sites(request.user)
    for site in sites:
        site_channels(site)  # a site that never had channels gets the defaults to edit
    queryset = Channel.objects.filter(site__in=sites).select_related("site").order_by("site", "sort_order")
    formset = ChannelFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        flash.success(request, "渠道设置已保存。")
        return HttpResponseRedirect(reverse("govsite_interaction:channels"))
    context = {"formset": formset}
    return TemplateResponse(
        request, "interaction/admin/channels.html", context, status=400 if request.method == "POST" else 200
    )


urlpatterns = [
    path("", message_list, name="list"),
    path("channels/", channel_settings, name="channels"),
    path("<int:pk>/", message_detail, name="detail"),
    path("<int:pk>/step/<str:step>/", message_step, name="step"),
    path("<int:pk>/file/<int:item>/", message_file, name="file"),
]
