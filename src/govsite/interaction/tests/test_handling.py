"""Handling in the admin: isolation (list and by id), audit of every view, and each step of the case."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from govsite.interaction import services
from govsite.interaction.models import Message, Status

from .helpers import HOST, handler, new_message

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def kjt_handler(django_user_model, kjt_site):
    return handler(django_user_model, "kjt-ly-1", "科学技术厅")


@pytest.fixture
def kjt_reviewer(django_user_model, kjt_site):
    return handler(django_user_model, "kjt-ly-2", "科学技术厅")


@pytest.fixture
def jyt_handler(django_user_model, jyt_site):
    return handler(django_user_model, "jyt-ly-1", "教育厅")


def views_logged(message):
    content_type = ContentType.objects.get_for_model(Message)
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(message.pk), action="govsite.interaction.viewed"
    )


def step(client, message, name, **data):
    payload = {f"{name}-{key}": value for key, value in data.items()}
    return client.post(f"/admin/messages/{message.pk}/step/{name}/", payload)


def test_handlers_see_only_their_sites_messages_in_the_list_and_by_id(
    client, kjt_site, jyt_site, jyt_handler
):
    kjt_message, _ = new_message(kjt_site, name="张大山")
    jyt_message, _ = new_message(jyt_site, name="李小河")
    client.force_login(jyt_handler)
    listing = client.get("/admin/messages/").content.decode()
    assert (
        f"/admin/messages/{jyt_message.pk}/" in listing
        and f"/admin/messages/{kjt_message.pk}/" not in listing
    )
    assert "李**" in listing and "李小河" not in listing and "139****1111" in listing  # masked in lists
    assert client.get(f"/admin/messages/{kjt_message.pk}/").status_code == 404
    assert step(client, kjt_message, "accept", on=TODAY).status_code == 404
    kjt_message.refresh_from_db()
    assert kjt_message.status == Status.RECEIVED and not views_logged(kjt_message).exists()


def test_someone_without_the_permission_gets_no_list(client, django_user_model, kjt_site):
    user = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/messages/").status_code in (302, 403)


def test_every_view_of_a_message_is_audited_and_shows_the_data_in_full(client, kjt_site, kjt_handler):
    message, _ = new_message(kjt_site, name="张大山", content="<script>x()</script>")
    client.force_login(kjt_handler)
    html = client.get(f"/admin/messages/{message.pk}/").content.decode()
    client.get(f"/admin/messages/{message.pk}/")
    assert "张大山" in html and "13900001111" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html
    assert views_logged(message).count() == 2
    assert all(entry.user_id == kjt_handler.pk for entry in views_logged(message))


def test_reject_needs_a_reason_which_the_writer_sees(client, kjt_site, kjt_handler):
    message, code = new_message(kjt_site)
    client.force_login(kjt_handler)
    refused = step(client, message, "reject", on=TODAY, reason="")
    assert refused.status_code == 400
    assert (
        step(client, message, "reject", on=TODAY, reason="不属于本单位职责，请向属地政府反映。").status_code
        == 302
    )
    client.logout()
    html = client.post(
        "/liuyan/cx/", {"number": message.number, "code": code}, HTTP_HOST=HOST
    ).content.decode()
    assert "不予受理" in html and "不属于本单位职责" in html


def test_transfer_reply_review_and_close(
    client, kjt_site, jyt_site, kjt_handler, jyt_handler, django_user_model
):
    message, code = new_message(kjt_site, subject="关于教师资格认定")
    client.force_login(kjt_handler)
    assert (
        step(client, message, "transfer", on=TODAY, to_site=jyt_site.pk, note="属教育厅职责").status_code
        == 302
    )
    message.refresh_from_db()
    assert message.site == jyt_site and message.transfers.get().from_site == kjt_site
    # The sending site still reads it (with the trail) but can no longer act.
    page = client.get(f"/admin/messages/{message.pk}/").content.decode()
    assert "转办记录" in page and "您只能查看" in page
    assert step(client, message, "accept", on=TODAY).status_code == 302  # back to the message, read only
    message.refresh_from_db()
    assert message.status == Status.RECEIVED

    client.force_login(jyt_handler)
    assert message.number in client.get("/admin/messages/").content.decode()
    assert step(client, message, "accept", on=TODAY).status_code == 302
    assert (
        step(client, message, "reply", office="教育厅教师工作处", text="请登录教师资格网办理。").status_code
        == 302
    )
    message.refresh_from_db()
    assert message.status == Status.REVIEW and message.replied_on is None
    # The drafter cannot approve their own reply.
    assert step(client, message, "approve", on=TODAY).status_code == 400
    reviewer = handler(django_user_model, "jyt-ly-2", "教育厅")
    client.force_login(reviewer)
    assert step(client, message, "send_back", note="请补充办理地址").status_code == 302
    message.refresh_from_db()
    assert message.status == Status.ACCEPTED and message.review_note == "请补充办理地址"
    client.force_login(jyt_handler)
    step(client, message, "reply", office="教育厅教师工作处", text="请到政务服务大厅办理。")
    client.force_login(reviewer)
    assert step(client, message, "approve", on=TODAY).status_code == 302
    message.refresh_from_db()
    assert (
        message.status == Status.REPLIED and message.replied_on == TODAY and message.reviewed_by == reviewer
    )
    assert step(client, message, "close", on=TODAY).status_code == 302
    message.refresh_from_db()
    assert message.status == Status.CLOSED
    client.logout()
    html = client.post(
        "/liuyan/cx/", {"number": message.number, "code": code}, HTTP_HOST=HOST
    ).content.decode()
    assert "教育厅教师工作处" in html and "请到政务服务大厅办理。" in html


def test_a_step_in_the_wrong_state_is_refused_in_chinese(kjt_site):
    message, _ = new_message(kjt_site)
    with pytest.raises(services.TransitionError, match="只能在“办理中”状态下进行"):
        services.reply(message, None, "办公室", "答复")


def test_rating_by_the_writer_with_the_query_code(client, kjt_site, kjt_handler, kjt_reviewer):
    message, code = new_message(kjt_site)
    services.accept(message, kjt_handler, TODAY)
    services.reply(message, kjt_handler, "办公室", "已答复")
    services.approve(message, kjt_reviewer, TODAY)
    bad = client.post(
        "/liuyan/pj/",
        {"pj-number": message.number, "pj-code": "WRONG2345678", "pj-rating": "5"},
        HTTP_HOST=HOST,
    )
    assert bad.status_code == 400
    ok = client.post(
        "/liuyan/pj/", {"pj-number": message.number, "pj-code": code, "pj-rating": "4"}, HTTP_HOST=HOST
    )
    assert ok.status_code == 200 and "感谢您的评价" in ok.content.decode()
    message.refresh_from_db()
    assert message.rating == 4


def test_channel_settings_are_per_site(client, kjt_site, jyt_site, jyt_handler):
    from govsite.interaction.models import Channel, site_channels

    site_channels(kjt_site)
    site_channels(jyt_site)
    client.force_login(jyt_handler)
    page = client.get("/admin/messages/channels/").content.decode()
    assert "内蒙古自治区教育厅" in page and "内蒙古自治区科学技术厅" not in page
    kjt_channel = Channel.objects.get(site=kjt_site, kind="consult")
    jyt_channel = Channel.objects.get(site=jyt_site, kind="consult")
    forged = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(kjt_channel.pk),
        "form-0-name": "被改了",
        "form-0-reply_workdays": "3",
        "form-0-enabled": "on",
        "form-0-sort_order": "0",
    }
    client.post("/admin/messages/channels/", forged)
    kjt_channel.refresh_from_db()
    assert kjt_channel.name != "被改了" and kjt_channel.reply_workdays == 5
    own = {
        **forged,
        "form-0-id": str(jyt_channel.pk),
        "form-0-name": "教育咨询",
        "form-0-reply_workdays": "4",
    }
    assert client.post("/admin/messages/channels/", own).status_code == 302
    jyt_channel.refresh_from_db()
    assert (jyt_channel.name, jyt_channel.reply_workdays) == ("教育咨询", 4)
    refused = client.post("/admin/messages/channels/", {**own, "form-0-reply_workdays": "0"})
    assert refused.status_code == 400


def said(response) -> str:
    """The page a step ended on (after its redirect): what the handler reads."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_each_step_ends_on_a_page_saying_what_happened(client, kjt_site, jyt_site, kjt_handler, kjt_reviewer):
    """Like 批准 → "已批准，已转复审": the handler reads what the step did, not a bare "已保存"."""
    message, _ = new_message(kjt_site)
    client.force_login(kjt_handler)
    detail = f"/admin/messages/{message.pk}/"
    steps: list[tuple[object, str, dict[str, object], str]] = [
        (kjt_handler, "accept", {"on": TODAY}, "已受理："),
        (kjt_handler, "reply", {"office": "成果转化处", "text": "已答复。"}, "答复已提交审核"),
        (kjt_reviewer, "send_back", {"note": "请补充依据"}, "答复已退回拟稿人修改："),
        (kjt_handler, "reply", {"office": "成果转化处", "text": "依据见附件。"}, "答复已提交审核"),
        (kjt_reviewer, "approve", {"on": TODAY}, "审核通过，答复已发布："),
        (kjt_reviewer, "close", {"on": TODAY}, "已办结："),
    ]
    for who, name, data, text in steps:
        client.force_login(who)
        payload = {f"{name}-{key}": value for key, value in data.items()}
        response = client.post(f"{detail}step/{name}/", payload, follow=True)
        assert response.redirect_chain[-1][0] == detail, name
        assert f"{text}" in said(response) and message.number in said(response), name

    other, _ = new_message(kjt_site)
    client.force_login(kjt_handler)
    payload = {"transfer-on": TODAY, "transfer-to_site": jyt_site.pk, "transfer-note": ""}
    response = client.post(f"/admin/messages/{other.pk}/step/transfer/", payload, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/messages/"
    assert f"已转办至{jyt_site.site_name or jyt_site.hostname}：{other.number}" in said(response)


def test_a_step_on_a_message_another_handler_transferred_meanwhile_is_no_dead_end(
    client, kjt_site, jyt_site, kjt_handler, kjt_reviewer
):
    """Two handlers had the message open; one transferred it: the other's 受理 says where it went."""
    message, _ = new_message(kjt_site)
    client.force_login(kjt_handler)
    step(client, message, "transfer", on=TODAY, to_site=jyt_site.pk, note="")
    client.force_login(kjt_reviewer)
    response = client.post(f"/admin/messages/{message.pk}/step/accept/", {"accept-on": TODAY}, follow=True)
    page = said(response)
    assert response.redirect_chain[-1][0] == f"/admin/messages/{message.pk}/"
    assert "没有权限" not in page
    assert f"已转办至{jyt_site.site_name or jyt_site.hostname}，本单位只能查看，不能办理" in page
    message.refresh_from_db()
    assert message.status == Status.RECEIVED
