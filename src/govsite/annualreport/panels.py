"""The report editor's panel that shows the numbers the platform computes (read-only)."""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import Panel


class ComputedTablesPanel(Panel):
    """Table two's 第（一）项 and table three as they stand now (or as frozen at publication)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "annualreport/admin_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context: dict[str, Any] = super().get_context_data(parent_context)
            page = self.instance
            context["report"] = page.report() if page.pk else None
            return context
