"""Two application nodes sharing one Redis (REDIS_URL, docs/deployment.md), as real processes.

A real `redis-server` (the test starts its own, no service needed) and two `govsite serve` processes
over one database, each with a GOVSITE_VAR_DIR of its own (so no file cache is shared): an admin logs
in on one node and proves the second factor on the other, a rate limit counts requests made to
both, and a captcha issued by one node is answered on the other and cannot be replayed on the first.
redis-server is a system package (scripts/system-deps.sh installs it): missing, this test fails.
"""

import re
import shutil
from contextlib import ExitStack
from pathlib import Path

from govsite.testing import (
    CLI,
    DEMO_PASSWORD,
    PublishedDemo,
    Visitor,
    cli_env,
    demo_totp_code,
    free_port,
    running,
    solve_captcha,
)


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
