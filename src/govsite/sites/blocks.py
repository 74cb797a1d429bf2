"""StreamField blocks for site-wide navigation that editors maintain per site."""

from wagtail import blocks


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="名称", max_length=60)
    url = blocks.URLBlock(label="网址", required=False, help_text="留空则只显示名称，不生成链接。")

    class Meta:
        icon = "link"
        label = "链接"


class LinkGroupBlock(blocks.StructBlock):
    """A footer group such as 各省科技厅网: a heading (optionally a link) with a list of links."""

    title = blocks.CharBlock(label="分组名称", max_length=60)
    url = blocks.URLBlock(label="分组网址", required=False)
    links = blocks.ListBlock(LinkBlock(), label="链接", default=[])

    class Meta:
        icon = "list-ul"
        label = "链接分组"


class FooterLinksBlock(blocks.StreamBlock):
    group = LinkGroupBlock()


class TopLinksBlock(blocks.StreamBlock):
    link = LinkBlock()
