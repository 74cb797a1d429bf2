"""Original images are never served from /media/: pages show renditions (security issue 11).

An image uploaded for a draft used to be public at /media/original_images/<its file name> before its
page went live. Neither the embedded server, nor nginx, nor Django's fallback serves originals now,
while published pages still show their images.
"""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from govsite.publishing import layout
from govsite.publishing.nginx import SiteEntry, render_config
from govsite.publishing.server import FileServer
from govsite.testing import PublishedDemo
from govsite.testing import http_request as get

from .test_resilience import embedded_server
from .test_server import call, django_stub, server, tree

__all__ = ["django_stub", "server", "tree"]  # fixtures shared with other modules


def png() -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return ImageFile(buffer, name="jiangzhang-caogao.png")


def test_the_embedded_server_refuses_originals_but_serves_renditions(server: FileServer, tree: Path) -> None:
    for rel in ("original_images/caogao.png", "images/caogao.max-800x600.png"):
        target = tree / "media" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG")
    assert call(server, "/media/original_images/caogao.png").status == 404
    assert call(server, "/media/images/caogao.max-800x600.png").status == 200


def test_nginx_config_refuses_originals(settings: Any, tmp_path: Path) -> None:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    layout.site_dir("kjt.localhost").mkdir(parents=True)  # a published site gets its file locations
    config = render_config([SiteEntry("kjt.localhost", True)], "8080", "http://127.0.0.1:9000")
    assert "location ^~ /media/original_images/ { return 404; }" in config


@pytest.mark.django_db
def test_django_does_not_serve_an_original_image(client: Client) -> None:
    image = get_image_model().objects.create(
        title="草稿配图", collection=Collection.objects.get(name="教育厅"), file=png()
    )
    assert image.file.name.startswith("original_images/")
    assert client.get("/media/" + image.file.name).status_code == 404
    rendition = image.get_rendition("max-800x600")
    assert client.get(rendition.url).status_code == 200


def test_published_pages_show_their_images_and_originals_stay_private(published_demo: PublishedDemo) -> None:
    media = published_demo.var_dir / "media"
    originals = sorted((media / "original_images").iterdir())
    assert originals  # the demo's images (微信二维码, 党政机关网站标识)
    with embedded_server(published_demo) as port:
        home = get(port, "/", "kjt.localhost")[2].decode()
        shown = sorted(set(re.findall(r'src="(/media/[^"]+)"', home)))
        assert shown and all(url.startswith("/media/images/") for url in shown)
        for url in shown:
            assert get(port, url, "kjt.localhost")[0] == 200, url
        for original in originals:
            assert get(port, f"/media/original_images/{original.name}", "kjt.localhost")[0] == 404


def test_media_other_than_raster_images_is_a_download_with_nosniff(server: FileServer, tree: Path) -> None:
    """等保 E9: an SVG, HTML or XML file under /media/ never runs as a page of the public host."""
    files = {
        "images/logo.max-200x200.png": b"\x89PNG",
        "images/tu.webp": b"RIFF",
        "files/xss.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        "files/xss.html": b"<script>alert(1)</script>",
        "files/xss.xml": b"<x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(1)</x:script>",
        "files/XSS.SVG": b"<svg/>",
        "files/noext": b"<script>alert(1)</script>",
    }
    for rel, body in files.items():
        target = tree / "media" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    for rel in files:
        result = call(server, f"/media/{rel}")
        assert result.status == 200, rel
        assert result.headers["x-content-type-options"] == "nosniff", rel
        inline = rel.startswith("images/")
        assert ("content-disposition" not in result.headers) == inline, rel
        if not inline:
            assert result.headers["content-disposition"] == "attachment", rel


def test_nginx_config_sends_non_image_media_as_downloads(settings: Any, tmp_path: Path) -> None:
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    layout.site_dir("kjt.localhost").mkdir(parents=True)
    config = render_config([SiteEntry("kjt.localhost", True)], "8080", "http://127.0.0.1:9000")
    assert 'map $uri $govsite_media_disposition {\n        "~*\\.(jpg|jpeg|png|gif|webp|avif)$" "";' in config
    media = config.split("location ^~ /media/ {", 1)[1].split("}", 1)[0]
    assert "add_header Content-Disposition $govsite_media_disposition always;" in media
    assert 'add_header X-Content-Type-Options "nosniff" always;' in media


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["a" * 300 + ".png", "\u200b" * 200, "images/" + "%E4%B8%AD" * 100])
def test_django_answers_a_media_name_the_file_system_refuses_with_404(client: Client, name: str) -> None:
    """Found by the hostile-input suite: a name too long for the file system was a 500 (ENAMETOOLONG)."""
    assert client.get("/media/" + name).status_code == 404
