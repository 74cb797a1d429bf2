"""Hostile or odd parameters: the page shows a Chinese message, the API a JSON 400, never a 500."""

from typing import TYPE_CHECKING

import pytest
from django.test import Client

if TYPE_CHECKING:
    from govsite.testing import ClientResponse

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
KJT = "kjt.localhost"
HUGE = "9223372036854775808"

# (parameters, the label the message names); every case also carries a query that finds pages.
INVALID = [
    ({"date_to": "9999-12-31"}, "结束日期"),
    ({"date_from": "0001-01-01"}, "开始日期"),
    ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "开始日期"),
    ({"scope": "all", "site": HUGE}, "站点"),
    ({"site": "-" + HUGE}, "站点"),
    ({"column": HUGE}, "栏目"),
    ({"column": "-1"}, "栏目"),
    ({"column": "1e400"}, "栏目"),
    ({"page": HUGE}, "页码"),
    ({"page": "-5"}, "页码"),
    ({"page": "0"}, "页码"),
    ({"page": "1\x00"}, "页码"),
    ({"sort": "date\x00"}, "排序"),
    ({"sort": "'; DROP TABLE x;--"}, "排序"),
    ({"type": "article\x00"}, "类型"),
    ({"type": "x" * 5000}, "类型"),
    ({"scope": "\x00"}, "范围"),
    ({"date_from": "2020-02-30"}, "开始日期"),
    ({"date_to": "2020-01-01\x00"}, "结束日期"),
    ({"date_to": "１２３"}, "结束日期"),
]


def get(client: Client, path: str, params: dict | list) -> "ClientResponse":
    return client.get(path, params, HTTP_HOST=KJT)


@pytest.mark.parametrize(("params", "label"), INVALID)
def test_invalid_parameters_give_a_message_on_the_page(client: Client, params: dict, label: str) -> None:
    response = get(client, "/search/", {"q": "张江", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"“{label}”参数无效" in html and "已忽略" in html
    assert "<mark>张江</mark>" in html  # the search still ran, without the bad parameter


@pytest.mark.parametrize(("params", "label"), INVALID)
def test_invalid_parameters_give_a_json_400_from_the_api(client: Client, params: dict, label: str) -> None:
    response = get(client, "/search/api/", {"q": "张江", **params})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert f"“{label}”参数无效" in data["error"]
    assert "已忽略" not in data["error"]  # the API refuses the request rather than ignoring the parameter
    assert data["results"] == []


ODD = [
    {"q": "张江\x00示范区"},
    {"q": "\x00"},
    {"q": "张" * 100_000},
    {"q": ["张江", "示范区"]},
    {"q": "张江", "page": ["1", HUGE]},
    {"q": "张江", "site": ["1", "2"], "scope": "all"},
    {"q": "张江", "q[]": "x", "page[]": HUGE},
    {"q": "张江", "column": "99999999"},
    {"q": "张江", "date_from": "2100-12-31", "date_to": "1900-01-01"},
    {"q": "张江", "sort": "date", "page": "50"},
    {"q": "' OR 1=1 --", "scope": "all"},
    {"q": 'NEAR(张江 示范区) AND "x" * ^ -张'},
    {"q": "\ud7ff\ufffe\U0010ffff"},
]


@pytest.mark.parametrize("params", ODD)
@pytest.mark.parametrize("path", ["/search/", "/search/api/", "/elder/search/"])
def test_odd_input_never_fails(client: Client, path: str, params: dict) -> None:
    response = get(client, path, params)
    assert response.status_code in (200, 400)
    if "api" in path:
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 400:
            assert response.json()["error"]


def test_api_errors_are_json(client: Client) -> None:
    response = client.post("/search/api/", {"q": "张江"}, HTTP_HOST=KJT)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json") and response.json()["error"]
    empty = get(client, "/search/api/", {"q": ""})
    assert empty.status_code == 400 and empty.json()["error"] == "请输入搜索词。"
    hot = client.post("/search/api/hot/", HTTP_HOST=KJT)
    assert hot.status_code == 405 and hot.json()["error"]
