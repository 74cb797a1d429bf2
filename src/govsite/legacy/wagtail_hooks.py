"""The audit trail's name for an import published without the workflow (`importer.AUDIT_EVENT`)."""

from typing import Any

from wagtail import hooks


@hooks.register("register_log_actions")
def register_log_actions(actions_registry: Any) -> None:
    actions_registry.register_action("content.import", "迁移导入", "从原网站迁移导入并直接发布")
