"""A per-token rate limit: ``settings.API_REQUESTS_PER_MINUTE`` requests per token per minute.

Counted in the database (``safety.throttle.take``), so every gunicorn worker shares one count.
The request past the limit gets 429 in the API's one error shape, with ``Retry-After``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from safety.throttle import take

from .errors import ApiError


class RateLimited(ApiError):
    def __init__(self, limit: int, retry_after: int):
        super().__init__(
            429, "rate_limited",
            f"请求过于频繁：每个令牌每分钟最多 {limit} 次，请 {retry_after} 秒后再试",
            f"Too many requests: at most {limit} a minute per token; try again in {retry_after} s",
        )
        self.retry_after = retry_after


def count_request(token_pk: int) -> None:
    """Count one request of the token; raise RateLimited past the limit."""
    limit = settings.API_REQUESTS_PER_MINUTE
    allowance = take(f"api-token:{token_pk}", limit=limit, seconds=60)
    if not allowance.allowed:
        raise RateLimited(limit, allowance.retry_after)


def install_rate_limit_handler(api: NinjaAPI) -> None:
    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = api.create_response(request, exc.body(), status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
