"""manage.py load_demo — demo programmes, accounts, towns and figures (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.registry import DemoContext, steps


class Command(BaseCommand):
    help = "Load demo data: programmes, one account per role, towns in every tier with indicator values."

    def handle(self, *args, **options):
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
