"""Uploads are allowed by content (等保 E9): the first bytes must be what the extension says."""

import pytest

from govsite.core.filetypes import OLE2, content_matches

PDF = b"%PDF-1.7\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"
DOCX = b"PK\x03\x04\x14\x00"


@pytest.mark.parametrize(
    ("extension", "head"),
    [
        ("pdf", PDF),
        (".PDF", PDF),
        ("png", PNG),
        ("jpg", b"\xff\xd8\xff\xe0"),
        ("gif", b"GIF89a"),
        ("webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
        ("docx", DOCX),
        ("xlsx", DOCX),
        ("ofd", DOCX),
        ("doc", OLE2),
        ("et", OLE2),
        ("zip", b"PK\x05\x06"),
        ("txt", "关于印发《管理办法》的通知\n".encode()),
        ("txt", "关于印发的通知".encode("gb18030")),
        ("txt", "通知".encode()[:-1]),  # a character cut by the head's end
    ],
)
def test_real_files_pass(extension: str, head: bytes) -> None:
    assert content_matches(extension, head)


@pytest.mark.parametrize(
    ("extension", "head"),
    [
        ("pdf", b"<html><script>alert(1)</script></html>"),
        ("pdf", b"  %PDF-"),
        ("png", PDF),
        ("jpg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("docx", OLE2),
        ("doc", DOCX),
        ("xls", b"<table><tr><td>1</td></tr></table>"),
        ("txt", b"<!DOCTYPE html><html><script>alert(1)</script>"),
        ("txt", b"\xef\xbb\xbf<svg onload=alert(1)>"),
        ("txt", b"<?xml version='1.0'?><x/>"),
        ("txt", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("txt", b"\xff\xfe\xfd\xfc" * 8),
        ("svg", b"<svg/>"),
        ("html", b"<html>"),
        ("exe", b"MZ"),
        ("", PDF),
    ],
)
def test_files_that_are_not_what_their_name_says_are_refused(extension: str, head: bytes) -> None:
    assert not content_matches(extension, head)
