from django.apps import AppConfig


class VersionsConfig(AppConfig):
    name = "govsite.versions"
    label = "govsite_versions"
    verbose_name = "长辈版与无障碍"
