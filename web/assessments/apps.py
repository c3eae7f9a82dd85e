from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "年度考核 / Annual assessment"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers navigation and the town-page section)
