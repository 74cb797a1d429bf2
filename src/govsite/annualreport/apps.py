from django.apps import AppConfig


class AnnualReportConfig(AppConfig):
    name = "govsite.annualreport"
    label = "govsite_annualreport"
    verbose_name = "政府信息公开年报"

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
