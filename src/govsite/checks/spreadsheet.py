"""The 错敏词库 as an Excel workbook: export a site's rules, import a .xlsx with Chinese headers.

An import is all or nothing: every row is validated first and any problem (reported with its row
number, in Chinese) leaves the library unchanged. Rows name the site they belong to in 站点 (as the
export writes it); rows of another site or of the platform list are skipped, so an exported file
can be edited and imported back.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from wagtail.models import Site

from govsite.content.extract import archive_problem

from .models import Severity, WordCategory, WordRule

PLATFORM_LABEL = "全平台"
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Column title in the workbook -> field; the first title of each field is the one exports write.
HEADERS = {
    "站点": "site",
    "分类": "category",
    "类型": "kind",
    "词语或错误表述": "word",
    "建议或正确表述": "suggestion",
    "处理方式": "severity",
    "词语": "word",
    "错误表述": "word",
    "建议": "suggestion",
    "正确表述": "suggestion",
}
EXPORT_HEADERS = ["站点", "分类", "类型", "词语或错误表述", "建议或正确表述", "处理方式"]
CHOICES: dict[str, Any] = {"category": WordCategory, "kind": WordRule.Kind, "severity": Severity}
FIELD_NAMES = {"category": "分类", "kind": "类型", "severity": "处理方式"}
DEFAULTS = {"category": "", "kind": WordRule.Kind.SENSITIVE, "severity": Severity.BLOCKING}
MAX_LENGTHS = {"word": 100, "suggestion": 200}


class ImportRejected(Exception):
    """The file cannot be imported; `errors` say why (row by row where it is about rows)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: list[int] = field(default_factory=list)  # row numbers of other sites' rows


def site_label(site: Site | None) -> str:
    return site.hostname if site is not None else PLATFORM_LABEL


def export_rules(rules: Iterable[WordRule]) -> bytes:
    """The rules as a workbook with the same Chinese columns an import reads."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错敏词库"
    sheet.append(EXPORT_HEADERS)
    for rule in rules:
        sheet.append(
            [
                site_label(rule.site),
                rule.category_label,
                rule.get_kind_display(),
                rule.word,
                rule.suggestion,
                rule.get_severity_display(),
            ]
        )
    for column, width in zip("ABCDEF", (18, 16, 10, 24, 40, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read_sheet(data: bytes) -> list[tuple[Any, ...]]:
    """The first sheet's rows (at most MAX_ROWS + 1), or ImportRejected for a file that is not one."""
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ImportRejected([f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。"])
    problem = archive_problem(data)
    if problem:
        raise ImportRejected([f"无法导入：{problem}。"])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise ImportRejected(["无法读取文件：请上传 Excel 工作簿（.xlsx）。"]) from exc
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportRejected([f"词条超过 {MAX_ROWS} 行，请拆分后分批导入。"])
        return rows
    except ImportRejected:
        raise
    except Exception as exc:
        raise ImportRejected(["无法读取文件：工作簿内容已损坏。"]) from exc
    finally:
        workbook.close()


def _columns(header: tuple[Any, ...]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = HEADERS.get(str(title or "").strip())
        if name and name not in columns:
            columns[name] = index
    if "word" not in columns:
        optional = "站点、分类、类型、建议或正确表述、处理方式"
        raise ImportRejected([f"第 1 行须为表头，且包含“词语或错误表述”列（可选列：{optional}）。"])
    return columns


def _choice(name: str, value: str) -> str:
    """A choice given by its Chinese label (or its stored value); ValueError names the valid ones."""
    choices = CHOICES[name]
    for value_, label in choices.choices:
        if value in (value_, label):
            return str(value_)
    valid = "、".join(str(label) for _, label in choices.choices)
    raise ValueError(f"{FIELD_NAMES[name]}“{value}”无效，应为：{valid}")


def _belongs(value: str, site: Site | None) -> bool:
    if not value:
        return True
    if site is None:
        return value == PLATFORM_LABEL
    return value in (site.hostname, site.site_name)


def parse_rows(data: bytes, site: Site | None) -> tuple[dict[tuple[str, str], dict[str, str]], list[int]]:
    """Validated rules of `site` keyed by (kind, word), and the rows skipped as another site's."""
    rows = _read_sheet(data)
    if not rows:
        raise ImportRejected(["文件是空的。"])
    columns = _columns(rows[0])
    errors: list[str] = []
    rules: dict[tuple[str, str], dict[str, str]] = {}
    seen: dict[tuple[str, str], int] = {}
    skipped: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        values = {
            name: str(row[index]).strip() if index < len(row) and row[index] is not None else ""
            for name, index in columns.items()
        }
        if not any(values.values()):
            continue  # blank line
        if not _belongs(values.get("site", ""), site):
            skipped.append(number)
            continue
        problems, rule = _validate(values)
        if not problems:
            key = (rule["kind"], rule["word"])
            if key in seen:
                problems.append(f"与第 {seen[key]} 行重复")
            seen.setdefault(key, number)
            rules[key] = rule
        errors += [f"第 {number} 行：{problem}" for problem in problems]
    if errors:
        raise ImportRejected(errors)
    if not rules:
        raise ImportRejected(["文件中没有可导入的词条。"])
    return rules, skipped


def _validate(values: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    problems = []
    rule = {"word": values["word"], "suggestion": values.get("suggestion", "")}
    if not rule["word"]:
        problems.append("“词语或错误表述”不能为空")
    for name, limit in MAX_LENGTHS.items():
        if len(rule[name]) > limit:
            problems.append(f"{'词语' if name == 'word' else '建议'}超过 {limit} 字")
    for name, default in DEFAULTS.items():
        value = values.get(name, "")
        try:
            rule[name] = _choice(name, value) if value else str(default)
        except ValueError as exc:
            problems.append(str(exc))
    return problems, rule


@transaction.atomic
def import_rules(data: bytes, site: Site | None) -> ImportResult:
    """Add or update `site`'s rules (the platform list when None) from a workbook; all or nothing."""
    rules, skipped = parse_rows(data, site)
    result = ImportResult(skipped=skipped)
    scope = (
        WordRule.objects.filter(site=site) if site is not None else WordRule.objects.filter(site__isnull=True)
    )
    existing = {(rule.kind, rule.word): rule for rule in scope.filter(word__in=[w for _, w in rules])}
    for key, values in rules.items():
        rule = existing.get(key)
        if rule is None:
            WordRule.objects.create(site=site, **values)
            result.created += 1
        else:
            for name in ("category", "suggestion", "severity"):
                setattr(rule, name, values[name])
            rule.save()
            result.updated += 1
    return result
