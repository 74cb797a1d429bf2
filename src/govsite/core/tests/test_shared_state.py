"""Two application nodes sharing one Redis (REDIS_URL, docs/deployment.md), as real processes.

A real `redis-server` (the test starts its own, no service needed) and two `govsite serve` processes
over one database, each with a GOVSITE_VAR_DIR of its own (so no file cache is shared): an admin logs
in on one node and proves the second factor on the other, a rate limit counts requests made to
both, and a captcha issued by one node is answered on the other and cannot be replayed on the first.
redis-server is a system package (scripts/system-deps.sh installs it): missing, this test fails.
"""

import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from govsite.testing import (
    CLI,
    DEMO_PASSWORD,
    PublishedDemo,
    cli_env,
    demo_totp_code,
    free_port,
    running,
    solve_captcha,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on a free port: no persistence, stopped afterwards."""
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    port = free_port()
    cmd = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with running([*cmd, "--dir", str(tmp_path)], {}, port, tmp_path / "redis.log", timeout=15):
        yield f"redis://127.0.0.1:{port}/0"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Visitor:
    """One browser: its cookies (for 127.0.0.1, whichever node's port) and the last form's CSRF token."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
        self.csrf = ""

    def open(self, port: int, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body); a form's CSRF token is sent with every post."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **data}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
        request.add_header("Referer", f"http://127.0.0.1:{port}{path}")
        try:
            with self.opener.open(request, timeout=60) as response:
                status, location, text = response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx
            status, location, text = error.code, error.headers.get("Location", ""), error.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if token:
            self.csrf = token.group(1)
        return status, location, text


def test_two_application_nodes_share_sessions_rate_limits_and_the_captcha(
    published_demo: PublishedDemo, redis_url: str, tmp_path: Path
) -> None:
    import redis

    demo = published_demo
    shared = {"REDIS_URL": redis_url, "GOVSITE_CAPTCHA": "1", "GOVSITE_MESSAGE_LOOKUP_LIMIT": "3"}
    node_b_var = tmp_path / "node-b"
    shutil.copytree(demo.var_dir / "static", node_b_var / "static")  # collectstatic's output, as deployed
    envs = [
        {**demo.env, **shared},
        {
            **cli_env(node_b_var, **shared),
            "DATABASE_URL": f"sqlite:///{demo.database}",
            "GOVSITE_PUBLIC_DIR": str(demo.public),
        },
    ]
    with ExitStack() as stack:
        a, b = free_port(), free_port()
        for port, env in zip((a, b), envs, strict=True):
            cmd = [*CLI, "serve", "--port", str(port), "--workers", "1"]
            stack.enter_context(running(cmd, env, port, tmp_path / f"serve-{port}.log"))

        # An admin: password on node A, the second factor on node B, the dashboard on both.
        admin = Visitor()
        admin.open(a, "/admin/login/")
        status, location, _ = admin.open(
            a, "/admin/login/", {"username": "platform-admin", "password": DEMO_PASSWORD}
        )
        assert (status, location) == (302, "/admin/")
        # node B knows the password was given and asks for the second factor
        status, location, _ = admin.open(b, "/admin/")
        assert (status, location.split("?")[0]) == (302, "/admin/security/two-factor/verify/")
        status, _, _ = admin.open(b, location)
        assert status == 200
        status, location, _ = admin.open(b, location, {"code": demo_totp_code("platform-admin")})
        assert (status, location) == (302, "/admin/")
        for port in (a, b, a):
            status, location, _ = admin.open(port, "/admin/")
            assert (status, location) == (200, "")  # not sent back to the login
        sessions = redis.Redis.from_url(redis_url).keys("*django.contrib.sessions.cached_db*")
        assert sessions, "sessions are read from Redis (cached_db)"

        # The 留言 lookup's limit (3 a minute per address) counts requests to either node.
        reader = Visitor()
        reader.open(a, "/liuyan/cx/")
        statuses = [reader.open(port, "/liuyan/cx/", {"number": "x"})[0] for port in (a, b, a, b)]
        assert statuses[:3] == [400, 400, 400] and statuses[3] == 429

        # The captcha: issued by A, answered on B, the same answer refused when replayed on A.
        citizen = Visitor()
        _, _, html = citizen.open(a, "/zhaocuo/")
        question = re.search(r"验证问题：([^<]+)", html)
        token = re.search(r'name="captcha_token" value="([^"]+)"', html)
        assert question and token
        answer = {"captcha_token": token.group(1), "captcha_answer": str(solve_captcha(question.group(1)))}
        status, _, html = citizen.open(b, "/zhaocuo/", answer)  # other fields missing: 400, captcha fine
        assert status == 400 and "验证问题回答不正确" not in html and "已使用过" not in html
        status, _, html = citizen.open(a, "/zhaocuo/", answer)
        assert status == 400 and "该验证问题已使用过" in html
