"""The platform with real servers (docs/deployment.md): two application nodes (`govsite serve`) and two
`govsite worker` processes on the PostgreSQL test database and one Redis, two web nodes (a real nginx
each, `nginx-config --web-node`) serving a directory of their own, fed by rsync over a real sshd.

An article published through the admin of application node 1 reaches both web nodes with every
published list that shows it; a 主办单位 changed in the site settings through application node 2 is on
both nodes' pages after the rebuild. PostgreSQL pass only (marker `postgresql`): the processes share
the test database, which on SQLite is in memory.
"""

import getpass
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path

import pytest
from lxml import html
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import editor_fields, path_of
from govsite.core.tests.test_worker_processes import process_env, wait_for, worker_processes
from govsite.delivery.models import Target
from govsite.publishing.jobs import schedule_rebuild
from govsite.publishing.layout import site_dir
from govsite.publishing.tests.test_nginx import NGINX
from govsite.sites.models import SiteProfile
from govsite.testing import CLI, DEMO_PASSWORD, Visitor, demo_totp_code, free_port, run_cli, running
from govsite.testing import http_request as request

from .sshd import Sshd

pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("committed_db")]

TITLE = "集约化平台多节点发布验证稿件"
ORGANISER = "多节点验证主办单位"
NODES = ("web-1", "web-2")


class Topology:
    """The running processes' ports and directories, and their logs for a failure's message."""

    def __init__(self, tmp_path: Path, site: Site) -> None:
        self.tmp_path = tmp_path
        self.site = site
        self.apps = [free_port(), free_port()]
        self.web: dict[str, int] = {}

    def public(self, node: str) -> Path:
        return self.tmp_path / node / "public"

    def logs(self) -> str:
        tails = [
            f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
            for log in self.tmp_path.rglob("*.log")
        ]
        return "\n".join(tails)

    def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """wait_for (its message lists the task rows) with the processes' logs added."""
        try:
            wait_for(condition, timeout, what)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.logs()}") from None


@pytest.fixture
def topology(
    small_site: Site, sshd: Sshd, redis_url: str, tmp_path: Path, database_tasks: None
) -> Iterator[Topology]:
    """Redis, two workers, two application nodes; the site published to both web nodes' directories
    by the workers (a first full sync each), then a real nginx per web node."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    topo = Topology(tmp_path, small_site)
    host = small_site.hostname
    shared = {"REDIS_URL": redis_url, "GOVSITE_DELIVERY_SSH_CONTROL_PERSIST": "0"}
    for node in NODES:
        topo.public(node).mkdir(parents=True)
        target = sshd.target(topo.public(node), name=f"网页服务器{node}")
        Target.objects.filter(pk=target.pk).update(site=small_site)  # not the other 30-odd sites
    shutil.rmtree(site_dir(host), ignore_errors=True)
    with ExitStack() as stack:
        stack.enter_context(worker_processes(["worker-1", "worker-2"], tmp_path, **shared))
        for n, port in enumerate(topo.apps, 1):
            env = process_env(GOVSITE_VAR_DIR=str(tmp_path / f"app-{n}"), **shared)
            cmd = [*CLI, "serve", "--port", str(port), "--workers", "1"]
            stack.enter_context(running(cmd, env, port, tmp_path / f"app-{n}.log"))
        schedule_rebuild(small_site)  # committed at once: the workers build it and deliver it
        topo.until(
            lambda: all((topo.public(node) / host / "index.html").exists() for node in NODES),
            600,
            "the site's first delivery to both web nodes",
        )
        apps = ",".join(f"http://127.0.0.1:{port}" for port in topo.apps)
        for node in NODES:
            env = process_env(GOVSITE_VAR_DIR=str(tmp_path / node), GOVSITE_PUBLIC_DIR=str(topo.public(node)))
            port, conf = free_port(), tmp_path / node / "nginx.conf"
            args = ["nginx-config", "--web-node", "--app", apps, "--listen", str(port), "--no-ipv6"]
            run_cli(env, *args, "--user", getpass.getuser(), "--output", str(conf))
            nginx = [NGINX, "-c", str(conf), "-e", "stderr", "-g", "daemon off;"]
            stack.enter_context(running(nginx, env, port, tmp_path / f"nginx-{node}.log", timeout=15))
            topo.web[node] = port
        yield topo


def log_in(visitor: Visitor, port: int) -> None:
    """The platform administrator's password and second factor on one application node."""
    visitor.open(port, "/admin/login/")
    status, location, _ = visitor.open(
        port, "/admin/login/", {"username": "platform-admin", "password": DEMO_PASSWORD}
    )
    assert (status, location) == (302, "/admin/")
    status, location, _ = visitor.open(port, "/admin/")
    assert (status, location.split("?")[0]) == (302, "/admin/security/two-factor/verify/")
    visitor.open(port, location)
    status, location, _ = visitor.open(port, location, {"code": demo_totp_code("platform-admin")})
    assert (status, location) == (302, "/admin/")


