from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govsite.demo"
    label = "govsite_demo"
    verbose_name = "演示数据"
