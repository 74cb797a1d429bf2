"""Generate N searchable articles fast (bulk SQL, no publish signals) for the search benchmarks.

Sentences come from the demo's real Chinese text; every article also gets a generated personal
name, a company name and sometimes a Latin/digit term, so queries range from very common words to
names that occur in a handful of articles.
"""

from __future__ import annotations

import random
import re
import uuid
from importlib import resources

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.demo.data import sample_text as text

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "国华建明文军平志伟东海强晓光林春永新德宏家立云芳玉秀英慧敏静丽桂兰淑珍"
PLACES = [
    "呼和浩特",
    "包头",
    "鄂尔多斯",
    "赤峰",
    "通辽",
    "呼伦贝尔",
    "巴彦淖尔",
    "乌兰察布",
    "锡林郭勒",
    "阿拉善",
]
TRADES = ["稀土", "光伏", "风电", "乳业", "草业", "氢能", "煤化工", "生物医药", "数据中心", "新材料"]
LATIN = ["TD-LTE", "5G", "GB/T 2260", "ISO9001", "AI", "IPv6", "NB-IoT", "北斗3号", "C919"]
STEP_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def corpus_sentences() -> list[str]:
    raw = resources.files("govsite.demo.data").joinpath("seed_article.txt").read_text(encoding="utf-8")
    raw += "".join(text.SAMPLE_PARAGRAPHS)
    return [s.strip() + "。" for s in re.split(r"[。！？\n]", raw) if len(s.strip()) >= 8]


def titles() -> list[str]:
    pool: list[str] = []
    for name in ("NEWS_TITLES", "LOCAL_NEWS_TITLES", "NOTICE_TITLES", "POLICY_TITLES", "EDU_NEWS_TITLES"):
        pool += list(getattr(text, name, []))
    return pool


def encode_step(n: int, width: int = 4) -> str:
    out = ""
    for _ in range(width):
        n, r = divmod(n, 36)
        out = STEP_CHARS[r] + out
    return out


class Generator:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.sentences = corpus_sentences()
        self.titles = titles()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def company(self) -> str:
        rng = self.rng
        return f"{rng.choice(PLACES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司"

    def article(self) -> dict[str, str]:
        rng = self.rng
        body = rng.sample(self.sentences, k=min(len(self.sentences), rng.randint(6, 10)))
        extra = f"{self.name()}一行赴{self.company()}调研{rng.choice(TRADES)}产业发展情况"
        if rng.random() < 0.2:
            extra += f"，了解{rng.choice(LATIN)}技术应用"
        body.insert(rng.randrange(len(body) + 1), extra + "。")
        title = rng.choice(self.titles)
        if rng.random() < 0.5:
            title = f"{rng.choice(PLACES)}{title}"
        return {
            "title": title,
            "summary": body[0][:60],
            "body": "".join(f"<p>{s}</p>" for s in body),
            "source": rng.choice(["内蒙古自治区科学技术厅", "科技日报", "内蒙古日报", "盟市科技局"]),
        }


@transaction.atomic
def generate(n: int, columns: int = 10, seed: int = 2026) -> int:
    """Add n live articles under `columns` new 栏目 of the default site. Returns articles created."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    locale = Locale.get_default()
    article_ct = ContentType.objects.get_for_model(ArticlePage)
    gen = Generator(seed)
    now = timezone.now()
    per_column = -(-n // columns)
    created = 0
    child_fields = list(ArticlePage._meta.local_concrete_fields)
    columns_sql = ", ".join(connection.ops.quote_name(f.column) for f in child_fields)
    placeholders = ", ".join(["%s"] * len(child_fields))
    insert_child = f"INSERT INTO {ArticlePage._meta.db_table} ({columns_sql}) VALUES ({placeholders})"
    for c in range(columns):
        slug = f"bench{c + 1}"
        column = home.get_children().filter(slug=slug).first()
        if column is None:
            column = home.add_child(
                instance=ColumnPage(
                    title=f"基准栏目{c + 1}",
                    slug=slug,
                    column_type="工作动态",
                    description="基准测试栏目",
                    keywords="基准",
                    live=True,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        column = Page.objects.get(pk=column.pk)
        start = column.numchild
        count = min(per_column, n - created)
        pages = []
        rows = []
        for i in range(count):
            data = gen.article()
            pub = now - timezone.timedelta(minutes=gen.rng.randint(0, 60 * 24 * 365 * 5))
            pages.append(
                Page(
                    title=data["title"],
                    draft_title=data["title"],
                    slug=f"a{start + i + 1}",
                    content_type=article_ct,
                    path=column.path + encode_step(start + i + 1),
                    depth=column.depth + 1,
                    numchild=0,
                    url_path=f"{column.url_path}a{start + i + 1}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=pub,
                    last_published_at=pub,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
            rows.append((data, pub))
        for offset in range(0, len(pages), 2000):
            Page.objects.bulk_create(pages[offset : offset + 2000])
        ids = dict(
            Page.objects.filter(path__startswith=column.path, depth=column.depth + 1).values_list(
                "path", "pk"
            )
        )
        values = []
        for page, (data, pub) in zip(pages, rows, strict=True):
            article = ArticlePage(
                page_ptr_id=ids[page.path],
                source=data["source"],
                pub_date=pub,
                author="",
                responsible_editor="",
                summary=data["summary"],
                keywords="",
                body=data["body"],
            )
            values.append([f.get_db_prep_save(getattr(article, f.attname), connection) for f in child_fields])
        with connection.cursor() as cursor:
            cursor.executemany(insert_child, values)
        Page.objects.filter(pk=column.pk).update(numchild=start + count)
        created += count
    return created
