"""The NinjaAPI instance: token auth on every operation, one error shape, the routers."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .auth import BearerToken
from .enterprises import router as enterprises_router
from .errors import SafeJSONParser, install_error_handlers
from .published import router as published_router
from .pull import router as pull_router
from .push import router as push_router
from .ratelimit import install_rate_limit_handler

DESCRIPTION = """\
小镇平台开放接口：地方平台用 API 令牌拉取项目、小镇、层级、公布名单与考核结果，并推送季度报送。
令牌代表创建它的用户，权限与该用户在页面上的权限完全相同。

The open API of the xiaozhen platform: local platforms pull programmes, towns, tiers, published
lists and assessment results, and
push quarterly reports with an API token. A token acts as the user who created it, with
exactly that user's role and region scope. Every error has one shape:
`{"error": {"code", "message_zh", "message_en", "details": [...]}}`. See docs/api.md.
"""



class ReadableJSON(JSONRenderer):
    """Chinese as characters, not \\u escapes: a clerk reading a response can read it."""

    json_dumps_params: Mapping[str, Any] = MappingProxyType({"ensure_ascii": False})


api = NinjaAPI(
    title="xiaozhen API",
    version="1",
    description=DESCRIPTION,
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=login_not_required,
    renderer=ReadableJSON(),
    parser=SafeJSONParser(),
)
install_error_handlers(api)
install_rate_limit_handler(api)
api.add_router("/", pull_router)
api.add_router("/", push_router)
api.add_router("/", published_router)
api.add_router("/", enterprises_router)  # enterprises and per-mu results (issue 12)
