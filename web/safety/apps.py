from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    label = "safety"
    verbose_name = "安全 / Safety"
