from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "季度报送 / Quarterly reports"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers panels, navigation and the town-page ledger)
