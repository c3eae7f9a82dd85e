from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户 / Portal"

    def ready(self) -> None:
        from .auth import is_active
        from .dashboard import register_nav
        from .form_errors import install

        install()  # Django's own form errors in both languages (portal/form_errors.py)

        register_nav(key="dashboard", zh="工作台", en="Dashboard", url_name="portal:dashboard",
                     allowed=is_active, order=0)
