from django.apps import AppConfig


class VitalityConfig(AppConfig):
    name = "vitality"
    verbose_name = "活力指数与数据线索 / Vitality index and data signals"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the navigation entries)
