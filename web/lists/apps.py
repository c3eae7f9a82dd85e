from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "lists"
    verbose_name = "名单 / Lists"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the lists panel and navigation)
