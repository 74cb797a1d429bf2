"""The hostile-input corpus: tests/hostile/corpus/<family>.txt, one input per line.

Line syntax (docs/testing.md, "Hostile-input suite"): `#` starts a comment line, blank lines are skipped;
`\\xNN` is the byte NN, `\\uNNNN` / `\\UNNNNNNNN` a code point (a lone surrogate becomes its invalid
UTF-8 bytes), `\\n \\r \\t \\0 \\\\` as in Python; `@repeat N TEXT` is TEXT repeated N times. Each input is
kept as the bytes a client would send: most are UTF-8 text, some (invalid_utf8.txt) are not.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).with_name("corpus")
ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt0\\])")
SIMPLE = {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\x00", "\\": b"\\"}
# Markers every XSS input of the corpus carries in its active part: a rendered one names one of them.
ACTIVE_MARKERS = ("alert", "evil.example", "xss.rocks", "xss.js", "msgbox", "xss.css", "javascript:")


def unescape(line: str) -> bytes:
    """A corpus line as the bytes it stands for."""
    out, pos = bytearray(), 0
    for match in ESCAPE.finditer(line):
        if "\\" in line[pos : match.start()]:
            raise ValueError(f"unknown escape in corpus line: {line!r}")
        out += line[pos : match.start()].encode()
        code = match.group(1)
        if code[0] == "x":
            out.append(int(code[1:], 16))
        elif code[0] in "uU":
            out += chr(int(code[1:], 16)).encode("utf-8", "surrogatepass")
        else:
            out += SIMPLE[code]
        pos = match.end()
    if "\\" in line[pos:]:
        raise ValueError(f"unknown escape in corpus line: {line!r}")
    return bytes(out + line[pos:].encode())


@dataclass(frozen=True)
class Hostile:
    """One input: its family (the file's name), its bytes and, when they are UTF-8, its text."""

    family: str
    raw: bytes

    @property
    def text(self) -> str | None:
        try:
            return self.raw.decode("utf-8")
        except UnicodeDecodeError:
            return None

    @property
    def value(self) -> str | bytes:
        """What a form field or parameter is given: the text, or the bytes when they are not UTF-8."""
        text = self.text
        return self.raw if text is None else text

    @property
    def label(self) -> str:
        shown = repr(self.raw[:60])
        return f"{self.family}:{shown}{'…' if len(self.raw) > 60 else ''} ({len(self.raw)} bytes)"


def parse_line(family: str, line: str) -> Hostile | None:
    if not line or line.startswith("#"):
        return None
    if line.startswith("@repeat "):
        _, count, text = line.split(" ", 2)
        return Hostile(family, unescape(text) * int(count))
    return Hostile(family, unescape(line))


@functools.cache
def load() -> tuple[Hostile, ...]:
    """Every input of every family, in file order, each once."""
    seen: dict[bytes, Hostile] = {}
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = parse_line(path.stem, line)
            if item is not None and item.raw not in seen:
                seen[item.raw] = item
    return tuple(seen.values())


def families() -> dict[str, list[Hostile]]:
    by_family: dict[str, list[Hostile]] = {}
    for item in load():
        by_family.setdefault(item.family, []).append(item)
    return by_family


def sample(per_family: int, offset: int = 0) -> list[Hostile]:
    """`per_family` inputs of each family, chosen by `offset` so that different fields get different
    ones: over the fields of a route the whole family is covered in turn."""
    chosen: list[Hostile] = []
    for items in families().values():
        for i in range(min(per_family, len(items))):
            chosen.append(items[(offset * per_family + i) % len(items)])
    return chosen


def rotating(slot: int, every: int = 4) -> list[Hostile]:
    """One input of every `every`-th family for this slot (a route's parameter or a form's field), the
    families rotating from slot to slot: each family reaches every kind of route while the number of
    requests stays inside the suite's time budget (the dealt share already sends every input once)."""
    return sample(1, slot)[slot % every :: every]
