"""Navigation entry of the API app (registered from ApiConfig.ready)."""

from __future__ import annotations

from portal.dashboard import register_nav

from .permissions import can_create_api_token

register_nav(key="api_tokens", zh="API 令牌", en="API tokens", url_name="api_tokens:list",
             allowed=can_create_api_token, order=90)
