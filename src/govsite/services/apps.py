from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "govsite.services"
    label = "govsite_services"
    verbose_name = "政务服务"
