"""Demo API tokens with known secrets, printed after the demo logins (idempotent)."""

from __future__ import annotations

from api.actions import create_api_token
from api.models import ApiToken
from api.tokens import hash_secret
from demo.registry import DemoContext, demo_step

#: Demo only: anyone reading this file knows these secrets. Never load the demo in production.
DEMO_TOKENS = [
    ("city", "演示：南宁市平台 / demo: Nanning city platform", "xz_demo-city-reviewer-token-not-a-secret"),
    ("town", "演示：小镇填报系统 / demo: town reporting system", "xz_demo-town-body-token-not-a-secret-0"),
]


@demo_step(order=800, name="API tokens for a city platform and a town's reporting system")
def api_tokens(ctx: DemoContext) -> None:
    for key, name, secret in DEMO_TOKENS:
        user = ctx.user(key)
        if not ApiToken.objects.filter(secret_hash=hash_secret(secret)).exists():
            create_api_token(by=user, name=name, secret=secret)
        ctx.say(f"  API token of {user.username} ({user.get_role_display()}): {secret}")
    ctx.say("  try: curl -H 'Authorization: Bearer " + DEMO_TOKENS[0][2] + "' http://127.0.0.1:8000/api/towns/")
    ctx.say("  docs: http://127.0.0.1:8000/api/docs · tokens page: http://127.0.0.1:8000/api/tokens/")
