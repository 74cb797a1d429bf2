"""The column mapping file: proposed from the old pages, edited by the operator, used by the import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from govsite.content.models import ArticlePage
from govsite.legacy.columns import MappingError, read_mapping

from .helpers import OLD_HOST, command, standard_corpus


def test_the_longest_prefix_wins_and_an_empty_target_is_deliberately_unmapped() -> None:
    mapping = read_mapping("# 注释\n/xwzx/ = kjdt/\nxwzx/gzdt = kjdt/gzdt/  # 12 篇\nxwzx/tpxw/ =\n")
    assert mapping.target(f"http://{OLD_HOST}/xwzx/gzdt/201905/t20190506_1.html") == (
        "xwzx/gzdt/",
        "kjdt/gzdt/",
    )
    assert mapping.target(f"http://{OLD_HOST}/xwzx/ldhd/a.html") == ("xwzx/", "kjdt/")
    assert mapping.target(f"http://{OLD_HOST}/xwzx/tpxw/a.html") == ("xwzx/tpxw/", None)
    assert mapping.target(f"http://{OLD_HOST}/zwgk/tzgg/a.html") == ("zwgk/tzgg/", "zwgk/tzgg/")


def test_a_line_without_an_equals_sign_names_its_line() -> None:
    with pytest.raises(MappingError, match="第 2 行"):
        read_mapping("a/ = b/\nxwzx/gzdt/ kjdt/gzdt/\n")


@pytest.mark.django_db
def test_proposed_mapping_is_edited_and_used(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path / "mirror")
    mapping = tmp_path / "mapping.txt"
    out = command(str(root), "--site", "kjt.localhost", "--propose-mapping", "--mapping", str(mapping))
    assert "已根据 2 篇文章生成栏目映射建议" in out
    lines = [line for line in mapping.read_text().splitlines() if not line.startswith("#")]
    assert any(line.startswith("kjdt/gzdt/ = kjdt/gzdt/") and "# 1 篇" in line for line in lines)
    assert any(line.startswith("xwzx/gzdt/ =") and line.split("#")[0].strip().endswith("=") for line in lines)
    assert not ArticlePage.objects.filter(title="旧栏目里的一篇稿件").exists()  # proposing imports nothing
    with pytest.raises(CommandError, match="已存在"):
        command(str(root), "--site", "kjt.localhost", "--propose-mapping", "--mapping", str(mapping))

    mapping.write_text(mapping.read_text().replace("xwzx/gzdt/ =", "xwzx/gzdt/ = kjdt/mtjj/"))
    out = command(str(root), "--site", "kjt.localhost", "--mapping", str(mapping))
    assert "新导入 2 篇" in out and "未映射栏目 0 页" in out
    assert ArticlePage.objects.get(title="旧栏目里的一篇稿件").get_parent().slug == "mtjj"
