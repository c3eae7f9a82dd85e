from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "boundaries"
    verbose_name = "边界与控制线 / Boundaries and control lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the town-page map and the navigation entry)
