from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govsite.sites"
    label = "govsite_sites"
    verbose_name = "站群与部门"
