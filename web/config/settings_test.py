"""Settings for pytest: the production settings (DEBUG false), with a test-only secret and hosts.

The suite runs against what a deployment runs — no debug pages, no published-password hasher —
so a test that needs debug (``load_demo``) says so with pytest-django's ``settings`` fixture.
Cookies are not marked Secure, because the browser tests talk plain HTTP to the live server.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES", "false")

from .settings import *  # noqa: F403
