from django.apps import AppConfig, apps


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "专家评审与验收 / Expert reviews and acceptance"

    def ready(self) -> None:
        from towns.permissions import register_expert_town_source

        from . import (
            dashboard,  # noqa: F401  (registers the panels and navigation)
            subjects,  # noqa: F401  (registers what a panel's decision does to its subject)
        )
        from .permissions import panel_towns_of_expert

        register_expert_town_source(panel_towns_of_expert)
        if apps.is_installed("applications"):
            from .application_subject import register

            register()
