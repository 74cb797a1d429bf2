from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govsite.content"
    label = "govsite_content"
    verbose_name = "网站内容"
