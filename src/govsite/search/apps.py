from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govsite.search"
    label = "govsite_search"
    verbose_name = "站内搜索"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
