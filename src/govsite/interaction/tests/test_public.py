"""Public replies: only allowed and approved messages, masked; published as static files on approval;
the statistics table and its SVG chart."""

import datetime as dt

import pytest

from govsite.interaction import services
from govsite.interaction.models import MessageBoardPage
from govsite.interaction.public import site_statistics
from govsite.publishing.layout import site_dir

from .helpers import handler, new_message

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def board(kjt_site):
    return MessageBoardPage.objects.live().descendant_of(kjt_site.root_page).get()


def answered(site, users, **fields):
    message, code = new_message(site, **fields)
    services.accept(message, users[0], TODAY)
    services.reply(message, users[0], "科技厅办公室", "您好，联系电话 0471-6949999；<b>谢谢</b>。")
    services.approve(message, users[1], TODAY)
    return message, code


@pytest.fixture
def users(django_user_model, kjt_site):
    return handler(django_user_model, "kjt-pub-1", "科学技术厅"), handler(
        django_user_model, "kjt-pub-2", "科学技术厅"
    )


def test_an_approved_public_message_is_written_as_a_static_page(
    board, kjt_site, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = answered(
            kjt_site,
            users,
            name="欧阳明月",
            phone="13812345678",
            content="我的身份证 11010519491231002X，手机 138 1234 5678，邮箱 a@b.cn，问题如下。",
        )
    board_dir = site_dir(kjt_site.hostname) / board.url_path.removeprefix(kjt_site.root_page.url_path)
    page = (board_dir / f"{message.number.lower()}.html").read_text()
    assert "欧***" in page and "欧阳明月" not in page
    assert "11010519491231002X" not in page and "138 1234 5678" not in page and "a@b.cn" not in page
    assert "13812345678" not in page and "0471-6949999" not in page and "[已隐去]" in page
    assert "科技厅办公室" in page and "&lt;b&gt;谢谢&lt;/b&gt;" in page
    assert message.number.lower() in (board_dir / "index.html").read_text()
    assert (board_dir / "tj.html").exists()


def test_messages_not_allowed_or_not_approved_are_not_public(client, board, kjt_site, users):
    private, _ = answered(kjt_site, users, publish_allowed=False, subject="不公开的留言")
    waiting, _ = new_message(kjt_site, subject="待审核的留言")
    services.accept(waiting, users[0], TODAY)
    services.reply(waiting, users[0], "办公室", "草稿")
    host = {"HTTP_HOST": kjt_site.hostname}
    listing = client.get(board.url, **host).content.decode()
    assert "不公开的留言" not in listing and "待审核的留言" not in listing
    for message in (private, waiting):
        assert client.get(f"{board.url}{message.number.lower()}.html", **host).status_code == 404


def test_statistics_count_answers_on_time_days_and_satisfaction(client, board, kjt_site, users):
    on_time, _ = answered(kjt_site, users)
    services.rate(on_time, 5)
    statistics = site_statistics(kjt_site)
    row = statistics.rows[-1]
    assert row.month == TODAY.replace(day=1)
    assert row.received >= 1 and row.answered >= 1 and row.on_time >= 1 and 5 in row.ratings
    html = client.get(f"{board.url}tj.html", HTTP_HOST=kjt_site.hostname).content.decode()
    assert "<svg" in html and 'role="img"' in html and "<caption>各月留言办理情况</caption>" in html
    assert "<script" not in html.split("<main", 1)[-1]
