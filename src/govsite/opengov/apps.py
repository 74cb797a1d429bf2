from django.apps import AppConfig


class OpenGovConfig(AppConfig):
    name = "govsite.opengov"
    label = "govsite_opengov"
    verbose_name = "政务公开"

    def ready(self) -> None:
        from govsite.content.models import ArticlePage

        from . import signal_handlers  # noqa: F401
        from .panels import catalogue_tab

        ArticlePage.add_edit_tab(catalogue_tab())
