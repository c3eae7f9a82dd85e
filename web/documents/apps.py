from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "公文与公开 / Documents and public pages"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the town-page section and navigation)
