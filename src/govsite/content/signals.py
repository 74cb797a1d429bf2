"""Signals the content app sends about a page's lifecycle states (撤稿, 文件效力).

Each is sent with `instance` (the page). The page stays live throughout, so Wagtail's
page_published/page_unpublished are not sent: the static publisher and the search index listen here.
"""

from django.dispatch import Signal

# 撤稿 applied (or its settings changed): lists, feeds, sitemaps and search drop the page.
page_withdrawn = Signal()
# 撤稿 lifted: the page is listed and found again.
page_restored = Signal()
# 文件效力 changed: the page (its banner) must be rendered again.
page_validity_changed = Signal()
# The page's place in lists changed without a publication (its 置顶 ended): lists must be rendered again.
page_list_order_changed = Signal()
# Some addresses below a routable page changed without the page being published again (a 留言 answered
# on a 留言选登 board): sent with `instance` (the page) and `subpaths` (relative to the page's address).
page_subpaths_changed = Signal()
