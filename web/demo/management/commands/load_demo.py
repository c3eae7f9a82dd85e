"""manage.py load_demo — demo programmes, accounts, towns and figures (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.registry import DemoContext, steps


class Command(BaseCommand):
    help = "Load demo data: programmes, one account per role, towns in every tier with indicator values."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # The demo creates about a hundred accounts whose passwords are printed on screen,
            # and two API tokens published in docs/api.md: never on a production database.
            raise CommandError(
                "load_demo 只在调试模式下运行（DEBUG=true，`make demo` 已设置）；"
                "它会建立密码公开的演示账号，切勿用于生产数据库。 / "
                "load_demo runs only with DEBUG=true (`make demo` sets it): it creates accounts "
                "whose passwords are published, so it never runs on a production database."
            )
        ctx = DemoContext(write=self.stdout.write)
        for step in steps():
            self.stdout.write(f"[{step.order}] {step.name}")
            step.func(ctx)
        self.stdout.write("")
        self.stdout.write("演示账号 / demo logins (username / password):")
        width = max(len(u) for u, _, _ in ctx.logins) if ctx.logins else 0
        for username, password, description in ctx.logins:
            self.stdout.write(f"  {username.ljust(width)} / {password.ljust(width + 5)}  {description}")
        self.stdout.write("Open http://127.0.0.1:8000/ and sign in.")
