"""The vitality index and data-signal pages as officers use them: scoped by role, changes audited, the
uncertainty run queued as a background task whose progress is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audit.models import AuditEntry
from towns.actions import enrol_town, record_indicator_values
from vitality.models import IndexRun, SignalReview

METHOD = """\
id: test-vitality
programme: test-guangxi-towns
name: {zh: 测试活力指数, en: test vitality index}
data: {unit: town_id, unit_name: town_name, groups: [city]}
tree:
  nodes:
    - {code: vitality, name: 活力 Vitality}
    - {code: growth, parent: vitality, name: 投资 Investment}
    - {code: feature, parent: vitality, name: 特色 Feature}
    - {code: investment, parent: growth}
    - {code: feature_investment, parent: feature}
steps:
  normalise: {method: minmax}
uncertainty:
  weights: {noise: 0.3, levels: [2]}
  aggregate: [arithmetic, geometric]
"""


@pytest.fixture
def world(programme, towns, province_officer, settings, tmp_path: Path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    (tmp_path / "test-guangxi-towns-vitality.yaml").write_text(METHOD, encoding="utf-8")
    monkeypatch.setattr("vitality.data.METHODS_DIR", tmp_path)
    figures = {"qingxiu": (12.0, 6.0), "xixiangtang": (30.0, 9.0), "liuzhou": (20.0, 15.0)}
    for key, (investment, feature) in figures.items():
        town = towns[key]
        enrol_town(town=town, programme=programme, tier="creation", started_on=dt.date(2019, 1, 1), by=province_officer)
        rows = [{"indicator": "investment", "period": str(y), "basis": "actual", "value": investment + y - 2019}
                for y in range(2019, 2025)]
        rows += [{"indicator": "feature_investment", "period": str(y), "basis": "actual", "value": feature + (y - 2019) / 2}
                 for y in range(2019, 2025)]
        record_indicator_values(town=town, programme=programme, values=rows, by=province_officer, source="manual")
    # planted: Qingxiu reports the same feature investment four years running, and Liuzhou's 2024Q4 part
    # is larger than its whole (recorded one at a time, as two corrections)
    record_indicator_values(town=towns["qingxiu"], programme=programme, by=province_officer, source="manual",
                            values=[{"indicator": "feature_investment", "period": str(y), "basis": "actual", "value": 7.25}
                                    for y in range(2021, 2025)])
    for ident, value in (("investment", 4.0), ("feature_investment", 5.0)):
        record_indicator_values(town=towns["liuzhou"], programme=programme, by=province_officer, source="manual",
                                values=[{"indicator": ident, "period": "2024Q4", "basis": "actual", "value": value}])
    return towns


def test_an_officer_sees_the_ranking_of_the_towns_in_scope(world, signed_in, nanning_reviewer) -> None:
    response = signed_in(nanning_reviewer).get("/vitality/")
    page = response.content.decode()
    assert "青秀创新小镇" in page and "西乡塘科创小镇" in page
    assert "柳北汽车小镇" not in page  # Liuzhou is another city
    assert response.context["units"] == 3  # ranks are over the whole programme
    assert sorted(r["rank"] for r in response.context["rows"]) != [1, 2]  # not re-ranked within the scope only


def test_a_town_body_sees_only_its_own_rank(world, signed_in, town_clerk) -> None:
    page = signed_in(town_clerk).get("/vitality/").content.decode()
    assert "青秀创新小镇" in page and "西乡塘科创小镇" not in page


def test_an_uncertainty_run_is_queued_as_a_task_and_stores_its_progress_and_result(
        world, signed_in, province_officer, django_capture_on_commit_callbacks) -> None:
    client = signed_in(province_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/vitality/run/test-guangxi-towns/", {"runs": 400, "seed": 3})
    assert response.status_code == 302
    run = IndexRun.objects.get()
    assert run.status == IndexRun.Status.DONE and run.progress == 100
    assert {u["code"] for u in run.result["units"]} == {t.code for k, t in world.items() if k != "hangzhou"}
    assert [s["input"] for s in run.result["sensitivity"]] == ["aggregate 加总", "weights 权重"]
    assert AuditEntry.objects.filter(verb="start_uncertainty_run").count() == 1
    page = client.get("/vitality/").content.decode()
    assert "vitality-sensitivity" in page and "排名区间" in page
    progress = client.get(f"/vitality/runs/{run.pk}/progress/").content.decode()
    assert 'value="100"' in progress and "hx-get" not in progress  # finished: no more polling


def test_a_queued_run_shows_a_polling_progress_bar(world, signed_in, province_officer) -> None:
    run = IndexRun.objects.create(programme_id=world["qingxiu"].enrolments.first().programme_id,
                                  method_id="test-vitality", runs=400, seed=1, requested_by=province_officer,
                                  progress=40, status=IndexRun.Status.RUNNING)
    html = signed_in(province_officer).get(f"/vitality/runs/{run.pk}/progress/").content.decode()
    assert 'value="40"' in html and "hx-get" in html


def test_only_a_provincial_officer_may_start_a_run(world, signed_in, nanning_reviewer) -> None:
    response = signed_in(nanning_reviewer).post("/vitality/run/test-guangxi-towns/", {"runs": 400, "seed": 1})
    assert response.status_code in (302, 403)
    assert not IndexRun.objects.exists()


def test_signals_page_shows_each_planted_case_with_its_evidence_in_scope(world, signed_in, nanning_reviewer,
                                                                         liuzhou_reviewer) -> None:
    page = signed_in(nanning_reviewer).get("/vitality/signals/").content.decode()
    assert "逐年数字完全相同" in page and "7.25" in page  # Qingxiu's repeated figure
    assert 'data-echart="sig-test-guangxi-towns-repeated_figures-0"' in page  # with its series drawn
    assert "分项大于总数" not in page  # Liuzhou's case is not Nanning's to see
    other = signed_in(liuzhou_reviewer).get("/vitality/signals/").content.decode()
    assert "分项大于总数" in other and "逐年数字完全相同" not in other


def test_a_town_body_may_not_see_signals(world, signed_in, town_clerk) -> None:
    assert signed_in(town_clerk).get("/vitality/signals/").status_code == 403


def _key(client, kind: str) -> str:
    from programmes.models import Programme
    from vitality.views import _signals_for

    programme = Programme.objects.get(policy_id="test-guangxi-towns")
    return next(s.key for s in _signals_for(programme) if s.kind == kind)


def test_dismissing_a_signal_needs_a_reason_and_is_audited(world, signed_in, nanning_reviewer) -> None:
    client = signed_in(nanning_reviewer)
    key = _key(client, "repeated_figures")
    form = {"programme": "test-guangxi-towns", "key": key, "decision": "dismiss"}
    client.post("/vitality/signals/review/", {**form, "reason": " "})
    assert not SignalReview.objects.exists()
    client.post("/vitality/signals/review/", {**form, "reason": "镇统计站核实：该项目四年投资额按合同固定"})
    review = SignalReview.objects.get()
    assert review.status == "dismissed" and review.reviewed_by == nanning_reviewer
    entry = AuditEntry.objects.get(verb="dismissed_signal")
    assert entry.to_state == "dismissed" and "合同固定" in entry.reason
    assert "逐年数字完全相同" not in client.get("/vitality/signals/").content.decode()


def test_escalating_a_signal_opens_the_fraud_form_filled_in(world, signed_in, liuzhou_reviewer) -> None:
    client = signed_in(liuzhou_reviewer)
    key = _key(client, "part_exceeds_whole")
    response = client.post("/vitality/signals/review/", {"programme": "test-guangxi-towns", "key": key,
                                                         "decision": "escalate", "reason": "数字明显矛盾，转查处"})
    assert response.status_code == 302 and "/assessments/fraud/" in response["Location"]
    assert SignalReview.objects.get().status == "escalated"
    assert AuditEntry.objects.filter(verb="escalate_signal").count() == 1
    form = client.get(response["Location"]).content.decode()
    assert "数据线索" in form


def test_a_city_reviewer_may_not_review_another_citys_signal(world, signed_in, liuzhou_reviewer) -> None:
    client = signed_in(liuzhou_reviewer)
    key = _key(client, "repeated_figures")  # Qingxiu, in Nanning
    response = client.post("/vitality/signals/review/", {"programme": "test-guangxi-towns", "key": key,
                                                         "decision": "dismiss", "reason": "不是我的"})
    assert response.status_code == 403
    assert not SignalReview.objects.exists()
