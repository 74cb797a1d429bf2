"""RSS 2.0 feed of a column's newest articles."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class StableRssFeed(Rss201rev2Feed):
    """lastBuildDate from the content, never "now": an unchanged column gives identical bytes."""

    def latest_post_date(self) -> datetime:
        if self.items:
            return super().latest_post_date()
        return self.feed["column_published_at"]


class ColumnFeed(Feed):
    feed_type = StableRssFeed

    def feed_extra_kwargs(self, column: Any) -> dict[str, Any]:
        return {"column_published_at": column.last_published_at or column.latest_revision_created_at}

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return kwargs["column"]

    def title(self, column: Any) -> str:
        site = column.get_site()
        return f"{column.title} - {site.site_name if site else ''}".rstrip(" -")

    def link(self, column: Any) -> str:
        return column.get_full_url(self.request)

    def description(self, column: Any) -> str:
        return column.description

    def items(self, column: Any) -> Any:
        return column.front_items(FEED_LENGTH)  # pinned first, as every list (visibility.in_list_order)

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        return item.summary or f"来源：{item.source}"

    def item_link(self, item: Any) -> str:
        return item.external_url or item.get_full_url(self.request)  # 外链稿: the external source

    def item_pubdate(self, item: Any) -> datetime:
        return item.pub_date
