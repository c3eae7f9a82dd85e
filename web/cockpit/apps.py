from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "cockpit"
    verbose_name = "驾驶舱 / Cockpit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import colourings, dashboard  # noqa: F401  (registers the nav entry and the built-in colourings)
