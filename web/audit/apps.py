from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计日志 / Audit trail"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the panel and the navigation entry)
