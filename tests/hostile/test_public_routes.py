"""等保 E9: the hostile-input corpus through every public address, parameter and form field.

Every input goes through at least one query parameter (the inputs are dealt out over the parameters of
the public GET addresses), one form field (dealt out over the fields of the public forms) and one URL
path (test_static_server.py, the embedded server, and a share here through Django); every parameter and
field also gets a few inputs of every family. Forms are read from the pages themselves, so a new field is
fuzzed without a change here. What a form accepted is then looked at where it is shown: the admin's list
and detail pages of its handler and the exports. harness.check says what passing means.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from govsite.testing import verified_client

from . import corpus
from .harness import Baseline, check, get, post, post_forms, timed

pytestmark = pytest.mark.django_db
HOST = "kjt.localhost"
VALID_ID = "11010519491231002X"  # GB 11643's own example
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Valid values of the fields a form needs to accept a submission, by field name; others get TEXT.
VALID = {
    "phone": "13812345678",
    "email": "zhang@example.com",
    "id_number": VALID_ID,
    "postcode": "010010",
    "login": "13812345678",
    "password": "Zhang-San-2026!x",
    "password1": "Zhang-San-2026!x",
    "password2": "Zhang-San-2026!x",
    "page_url": "http://kjt.localhost/",
    "contact": "13812345678",
    "name": "张三丰",
    "username": "nobody",
}
TEXT = "关于科技型中小企业评价的咨询"
SKIPPED_FIELDS = {"csrfmiddlewaretoken", "captcha_token", "captcha_answer"}


def dealt(kind_index: int, slots: int) -> list[list[corpus.Hostile]]:
    """The whole corpus dealt out over `slots` (a parameter or field each), shifted per kind so that
    different kinds give an input to different slots."""
    hands: list[list[corpus.Hostile]] = [[] for _ in range(slots)]
    for i, item in enumerate(corpus.load()):
        hands[(i + kind_index) % slots].append(item)
    return hands


# --- Query parameters --------------------------------------------------------------------------------
SEARCH_PARAMS = ["q", "page", "sort", "scope", "site", "column", "type", "date_from", "date_to"]
# Every public GET address with the parameters its view reads; addresses that read none get an
# unknown one (`x`), which they must ignore.
GET_ROUTES: list[tuple[str, list[str]]] = [
    ("/search/", SEARCH_PARAMS),
    ("/search/api/", SEARCH_PARAMS),
    ("/elder/search/", ["q", "page"]),
    ("/search/api/hot/", ["x"]),
    ("/zhaocuo/", ["url"]),
    ("/zhaocuo/done/", ["x"]),
    ("/zhanghu/", ["x"]),
    ("/zhanghu/denglu/", ["next"]),
    ("/zhanghu/zhuce/", ["x"]),
    ("/liuyan/", ["type"]),
    ("/liuyan/done/", ["x"]),
    ("/liuyan/cx/", ["x"]),
    ("/liuyan/pj/", ["x"]),
    ("/yisqgk/", ["x"]),
    ("/yisqgk/done/", ["x"]),
    ("/yisqgk/cx/", ["x"]),
    ("/elder/liuyan/", ["type"]),
    ("/robots.txt", ["x"]),
    ("/sitemap.xml", ["x"]),
    ("/sitemap/", ["x"]),
    ("/404.html", ["x"]),
    ("/", ["x"]),
]


def participation_routes() -> list[tuple[str, list[str]]]:
    routes = []
    for name in PARTICIPATION:
        path = form_route(name).path
        routes += [(path, ["x"]), (f"{path}done/", ["x"])]
    return routes


@pytest.fixture
def open_forms(open_solicitation: Any, open_survey: Any, announced_interview: Any) -> None:
    """An open 征集, 调查 and 访谈 of the S&T site, as the participation tests publish them."""


def test_every_input_through_the_query_parameters(client: Client, open_forms: None) -> None:
    slots = [(path, name) for path, names in GET_ROUTES + participation_routes() for name in names]
    hands = dealt(0, len(slots))
    baselines: dict[str, Baseline] = {}  # one per address, not per parameter (search has nine)
    with timed():
        for index, ((path, name), hand) in enumerate(zip(slots, hands, strict=True)):
            if path not in baselines:
                baselines[path] = Baseline.of(get(client, path, HTTP_HOST=HOST))
            baseline = baselines[path]
            for item in hand + corpus.rotating(index):
                response = get(client, path, [(name, item.value)], HTTP_HOST=HOST)
                check(response, [item], f"{path} ?{name}=", baseline)
                if path.startswith("/search/api/"):
                    assert response["Content-Type"].startswith("application/json"), item.label


@pytest.mark.both_engines  # the query syntax is the engine's: FTS5 on SQLite, tsquery on PostgreSQL
def test_every_full_text_input_through_the_search_query(client: Client) -> None:
    """The suite runs in one CI pass, on one engine: the whole full-text family goes through the search
    box on each engine (the match expression each builds is its own; the API shares the page's query)."""
    family = [item for item in corpus.load() if item.family == "fts_tsquery"]
    assert family
    with timed():
        baseline = Baseline.of(get(client, "/search/", HTTP_HOST=HOST))
        for item in family:
            response = get(client, "/search/", [("q", item.value)], HTTP_HOST=HOST)
            check(response, [item], "/search/ ?q=", baseline)


# --- Forms --------------------------------------------------------------------------------------------
@dataclass
class FormRoute:
    """A public form: where it is posted, whether its valid submission is stored (a redirect), and the
    page that shows it when that is another address (the rating form is on the lookup's answer)."""

    path: str
    accepted: bool
    shown_on: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # when no page shows the form without a case


PARTICIPATION = {"gzcy-zj": "SolicitationPage", "gzcy-dc": "SurveyPage", "gzcy-ft": "InterviewPage"}
FORMS = {
    "yisqgk": FormRoute("/yisqgk/", True),
    "yisqgk-cx": FormRoute("/yisqgk/cx/", False),
    "liuyan": FormRoute("/liuyan/", True),
    "liuyan-cx": FormRoute("/liuyan/cx/", False),
    "liuyan-pj": FormRoute("/liuyan/pj/", False, fields={"number": "LY", "code": "X", "rating": "3"}),
    "zhaocuo": FormRoute("/zhaocuo/", True),
    "zhanghu-denglu": FormRoute("/zhanghu/denglu/", False),
    "zhanghu-zhuce": FormRoute("/zhanghu/zhuce/", True),
    **{name: FormRoute("", True) for name in PARTICIPATION},
}


def form_route(name: str) -> FormRoute:
    """The route of a form; a participation form is that of the open page of its type that the
    participation tests' fixtures publish (open_solicitation, open_survey, announced_interview)."""
    if name not in PARTICIPATION:
        return FORMS[name]
    from govsite.participation import models

    kind = name.rsplit("-", 1)[1]
    page = getattr(models, PARTICIPATION[name]).objects.live().filter(slug__in=["cszj", "csdc", "csft"]).get()
    return FormRoute(f"/gzcy/{kind}/{page.pk}/", True)


def valid_submission(client: Client, route: FormRoute) -> tuple[dict[str, Any], bool, list[str]]:
    """The form of the page filled in validly: (data, multipart, the names of its fuzzable fields)."""
    if route.fields:
        return dict(route.fields), False, list(route.fields)
    path = route.path
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    forms = post_forms(response.content.decode())
    assert forms, f"{path}: no form"
    form = max(forms, key=lambda f: len(f.fields))
    data: dict[str, Any] = {}
    for one in form.fields.values():
        if one.name in SKIPPED_FIELDS or one.kind == "hidden":
            continue
        if one.kind == "file":
            data[one.name] = io.BytesIO(PDF)
            data[one.name].name = "证件.pdf"
        elif one.kind in ("radio", "select", "checkbox"):
            data[one.name] = next((o for o in one.options if o), one.options[0])
        else:
            data[one.name] = VALID.get(one.name, TEXT)
    fuzzed = [name for name in form.fields if name not in SKIPPED_FIELDS]
    return data, form.multipart, fuzzed


def fresh(data: dict[str, Any]) -> dict[str, Any]:
    """The data with new file objects (the client reads them to the end)."""
    out = {}
    for name, value in data.items():
        if isinstance(value, io.BytesIO):
            value = io.BytesIO(value.getvalue())
            value.name = "证件.pdf"
        out[name] = value
    return out


def fuzz_form(client: Client, route: FormRoute, index: int, slots: int) -> list[corpus.Hostile]:
    """Each field of the form with its share of the corpus and a sample of every family; the inputs sent."""
    data, multipart, fields = valid_submission(client, route)
    first = post(client, route.path, fresh(data), multipart, HTTP_HOST=HOST)
    if route.accepted:
        assert first.status_code == 302, (route.path, first.content.decode()[-2000:])
    baseline = Baseline.of(client.get(route.path, HTTP_HOST=HOST))
    hand = dealt(1, slots)[index]
    sent: list[corpus.Hostile] = []
    for position, name in enumerate(fields):
        share = hand[position :: len(fields)]
        for item in share + corpus.rotating(index + position):
            value: Any = item.value
            if multipart and isinstance(value, bytes):
                value = value.decode("latin-1")  # multipart sends text as UTF-8: these go urlencoded
                response = post(client, route.path, {**data, name: item.value}, False, HTTP_HOST=HOST)
            else:
                response = post(client, route.path, {**fresh(data), name: value}, multipart, HTTP_HOST=HOST)
            check(response, [item], f"{route.path} {name}=", baseline)
            sent.append(item)
    for name in (n for n, v in data.items() if isinstance(v, io.BytesIO)):
        for item in corpus.rotating(index):  # the file's name is shown in the error next to it
            upload = io.BytesIO(PDF)
            upload.name = item.text or item.raw.decode("latin-1")
            response = post(client, route.path, {**fresh(data), name: upload}, True, HTTP_HOST=HOST)
            check(response, [item], f"{route.path} {name} (file name)", baseline)
            sent.append(item)
    return sent


# Where what a form stored is shown to the handler: the admin's list and the pages of the rows the
# suite stored whose text has markup characters (at most DETAIL_PAGES of each kind, newest first).
DETAIL_PAGES = 10
MARKUP = r"[<>\"']"


def stored_rows(model: Any, prefix: str, *fields: str) -> Iterator[str]:
    from django.db.models import Q

    markup = Q()
    for name in fields:
        markup |= Q(**{f"{name}__regex": MARKUP})
    pks = model.objects.filter(markup).order_by("-pk").values_list("pk", flat=True)[:DETAIL_PAGES]
    yield from (f"{prefix}{pk}/" for pk in pks)


def shown_in_admin(route: FormRoute) -> Iterator[str]:
    from govsite.citizens.models import ErrorReport
    from govsite.disclosure.models import DisclosureRequest
    from govsite.interaction.models import Message
    from govsite.participation.models import InterviewQuestion, Opinion

    if route.path == "/yisqgk/":
        yield "/admin/disclosure/"
        yield from stored_rows(DisclosureRequest, "/admin/disclosure/", "description", "purpose")
    elif route.path == "/liuyan/":
        yield "/admin/messages/"
        yield from stored_rows(Message, "/admin/messages/", "subject", "content")
    elif route.path == "/zhaocuo/":
        yield "/admin/error-reports/"
        yield from stored_rows(ErrorReport, "/admin/error-reports/", "page_url", "description")
    elif route.path.startswith("/gzcy/"):
        pk = int(route.path.rstrip("/").rsplit("/", 1)[1])
        yield f"/admin/participation/page/{pk}/"
        yield f"/admin/participation/page/{pk}/export/"
        yield from stored_rows(Opinion, "/admin/participation/opinion/", "content")
        yield from stored_rows(InterviewQuestion, "/admin/participation/question/", "content")


def published_on_the_board() -> Iterator[str]:
    """The 留言选登 addresses of the S&T site once its messages are answered and may be shown: each list
    page, and the page of every message whose subject or text has markup characters (at most 40)."""
    from django.db.models import Q
    from django.utils import timezone
    from wagtail.models import Site

    from govsite.interaction.models import Message, MessageBoardPage, Status
    from govsite.interaction.public import subpaths

    site = Site.objects.get(hostname=HOST)
    Message.objects.filter(origin_site=site).update(
        status=Status.REPLIED, publish_allowed=True, reply_text="答复", replied_on=timezone.localdate()
    )
    board = MessageBoardPage.objects.live().descendant_of(site.root_page).get()
    base = board.get_url(current_site=site)
    markup = Message.objects.filter(Q(subject__regex=r"[<>\"']") | Q(content__regex=r"[<>\"']"))
    wanted = {m.number.lower() for m in markup.filter(origin_site=site)[:40]}
    for sub in subpaths(board):
        if sub.startswith("index") or sub == "" or any(number in sub for number in wanted):
            yield base + sub


def assert_export_safe(response: Any, where: str) -> None:
    """An Excel export: no cell is a formula (a value that starts with = + - @ is kept as text)."""
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula in {sheet.title}!{cell.coordinate}"


@pytest.fixture
def admin() -> Client:
    from govsite.testing import demo_user

    client = verified_client()
    client.force_login(demo_user("platform-admin"))
    return client


@pytest.mark.parametrize("name", FORMS)
def test_every_input_through_the_public_forms(
    client: Client, admin: Client, open_forms: None, name: str
) -> None:
    route = form_route(name)
    with timed():
        sent = fuzz_form(client, route, list(FORMS).index(name), len(FORMS))
        if name == "liuyan":
            for path in published_on_the_board():
                response = client.get(path, HTTP_HOST=HOST)
                assert response.status_code == 200, path
                check(response, sent, f"public {path}")
        for path in shown_in_admin(route):
            response = admin.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if path.endswith("/export/"):
                assert_export_safe(response, path)
            check(response, sent, f"admin {path}")
