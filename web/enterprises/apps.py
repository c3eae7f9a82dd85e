from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业与亩均评价 Enterprises and per-mu evaluation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the navigation entry and the town-page section)
