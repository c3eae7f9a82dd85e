"""One error shape for the whole API, for every refusal (400/401/403/404/405/409/413/422/500):

    {"error": {"code": "validation_error",
               "message_zh": "请求内容有误", "message_en": "The request is not valid",
               "details": [{"field": "period", "row": null, "column": null, "indicator": null,
                            "message_zh": "…", "message_en": "…"}]}}

``ApiError`` is what API code raises. The handlers installed by ``install_error_handlers``
turn ninja's own errors (validation, authentication, 404) and the platform's refusals
(``portal.errors.NotAllowed`` → 403, ``portal.errors.ActionError`` → 422 naming its field)
into that shape. Nothing ever answers with a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from portal.bilingual import SEPARATOR
from portal.errors import ActionError, NotAllowed
from xiaozhen import safefiles

logger = logging.getLogger("xiaozhen.api")


class ErrorDetail(Schema):
    field: str | None = None
    row: int | None = None
    column: str | None = None
    indicator: str | None = None
    message_zh: str
    message_en: str


class ErrorBody(Schema):
    code: str
    message_zh: str
    message_en: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """A refusal with its HTTP status, a stable code and a bilingual message."""

    def __init__(self, status: int, code: str, zh: str, en: str, details: Iterable[dict[str, Any]] = ()):
        self.status, self.code, self.zh, self.en = status, code, zh, en
        self.details = [_detail(d) for d in details]
        super().__init__(f"{code}: {en}")

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message_zh": self.zh, "message_en": self.en, "details": self.details}}


def _detail(d: dict[str, Any]) -> dict[str, Any]:
    return {"field": d.get("field"), "row": d.get("row"), "column": d.get("column"),
            "indicator": d.get("indicator"), "message_zh": d["message_zh"], "message_en": d["message_en"]}


def not_found(zh: str, en: str) -> ApiError:
    return ApiError(404, "not_found", zh, en)


def forbidden(zh: str, en: str) -> ApiError:
    return ApiError(403, "forbidden", zh, en)


def unauthenticated(code: str, zh: str, en: str) -> ApiError:
    return ApiError(401, code, zh, en)


#: The statuses every authenticated operation may answer with the error shape.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def split_bilingual(text: str) -> tuple[str, str]:
    """A ``bi_text`` string back into its (zh, en) pair (Chinese first or English first)."""
    if SEPARATOR not in text:
        return text, text
    first, second = text.split(SEPARATOR, 1)
    if _has_cjk(second) and not _has_cjk(first):
        first, second = second, first
    return first, second


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def action_error_details(exc: ActionError) -> list[dict[str, Any]]:
    """Each problem of an ActionError as a detail: structured when the action gave objects
    (with ``message_zh``/``message_en`` and maybe ``indicator``, ``row``, ``column``), split
    from its bilingual text otherwise."""
    out = []
    # A rejected report carries the core's ReportProblems: each names its indicator (and, for
    # ledger rows, the row and field).
    for item in getattr(exc, "problems", None) or exc.details:
        if isinstance(item, dict) and "message_zh" in item:
            out.append({"field": item.get("field", exc.field), **item})
        elif hasattr(item, "message_zh"):
            indicator = getattr(item, "indicator", None)
            row = getattr(item, "row", None)
            field = getattr(item, "field", None) or (
                f"ledger.{row}" if row is not None else f"values.{indicator}" if indicator else exc.field)
            out.append({
                "field": field,
                "row": getattr(item, "row", None), "column": getattr(item, "column", None),
                "indicator": getattr(item, "indicator", None),
                "message_zh": cast(Any, item).message_zh, "message_en": cast(Any, item).message_en,
            })
        else:
            zh, en = split_bilingual(str(item))
            out.append({"field": exc.field, "message_zh": zh, "message_en": en})
    if not out and exc.field:
        out.append({"field": exc.field, "message_zh": exc.zh, "message_en": exc.en})
    return out


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path", "header", "payload")]
        field = ".".join(loc) or None
        kind = str(err.get("type", ""))
        zh = _VALIDATION_ZH.get(kind.split(".")[0], "取值无效")
        details.append({"field": field, "message_zh": f"{field or '请求'}：{zh}", "message_en": str(err.get("msg", kind))})
    return details


_VALIDATION_ZH = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "string_type": "应为文本",
    "string_too_long": "文本过长",
    "string_too_short": "不能为空或过短",
    "string_pattern_mismatch": "格式不符",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "date_from_datetime_parsing": "应为日期(YYYY-MM-DD)",
    "extra_forbidden": "不是可接受的字段",
    "finite_number": "应为有限数字",
}


class SafeJSONParser(Parser):
    """JSON bodies through ``xiaozhen.safefiles.load_json``: no NaN/Infinity, no nesting past 32 levels, no
    NUL or other control character in any string (PostgreSQL refused NUL with a 500). ninja wraps what this
    raises in a 400 HttpError; ``http_error`` below answers with the UnsafeFile's own words."""

    def parse_body(self, request: HttpRequest) -> Any:
        return safefiles.load_json(request.body)


def install_error_handlers(api: NinjaAPI) -> None:
    from .actions import IdempotencyConflict

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        return api.create_response(request, error.body(), status=error.status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, ApiError(422, "validation_error", "请求内容有误，请逐项修改",
                                         "The request is not valid: fix each problem listed",
                                         _validation_details(exc.errors)))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, unauthenticated(
            "not_authenticated", "缺少访问令牌：请在 Authorization 头中发送 Bearer 令牌",
            "No API token: send it as “Authorization: Bearer <token>”"))

    @api.exception_handler(NotAllowed)
    def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        return respond(request, forbidden(exc.zh, exc.en))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, forbidden("您无权执行此操作", "You may not do this"))

    @api.exception_handler(IdempotencyConflict)
    def idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
        return respond(request, ApiError(409, "idempotency_conflict", exc.zh, exc.en, action_error_details(exc)))

    @api.exception_handler(ActionError)
    def action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        return respond(request, ApiError(422, "invalid", exc.zh, exc.en, action_error_details(exc)))

    @api.exception_handler(Http404)
    def http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, not_found("没有这个对象或地址", "No such object or address"))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return respond(request, ApiError(
            413, "request_too_large", f"请求内容超过 {limit / 1048576:.1f} MB 的上限，请分批推送",
            f"The request body is over the {limit / 1048576:.1f} MB limit: push it in smaller parts"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, safefiles.UnsafeFile):
            cause = exc.__cause__
            return respond(request, ApiError(400 if cause.malformed else 422, "invalid_body", f"请求内容无法接受：{cause.zh}",
                                             f"The request body cannot be accepted: {cause.en}",
                                             [{"field": cause.where or "body", "message_zh": cause.zh,
                                               "message_en": cause.en}]))
        code = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                409: "conflict", 429: "too_many_requests"}.get(exc.status_code, "error")
        return respond(request, ApiError(exc.status_code, code, "请求无法处理", str(exc)))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, ApiError(500, "server_error", "服务器内部错误，已记录，请稍后再试",
                                         "Internal error: it has been logged; please try again later"))


def json_error(error: ApiError) -> JsonResponse:
    """The shape outside ninja (an /api/ address no operation matches)."""
    return JsonResponse(error.body(), status=error.status, json_dumps_params={"ensure_ascii": False})
