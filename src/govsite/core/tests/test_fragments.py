"""`{% run_fragment %}`: page chrome rendered once per publishing run, site and version."""

from django.template import Context, Template
from django.test import RequestFactory

from govsite.core.fragments import fragment_cache
from govsite.versions.registry import VERSIONS

TEMPLATE = Template('{% load fragment_tags %}{% run_fragment "name" %}{{ value }}{% endrun_fragment %}')


def render(value: str, host: str = "kjt.localhost", version: int = 0) -> str:
    request = RequestFactory().get("/", HTTP_HOST=host)
    request.govsite_version = VERSIONS[version]  # type: ignore[attr-defined]
    return TEMPLATE.render(Context({"value": value, "request": request}))


def test_a_run_renders_the_fragment_once_per_host_and_version() -> None:
    with fragment_cache():
        assert render("first") == "first"
        assert render("second") == "first"  # the run's copy
        assert render("other site", host="jyt.localhost") == "other site"
        assert render("elder", version=1) == "elder"


def test_outside_a_run_every_render_is_fresh() -> None:
    assert render("first") == "first"
    assert render("second") == "second"
