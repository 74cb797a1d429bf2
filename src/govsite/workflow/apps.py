from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "govsite.workflow"
    label = "govsite_workflow"
    verbose_name = "审核发布"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
