from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "govsite.inspection"
    label = "govsite_inspection"
    verbose_name = "网站体检"
