"""The rules of the pre-publication checks (发布前检查): 错敏字, leader names, personal data, links,
accessibility.

Every check reads plain text or rich-text HTML and returns `Finding`s. Nothing here touches the
database: word rules, leaders and link targets are handed in, so the rules can be tested (and
reused) on their own; `services` loads them and stores the results.
"""

import http.client
import ipaddress
import os
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

BLOCKING = "blocking"
WARNING = "warning"
CONTEXT_CHARS = 12

# A link checker answers True (works), False (broken) or None (could not tell).
LinkChecker = Callable[[str], bool | None]
# An internal-link resolver is asked ("page" | "document" | "path", reference) and answers why the
# target is broken, or "" when it is fine.
InternalLinkProblem = Callable[[str, str], str]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    field: str
    field_label: str
    message: str
    match: str = ""
    context: str = ""
    suggestion: str = ""
    category: str = ""  # the word rule's category (涉台港澳, 常见错别字, …), for word findings

    @property
    def key(self) -> str:
        """Identifies the same problem across saves, so an override survives unrelated edits."""
        return f"{self.code}|{self.field}|{self.match}"[:400]

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    @property
    def severity_label(self) -> str:
        return "阻止发布" if self.blocking else "提醒"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class TextPart:
    """One piece of checked text and where it sits in the editor."""

    field: str
    label: str
    text: str


def excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return f"{'…' if start > CONTEXT_CHARS else ''}{before}【{text[start:end]}】{after}"


# --- personal data (G5 保密审查) ------------------------------------------------------------------
ID_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
BANK_CARD_RE = re.compile(r"(?<![0-9])(?:\d[ -]?){15,18}\d(?![0-9])")
# Issuer prefixes of cards used in China (银联 62/60, Visa 4, Mastercard 51-55, JCB 35): a Luhn
# digit alone would flag one in ten long numbers (文号, 统一社会信用代码 digits, statistics).
BANK_CARD_PREFIX_RE = re.compile(r"^(?:62|60|4|5[1-5]|35)")


