"""Shared test set-up. Web personas live in tests/web/conftest.py."""

import os

os.environ.setdefault("PROJ_NETWORK", "OFF")
