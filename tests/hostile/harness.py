"""What the hostile-input tests share: the tally they report, raw requests, the forms of a page, the checks.

A response passes when it is not a 5xx and nothing of an input came back as markup: the input's text
(also without its control characters) does not appear unescaped in an HTML answer, and no element of
the answer carries an event handler or a script URL in an attribute a browser acts on, nor a script
element that names one of the corpus's active markers (corpus.ACTIVE_MARKERS).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_from_bytes

import lxml.html
from lxml import etree

from .corpus import ACTIVE_MARKERS, Hostile

if TYPE_CHECKING:
    from django.test import Client

    from govsite.testing import ClientResponse


@dataclass
class Tally:
    """What the suite tried: printed at the end of the pytest run (conftest.pytest_terminal_summary)."""

    inputs: set[bytes] = field(default_factory=set)
    requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    routes: set[str] = field(default_factory=set)

    def line(self) -> str:
        return (
            f"hostile-input suite: {len(self.inputs)} inputs, {self.requests} requests, "
            f"{len(self.routes)} routes, {self.seconds:.1f} s ({self.cpu_seconds:.1f} s CPU)"
        )


TALLY = Tally()


class timed:
    """Adds the block's duration to the tally."""

    def __enter__(self) -> None:
        self.start, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        TALLY.seconds += time.perf_counter() - self.start
        TALLY.cpu_seconds += time.process_time() - self.cpu


def encode(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode()
    return quote_from_bytes(raw, safe="")


def urlencoded(pairs: Iterable[tuple[str, str | bytes]]) -> str:
    """A query string or form body with the values' exact bytes (invalid UTF-8 stays invalid)."""
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


# --- The forms of a page -------------------------------------------------------------------------
@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, file, hidden, password, email, …
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, FormField] = field(default_factory=dict)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            multipart = a.get("enctype", "") == "multipart/form-data"
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), multipart))
            return
        if not self.forms or "name" not in a:
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            current = fields.setdefault(a["name"], FormField(a["name"], kind))
            if kind in ("radio", "checkbox"):
                current.options.append(a.get("value", "on"))
        elif tag == "textarea":
            fields.setdefault(a["name"], FormField(a["name"], "textarea"))
        elif tag == "select":
            self._select = fields.setdefault(a["name"], FormField(a["name"], "select"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def post_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


# --- Checks --------------------------------------------------------------------------------------
# Attributes whose value a browser loads or follows as a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "background", "poster", "dynsrc", "lowsrc"}
    | {"xlink:href", "codebase", "ping", "archive", "manifest"}
)
SCRIPT_URL = re.compile(r"^(javascript|vbscript|livescript|mocha|data:text/html|data:image/svg)", re.I)
REFRESH_URL = re.compile(r"url=\s*(javascript|data|vbscript|//|https?://evil)", re.I)
FOREIGN_URL = re.compile(r"^([a-z]+:)?//[^/?#]*(evil\.example|xss\.rocks)", re.IGNORECASE)
ACTIVE_STYLE = re.compile(r"expression\(|javascript:|-moz-binding|behavior:|evil\.example|xss\.rocks", re.I)
CONTROLS = re.compile(r"[\x00-\x20\x7f]+")
# What HTML escaping changes (Django's escape(): & < > " '); a backtick is no delimiter in HTML5.
MARKUP_CHARS = re.compile(r"[<>\"']")


@dataclass
class ActiveMarkup:
    """What a browser would run or load in a page: event handlers, script and foreign URLs, scripts."""

    handlers: set[tuple[str, str]] = field(default_factory=set)
    findings: set[str] = field(default_factory=set)

    def element(self, tag: str, attrs: Iterable[tuple[str, str]], text: str) -> None:
        if tag == "script" and any(m in text.lower() for m in ACTIVE_MARKERS):
            self.findings.add(f"<script>{text[:80]!r}")
        for name, value in attrs:
            flat = CONTROLS.sub("", value)
            if name.startswith("on"):
                self.handlers.add((tag, name))
            elif name == "srcdoc" or (
                name in URL_ATTRIBUTES and (SCRIPT_URL.match(flat) or FOREIGN_URL.match(flat))
            ):
                self.findings.add(f"<{tag} {name}={value[:80]!r}>")
            elif name == "style" and ACTIVE_STYLE.search(flat):
                self.findings.add(f"<{tag} style={value[:80]!r}>")
            elif name == "content" and REFRESH_URL.search(flat):
                self.findings.add(f"<{tag} content={value[:80]!r}>")


def active_markup(html: str) -> ActiveMarkup:
    """The page parsed as a browser would (libxml2's HTML parser, through lxml: fast enough to look at
    every answer)."""
    found = ActiveMarkup()
    if not html.strip():
        return found
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return found
    for element in root.iter():
        if isinstance(element.tag, str):
            text = (element.text or "") if element.tag == "script" else ""
            attrs = ((str(k).lower(), str(v)) for k, v in element.attrib.items())
            found.element(element.tag.lower(), attrs, text)
    return found


def is_html(response: ClientResponse | Any) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")


def _needles(item: Hostile) -> list[str]:
    """The forms of an input whose unescaped appearance would be markup: as sent, and as a form
    field that drops control characters and surrounding space keeps it."""
    text = item.text
    if text is None or not MARKUP_CHARS.search(text):
        return []
    variants = {text, CONTROLS.sub("", text), text.strip()}
    return [v for v in variants if len(v) >= 4 and MARKUP_CHARS.search(v)]


@dataclass
class Baseline:
    """A page as it is without hostile input: the markup and handlers that are its own."""

    body: str
    handlers: set[tuple[str, str]]
    findings: set[str]

    @classmethod
    def of(cls, response: ClientResponse | Any) -> Baseline:
        body = response.content.decode("utf-8", "replace")
        found = active_markup(body)
        return cls(body, found.handlers, found.findings)


def check(
    response: ClientResponse | Any, items: Sequence[Hostile], where: str, baseline: Baseline | None = None
) -> None:
    """No 5xx, and none of `items` shown as markup (see the module docstring)."""
    TALLY.requests += 1
    TALLY.routes.add(where.split(" ", 1)[0])
    TALLY.inputs.update(item.raw for item in items)
    labels = ", ".join(item.label for item in items[:3])
    assert response.status_code < 500, f"{where}: {response.status_code} for {labels}"
    if not is_html(response):
        return
    body = response.content.decode("utf-8", "replace")
    own = baseline.body if baseline else ""
    for item in items:
        for needle in _needles(item):
            assert needle not in body or needle in own, f"{where}: {item.label} reflected unescaped"
    found = active_markup(body)
    new_handlers = found.handlers - (baseline.handlers if baseline else set())
    assert not new_handlers, f"{where}: event handlers {sorted(new_handlers)} for {labels}"
    new_findings = found.findings - (baseline.findings if baseline else set())
    assert not new_findings, f"{where}: active markup {sorted(new_findings)[:3]} for {labels}"


def get(client: Client, path: str, pairs: Iterable[tuple[str, str | bytes]] = (), **extra: Any) -> Any:
    query = urlencoded(pairs)
    return client.get(path, QUERY_STRING=query, **extra)


def post(
    client: Client, path: str, data: dict[str, Any], multipart: bool = False, **extra: Any
) -> ClientResponse:
    if multipart:
        return client.post(path, data, **extra)
    pairs: list[tuple[str, str | bytes]] = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one if isinstance(one, bytes | str) else str(one)))
    return client.post(path, urlencoded(pairs), content_type="application/x-www-form-urlencoded", **extra)
