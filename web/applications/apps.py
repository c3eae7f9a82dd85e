from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报 / Applications"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the applications dashboard panels and nav)
