"""The article's 微信 QR code: written from segno's module rows by our own SVG writer (for speed),
it must stay the very markup segno writes for the same code."""

import pytest
import segno

from govsite.content.templatetags.content_tags import QR_MASK, qr_svg

ADDRESSES = [
    "http://kjt.localhost/xwzx/kjdt/202401/t20240105_37.html",
    "http://kjt.localhost/elder/zwgk/zcwj/202312/t20231231_123456.html",
    "https://www.example.gov.cn/" + "a" * 120 + ".html?x=1&y=2",  # a larger symbol version
]


@pytest.mark.parametrize("url", ADDRESSES)
def test_the_qr_code_is_segnos_own_svg(url: str) -> None:
    title = "用微信扫码<分享>&本页"
    expected = segno.make(url, error="m", mask=QR_MASK).svg_inline(
        scale=4, border=2, title=title, dark="#000", light="#fff"
    )
    assert str(qr_svg(url, title)) == expected.replace("<svg ", '<svg role="img" ', 1)
