"""Old body HTML as the project's body blocks."""

from govsite.legacy.bodies import Linked, body_blocks


def test_tables_become_table_blocks_and_unknown_tags_are_unwrapped() -> None:
    blocks = body_blocks(
        '<p><span style="x">第一段</span><font>文字</font></p>'
        "<table><tr><th>项目</th><th>数量</th></tr><tr><td>企业</td><td>12</td></tr></table><h1>标题</h1>",
        {},
    )
    assert [b["type"] for b in blocks] == ["rich_text", "table", "rich_text"]
    assert blocks[0]["value"] == "<p>第一段文字</p>"
    assert blocks[1]["value"]["data"] == [["项目", "数量"], ["企业", "12"]]
    assert blocks[1]["value"]["first_row_is_table_header"] is True
    assert blocks[2]["value"] == "<h2>标题</h2>"


def test_links_to_downloaded_files_become_document_links_and_images_image_blocks() -> None:
    assets = {"http://old/a.pdf": Linked(False, 7), "http://old/w.png": Linked(True, 9)}
    blocks = body_blocks(
        '<p>见<a href="http://old/a.pdf">附件</a>和<a href="http://other/x">外链</a>'
        '<a href="javascript:alert(1)">脚本</a></p><p><img src="http://old/w.png" alt="现场"></p>',
        assets,
    )
    assert blocks[0]["value"] == (
        '<p>见<a linktype="document" id="7">附件</a>和<a href="http://other/x">外链</a>脚本</p>'
    )
    assert blocks[1]["type"] == "image" and blocks[1]["value"] == {"image": 9, "alt": "现场", "caption": ""}
