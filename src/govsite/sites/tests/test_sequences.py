"""The shared per-site, per-year sequence (受理编号, 索引号) and the migrations that moved the two
apps' own counters into it."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from govsite.disclosure.models import CASE_NUMBER_SEQUENCE, allocate_number
from govsite.interaction.models import MESSAGE_NUMBER_SEQUENCE
from govsite.opengov.models import INDEX_SEQUENCE
from govsite.sites.models import SiteSequence
from govsite.sites.sequences import next_value
from govsite.testing import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]


def sites() -> tuple[Site, Site]:
    return Site.objects.get(hostname="kjt.localhost"), Site.objects.get(hostname="jyt.localhost")


def test_each_site_name_and_year_counts_on_its_own():
    kjt, jyt = sites()
    assert [next_value(kjt, "test", 2031) for _ in range(3)] == [1, 2, 3]
    assert next_value(kjt, "test", 2032) == 1
    assert next_value(kjt, "other", 2031) == 1
    assert next_value(jyt, "test", 2031) == 1
    assert SiteSequence.objects.get(site=kjt, name="test", year=2031).value == 3


class OldCounters:
    """The historical counter model of a migration, as `apps.get_model` returns it (rows only)."""

    def __init__(self, rows: list[SimpleNamespace]) -> None:
        self.objects = SimpleNamespace(all=lambda: rows)


@pytest.mark.parametrize(
    "module, model, sequence",
    [
        (
            "govsite.disclosure.migrations.0003_case_numbers_in_site_sequence",
            "CaseCounter",
            CASE_NUMBER_SEQUENCE,
        ),
        ("govsite.opengov.migrations.0003_index_numbers_in_site_sequence", "IndexCounter", INDEX_SEQUENCE),
        (
            "govsite.interaction.migrations.0002_message_numbers_in_site_sequence",
            "MessageCounter",
            MESSAGE_NUMBER_SEQUENCE,
        ),
    ],
)
def test_the_migrations_carry_each_counters_last_value(module, model, sequence):
    kjt, jyt = sites()
    rows = [
        SimpleNamespace(site_id=kjt.pk, year=2030, last=41),
        SimpleNamespace(site_id=jyt.pk, year=2030, last=7),
    ]
    historical = SimpleNamespace(
        get_model=lambda app, name: OldCounters(rows) if name == model else current_apps.get_model(app, name)
    )
    importlib.import_module(module).Migration.operations[0].code(historical, None)
    assert next_value(kjt, sequence, 2030) == 42
    assert next_value(jyt, sequence, 2030) == 8


def test_case_numbers_continue_from_the_carried_value():
    kjt, _ = sites()
    SiteSequence.objects.create(site=kjt, name=CASE_NUMBER_SEQUENCE, year=2030, value=41)
    assert allocate_number(kjt, 2030) == "YSQ-2030-000042"


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_callers_get_distinct_case_numbers():
    """Eight threads, each with its own connection, take 受理编号 at once (索引号: opengov's own test).

    Self-contained: a transactional test may run after another one has emptied the database."""
    site = Site.objects.order_by("pk").first()
    if site is None:  # emptied by an earlier transactional test
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        site = Site.objects.create(hostname="sequence.test", root_page=Page.add_root(title="根", slug="root"))
    numbers: list[str] = []

    def take(_n: int) -> None:
        with transaction.atomic():
            numbers.append(allocate_number(site, 2031))

    assert at_once(take, range(8)) == []
    assert sorted(numbers) == [f"YSQ-2031-{n:06d}" for n in range(1, 9)]
