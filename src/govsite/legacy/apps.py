from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "govsite.legacy"
    label = "govsite_legacy"
    verbose_name = "网站迁移"
