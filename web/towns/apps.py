from django.apps import AppConfig


class TownsConfig(AppConfig):
    name = "towns"
    verbose_name = "小镇 / Towns"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the towns dashboard panels)
