from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "govsite.workdays"
    label = "govsite_workdays"
    verbose_name = "法定工作日"
