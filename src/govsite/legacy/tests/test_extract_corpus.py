"""The test corpus: saved pages of the legacy families (规范 meta-tagged, TRS, Hanweb, hand-made) and bad
pages, each with its expected result next to it (`<name>.json`), extracted exactly."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from govsite.legacy.extract import ExtractedPage, Rejected, extract_page

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(CORPUS.glob("*/*.json"))


def as_json(page: ExtractedPage) -> dict[str, Any]:
    """The extracted page as its expected JSON is written (dates in ISO form, tuples as lists)."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    data = plain(dataclasses.asdict(page))
    data.pop("url")
    return data


def test_corpus_covers_the_families() -> None:
    families = {case.parent.name for case in CASES}
    assert {"meta", "trs", "hanweb", "plain", "bad"} <= families
    for family in ("meta", "trs", "hanweb"):
        assert len([case for case in CASES if case.parent.name == family]) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.stem}")
def test_page_is_extracted_exactly(case: Path) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    result = extract_page(case.with_suffix(".html").read_bytes(), expected["url"])
    if "rejected" in expected:
        assert result == Rejected(expected["url"], expected["rejected"])
        return
    assert isinstance(result, ExtractedPage), result
    assert result.url == expected["url"]
    assert as_json(result) == expected["expected"]
