"""Tell listeners when a page is withdrawn or restored."""

from django.dispatch import Signal

# Sent with `instance` (the page) when 撤稿 is applied or lifted. The page stays live, so
# page_published/page_unpublished are not sent: the static publisher must re-render on these.
page_withdrawn = Signal()
page_restored = Signal()
