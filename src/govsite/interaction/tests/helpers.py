"""Valid message data and handler accounts for the 留言 tests."""

from __future__ import annotations

from typing import Any

from wagtail.models import Site

from govsite.interaction.models import Channel, ChannelKind, Message, site_channels
from govsite.interaction.services import submit
from govsite.testing import site_handler

HOST = "kjt.localhost"


def channel(site: Site, kind: str = ChannelKind.CONSULT) -> Channel:
    site_channels(site)
    return Channel.objects.get(site=site, kind=kind)


def form_data(site: Site, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": channel(site).pk,
        "subject": "关于科技型中小企业评价的咨询",
        "content": "请问今年的评价工作何时开始？\n谢谢。",
        "name": "张三丰",
        "phone": "13812345678",
        "email": "zhang@example.com",
        "publish_allowed": "1",
    }
    data.update(overrides)
    return data


def new_message(site: Site, kind: str = ChannelKind.CONSULT, **fields: Any) -> tuple[Message, str]:
    data = {
        "subject": "咨询",
        "content": "内容",
        "name": "李四",
        "phone": "13900001111",
        "email": "",
        "publish_allowed": True,
        **fields,
    }
    return submit(site, channel(site, kind), data)


def handler(django_user_model: Any, username: str, short_name: str) -> Any:
    """A user in the department's 网站管理员 group (who handles its messages)."""
    return site_handler(username, short_name)
