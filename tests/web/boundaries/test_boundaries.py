"""Boundaries in the platform: uploads kept as dated, audited versions; red-line layers; computed indicators."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from shapely.geometry import Polygon

from audit.models import AuditEntry
from boundaries import actions
from boundaries.models import BoundaryVersion, RedLineFinding
from portal.errors import ActionError, NotAllowed
from towns.actions import enrol_town
from towns.models import IndicatorValue
from xiaozhen.spatial import geodesic_area_m2

from ..conftest import region

# Qingxiu (Nanning, Guangxi) and Xihu (Hangzhou, Zhejiang): small irregular towns around real places.
QINGXIU = (108.38, 22.80)
XIHU = (120.10, 30.25)


def ring(lon: float, lat: float, r: float = 0.01) -> list[list[float]]:
    pts = []
    for i in range(16):
        a = 2 * math.pi * i / 16
        k = r * (1 + 0.15 * math.sin(3 * a))
        pts.append([round(lon + k * math.cos(a), 7), round(lat + 0.8 * k * math.sin(a), 7)])
    return [*pts, pts[0]]


def geojson(*rings: list[list[float]], **props: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": dict(props), "geometry": {"type": "Polygon", "coordinates": [r]}}
        for r in rings]}).encode()


def upload(town, user, data: bytes, *, layer: str = "planned", filename: str = "boundary.geojson", **kw):
    return actions.upload_boundary(town=town, layer=layer, data=data, filename=filename, by=user, **kw)


# ------------------------------------------------------------------ uploads and versions


def test_a_town_body_uploads_its_boundary_and_gets_a_measured_audited_version(qingxiu_town, town_clerk):
    version = upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU)), reason="首次上传")
    assert (version.number, version.layer, version.zone_epsg) == (1, "planned", 4545)  # CM 108°E
    geodesic = geodesic_area_m2(Polygon(ring(*QINGXIU)))
    assert abs(version.area_m2 - geodesic) / geodesic < 0.001
    qingxiu_town.refresh_from_db()
    assert qingxiu_town.has_boundary
    entry = AuditEntry.objects.filter(verb="upload_boundary").get()
    assert (entry.to_state, entry.reason) == ("v1", "首次上传")
    assert entry.data["zone_epsg"] == 4545


def test_a_second_upload_is_a_new_version_and_the_first_is_kept(qingxiu_town, town_clerk):
    upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU)))
    second = upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU, r=0.012)))
    assert second.number == 2
    assert list(BoundaryVersion.objects.filter(town=qingxiu_town).values_list("number", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(verb="upload_boundary").latest("pk").from_state == "v1"


def test_an_officer_in_scope_uploads_for_a_town_and_one_of_another_city_may_not(
        qingxiu_town, nanning_reviewer, liuzhou_reviewer, auditor):
    assert upload(qingxiu_town, nanning_reviewer, geojson(ring(*QINGXIU))).number == 1
    for outsider in (liuzhou_reviewer, auditor):
        with pytest.raises(NotAllowed):
            upload(qingxiu_town, outsider, geojson(ring(*QINGXIU)))


def test_a_clerk_may_not_upload_another_towns_boundary(xixiangtang_town, town_clerk):
    with pytest.raises(NotAllowed):
        upload(xixiangtang_town, town_clerk, geojson(ring(*QINGXIU)))


def _refused(town, user, data: bytes, filename: str = "boundary.geojson", **kw) -> ActionError:
    with pytest.raises(ActionError) as exc:
        upload(town, user, data, filename=filename, **kw)
    assert not BoundaryVersion.objects.exists()
    return exc.value


def test_a_self_intersecting_boundary_is_refused_with_the_place(qingxiu_town, town_clerk):
    lon, lat = QINGXIU
    bowtie = [[lon, lat], [lon + 0.02, lat + 0.02], [lon + 0.02, lat], [lon, lat + 0.02], [lon, lat]]
    error = _refused(qingxiu_town, town_clerk, geojson(bowtie))
    assert "crosses itself at longitude 108.390000, latitude 22.810000" in str(error)


def test_swapped_coordinates_are_refused_as_swapped(qingxiu_town, town_clerk):
    swapped = [[y, x] for x, y in ring(*QINGXIU)]
    assert "swapped" in str(_refused(qingxiu_town, town_clerk, geojson(swapped)))


def test_a_boundary_in_another_province_is_refused(qingxiu_town, town_clerk):
    assert "outside Guangxi" in str(_refused(qingxiu_town, town_clerk, geojson(ring(*XIHU))))


def test_a_zip_bomb_is_refused_and_nothing_is_saved(qingxiu_town, town_clerk):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.shp", b"\0" * (4 * 1024 * 1024))
        archive.writestr("a.shx", b"")
        archive.writestr("a.dbf", b"")
    assert "zip bomb" in str(_refused(qingxiu_town, town_clerk, buf.getvalue(), filename="boundary.zip"))


def test_a_construction_area_needs_a_planned_area_first_and_must_lie_inside_it(qingxiu_town, town_clerk):
    error = _refused(qingxiu_town, town_clerk, geojson(ring(*QINGXIU, r=0.004)), layer="construction")
    assert "before the construction area" in str(error)
    upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU)))
    with pytest.raises(ActionError, match="outside the planned area"):
        upload(qingxiu_town, town_clerk, geojson(ring(QINGXIU[0] + 0.02, QINGXIU[1], r=0.004)), layer="construction")
    inside = upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU, r=0.004)), layer="construction")
    assert inside.layer == "construction" and inside.area_km2 < 1.0


def test_gcj02_coordinates_are_converted_before_measuring(qingxiu_town, town_clerk):
    from xiaozhen.spatial import wgs84_to_gcj02

    wgs = ring(*QINGXIU)
    gcj = [list(wgs84_to_gcj02(x, y)) for x, y in wgs]
    version = upload(qingxiu_town, town_clerk, geojson(gcj), coordinates="gcj02")
    first = json.loads(version.geojson)["coordinates"][0][0]
    assert first == pytest.approx(wgs[0], abs=1e-7)


# ------------------------------------------------------------------ red-line layers and computed indicators



@pytest.fixture
def enrolled_hangzhou(zhejiang, hangzhou_town, hangzhou_officer):
    enrol_town(town=hangzhou_town, programme=zhejiang, tier="creation", started_on=dt.date(2023, 8, 1),
               by=hangzhou_officer, category="digital_economy")
    return hangzhou_town


@pytest.fixture
def red_line(settings, django_capture_on_commit_callbacks):
    """Upload a layer as the province does; its comparison task runs when the upload commits (immediate backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def upload_layer(user, data: bytes, kind: str = "ecological_red_line"):
        with django_capture_on_commit_callbacks(execute=True):
            layer = actions.upload_red_line_layer(region=region("330000"), kind=kind, name="西湖生态保护红线",
                                                  dated=dt.date(2023, 10, 31), source="省自然资源厅三区三线成果",
                                                  data=data, filename="red.geojson", by=user)
        layer.refresh_from_db()
        return layer

    return upload_layer


def test_an_overlap_sets_the_red_line_indicator_from_the_boundary_with_its_evidence(enrolled_hangzhou, hangzhou_officer, red_line):
    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    layer = red_line(hangzhou_officer, geojson(ring(XIHU[0] + 0.012, XIHU[1], r=0.008)))
    finding = RedLineFinding.objects.get(town=enrolled_hangzhou)
    assert finding.layer == layer and finding.crossed
    assert 0 < finding.overlap_share < 1 and finding.overlap_m2 > 10_000
    assert json.loads(finding.evidence_geojson)["type"] in ("Polygon", "MultiPolygon")
    year = str(dt.date.today().year)
    value = IndicatorValue.objects.get(town=enrolled_hangzhou, indicator_id="crosses_ecological_red_line",
                                       period=year, basis="actual")
    assert (value.number, value.source) == (1.0, "spatial")
    assert "西湖生态保护红线 v1 2023-10-31" in value.source_ref
    area = IndicatorValue.objects.get(town=enrolled_hangzhou, indicator_id="planned_area_km2", period=year)
    assert area.number == pytest.approx(BoundaryVersion.objects.get().area_km2, abs=1e-4)
    assert AuditEntry.objects.filter(verb="upload_red_line_layer", to_state="v1").exists()


def test_a_town_clear_of_the_layer_is_recorded_as_clear(enrolled_hangzhou, hangzhou_officer, red_line):
    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    red_line(hangzhou_officer, geojson(ring(XIHU[0] + 0.1, XIHU[1], r=0.008)))
    finding = RedLineFinding.objects.get(town=enrolled_hangzhou)
    assert not finding.crossed and finding.overlap_m2 == 0 and finding.evidence_geojson == ""
    value = IndicatorValue.objects.get(town=enrolled_hangzhou, indicator_id="crosses_ecological_red_line")
    assert value.number == 0.0


def test_a_new_boundary_is_compared_with_the_layers_already_uploaded(enrolled_hangzhou, hangzhou_officer, red_line):
    red_line(hangzhou_officer, geojson(ring(XIHU[0] + 0.012, XIHU[1], r=0.008)))
    assert not RedLineFinding.objects.exists()
    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    assert RedLineFinding.objects.get(town=enrolled_hangzhou).crossed


def test_only_a_provincial_officer_of_the_province_uploads_red_lines(db, nanning_reviewer, province_officer, red_line):
    for user in (nanning_reviewer, province_officer):  # a city reviewer; Guangxi's officer for Zhejiang
        with pytest.raises(NotAllowed):
            red_line(user, geojson(ring(*XIHU)))


# ------------------------------------------------------------------ pages


def test_the_town_page_draws_the_boundary_instead_of_not_yet_given(qingxiu_town, town_clerk, signed_in):
    client = signed_in(town_clerk)
    page = client.get(reverse("towns:detail", args=[qingxiu_town.code])).content.decode()
    assert "边界未上传" in page
    upload(qingxiu_town, town_clerk, geojson(ring(*QINGXIU)))
    page = client.get(reverse("towns:detail", args=[qingxiu_town.code])).content.decode()
    assert f'data-echart="boundary-map-{qingxiu_town.code}"' in page
    assert "Planned area" in page and "EPSG:4545" in page and "v1" in page


def test_the_upload_page_saves_a_file_and_shows_errors_next_to_the_file(qingxiu_town, town_clerk, signed_in):
    client = signed_in(town_clerk)
    url = reverse("boundaries:upload", args=[qingxiu_town.code])
    assert client.get(url).status_code == 200
    good = SimpleUploadedFile("qingxiu.geojson", geojson(ring(*QINGXIU)), content_type="application/geo+json")
    response = client.post(url, {"file": good, "layer": "planned", "coordinates": "auto", "reason": ""})
    assert response.status_code == 302 and BoundaryVersion.objects.count() == 1
    swapped = SimpleUploadedFile("bad.geojson", geojson([[y, x] for x, y in ring(*QINGXIU)]))
    response = client.post(url, {"file": swapped, "layer": "planned", "coordinates": "auto"})
    assert response.status_code == 400 and "swapped" in response.content.decode()
    assert BoundaryVersion.objects.count() == 1


def test_the_upload_page_is_refused_to_another_towns_clerk(xixiangtang_town, town_clerk, signed_in):
    response = signed_in(town_clerk).get(reverse("boundaries:upload", args=[xixiangtang_town.code]))
    assert response.status_code == 403


def test_the_control_lines_page_lists_layers_with_date_and_source(enrolled_hangzhou, hangzhou_officer, signed_in, red_line):
    red_line(hangzhou_officer, geojson(ring(*XIHU)))
    page = signed_in(hangzhou_officer).get(reverse("boundaries:red_lines")).content.decode()
    assert "西湖生态保护红线" in page and "2023-10-31" in page and "省自然资源厅三区三线成果" in page


def test_computed_values_join_the_latest_reported_year_and_never_hide_quarterly_figures(
        enrolled_hangzhou, hangzhou_officer, zhejiang, red_line):
    from towns.actions import record_indicator_values

    record_indicator_values(town=enrolled_hangzhou, programme=zhejiang, by=hangzhou_officer, source="manual", values=[
        {"indicator": "investment", "period": "2024", "basis": "actual", "value": 5.0},
        {"indicator": "investment", "period": f"{dt.date.today().year}Q1", "basis": "actual", "value": 1.0},
        {"indicator": "crosses_ecological_red_line", "period": "2024", "basis": "actual", "value": "否"}])
    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    red_line(hangzhou_officer, geojson(ring(XIHU[0] + 0.012, XIHU[1], r=0.008)))
    value = IndicatorValue.objects.get(town=enrolled_hangzhou, indicator_id="crosses_ecological_red_line")
    assert (value.period, value.number, value.source) == ("2024", 1.0, "spatial")  # replaces the town's own 否
    assert not IndicatorValue.objects.filter(town=enrolled_hangzhou, period=str(dt.date.today().year)).exists()


# ------------------------------------------------------------------ the comparison as a background task


def test_uploading_a_layer_queues_its_comparison_and_the_worker_sets_the_findings(
        enrolled_hangzhou, hangzhou_officer, signed_in, django_capture_on_commit_callbacks):
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    from boundaries.models import RedLineLayer

    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    client = signed_in(hangzhou_officer)
    layer_file = SimpleUploadedFile("red.geojson", geojson(ring(XIHU[0] + 0.012, XIHU[1], r=0.008)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("boundaries:red_lines"), {
            "file": layer_file, "kind": "ecological_red_line", "name": "西湖生态保护红线", "dated": "2023-10-31",
            "source": "省自然资源厅三区三线成果", "coordinates": "auto"})
    assert response.status_code == 302
    layer = RedLineLayer.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "boundaries.tasks.refresh_red_lines_task" and queued.args_kwargs["args"] == [layer.pk]
    assert (layer.refresh_status, RedLineFinding.objects.count()) == ("queued", 0)  # nothing compared in the request
    page = client.get(reverse("boundaries:red_lines")).content.decode()
    assert f'hx-get="{reverse("boundaries:red_line_progress", args=[layer.pk])}"' in page and "<progress" in page

    # What the worker does with the queued row: the task at its recorded path, with its recorded arguments.
    # (Not db_worker itself: it closes the database connection after each task, which ends the test's own
    # transaction on PostgreSQL.)
    import_string(queued.task_path).call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    layer.refresh_from_db()
    assert (layer.refresh_status, layer.refresh_progress, layer.refresh_towns, layer.refresh_crossed) == (
        "done", 100, 1, 1)
    assert RedLineFinding.objects.get(town=enrolled_hangzhou).crossed
    value = IndicatorValue.objects.get(town=enrolled_hangzhou, indicator_id="crosses_ecological_red_line")
    assert (value.number, value.source) == (1.0, "spatial")
    assert AuditEntry.objects.filter(verb="refresh_red_line_findings", data__towns=1, data__crossed=1).exists()
    progress = client.get(reverse("boundaries:red_line_progress", args=[layer.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", progress).split())
    assert "hx-get" not in progress and "已比对 compared 1 个小镇，触碰 towns, crossing 1" in text  # finished: no polling


def test_a_running_comparison_shows_a_polling_progress_bar(enrolled_hangzhou, hangzhou_officer, signed_in, red_line):
    from boundaries.models import RedLineLayer

    layer = red_line(hangzhou_officer, geojson(ring(*XIHU)))
    RedLineLayer.objects.filter(pk=layer.pk).update(refresh_status="running", refresh_progress=40)
    html = signed_in(hangzhou_officer).get(reverse("boundaries:red_line_progress", args=[layer.pk])).content.decode()
    assert 'value="40"' in html and "hx-get" in html and "比对中" in html


def test_the_comparison_goes_in_batches_and_reports_its_progress(
        enrolled_hangzhou, hangzhou_officer, red_line, monkeypatch):
    from boundaries import tasks

    monkeypatch.setattr(tasks, "BATCH", 1)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0.0)
    seen: list[int] = []
    original = tasks.refresh_findings

    def watching(*, towns, by):
        seen.append(towns.count())
        return original(towns=towns, by=by)

    monkeypatch.setattr(tasks, "refresh_findings", watching)
    upload(enrolled_hangzhou, hangzhou_officer, geojson(ring(*XIHU)))
    layer = red_line(hangzhou_officer, geojson(ring(XIHU[0] + 0.012, XIHU[1], r=0.008)))
    assert seen == [1] and (layer.refresh_status, layer.refresh_towns) == ("done", 1)
