"""One error shape for every refusal, validation included; never a traceback."""

from __future__ import annotations

import pytest

from api import selectors
from portal.errors import ActionError

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"] and {"code", "message_zh", "message_en", "details"} <= set(body["error"])
    assert "Traceback" not in response.content.decode()
    return body["error"]


def test_a_bad_query_parameter_is_named_in_the_details(api_as, province_officer):
    error = error_of(api_as(province_officer).get("/api/towns/", {"page_size": "many", "region": "45"}), 422)
    assert error["code"] == "validation_error"
    fields = {d["field"] for d in error["details"]}
    assert fields == {"page_size", "region"}
    assert all(d["message_zh"] and d["message_en"] for d in error["details"])


def test_an_unknown_api_address_answers_404_in_the_shape(api_as, province_officer):
    assert error_of(api_as(province_officer).get("/api/no/such/thing"), 404)["code"] == "not_found"


def test_the_api_root_points_to_the_docs(client):
    body = client.get("/api/").json()
    assert body["docs"] == "/api/docs" and body["openapi"] == "/api/openapi.json"


def test_the_spec_and_its_docs_are_published_without_a_token(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/towns/" in spec["paths"]
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in docs.content


def test_an_unexpected_failure_answers_500_in_the_shape_without_a_traceback(api_as, province_officer, monkeypatch):
    def broken(user):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "programmes_for", broken)
    error = error_of(api_as(province_officer).get("/api/programmes/"), 500)
    assert error["code"] == "server_error" and "database on fire" not in str(error)


def test_an_action_error_becomes_422_naming_its_field(api_as, province_officer, monkeypatch):
    def refuses(user):
        raise ActionError("期间格式不对", "bad period", field="period", details=["2024Q5 不是季度 / 2024Q5 is not a quarter"])

    monkeypatch.setattr(selectors, "programmes_for", refuses)
    error = error_of(api_as(province_officer).get("/api/programmes/"), 422)
    assert error["message_zh"] == "期间格式不对"
    assert error["details"] == [{"field": "period", "row": None, "column": None, "indicator": None,
                                 "message_zh": "2024Q5 不是季度", "message_en": "2024Q5 is not a quarter"}]


def test_a_refusal_from_a_predicate_becomes_403(api_as, province_officer, monkeypatch):
    from portal.errors import NotAllowed

    def refuses(user):
        raise NotAllowed("您无权查看", "you may not see this")

    monkeypatch.setattr(selectors, "programmes_for", refuses)
    error = error_of(api_as(province_officer).get("/api/programmes/"), 403)
    assert (error["code"], error["message_en"]) == ("forbidden", "you may not see this")


def test_errors_keep_chinese_readable(province_officer):
    response = ApiClient("xz_unknown").get("/api/towns/")
    assert "令牌无效".encode() in response.content


def test_a_misspelt_filter_is_refused_naming_it_rather_than_ignored(api_as, province_officer):
    error = error_of(api_as(province_officer).get("/api/towns/", {"regoin": "450100"}), 422)
    [detail] = error["details"]
    assert detail["field"] == "regoin" and "region" in detail["message_en"]
