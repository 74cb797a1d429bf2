"""The starter 错敏词库: several hundred platform-wide rules built from public norms.

The list is `data/starter_words.csv` (one rule a line: category, kind, word, suggestion, severity,
source key); docs/word-library.md names the document behind each source key. `govsite
load_starter_words` (run by `govsite demo`) adds the rules that are missing and never changes a rule
an administrator has edited, so it is safe to run again after the list grows.
"""

import csv
import io
from dataclasses import dataclass
from importlib import resources

from django.db import transaction
from django.db.models.signals import post_save

from .models import Severity, WordCategory, WordRule

STARTER_FILE = "starter_words.csv"


@dataclass(frozen=True)
class StarterWord:
    category: str
    kind: str
    word: str
    suggestion: str
    severity: str
    source: str


def starter_words() -> list[StarterWord]:
    """The shipped list, checked against the model's choices (a bad line is a packaging error)."""
    text = resources.files("govsite.checks.data").joinpath(STARTER_FILE).read_text(encoding="utf-8")
    words = [StarterWord(**row) for row in csv.DictReader(io.StringIO(text))]
    for entry in words:
        if (
            entry.category not in WordCategory.values
            or entry.kind not in WordRule.Kind.values
            or entry.severity not in Severity.values
            or not entry.word
            or not entry.suggestion
        ):
            raise ValueError(f"starter_words.csv: bad line for {entry.word!r}")
    return words


@transaction.atomic
def load_starter_words() -> int:
    """Add the starter rules missing from the platform-wide list; return how many were added.

    A platform rule that already exists keeps its suggestion and severity; it only gets the
    category when it has none (rules created before categories existed).
    """
    existing = {(rule.kind, rule.word): rule for rule in WordRule.objects.filter(site__isnull=True)}
    new = []
    for entry in starter_words():
        rule = existing.get((entry.kind, entry.word))
        if rule is None:
            new.append(
                WordRule(
                    site=None,
                    category=entry.category,
                    kind=entry.kind,
                    word=entry.word,
                    suggestion=entry.suggestion,
                    severity=entry.severity,
                )
            )
        elif not rule.category:
            rule.category = entry.category
            rule.save(update_fields=["category", "updated_at"])
    WordRule.objects.bulk_create(new)
    if new:
        # bulk_create sends no post_save: send one, so whatever is derived from the word list (the
        # search page's hot words) is recomputed as after any other change to it.
        post_save.send(
            sender=WordRule, instance=new[-1], created=True, update_fields=None, raw=False, using="default"
        )
    return len(new)
