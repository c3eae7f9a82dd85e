from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "公文与公开 / Documents and public pages"

    def ready(self) -> None:
        from . import dashboard, profile_extras  # noqa: F401  (town-page section; profile lines of other apps)
