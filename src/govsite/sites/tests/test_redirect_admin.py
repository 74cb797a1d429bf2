"""重定向 admin per department: a department sees, adds, changes and deletes only its own sites'
redirects (sites.redirect_admin); the platform administrator sees all of them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def redirects() -> dict[str, Redirect]:
    kjt = Site.objects.get(hostname="kjt.localhost")
    jyt = Site.objects.get(hostname="jyt.localhost")
    return {
        "kjt": Redirect.add_redirect("/kjt-old-address", "/kjdt/", site=kjt),
        "jyt": Redirect.add_redirect("/jyt-old-address", "/jydt/", site=jyt),
        "all": Redirect.add_redirect("/all-sites-address", "/"),
    }


def login(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def form(redirect: Redirect, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "old_path": redirect.old_path,
        "site": redirect.site_id or "",
        "is_permanent": "on",
        "redirect_link": redirect.redirect_link,
    }
    return {**data, **changes}


@pytest.mark.parametrize("username", ["kjt-editor", "kjt-siteadmin"])
def test_a_department_sees_and_changes_only_its_own_redirects(
    client: Client, redirects: dict[str, Redirect], username: str
) -> None:
    login(client, username)
    listing = client.get("/admin/redirects/").content.decode()
    assert "/kjt-old-address" in listing
    assert "/jyt-old-address" not in listing and "/all-sites-address" not in listing
    results = client.get("/admin/redirects/results/?q=address").content.decode()
    assert "/jyt-old-address" not in results and "/all-sites-address" not in results

    own = redirects["kjt"]
    assert client.get(f"/admin/redirects/{own.pk}/").status_code == 200
    new_link = "https://kjt.localhost/kjdt/new/"
    response = client.post(f"/admin/redirects/{own.pk}/", form(own, redirect_link=new_link))
    assert response.status_code == 302, response.context["form"].errors
    assert Redirect.objects.get(pk=own.pk).redirect_link == new_link

    for other in (redirects["jyt"], redirects["all"]):  # by id: not found, unchanged, not deleted
        assert client.get(f"/admin/redirects/{other.pk}/").status_code == 404
        hijack = form(other, redirect_link="https://hijacked.example/")
        response = client.post(f"/admin/redirects/{other.pk}/", hijack)
        assert response.status_code == 404
        assert client.get(f"/admin/redirects/{other.pk}/delete/").status_code == 404
        assert client.post(f"/admin/redirects/{other.pk}/delete/").status_code == 404
        assert Redirect.objects.get(pk=other.pk).redirect_link != "https://hijacked.example/"

    assert client.post(f"/admin/redirects/{own.pk}/delete/").status_code == 302
    assert not Redirect.objects.filter(pk=own.pk).exists()


def test_a_department_adds_redirects_to_its_own_sites_only(client: Client) -> None:
    login(client, "kjt-editor")
    kjt = Site.objects.get(hostname="kjt.localhost")
    jyt = Site.objects.get(hostname="jyt.localhost")
    page = client.get("/admin/redirects/add/").content.decode()
    assert f'value="{kjt.pk}"' in page
    assert f'value="{jyt.pk}"' not in page and '<option value="" selected>' not in page
    data = {"old_path": "/added", "is_permanent": "on", "redirect_link": "https://kjt.localhost/kjdt/"}
    for site in (jyt.pk, ""):  # another department's site, "all sites"
        response = client.post("/admin/redirects/add/", {**data, "site": site})
        assert response.status_code == 200  # the form again, with its error
    assert not Redirect.objects.filter(old_path="/added").exists()
    response = client.post("/admin/redirects/add/", {**data, "site": kjt.pk})
    assert response.status_code == 302, response.context["form"].errors
    assert Redirect.objects.get(old_path="/added").site == kjt
    # importing a file (any site, all sites) is the platform's
    assert client.get("/admin/redirects/import/").status_code != 200
    assert "/admin/redirects/import/" not in client.get("/admin/redirects/").content.decode()


def test_the_platform_administrator_sees_every_redirect(
    client: Client, redirects: dict[str, Redirect]
) -> None:
    login(client, "platform-admin")
    listing = client.get("/admin/redirects/").content.decode()
    for path in ("/kjt-old-address", "/jyt-old-address", "/all-sites-address"):
        assert path in listing
    assert client.get(f"/admin/redirects/{redirects['jyt'].pk}/").status_code == 200
    assert client.get(f"/admin/redirects/{redirects['all'].pk}/").status_code == 200
    assert client.get("/admin/redirects/import/").status_code == 200
    assert '<option value="" selected>' in client.get("/admin/redirects/add/").content.decode()
