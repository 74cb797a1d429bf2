"""Generate large demo sites (`govsite demo --articles N`) for benchmarks and tests.

Wagtail's `add_child` plus a revision per page manages about 100-200 articles a second, so a
100,000-article platform would take hours. The generator creates the few sites and columns the
normal way, then writes the articles with bulk inserts: it computes the treebeard materialised
paths itself, `bulk_create`s the base `Page` rows and inserts the `ArticlePage` rows with one
`executemany` per batch, then each page's revision by `bulk_create`. The result is a tree Wagtail
cannot tell apart from one built by hand: correct paths, depths and `numchild`, live pages with
their `url_path`, and each page's revision as its latest and live revision (as
`save_revision().publish()` leaves it: history, compare and revert work in the admin).

Article number i always gets the same title, body and date for a given seed (and number of
sites), whether it was created in one run or in a later top-up run.
"""

import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_serializable_data_for_fields,
)
from wagtail.models import Locale, Page, Revision, Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.publishing.publisher import suspended

from .builder import BuildReport, DemoBuilder
from .data import sample_text
from .data import wordlists as words
from .data.cluster import ORGANISATION_GROUPS

GENERATED_HOST = "gen{n}.localhost"
GENERATED_HOST_RE = re.compile(r"^gen(\d+)\.localhost$")
GENERATED_SLUG_RE = re.compile(r"^g(\d+)$")
# Departments that already have a hand-built demo site are not generated again.
HAND_BUILT_DEPARTMENTS = {"科学技术厅", "教育厅"}
PROVINCE = "内蒙古自治区"
BATCH_SIZE = 2000
# Publication dates are spread over these years (fixed, so output never depends on today).
FIRST_DAY = datetime(2015, 1, 1)
DAYS = (datetime(2025, 12, 31) - FIRST_DAY).days + 1

# The treebeard settings the path arithmetic below relies on.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
if (Page.steplen, Page.alphabet) != (STEPLEN, ALPHABET):
    raise ImproperlyConfigured(
        "The treebeard settings of Page changed: the generator's path arithmetic is wrong."
    )


def encode_step(number: int) -> str:
    """The 4-character base-36 path segment of a node's `number`-th child (1-based)."""
    if not 0 < number < len(ALPHABET) ** STEPLEN:
        raise ValueError(f"child number {number} does not fit in a treebeard path step")
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def department_names() -> list[str]:
    """Departments from the registry that get generated sites, in registry order."""
    return [
        name
        for _, members in ORGANISATION_GROUPS
        for name, _ in members
        if name not in HAND_BUILT_DEPARTMENTS
    ]


# --- text ----------------------------------------------------------------------------------------
@dataclass
class ArticleText:
    title: str
    source: str
    pub_date: datetime
    author: str
    responsible_editor: str
    summary: str
    keywords: str
    body: str
    translation_key: uuid.UUID


class Slots(dict[str, str]):
    """Template slots ({city}, {tech} …), each drawn from its word list the first time it is used."""

    CHOICES: dict[str, list[str]] = {
        "city": words.CITIES,
        "topic": words.TOPICS,
        "tech": words.TECH_TERMS,
        "tech2": words.TECH_TERMS,
        "industry": words.INDUSTRIES,
        "company": words.COMPANIES,
        "institution": words.INSTITUTIONS,
        "national": words.NATIONAL_AGENCIES,
        "media": words.MEDIA,
        "role": words.ROLES,
        "meeting": words.MEETINGS,
        "verb": words.VERBS,
        "achievement": words.ACHIEVEMENTS,
        "item": words.SERVICE_ITEMS,
        "stat": words.STATISTICS,
    }

    def __init__(self, rng: random.Random, **fixed: Any) -> None:
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in self.CHOICES:
            value = rng.choice(self.CHOICES[key])
        elif key == "county":  # a county of the article's city, never one elsewhere
            value = rng.choice(words.COUNTIES[self["city"]])
        elif key == "num":
            value = f"{rng.uniform(1.5, 980):.1f}" if rng.random() < 0.5 else str(rng.randint(2, 3000))
        elif key == "pct":
            value = f"{rng.uniform(0.8, 36):.1f}"
        elif key == "num2":
            value = str(rng.randint(3, 40))
        elif key == "num3":
            value = str(rng.randint(20, 5000))
        elif key == "num4":
            value = str(rng.randint(1, 20))
        elif key == "quarter":
            value = str(rng.randint(1, 4))
        elif key == "phone":
            value = str(rng.randint(6000000, 6999999))
        elif key == "name":
            value = person_name(rng)
        else:
            raise KeyError(key)
        self[key] = value
        return value

    def fresh(self, keep: tuple[str, ...]) -> "Slots":
        """New slots for the next sentence: the article's subject stays, numbers are drawn anew."""
        return Slots(self.rng, **{key: self[key] for key in keep if key in self})


