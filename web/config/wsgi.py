"""WSGI entry point: gunicorn config.wsgi (with web/ and src/ on the path). See docs/deploy.md.

After loading the application it builds the URL resolver and moves everything loaded so far
into the garbage collector's permanent generation (``gc.freeze``). The tens of thousands of
objects that Django, pydantic and the policies create at start-up are then never scanned again:
without this, a full collection every few hundred requests took 50–110 ms of one request
(benchmarks/bench_web.py).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _settle() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every app's views and the API
    gc.collect()
    gc.freeze()


_settle()
