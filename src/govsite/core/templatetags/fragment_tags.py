"""`{% run_fragment %}`: render a piece of page chrome once per publishing run, site and version.

A rebuild renders thousands of pages whose top bar, head links and banner are byte for byte the
same on one site and version; the template engine spent more time on them than on the article. The
block's output is kept in the run's cache (`core.fragments`) under its name, the request's host, the
version and any extra keys given; outside a run (a dynamic request, a preview) it is rendered every
time. Only blocks that depend on nothing but those keys may use it: the byte-for-byte test of the
publisher (`publishing/tests/test_publishing.py`) compares every published file with a fresh request.
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString

from govsite.core.fragments import cached_fragment

register = template.Library()


class RunFragmentNode(template.Node):
    def __init__(self, name: str, keys: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.keys = keys
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        request: Any = context.get("request")
        host = request.META.get("HTTP_HOST", "") if request is not None else ""
        version = getattr(getattr(request, "govsite_version", None), "key", "")
        key = ("run_fragment", self.name, host, version, *(k.resolve(context) for k in self.keys))
        return cached_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def run_fragment(parser: Parser, token: Token) -> RunFragmentNode:
    """{% run_fragment "name" [key …] %}…{% endrun_fragment %}"""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("run_fragment needs a quoted name")
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endrun_fragment",))
    parser.delete_first_token()
    return RunFragmentNode(bits[1][1:-1], keys, nodelist)
