from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "开放接口 / API"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the API tokens navigation entry)
