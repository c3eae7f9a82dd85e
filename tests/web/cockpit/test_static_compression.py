"""ECharts (1.1 MB) is served compressed, and only pages that draw a chart fetch it."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse


def test_echarts_is_served_gzip_compressed_after_collectstatic(tmp_path, db):
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        response = Client().get("/static/vendor/echarts/echarts.min.js", HTTP_ACCEPT_ENCODING="gzip")
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert len(body) < 500_000 < (tmp_path / "vendor" / "echarts" / "echarts.min.js").stat().st_size


def test_a_page_without_a_chart_does_not_load_echarts(town_clerk, signed_in):
    page = signed_in(town_clerk).get(reverse("towns:list")).content.decode()
    assert "data-echart=" not in page and "data-echart-url=" not in page  # charts.js fetches ECharts only for these
    assert '<script src="/static/vendor/echarts/echarts.min.js"' not in page
