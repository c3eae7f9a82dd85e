from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "站内信 / Inbox"

    def ready(self) -> None:
        from . import dashboard, delivery  # noqa: F401  (navigation; messages from audit rows)