def news_column(site: Site) -> ColumnPage:
    """The column of the site's latest article: the one its home page lists first."""
    articles = ArticlePage.objects.live().descendant_of(site.root_page).order_by("-pub_date")
    return ColumnPage.objects.get(pk=articles.first().get_parent().pk)


def navigation_fields(profile: SiteProfile) -> dict[str, str]:
    """The settings form's two StreamFields as its JavaScript posts them, with their current links
    (the rendered form carries them as JSON only)."""

    def links(items: list[dict[str, str]]) -> dict[str, object]:
        rows = {str(n): {"value": link, "deleted": "", "order": n, "id": ""} for n, link in enumerate(items)}
        return {"count": len(items), **rows}

    def link(value: dict[str, str]) -> dict[str, str]:
        return {"title": value["title"], "url": value["url"]}

    top = [("link", link(block.value)) for block in profile.top_links]
    groups = [
        ("group", {**link(block.value), "links": links([link(item) for item in block.value["links"]])})
        for block in profile.footer_links
    ]
    return nested_form_data({"top_links": streamfield(top), "footer_links": streamfield(groups)})


def url_of(rel: str) -> str:
    return "/" + rel.removesuffix("index.html")


def showing(site: Site, text: str) -> dict[str, bytes]:
    """The published pages (address: bytes) whose text holds `text`, the error pages left out."""
    root = site_dir(site.hostname)
    pages = {}
    for path in root.rglob("*.html"):
        if path.stem.isdigit():  # 404.html: served with its status, not as a page
            continue
        with suppress(FileNotFoundError):  # replaced by a rebuild under way: the next look sees it
            pages[url_of(path.relative_to(root).as_posix())] = path.read_bytes()
    return {url: body for url, body in pages.items() if text.encode() in body}


def served_everywhere(topo: Topology, pages: dict[str, bytes]) -> bool:
    """Each web node answers each page with the published bytes."""
    host = topo.site.hostname
    for port in topo.web.values():
        for url, body in pages.items():
            status, _, served = request(port, url, host)
            if (status, served) != (200, body):
                return False
    return True


def test_an_article_published_on_one_app_node_is_served_by_every_web_node(topology: Topology) -> None:
    topo, site = topology, topology.site
    started = time.monotonic()
    admin = Visitor()
    log_in(admin, topo.apps[0])

    # 1. the article, published through application node 1's page editor
    column = news_column(site)
    add_url = f"/admin/pages/add/govsite_content/articlepage/{column.pk}/"
    status, _, editor = admin.open(topo.apps[0], add_url)
    assert status == 200
    fields = editor_fields(editor, "<p>多节点发布正文。</p>", title=TITLE, source="平台验证")
    status, _, body = admin.open(topo.apps[0], add_url, {**fields, "action-publish": "publish"})
    assert status == 302, body[:2000]
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live
    article_url, column_url = path_of(article), path_of(column)

    def article_everywhere() -> bool:
        pages = showing(site, TITLE)
        return {article_url, column_url, "/"} <= set(pages) and served_everywhere(topo, pages)

    topo.until(article_everywhere, 300, "the article, its column and the home page on both web nodes")

    # 2. the 主办单位 (every page's footer), changed in the site settings through application node 2
    old = f"主办单位：{SiteProfile.objects.get(site=site).organiser}"
    settings_url = f"/admin/settings/govsite_sites/siteprofile/{site.pk}/"
    status, _, page = admin.open(topo.apps[1], settings_url)
    assert status == 200
    form = html.fromstring(page).xpath("//form[.//input[@name='organiser']]")[0]
    data = {**dict(form.form_values()), **navigation_fields(SiteProfile.objects.get(site=site))}
    status, _, body = admin.open(topo.apps[1], settings_url, {**data, "organiser": ORGANISER})
    assert status == 302, body[:2000]

    def footer_everywhere() -> bool:
        pages = showing(site, f"主办单位：{ORGANISER}")
        rebuilt = {"/", column_url, article_url} <= set(pages) and not showing(site, old)
        return rebuilt and served_everywhere(topo, pages)

    topo.until(footer_everywhere, 600, "the new 主办单位 on every page, served by both web nodes")
    print(f"published and rebuilt on both web nodes in {time.monotonic() - started:.1f} s")
