"""Enterprises and the per-mu evaluation in the platform: import, run, notice, objections, publish, leaderboard."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from enterprises import actions
from enterprises.models import EnterpriseYear, PerMuObjection, PerMuRun
from enterprises.selectors import (
    latest_town_classes,
    per_mu_leading_towns,
    registry_indicators,
    town_per_mu_aggregates,
)
from portal.errors import ActionError, NotAllowed
from regions.models import Region
from xiaozhen.codes import credit_code_check_char

from ..conftest import persona

HEADER = "统一社会信用代码,企业名称,所在镇街/小镇编号,年份,规模以上,投产年份,自有用地(亩),税收(万元),增加值(万元),主营业务收入(万元),工业总产值(万元),综合能耗(吨标准煤),排放当量(吨),从业人员(人),研发经费(万元),有研发机构,高新技术企业"


def code(n: int) -> str:
    first = f"91450103MA5{n:06d}"
    return first + credit_code_check_char(first)


def csv_of(town_code: str, n: int = 10, year: int = 2024, **override: Any) -> bytes:
    lines = [HEADER]
    for k in range(1, n + 1):
        tax = override.get("tax", 20 * k)
        lines.append(f"{code(k)},青秀企业{k}号,{town_code},{year},是,2010,{10 + k},{tax},{100 * k},{400 * k},{450 * k},"
                     f"{30 * k},{k},{10 + k},{12 * k},{'是' if k % 2 else '否'},{'是' if k > 7 else '否'}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def qingxiu(county_office: Any) -> Region:
    return Region.objects.get(code="450103")


@pytest.fixture
def imported(county_office, qingxiu_town):
    return actions.import_enterprises(by=county_office, county=qingxiu(county_office), file_name="2024.csv",
                                      content=csv_of(qingxiu_town.code))


def test_an_import_writes_every_row_with_its_town_and_an_audit_row(imported, qingxiu_town):
    assert EnterpriseYear.objects.filter(town=qingxiu_town, year=2024).count() == 10
    entry = AuditEntry.objects.get(verb="import_enterprises")
    assert entry.data["rows"] == 10 and entry.data["created"] == 10


def test_a_bad_check_character_writes_nothing_and_names_row_and_column(county_office, qingxiu_town):
    content = csv_of(qingxiu_town.code).replace(code(3).encode(), (code(3)[:17] + "0").encode())
    if code(3)[17] == "0":
        content = csv_of(qingxiu_town.code).replace(code(3).encode(), (code(3)[:17] + "1").encode())
    with pytest.raises(ActionError) as caught:
        actions.import_enterprises(by=county_office, county=qingxiu(county_office), file_name="bad.csv", content=content)
    assert any("bad.csv, 第 4 行 row 4, 列 column 统一社会信用代码" in d and "position 18" in d for d in caught.value.details)
    assert EnterpriseYear.objects.count() == 0 and not AuditEntry.objects.filter(verb="import_enterprises").exists()


def test_a_town_of_another_county_is_refused_by_row(county_office, qingxiu_town, xixiangtang_town):
    with pytest.raises(ActionError) as caught:
        actions.import_enterprises(by=county_office, county=qingxiu(county_office), file_name="x.csv",
                                   content=csv_of(xixiangtang_town.code, n=2))
    assert len(caught.value.details) == 2 and f"no town {xixiangtang_town.code!r}" in caught.value.details[0]


def test_a_firm_already_in_another_town_that_year_is_refused_naming_the_town(imported, county_office, province_officer):
    from towns.actions import create_town
    other = create_town(by=province_officer, region=Region.objects.get(code="450103"), name_zh="青秀第二小镇")
    with pytest.raises(ActionError) as caught:
        actions.import_enterprises(by=county_office, county=qingxiu(county_office), file_name="move.csv",
                                   content=csv_of(other.code, n=1))
    assert "a firm is in one town a year" in caught.value.details[0] and "青秀创新小镇" in caught.value.details[0]


def test_reimporting_the_same_town_and_year_updates_the_figures(imported, county_office, qingxiu_town):
    actions.import_enterprises(by=county_office, county=qingxiu(county_office), file_name="fixed.csv",
                               content=csv_of(qingxiu_town.code, tax=5))
    assert set(EnterpriseYear.objects.values_list("tax", flat=True)) == {5}
    assert AuditEntry.objects.filter(verb="import_enterprises").order_by("pk").last().data["updated"] == 10


def test_only_the_county_office_of_that_county_imports(nanning_reviewer, qingxiu_town):
    with pytest.raises(NotAllowed):
        actions.import_enterprises(by=nanning_reviewer, county=Region.objects.get(code="450103"), file_name="a.csv",
                                   content=csv_of(qingxiu_town.code))
    other_county = persona("xixiang", Role.COUNTY_OFFICE, region_code="450107")
    with pytest.raises(NotAllowed):
        actions.import_enterprises(by=other_county, county=Region.objects.get(code="450103"), file_name="a.csv",
                                   content=csv_of(qingxiu_town.code))


def test_a_run_classes_ten_firms_two_six_two_and_records_the_hashes(imported, county_office):
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    assert run.status == PerMuRun.Status.DRAFT
    # Ten graded firms: A ranks 1–2, B 3–8, C 9–10; no D, since (10 − 1) ÷ 10 = 90 % < 95 %.
    assert run.class_counts == {"A": 2, "B": 6, "C": 2}
    assert len(run.data_sha256) == 64 and run.results.count() == 10
    best = run.results.get(rank=1)
    assert best.klass == "A" and {d["id"] for d in best.details} >= {"tax_per_mu", "rd_intensity"}


def test_a_county_office_sets_its_own_class_shares_with_a_reason_and_the_run_records_them(imported, county_office):
    default = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024,
                             class_shares="10, 70, 15, 5", shares_reason="县政府常务会议纪要〔2025〕3号")
    # Ten graded firms: A is (rank − 1) ÷ 10 < 10 % → rank 1; B < 80 % → ranks 2–8; C < 95 % → ranks 9–10.
    assert run.class_counts == {"A": 1, "B": 7, "C": 2} != default.class_counts
    assert run.method_sha256 != default.method_sha256  # the run's hash covers the office's shares
    entry = AuditEntry.objects.filter(verb="run_per_mu", object_id=str(run.pk)).get()
    assert entry.data["class_shares"] == {"A": "0.1", "B": "0.8", "C": "0.95", "D": "1"}
    assert "县政府常务会议纪要" in entry.reason and "县政府常务会议纪要" in entry.data["class_shares_source"]


@pytest.mark.parametrize(("shares", "reason", "field", "says"), [
    ("20, 60, 15", "会议纪要", "class_shares", "give 4 per cents"),
    ("20, 60, 15, 10", "会议纪要", "class_shares", "add up to 100 %, not 105 %"),
    ("20, 60, x, 5", "会议纪要", "class_shares", "give 4 per cents"),
    ("20, 60, 15, 5", " ", "shares_reason", "say why"),
])
def test_class_shares_that_are_not_four_per_cents_adding_to_100_with_a_reason_write_nothing(
        imported, county_office, shares, reason, field, says):
    with pytest.raises(ActionError, match=says) as refused:
        actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024, class_shares=shares,
                           shares_reason=reason)
    assert refused.value.field == field and not PerMuRun.objects.exists()


def test_the_run_form_takes_the_office_shares(signed_in, county_office, imported):
    county = qingxiu(county_office)
    answer = signed_in(county_office).post(reverse("enterprises:index"), {
        "do": "run", "county": county.pk, "year": 2024, "method_id": "zhejiang-county",
        "class_shares": "10，70，15，5", "shares_reason": "县政府常务会议纪要"})
    run = PerMuRun.objects.get()
    assert answer.status_code == 302 and run.class_counts == {"A": 1, "B": 7, "C": 2}
    page = signed_in(county_office).get(reverse("enterprises:run", args=[run.pk])).content.decode()
    assert "A 10% · B 70% · C 15% · D 5%" in page and "县政府常务会议纪要" in page


def test_a_year_without_figures_is_refused(imported, county_office):
    with pytest.raises(ActionError, match="import them first"):
        actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2023)


def _published(county_office: Any) -> PerMuRun:
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    today = dt.date.today()
    actions.open_per_mu_notice(run=run, by=county_office, opens_on=today, closes_on=today + dt.timedelta(days=4))
    objection = actions.submit_per_mu_objection(result=run.results.get(rank=10), name="青秀企业1号", contact="0771-1234567",
                                                grounds="用地面积含代征道路", today=today)
    actions.decide_per_mu_objection(objection=objection, by=county_office, upheld=False, reason="用地以不动产登记为准")
    return actions.publish_per_mu(run=run, by=county_office, today=today + dt.timedelta(days=5))


def test_a_notice_shorter_than_five_days_is_refused(imported, county_office):
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    today = dt.date.today()
    with pytest.raises(ActionError, match="at least 5 days"):
        actions.open_per_mu_notice(run=run, by=county_office, opens_on=today, closes_on=today + dt.timedelta(days=3))


def test_publishing_waits_for_the_notice_to_close_and_for_every_objection(imported, county_office):
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    today = dt.date.today()
    actions.open_per_mu_notice(run=run, by=county_office, opens_on=today, closes_on=today + dt.timedelta(days=4))
    with pytest.raises(ActionError, match="publish after it"):
        actions.publish_per_mu(run=run, by=county_office, today=today + dt.timedelta(days=4))
    objection = actions.submit_per_mu_objection(result=run.results.first(), name="某人", contact="x", grounds="数据有误",
                                                today=today)
    with pytest.raises(ActionError, match="not decided"):
        actions.publish_per_mu(run=run, by=county_office, today=today + dt.timedelta(days=5))
    actions.decide_per_mu_objection(objection=objection, by=county_office, upheld=True, reason="税收数据漏报")
    with pytest.raises(ActionError, match="run again"):
        actions.publish_per_mu(run=run, by=county_office, today=today + dt.timedelta(days=5))


def test_an_objection_after_the_notice_closes_is_refused(imported, county_office):
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    today = dt.date.today()
    actions.open_per_mu_notice(run=run, by=county_office, opens_on=today, closes_on=today + dt.timedelta(days=4))
    with pytest.raises(ActionError, match="only while the notice is open"):
        actions.submit_per_mu_objection(result=run.results.first(), name="某人", contact="x", grounds="理由",
                                        today=today + dt.timedelta(days=5))


def test_published_results_feed_the_town_classes_aggregates_and_the_002_leaders(imported, county_office, qingxiu_town):
    run = _published(county_office)
    assert run.status == PerMuRun.Status.PUBLISHED
    assert latest_town_classes(qingxiu_town) | {"run": None} == {"year": 2024, "run": None, "A": 2, "B": 6, "C": 2, "D": 0}
    [row] = town_per_mu_aggregates(2024)
    land = sum(10 + k for k in range(1, 11))
    tax = sum(20 * k for k in range(1, 11))
    assert row["firms"] == 10 and row["tax_per_mu"] == pytest.approx(tax / land)
    assert [r["town__code"] for r in per_mu_leading_towns(2024)] == [qingxiu_town.code]
    assert PerMuObjection.objects.get().status == "rejected"


def test_registry_indicators_count_rd_institutions_among_above_scale_firms(imported, qingxiu_town):
    found = registry_indicators(qingxiu_town, 2024)
    assert found["rd_institution_share"]["value"] == 0.5 and found["rd_institution_share"]["basis"] == "5 ÷ 10"
    assert found["high_tech_enterprises"]["value"] == 3 and "enterprise registry" in found["high_tech_enterprises"]["source"]
    assert registry_indicators(qingxiu_town, 2023) == {}


# ------------------------------------------------------------------ pages

def test_the_county_office_imports_and_runs_from_the_page(signed_in, county_office, qingxiu_town):
    client = signed_in(county_office)
    page = client.get(reverse("enterprises:index"))
    assert page.status_code == 200 and "导入企业数据" in page.content.decode()
    upload = SimpleUploadedFile("2024.csv", csv_of(qingxiu_town.code), content_type="text/csv")
    county = Region.objects.get(code="450103")
    assert client.post(reverse("enterprises:index"), {"do": "import", "county": county.pk, "file": upload}).status_code == 302
    answer = client.post(reverse("enterprises:index"), {"do": "run", "county": county.pk, "year": 2024,
                                                        "method_id": "zhejiang-county"})
    run = PerMuRun.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("enterprises:run", args=[run.pk])
    only_a = client.get(reverse("enterprises:run", args=[run.pk]) + "?class=A").content.decode()
    assert "青秀企业10号" in only_a and "青秀企业1号<" not in only_a


def test_a_bad_upload_shows_the_cell_errors_on_the_page(signed_in, county_office, qingxiu_town):
    client = signed_in(county_office)
    bad = csv_of(qingxiu_town.code).replace(b",2010,", b",twenty,", 1)
    upload = SimpleUploadedFile("bad.csv", bad, content_type="text/csv")
    page = client.post(reverse("enterprises:index"), {"do": "import", "county": Region.objects.get(code="450103").pk,
                                                      "file": upload})
    assert page.status_code == 400 and "a year is four digits, not &#x27;twenty&#x27;" in page.content.decode()


def test_a_draft_is_hidden_from_another_city_and_a_published_run_is_not(imported, county_office, liuzhou_reviewer,
                                                                         signed_in, qingxiu_town):
    run = actions.run_per_mu(by=county_office, county=qingxiu(county_office), year=2024)
    client = signed_in(liuzhou_reviewer)
    assert client.get(reverse("enterprises:run", args=[run.pk])).status_code == 404
    published = _published(county_office)
    assert client.get(reverse("enterprises:run", args=[published.pk])).status_code == 200


def test_the_town_leaderboard_lists_graded_firms_best_first(imported, county_office, signed_in, qingxiu_town):
    _published(county_office)
    page = signed_in(county_office).get(reverse("enterprises:leaderboard", args=[qingxiu_town.pk])).content.decode()
    assert page.index("青秀企业10号") < page.index("青秀企业9号") < page.index("青秀企业2号")


def test_the_example_file_would_be_refused_for_unknown_towns(county_office, db):
    example = Path(__file__).resolve().parents[3] / "examples" / "per-mu" / "enterprises.csv"
    with pytest.raises(ActionError) as caught:
        actions.import_enterprises(by=county_office, county=Region.objects.get(code="450103"), file_name="enterprises.csv",
                                   content=example.read_bytes())
    assert "no town '330681101'" in caught.value.details[0] and len(io.StringIO(example.read_text()).readlines()) == 55


def test_the_town_page_shows_its_class_counts_once_a_run_is_published(imported, county_office, signed_in,
                                                                       qingxiu_town):
    client = signed_in(county_office)
    before = client.get(f"/towns/{qingxiu_town.code}/").content.decode()
    assert "A 2 · B 6" not in before and "enterprises/towns" not in before  # no published classes yet
    _published(county_office)
    page = client.get(f"/towns/{qingxiu_town.code}/").content.decode()
    assert "企业亩均效益" in page and "A 2 · B 6 · C 2 · D 0" in page and "青秀企业10号" in page


def test_the_town_page_shows_the_indicators_counted_from_the_registry_with_their_source(imported, county_office,
                                                                                         signed_in, qingxiu_town):
    page = signed_in(county_office).get(f"/towns/{qingxiu_town.code}/").content.decode()
    assert "由企业库计算的指标" in page and "50% (5 ÷ 10)" in page and "enterprise registry, 10 firms in 2024" in page
