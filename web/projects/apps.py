from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "示范项目 / Demonstration projects"

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the projects dashboard panels and nav)
