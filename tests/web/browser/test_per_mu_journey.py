"""A county office imports its enterprises, runs the per-mu evaluation, puts the classes on public notice,
publishes them, and the town's leaderboard shows its firms best first."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from enterprises.models import PerMuRun
from regions.models import Region
from xiaozhen.codes import credit_code_check_char

HEADER = "统一社会信用代码,企业名称,所在镇街/小镇编号,年份,规模以上,投产年份,自有用地(亩),税收(万元),增加值(万元),主营业务收入(万元),工业总产值(万元),综合能耗(吨标准煤),排放当量(吨),从业人员(人),研发经费(万元)"


def _csv(town_code: str, *, bad: bool = False) -> str:
    lines = [HEADER]
    for k in range(1, 11):
        first = f"91450103MA8{k:06d}"
        code = first + credit_code_check_char(first)
        year = "二〇二四" if bad and k == 4 else "2024"
        lines.append(f"{code},青秀{k}号科技有限公司,{town_code},{year},是,2012,{10 + k},{20 * k},{100 * k},{400 * k},"
                     f"{450 * k},{30 * k},{k},{10 + k},{12 * k}")
    return "\n".join(lines) + "\n"


def test_county_office_imports_runs_notices_publishes_and_reads_the_leaderboard(
    page, live_server, sign_in, shot, tmp_path, county_office, qingxiu_town
):
    county = str(Region.objects.get(code="450103").pk)
    sign_in(page, county_office)
    page.goto(f"{live_server.url}/enterprises/")
    importing = page.locator("form:has(input[name=do][value=import])")
    importing.locator("select[name=county]").select_option(county)
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(qingxiu_town.code, bad=True), encoding="utf-8")
    importing.locator("input[name=file]").set_input_files(str(bad))
    importing.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("第 5 行 row 5")
    expect(page.locator("main")).to_contain_text("未导入任何数据")
    shot(page, "import-refused-with-the-cell")

    good = tmp_path / "2024.csv"
    good.write_text(_csv(qingxiu_town.code), encoding="utf-8")
    importing = page.locator("form:has(input[name=do][value=import])")
    importing.locator("select[name=county]").select_option(county)
    importing.locator("input[name=file]").set_input_files(str(good))
    importing.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("已导入 10 行")

    running = page.locator("form:has(input[name=do][value=run])")
    running.locator("select[name=county]").select_option(county)
    running.locator("input[name=year]").fill("2024")
    running.locator("select[name=method_id]").select_option("zhejiang-county")
    running.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("2024")
    expect(page.locator("table.results")).to_contain_text("青秀10号科技有限公司")
    shot(page, "draft-results")

    today = dt.date.today()
    page.fill("input[name=opens_on]", (today - dt.timedelta(days=12)).isoformat())
    page.fill("input[name=closes_on]", (today - dt.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="公示").click()
    expect(page.locator("main")).to_contain_text("公示中")
    page.get_by_role("button", name="正式公布").click()
    expect(page.locator("main")).to_contain_text("已公布")
    assert PerMuRun.objects.get().status == "published"
    shot(page, "published")

    page.goto(f"{live_server.url}/enterprises/towns/{qingxiu_town.pk}/leaderboard/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("青秀10号科技有限公司")
    expect(rows.first).to_contain_text("A")
    shot(page, "leaderboard")
