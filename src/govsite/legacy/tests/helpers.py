"""A small legacy site saved as a `wget --mirror` tree, made in a test's tmp_path: pages with the
standard meta tags (ArticleTitle, PubDate, ContentSource) that any extractor reads the same way."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from PIL import Image as PILImage

from govsite.legacy.columns import ColumnMapping
from govsite.legacy.importer import Importer, Report
from govsite.legacy.sources import DirectorySource

OLD_HOST = "www.old-kjt.gov.cn"
TRS_PATH = "kjdt/gzdt/202301/t20230105_98765401.html"
OTHER_PATH = "xwzx/gzdt/art_12_345.html"  # a Hanweb-style address: redirected


def article_html(
    title: str,
    when: str = "2023-01-05 10:00",
    source: str = "内蒙古自治区科学技术厅",
    body: str = "<p>自治区科技厅召开会议，部署今年的重点工作任务。</p>",
    encoding: str = "utf-8",
) -> bytes:
    page = f"""<!DOCTYPE html>
<html><head><meta charset="{encoding}"><title>{title}_旧网站</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{when}">
<meta name="ContentSource" content="{source}">
</head><body><div class="header">旧网站导航</div>
<h1>{title}</h1><div class="info">发布时间：{when} 来源：{source}</div>
<div class="content">{body}</div><div class="footer">版权所有</div></body></html>"""
    return page.encode(encoding)


def png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


LIST_PAGE = (
    "<html><head><title>工作动态</title></head><body><ul><li>一</li><li>二</li></ul></body></html>".encode()
)


def mirror(root: Path, pages: dict[str, bytes]) -> Path:
    """Write `pages` (path below the old host → bytes) as wget saves them; the mirror's root."""
    for path, data in pages.items():
        target = root / OLD_HOST / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def standard_corpus(root: Path) -> Path:
    """A TRS-addressed article with an image and an attachment, an article at a non-TRS address, and a
    list page (not an article)."""
    body = (
        "<p>科技厅召开2023年工作会议，总结去年工作，部署今年任务。</p>"
        f'<p><img src="http://{OLD_HOST}/kjdt/gzdt/202301/W0.png" alt="会议现场"></p>'
        f'<p>附件：<a href="http://{OLD_HOST}/kjdt/gzdt/202301/P0.pdf">会议通知.pdf</a></p>'
    )
    return mirror(
        root,
        {
            TRS_PATH: article_html("科技厅召开2023年工作会议", body=body),
            "kjdt/gzdt/202301/W0.png": png(),
            "kjdt/gzdt/202301/P0.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            OTHER_PATH: article_html(
                "旧栏目里的一篇稿件",
                "2019-05-06 09:30",
                body="<p>旧栏目中的正文，介绍盟市科技工作的进展情况。</p>",
            ),
            "kjdt/gzdt/index.html": LIST_PAGE,
        },
    )


def run(root: Path, mapping: ColumnMapping | None = None, **options: Any) -> Report:
    from wagtail.models import Site

    site = Site.objects.get(hostname="kjt.localhost")
    return Importer(site, DirectorySource(root), mapping or ColumnMapping(), **options).execute()


def command(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()
