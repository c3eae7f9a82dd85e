"""Bodies the API cannot use get the API's error shape, never a 500: too large (413), control characters,
NaN, deep nesting (400), and nothing is stored."""

from __future__ import annotations

import json

import pytest

from reports.models import ReportRevision

pytestmark = pytest.mark.django_db


def post_raw(api, body: bytes):
    return api.client.post("/api/reports/", body, content_type="application/json", headers=api.headers)


def body(place, changes=None) -> dict:
    return {"town": place.code, "programme": "test-guangxi-towns", "period": "2025Q3",
            "values": {"investment": 2.5}, "idempotency_key": "k1", **(changes or {})}


def test_a_body_one_byte_over_the_limit_gets_413_in_the_error_shape(api_as, town_clerk, qingxiu_town, settings):
    api = api_as(town_clerk)
    data = json.dumps(body(qingxiu_town)).encode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(data)
    assert post_raw(api, data).status_code != 413  # at the limit: read (and judged on its content)
    response = post_raw(api, data + b" ")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "request_too_large" and "MB" in error["message_zh"] and "limit" in error["message_en"]
    assert not ReportRevision.objects.exists()


@pytest.mark.parametrize("change,status,words", [
    ({"idempotency_key": "k\u0000"}, 422, "idempotency_key holds NUL"),
    ({"town": "\ud800"}, 422, "town holds U+D800"),
    ({"values": {"a\u0001": 1}}, 422, "values.a\\x01 holds"),
    ({"values": {"investment": float("nan")}}, 400, "NaN is not a JSON value"),
])
def test_a_body_with_a_value_that_cannot_be_stored_is_refused_naming_the_field(
        api_as, town_clerk, qingxiu_town, change, status, words):
    response = post_raw(api_as(town_clerk), json.dumps(body(qingxiu_town, change)).encode())
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == "invalid_body" and words in error["details"][0]["message_en"]
    assert error["details"][0]["field"] in {"idempotency_key", "town", "values.a\\x01", "body"}
    assert not ReportRevision.objects.exists()


def test_deeply_nested_json_is_refused_without_recursion(api_as, town_clerk):
    response = post_raw(api_as(town_clerk), b"[" * 50_000 + b"]" * 50_000)
    assert response.status_code == 422 and "nested deeper than 32" in response.json()["error"]["message_en"]
