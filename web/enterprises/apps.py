from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业与亩均评价 Enterprises and per-mu evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import computed, dashboard  # noqa: F401  (registers the registry's figures, the navigation entry and the town-page section)