def id_card_checksum_ok(number: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def check_personal_data(part: TextPart) -> list[Finding]:
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for m in ID_CARD_RE.finditer(part.text):
        if id_card_checksum_ok(m.group()):
            taken.append(m.span())
            findings.append(
                Finding(
                    "id_card", BLOCKING, part.field, part.label, "含有居民身份证号码（校验位正确）",
                    m.group(), excerpt(part.text, *m.span()), "删除或部分隐藏，如 1501**********1234。",
                )
            )  # fmt: skip
    for m in MOBILE_RE.finditer(part.text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        taken.append(m.span())
        findings.append(
            Finding(
                "mobile", BLOCKING, part.field, part.label, "含有手机号码",
                m.group(), excerpt(part.text, *m.span()), "个人手机号码应隐藏中间四位，或改用办公电话。",
            )
        )  # fmt: skip
    for m in BANK_CARD_RE.finditer(part.text):
        digits = re.sub(r"\D", "", m.group())
        if not 16 <= len(digits) <= 19 or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if BANK_CARD_PREFIX_RE.match(digits) and luhn_ok(digits):
            findings.append(
                Finding(
                    "bank_card", BLOCKING, part.field, part.label, "含有银行卡号（Luhn 校验正确）",
                    m.group(), excerpt(part.text, *m.span()), "删除银行卡号或只保留后四位。",
                )
            )  # fmt: skip
    return findings


# --- 错敏字: sensitive words and 规范表述 ----------------------------------------------------------
class WordMatcher:
    """Finds every occurrence of every rule's word in one pass over the text.

    With hundreds of rules, searching the text once per word is slow on long articles (585 rules,
    50,000 characters: ~140-230 ms). Instead the rules are indexed by their first two characters and
    one compiled pattern, a character class with a look-ahead class, jumps to the few places where a
    word may start; only the words with that two-character prefix are compared there (~17-30 ms; see
    docs/word-library.md). Overlapping words are all found: no rule hides another.
    """

    def __init__(self, rules: Iterable[Any]) -> None:
        self.pairs: dict[str, dict[str, list[Any]]] = {}
        self.singles: dict[str, list[Any]] = {}
        for rule in rules:
            word = rule.word
            if len(word) == 1:
                self.singles.setdefault(word, []).append(rule)
            elif word:
                self.pairs.setdefault(word[0], {}).setdefault(word[1], []).append(rule)
        seconds = {second for by_second in self.pairs.values() for second in by_second}
        branches = []
        if self.pairs:
            branches.append(f"[{_char_class(self.pairs)}](?=[{_char_class(seconds)}])")
        if self.singles:
            branches.append(f"[{_char_class(self.singles)}]")
        self.starts = re.compile("|".join(branches)) if branches else None

    def __len__(self) -> int:
        pairs = sum(len(rules) for by_second in self.pairs.values() for rules in by_second.values())
        return pairs + sum(len(rules) for rules in self.singles.values())

    def matches(self, text: str) -> Iterator[tuple[int, Any]]:
        """(position, rule) for each occurrence, in text order."""
        if self.starts is None:
            return
        pairs, singles = self.pairs, self.singles
        no_rules: dict[str, list[Any]] = {}
        for found in self.starts.finditer(text):
            start = found.start()
            first = text[start]
            if singles and first in singles:
                for rule in singles[first]:
                    yield start, rule
            for rule in pairs.get(first, no_rules).get(text[start + 1 : start + 2], ()):
                if text.startswith(rule.word, start):
                    yield start, rule


def _char_class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(chars))


def _inside_correct_form(text: str, start: int, rule: Any) -> bool:
    """A wrong expression that is part of its own correct form is not wrong (其它 in "其它")."""
    correct: str = rule.suggestion
    word: str = rule.word
    if not correct or word not in correct:
        return False
    offset = correct.find(word)
    return text[start - offset : start - offset + len(correct)] == correct


def check_words(part: TextPart, rules: "Iterable[Any] | WordMatcher") -> list[Finding]:
    """Findings for the word rules (or a `WordMatcher` built once for many parts) in `part`.

    A rule's category, if it has one (`category_label`), leads its message: "涉台港澳：…".
    """
    matcher = rules if isinstance(rules, WordMatcher) else WordMatcher(rules)
    findings = []
    for start, rule in matcher.matches(part.text):
        if _inside_correct_form(part.text, start, rule):
            continue
        correct = rule.suggestion
        if rule.kind == "wording":
            message = f"不规范表述“{rule.word}”"
            suggestion = f"应为“{correct}”" if correct else ""
        else:
            message = f"含有敏感词“{rule.word}”"
            suggestion = correct
        category = getattr(rule, "category_label", "")
        findings.append(
            Finding(
                rule.kind, rule.severity, part.field, part.label,
                f"{category}：{message}" if category else message,
                rule.word, excerpt(part.text, start, start + len(rule.word)), suggestion, category,
            )
        )  # fmt: skip
    return findings


# --- leaders' names and titles ---------------------------------------------------------------
COMMON_TITLES = (
    "党组书记", "党组副书记", "党委书记", "党委副书记", "书记", "副书记",
    "厅长", "副厅长", "局长", "副局长", "主任", "副主任", "部长", "副部长", "处长", "副处长",
    "主席", "副主席", "秘书长", "副秘书长", "巡视员", "副巡视员", "一级巡视员", "二级巡视员",
    "总工程师", "总经济师", "总师", "纪检监察组组长", "组长", "副组长", "院长", "副院长",
)  # fmt: skip


def _title_before(text: str, start: int, titles: list[str]) -> str:
    for title in titles:  # longest first: 副厅长 before 厅长
        if text[:start].endswith(title):
            return title
    return ""


def _title_after(text: str, end: int, titles: list[str]) -> str:
    for title in titles:
        if text.startswith(title, end):
            return title
    return ""


def check_leaders(part: TextPart, leaders: list[Any]) -> list[Finding]:
    """A leader named with a title they do not hold, or a title followed by a near-miss name."""
    if not leaders:
        return []
    known = sorted({*COMMON_TITLES, *(t for leader in leaders for t in leader.titles)}, key=len, reverse=True)
    text = part.text
    findings = []
    names = {leader.name for leader in leaders}
    for leader in leaders:
        own = set(leader.titles)
        start = text.find(leader.name)
        while start != -1:
            end = start + len(leader.name)
            title = _title_before(text, start, known) or _title_after(text, end, known)
            if title and title not in own:
                findings.append(
                    Finding(
                        "leader_title", BLOCKING, part.field, part.label,
                        f"领导职务可能有误：{leader.name}的职务是“{leader.title}”，文中为“{title}”",
                        f"{title}{leader.name}", excerpt(text, start, end),
                        f"应为“{leader.title}{leader.name}”",
                    )
                )  # fmt: skip
            start = text.find(leader.name, end)
        # A leader's title next to a name that differs from theirs by one character.
        size = len(leader.name)
        for title in leader.titles:
            pos = text.find(title)
            while pos != -1:
                candidates = [(pos + len(title), pos + len(title) + size), (pos - size, pos)]
                for s, e in candidates:
                    if s < 0 or e > len(text):
                        continue
                    candidate = text[s:e]
                    if candidate in names or not all("\u4e00" <= ch <= "\u9fff" for ch in candidate):
                        continue
                    if size >= 2 and sum(a != b for a, b in zip(candidate, leader.name, strict=True)) == 1:
                        findings.append(
                            Finding(
                                "leader_name", BLOCKING, part.field, part.label,
                                f"领导姓名可能有误：“{candidate}”，{leader.title}为“{leader.name}”",
                                candidate, excerpt(text, s, e), f"应为“{leader.name}”",
                            )
                        )  # fmt: skip
                pos = text.find(title, pos + len(title))
    return findings


# --- rich text: links, images, headings ------------------------------------------------------
class RichTextScan(HTMLParser):
    """Collect text, links, images and headings from Wagtail's stored rich text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[dict[str, Any]] = []
        self.images: list[dict[str, str]] = []
        self.headings: list[tuple[int, str]] = []
        self._link: dict[str, Any] | None = None
        self._heading: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._link = {**data, "text": ""}
        elif (tag == "embed" and data.get("embedtype") == "image") or tag == "img":
            self.images.append(data)
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag in {"p", "br", "li", "div", "tr"}:
            self.chunks.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        elif self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)
        if self._link is not None:
            self._link["text"] += data
        if self._heading is not None:
            self._heading[1] += data

    @property
    def text(self) -> str:
        return re.sub(r"\n+", "\n", "".join(self.chunks)).strip()


def scan_rich_text(html: str) -> RichTextScan:
    scan = RichTextScan()
    scan.feed(html or "")
    scan.close()
    return scan


def check_accessibility(scan: RichTextScan, field: str, label: str) -> list[Finding]:
    findings = []
    for image in scan.images:
        if not (image.get("alt") or "").strip():
            findings.append(
                Finding(
                    "img_alt", BLOCKING, field, label, "图片缺少替代文字（alt）",
                    f"图片 {image.get('id') or image.get('src', '')}", "",
                    "在正文中点击图片，填写“替代文字”。",
                )
            )  # fmt: skip
    for link in scan.links:
        if not link["text"].strip():
            target = link.get("href") or f"{link.get('linktype', '')} {link.get('id', '')}"
            findings.append(
                Finding(
                    "empty_link", BLOCKING, field, label, "链接没有文字", target, "", "为链接填写说明文字。"
                )
            )
    level = 1  # the page title is the h1
    for heading_level, heading_text in scan.headings:
        if heading_level > level + 1:
            findings.append(
                Finding(
                    "heading_skip", WARNING, field, label,
                    f"标题层级跳跃：h{level} 之后直接出现 h{heading_level}", heading_text[:40], "",
                    f"改为 h{level + 1}，或补上中间层级。",
                )
            )  # fmt: skip
        level = heading_level
    return findings


# --- external links, without server-side request forgery ----------------------------------------
# Checking a link makes the server send a request to an address an editor typed: without care that
# reaches the intranet (http://10.0.0.5/, http://localhost:8080/admin/, a cloud metadata address), or
# a public name that resolves to one, or a public page that redirects there.
LINK_CHECK_MAX_REDIRECTS = 5
LINK_CHECK_DEADLINE = 10.0  # seconds for all hops of one link together
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64): it is where it leads.

    (Teredo, 2001::/32, is not globally routable as such and is refused by the plain check.)
    """
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only globally routable unicast addresses may be checked: no private, loopback, link-local,
    multicast, reserved, unspecified or shared (CGNAT) address, in either family."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def vetted_address(host: str, port: int) -> str | None:
    """Resolve `host` and return an address to connect to, or None if any of its addresses is not public.

    Every resolved address is checked (a name with one public and one internal address is refused),
    and the caller connects to the returned address itself, so the name cannot resolve elsewhere
    between this check and the connection (DNS rebinding).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    addresses = []
    for info in infos:
        try:
            addresses.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            return None
    if not addresses or not all(is_public_address(address) for address in addresses):
        return None
    return str(addresses[0])


def pinned_connection(
    scheme: str, host: str, port: int, address: str, timeout: float
) -> http.client.HTTPConnection:
    """An HTTP(S) connection to `host` that connects to the vetted `address` only.

    The Host header, TLS SNI and certificate check still use the name; only the socket is pinned.
    """
    connection: http.client.HTTPConnection
    if scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect_to_vetted(
        _address: tuple[str, int], timeout: float = timeout, source_address: Any = None
    ) -> socket.socket:
        return socket.create_connection((address, port), timeout)

    connection._create_connection = connect_to_vetted  # type: ignore[attr-defined]
    return connection


def http_head_checker(url: str, timeout: float = 5.0) -> bool | None:
    """Production link checker: a HEAD request, 4xx/5xx means broken, None when it cannot tell.

    Only public addresses are contacted (see `vetted_address`); redirects are followed on the same
    host only, each hop vetted again, at most LINK_CHECK_MAX_REDIRECTS of them and all within
    LINK_CHECK_DEADLINE seconds. A link to an internal address or one that redirects to another
    host is reported as "cannot tell", never fetched.
    """
    deadline = time.monotonic() + LINK_CHECK_DEADLINE
    first = urlsplit(url)
    origin = (first.hostname or "").lower()
    for _hop in range(LINK_CHECK_MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host or host != origin:
            return None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        address = vetted_address(host, port)
        if address is None:
            return None
        connection = pinned_connection(parts.scheme, host, port, address, min(timeout, remaining))
        target = parts.path or "/"
        if parts.query:
            target += f"?{parts.query}"
        try:
            connection.request("HEAD", target, headers={"User-Agent": "govsite-linkcheck"})
            response = connection.getresponse()
            status, location = response.status, response.getheader("Location")
        except (OSError, http.client.HTTPException, ValueError):
            return False
        finally:
            connection.close()
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        if status in (403, 405, 501):
            return None  # servers that refuse HEAD or robots: cannot tell
        return status < 400
    return None  # too many redirects: cannot tell


def default_link_checker() -> LinkChecker | None:
    """External links are checked only when GOVSITE_CHECK_EXTERNAL_LINKS=1 (never in tests)."""
    if os.environ.get("GOVSITE_CHECK_EXTERNAL_LINKS") == "1":
        return http_head_checker
    return None


def check_links(
    scan: RichTextScan,
    field: str,
    label: str,
    hosts: set[str],
    internal_problem: InternalLinkProblem,
    link_checker: LinkChecker | None,
) -> list[Finding]:
    """Broken internal links block publication; unreachable external links are a warning.

    `hosts` are the site's own host names (links to them are internal); `internal_problem` says
    what is wrong with an internal target, `link_checker` (if any) probes external addresses.
    """
    findings = []
    for link in scan.links:
        text = link["text"].strip()[:40]
        linktype, href = link.get("linktype"), link.get("href", "")
        broken_message = ""
        if linktype in ("page", "document"):
            broken_message = internal_problem(linktype, str(link.get("id") or "0"))
        elif href:
            parts = urlsplit(href)
            if parts.scheme in ("", "http", "https") and (not parts.netloc or parts.hostname in hosts):
                if href.startswith(("#", "mailto:", "tel:")):
                    continue
                broken_message = internal_problem("path", parts.path or "/")
            elif parts.scheme in ("http", "https") and link_checker is not None:
                result = link_checker(href)
                if result is False:
                    findings.append(
                        Finding(
                            "external_link", WARNING, field, label, "外部链接无法访问",
                            href, text, "确认网址是否正确，或删除该链接。",
                        )
                    )  # fmt: skip
        if broken_message:
            findings.append(
                Finding(
                    "internal_link", BLOCKING, field, label, broken_message,
                    href or f"{linktype}:{link.get('id')}", text, "重新选择链接目标，或删除该链接。",
                )
            )  # fmt: skip
    return findings
