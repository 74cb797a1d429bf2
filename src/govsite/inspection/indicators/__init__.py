"""The inspection's indicators: each module registers its rules at import (rules.register).

One module per area; importing this package registers them all, in any order (the rules sort
themselves: veto items first, then by their order and code).
"""

from . import availability, content, freshness, interaction, links, markup, services

__all__ = ["availability", "content", "freshness", "interaction", "links", "markup", "services"]
