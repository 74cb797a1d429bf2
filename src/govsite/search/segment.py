"""Chinese-aware segmentation, shared by indexing and querying on every database.

Wagtail's database backends index a run of Han characters as one token, so a word inside a
sentence is never found (engineering anchors §5.4). Here every text is turned into
space-separated tokens *in Python*, so SQLite FTS5 and PostgreSQL see the same tokens:

- each Han run gives its overlapping bigrams in order ("示范区" → "示范 范区"), which find any
  substring of two or more characters, including names no dictionary knows (张江, 罗家立); the
  run's last character is added as a unigram so that one-character queries (prefix "税*") reach
  the end of a run too;
- jieba's search mode adds the dictionary words of three or more characters (集成电路, 示范区)
  after the bigrams, so whole-word hits score higher;
- Latin letters and digits give lower-cased tokens; "TD-LTE" gives "td lte" at adjacent
  positions, so the query "TD-LTE" is a phrase.

A query becomes a tree of quoted tokens (never raw user text), rendered by each backend.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN_RUN_RE = re.compile(f"[{HAN}]+")
# A run of letters/digits (any script); Han characters are split out of it afterwards.
WORD_RE = re.compile(r"[^\W_]+")
SUBRUN_RE = re.compile(f"([{HAN}]+)|([^{HAN}]+)")
# Letters/digits joined by these (no space) form one term: TD-LTE, 3.5, 5G-A, GB/T.
JOINERS = "-./·_+"
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
MAX_TOKEN_LEN = 40
# PostgreSQL keeps positions up to 16,383: each field is capped below that, on every backend.
MAX_FIELD_TOKENS = 16000
MIN_JIEBA_WORD = 3


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, no control characters."""
    return CONTROL_RE.sub(" ", unicodedata.normalize("NFKC", text or "")).lower()


def warm_up() -> None:
    """Load jieba's dictionary now (≈1 s) rather than in the first search."""
    jieba.initialize()
    jieba_words("科技创新")


@lru_cache(maxsize=4096)
def _jieba_words(run: str) -> tuple[str, ...]:
    return tuple(w for w in jieba.cut_for_search(run, HMM=False) if len(w) >= MIN_JIEBA_WORD)


def jieba_words(run: str) -> tuple[str, ...]:
    """Dictionary words of 3+ characters in a Han run (cached for the short runs queries have)."""
    if len(run) < MIN_JIEBA_WORD:
        return ()
    if len(run) <= 12:
        return _jieba_words(run)
    return tuple(w for w in jieba.cut_for_search(run, HMM=False) if len(w) >= MIN_JIEBA_WORD)


def han_tokens(run: str) -> list[str]:
    """Index tokens of one Han run: bigrams in order, the last character, then jieba words."""
    if len(run) == 1:
        return [run]
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    tokens.append(run[-1])
    tokens.extend(jieba_words(run))
    return tokens


def index_tokens(text: str, limit: int = MAX_FIELD_TOKENS) -> list[str]:
    """The tokens of one field, in order (positions matter for phrases)."""
    tokens: list[str] = []
    for match in WORD_RE.finditer(normalize(text)):
        for han, other in SUBRUN_RE.findall(match.group()):
            if han:
                tokens.extend(han_tokens(han))
            elif len(other) <= MAX_TOKEN_LEN:
                tokens.append(other)
        if len(tokens) >= limit:
            return tokens[:limit]
    return tokens


def index_text(text: str, limit: int = MAX_FIELD_TOKENS) -> str:
    return " ".join(index_tokens(text, limit))


# --- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    """Tokens that must appear at adjacent positions (one token: a plain term)."""

    tokens: tuple[str, ...]
    prefix: bool = False  # the last token is a prefix (one-character Han queries)


@dataclass(frozen=True)
class Unit:
    """One thing the reader typed: a document matches if any alternative matches."""

    text: str
    alternatives: tuple[Phrase, ...]


@dataclass
class ParsedQuery:
    """The normalized query and its units; all units must match (AND)."""

    text: str
    units: list[Unit] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """What to highlight in snippets: the units as typed (normalized)."""
        return [unit.text for unit in self.units]

    def __bool__(self) -> bool:
        return bool(self.units)


MAX_UNITS = 8


def _han_unit(run: str) -> Unit:
    if len(run) == 1:
        return Unit(run, (Phrase((run,), prefix=True),))
    bigrams = tuple(run[i : i + 2] for i in range(len(run) - 1))
    alternatives = [Phrase(bigrams)]
    if len(run) >= MIN_JIEBA_WORD and run in jieba_words(run):
        alternatives.append(Phrase((run,)))  # the dictionary word itself ranks whole-word hits first
    return Unit(run, tuple(alternatives))


def parse_query(raw: str) -> ParsedQuery:
    """Turn what the reader typed into units of quoted tokens; syntax characters are dropped."""
    text = " ".join(normalize(raw).split())
    units: list[Unit] = []
    seen: set[str] = set()

    def add(unit: Unit) -> None:
        if unit.text not in seen and len(units) < MAX_UNITS:
            seen.add(unit.text)
            units.append(unit)

    latin: list[str] = []
    latin_text = ""
    last_end = -1
    for match in WORD_RE.finditer(text):
        gap = text[last_end : match.start()] if last_end >= 0 else " "
        joined = last_end >= 0 and gap and all(ch in JOINERS for ch in gap)
        for index, (han, other) in enumerate(SUBRUN_RE.findall(match.group())):
            if other and len(other) <= MAX_TOKEN_LEN:
                if latin and (index > 0 or not joined):
                    add(Unit(latin_text, (Phrase(tuple(latin)),)))
                    latin, latin_text = [], ""
                latin_text += (gap if latin and index == 0 else "") + other
                latin.append(other)
            elif han:
                if latin:
                    add(Unit(latin_text, (Phrase(tuple(latin)),)))
                    latin, latin_text = [], ""
                add(_han_unit(han))
        last_end = match.end()
    if latin:
        add(Unit(latin_text, (Phrase(tuple(latin)),)))
    return ParsedQuery(text=text, units=units)


def highlight_terms(query: ParsedQuery) -> list[str]:
    """Strings to mark in snippets, longest first so overlapping terms mark the longer one."""
    return sorted({t for t in query.terms if t}, key=len, reverse=True)
