"""索引号 allocation: once per catalogue item, at its first publication, from the site's per-year
sequence (govsite.sites.sequences: its row is locked while the next number is taken, so concurrent
publishers never get the same one).

The number is kept in `IndexNumber`, outside the page's revisions, so no later revision, republication,
change of the site's pattern or of the article's date can alter it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from govsite.sites.sequences import next_value

from .catalogue import open_gov_column
from .models import INDEX_SEQUENCE, IndexNumber, OpenGovSettings, format_index_number


def allocate_index_number(page: Page) -> IndexNumber | None:
    """The page's 索引号, allocated now if it is a live catalogue item without one; None otherwise."""
    existing = IndexNumber.objects.filter(page_id=page.pk).first()
    if existing is not None or not page.live:
        return existing
    if open_gov_column(page) is None:
        return None
    site = page.get_site()
    if site is None:
        return None
    specific = page.specific_deferred
    when = getattr(specific, "pub_date", None) or page.first_published_at or timezone.now()
    year = timezone.localtime(when).year
    settings = OpenGovSettings.for_site(site)
    try:
        with transaction.atomic():
            seq = next_value(site, INDEX_SEQUENCE, year)
            value = format_index_number(settings.index_pattern, settings.credit_code, year, seq)
            return IndexNumber.objects.create(page=page, site=site, year=year, seq=seq, value=value)
    except IntegrityError:
        # Another publisher numbered this page at the same moment: its number stands (ours rolled back).
        return IndexNumber.objects.filter(page_id=page.pk).first()
