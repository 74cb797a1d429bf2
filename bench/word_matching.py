"""Word-check benchmark: the 错敏词库's starter list on a long article, old search per word vs WordMatcher.

    .venv/bin/python bench/word_matching.py [--chars 50000] [--repeat 10]

No database: the starter rules are built in memory from src/govsite/checks/data/starter_words.csv
and the text is the demo's seed article repeated. Prints the best and median of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def per_word(rules: list[Any], text: str) -> int:
    """What check_words did before WordMatcher: one str.find loop per rule."""
    found = 0
    for rule in rules:
        start = text.find(rule.word)
        while start != -1:
            found += 1
            start = text.find(rule.word, start + len(rule.word))
    return found


def timed(label: str, run: Callable[[], object], repeat: int) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"{label:<44} best {times[0] * 1000:7.1f} ms   median {times[len(times) // 2] * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
    import django

    django.setup()
    from govsite.checks.models import WordRule
    from govsite.checks.rules import TextPart, WordMatcher, check_words
    from govsite.checks.starter import starter_words

    rules = [WordRule(**{k: v for k, v in vars(w).items() if k != "source"}) for w in starter_words()]
    seed = (ROOT / "src/govsite/demo/data/seed_article.txt").read_text(encoding="utf-8")
    text = (seed * (args.chars // len(seed) + 1))[: args.chars]
    part = TextPart("body", "正文", text)
    matcher = WordMatcher(rules)
    print(f"{len(rules)} rules, {len(text):,} characters, {len(check_words(part, matcher))} findings")
    timed("str.find loop per word (before)", lambda: per_word(rules, text), args.repeat)
    timed("building WordMatcher", lambda: WordMatcher(rules), args.repeat)
    timed("check_words with WordMatcher", lambda: check_words(part, matcher), args.repeat)


if __name__ == "__main__":
    main()