SUBJECT_SLOTS = ("agency", "city", "topic", "tech", "company", "item", "year", "month", "day", "industry")


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(words.GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(words.SURNAMES) + given


class TextGenerator:
    """Realistic Chinese article text from templates and word lists, deterministic per seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def rng(self, index: int) -> random.Random:
        """The random stream of article `index`'s text."""
        return random.Random((self.seed * 1_000_003 + index) * 2)

    def placement_rng(self, index: int) -> random.Random:
        """A separate stream for the site and column, so the text does not depend on them."""
        return random.Random((self.seed * 1_000_003 + index) * 2 + 1)

    def pub_date(self, rng: random.Random) -> datetime:
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        return day.replace(hour=rng.randint(8, 18), minute=rng.randrange(60), tzinfo=self.tz)

    def article(
        self, index: int, department: str, kind: str, rng: random.Random | None = None
    ) -> ArticleText:
        """The text of generated article number `index` of `department`, in a column of `kind`."""
        rng = rng or self.rng(index)
        pub = self.pub_date(rng)
        agency = PROVINCE + department
        slots = Slots(
            rng,
            agency="自治区" + department,
            year=str(pub.year),
            year2=str(pub.year + 2),
            month=str(pub.month),
            day=str(pub.day),
        )
        title = rng.choice(words.TITLE_TEMPLATES[kind]).format_map(slots)
        if kind == "service":
            paragraphs = [s.format_map(slots.fresh(SUBJECT_SLOTS)) for s in words.SERVICE_SENTENCES]
            summary = f"{slots['item']}的办理条件、申请材料、办理时限和办理地点。"
        else:
            opening = rng.choice(words.OPENINGS).format_map(slots)
            paragraphs = [opening]
            for _ in range(rng.randint(3, 6)):
                sentences = rng.sample(words.SENTENCES, rng.randint(2, 4))
                paragraphs.append("".join(s.format_map(slots.fresh(SUBJECT_SLOTS)) for s in sentences))
            paragraphs.append(rng.choice(words.CLOSINGS).format_map(slots))
            summary = opening
        paragraphs.append(sample_text.SAMPLE_NOTE)
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        keywords = ",".join(dict.fromkeys(slots[k] for k in ("topic", "tech", "city") if k in slots))
        if kind == "media":
            source = slots["media"] if "media" in slots else rng.choice(words.MEDIA)
        elif kind == "local":
            city = slots["city"]
            source = f"{city}{'行政公署' if city.endswith('盟') else '人民政府'}"
        else:
            source = agency
        author = person_name(rng) if kind in {"news", "media", "local"} else ""
        return ArticleText(
            title=title,
            source=source,
            pub_date=pub,
            author=author,
            responsible_editor=person_name(rng),
            summary=summary,
            keywords=keywords,
            body=body,
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
        )


# --- sites and columns -----------------------------------------------------------------------------
@dataclass
class LeafColumn:
    """A column that receives articles, with the state needed to compute its children's paths."""

    page: ColumnPage
    kind: str
    weight: int
    next_step: int
    added: int = 0

    def child_path(self) -> str:
        path = self.page.path + encode_step(self.next_step)
        self.next_step += 1
        self.added += 1
        return path


@dataclass
class SitePlan:
    site: Site
    department: str
    columns: list[LeafColumn]
    cum_weights: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        total = 0
        for column in self.columns:
            total += column.weight
            self.cum_weights.append(total)


@dataclass
class GenerateReport:
    sites_created: list[str] = field(default_factory=list)
    columns_created: int = 0
    articles_before: int = 0
    articles_created: int = 0
    seconds: float = 0.0
    insert_seconds: float = 0.0
    insert_cpu_seconds: float = 0.0  # this process only: meaningful on a busy machine too

    @property
    def rate(self) -> float:
        """Articles a second while inserting (site and column set-up not counted)."""
        return self.articles_created / self.insert_seconds if self.insert_seconds else 0.0


def next_child_step(page: Page) -> int:
    last = page.get_last_child()
    return int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1


def build_columns(
    builder: DemoBuilder, parent: Page, specs: list[words.ColumnSpec], out: list[LeafColumn]
) -> None:
    for slug, title, column_type, show_on_home, weight, kind, children in specs:
        column = builder.column(parent, slug, title, column_type, show_on_home=show_on_home)
        if children:
            build_columns(builder, column, children, out)
        else:
            out.append(LeafColumn(column, kind, weight, next_child_step(column)))


@transaction.atomic
def ensure_site(number: int, department: str, port: int, report: GenerateReport) -> SitePlan:
    """Create (or find) generated site `number` with its column tree; idempotent like the demo."""
    build = BuildReport()
    builder = DemoBuilder(port, build)
    full_name = PROVINCE + department
    site = builder.department(GENERATED_HOST.format(n=number), full_name, department, default=False).site
    home = site.root_page.specific
    columns: list[LeafColumn] = []
    build_columns(builder, home, words.COLUMN_TREE, columns)
    builder.profile(
        site,
        site_name=full_name,
        organiser=f"{full_name}（示例）",
        address="（示例地址）",
        phone="（示例电话）",
        parent_portal_name="内蒙古自治区人民政府网站",
        parent_portal_url="https://www.nmg.gov.cn/",
    )
    if any(item.startswith("站点") for item in build.created):
        report.sites_created.append(f"{full_name}（{site.root_url}）")
    report.columns_created += sum(1 for item in build.created if item.startswith("栏目"))
    return SitePlan(site, department, columns)


def generated_homes() -> list[Page]:
    sites = Site.objects.filter(hostname__regex=r"^gen[0-9]+\.localhost$").select_related("root_page")
    return [site.root_page for site in sites]


def existing_articles() -> tuple[int, int]:
    """(number of articles in generated sites, the next free article number)."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    count, last = 0, -1
    for home in generated_homes():
        slugs = Page.objects.filter(path__startswith=home.path, content_type=content_type).values_list(
            "slug", flat=True
        )
        for slug in slugs.iterator(chunk_size=10_000):
            count += 1
            match = GENERATED_SLUG_RE.match(slug)
            if match:
                last = max(last, int(match[1]))
    return count, last + 1


# --- bulk insertion ----------------------------------------------------------------------------
class ArticleWriter:
    """Insert generated articles in batches: base Page rows by bulk_create, ArticlePage rows raw."""

    def __init__(self) -> None:
        self.content_type_id = ContentType.objects.get_for_model(ArticlePage).pk
        self.locale_id = Locale.get_default().pk
        meta = ArticlePage._meta
        self.fields = list(meta.local_concrete_fields)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Names from the model's metadata, quoted; the values go in as parameters.
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.base_content_type_id = ContentType.objects.get_for_model(Page).pk
        # A new page has no children (attachments, comments …): what its revision content lists.
        relations = [rel.get_accessor_name() for rel in get_all_child_relations(ArticlePage)]
        relations += [f.name for f in get_all_child_m2m_relations(ArticlePage) if f.serialize]
        self.empty_relations: dict[str, list[Any]] = {name: [] for name in relations}

    def write(self, batch: list[tuple[LeafColumn, int, ArticleText]]) -> None:
        pages = []
        for column, index, text in batch:
            parent = column.page
            slug = f"g{index}"
            pages.append(
                Page(
                    path=column.child_path(),
                    depth=parent.depth + 1,
                    numchild=0,
                    translation_key=text.translation_key,
                    locale_id=self.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=text.pub_date,
                    last_published_at=text.pub_date,
                    latest_revision_created_at=text.pub_date,
                    title=text.title,
                    draft_title=text.title,
                    slug=slug,
                    content_type_id=self.content_type_id,
                    url_path=f"{parent.url_path}{slug}/",
                    show_in_menus=False,
                    seo_title="",
                    search_description="",
                )
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages)
            rows = []
            for page, (_, _, text) in zip(pages, batch, strict=True):
                values = {
                    "page_ptr_id": page.pk,
                    "source": text.source,
                    "pub_date": text.pub_date,
                    "author": text.author,
                    "responsible_editor": text.responsible_editor,
                    "summary": text.summary,
                    "keywords": text.keywords,
                    "body": text.body,
                }
                # Fields the generator does not fill (置顶, 标题图片 …) take their defaults.
                prep = [(f, values.get(f.attname, f.get_default())) for f in self.fields]
                rows.append([f.get_db_prep_save(value, connection) for f, value in prep])
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)
            self.write_revisions(pages, batch)
            added: dict[int, int] = {}
            for column, _, _ in batch:
                added[column.page.pk] = added.get(column.page.pk, 0) + 1
            for pk, count in added.items():
                Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)

    def write_revisions(self, pages: list[Page], batch: list[tuple[LeafColumn, int, ArticleText]]) -> None:
        """Give each new page the revision `save_revision().publish()` would have left: its content as
        Wagtail serialises it, made its latest and live revision (history, compare, revert work)."""
        revisions = []
        for page, (_, _, text) in zip(pages, batch, strict=True):
            article = ArticlePage(
                **{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields},
                page_ptr_id=page.pk,
                source=text.source,
                pub_date=text.pub_date,
                author=text.author,
                responsible_editor=text.responsible_editor,
                summary=text.summary,
                keywords=text.keywords,
                body=text.body,
            )
            content = get_serializable_data_for_fields(article) | self.empty_relations
            revisions.append(
                Revision(
                    content_type_id=self.content_type_id,
                    base_content_type_id=self.base_content_type_id,
                    object_id=str(page.pk),
                    created_at=text.pub_date,
                    object_str=text.title,
                    content=content,
                )
            )
        Revision.objects.bulk_create(revisions)
        rows = [(revision.pk, revision.pk, page.pk) for page, revision in zip(pages, revisions, strict=True)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Names from the model's metadata, quoted; the values go in as parameters.
            cursor.executemany(
                f"UPDATE {quote(Page._meta.db_table)} SET {quote('latest_revision_id')} = %s, "  # noqa: S608
                f"{quote('live_revision_id')} = %s WHERE {quote('id')} = %s",
                rows,
            )


def plan_articles(
    plans: list[SitePlan], text: TextGenerator, first: int, count: int
) -> Iterator[tuple[LeafColumn, int, ArticleText]]:
    """Article numbers first … first+count-1, each with its site, column and text."""
    for index in range(first, first + count):
        place = text.placement_rng(index)
        plan = plans[place.randrange(len(plans))]
        column = place.choices(plan.columns, cum_weights=plan.cum_weights)[0]
        yield column, index, text.article(index, plan.department, column.kind)


def generate(
    articles: int,
    sites: int = 5,
    seed: int = 1,
    port: int = 8000,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int, float], None] | None = None,
) -> GenerateReport:
    """Make sure generated sites 1…`sites` exist and hold `articles` articles in total.

    Articles already in generated sites count: a second run with the same N creates nothing, a
    larger N tops up. `progress(done, total, seconds)` is called after every batch. Static
    publishing waits, as for the demo: run `govsite publish` afterwards.
    """
    with suspended(), large_cache():
        return _generate(articles, sites, seed, port, batch_size, progress)


@contextmanager
def large_cache() -> Iterator[None]:
    """Give SQLite a 256 MB page cache while inserting: the default 2 MB turns every index
    insertion into disk reads once the database outgrows it (≈600 instead of ≈2,000 articles/s)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _generate(
    articles: int,
    sites: int,
    seed: int,
    port: int,
    batch_size: int,
    progress: Callable[[int, int, float], None] | None,
) -> GenerateReport:
    names = department_names()
    if not 1 <= sites <= len(names):
        raise ValueError(f"--sites 须在 1 到 {len(names)} 之间（登记的部门数）")
    started = time.perf_counter()
    report = GenerateReport()
    plans = [ensure_site(n, names[n - 1], port, report) for n in range(1, sites + 1)]
    report.articles_before, first = existing_articles()
    todo = max(0, articles - report.articles_before)
    writer = ArticleWriter()
    text = TextGenerator(seed)
    insert_started = time.perf_counter()
    cpu_started = time.process_time()
    batch: list[tuple[LeafColumn, int, ArticleText]] = []
    for item in plan_articles(plans, text, first, todo):
        batch.append(item)
        if len(batch) >= batch_size:
            writer.write(batch)
            report.articles_created += len(batch)
            batch = []
            if progress:
                progress(report.articles_created, todo, time.perf_counter() - insert_started)
    if batch:
        writer.write(batch)
        report.articles_created += len(batch)
        if progress:
            progress(report.articles_created, todo, time.perf_counter() - insert_started)
    report.insert_seconds = time.perf_counter() - insert_started
    report.insert_cpu_seconds = time.process_time() - cpu_started
    report.seconds = time.perf_counter() - started
    return report
