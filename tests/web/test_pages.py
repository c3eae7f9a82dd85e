"""Sign-in, language, dashboards, forms and error pages as a user meets them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from towns.models import TierChange


def test_the_sign_in_page_is_chinese_first_with_english_beside(db, client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-Hans"' in html
    assert html.index("用户名") < html.index("Username")
    assert '<label for="id_username">' in html


def test_switching_to_english_puts_english_first(db, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html
    assert html.index("Username") < html.index("用户名")


def test_a_wrong_password_is_explained_in_both_languages(db, client, province_officer):
    html = client.post(reverse("login"), {"username": "guo", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确" in html and "The username or password is not correct" in html
    assert 'role="alert"' in html


def test_signing_in_leads_to_the_dashboard(db, client, province_officer):
    from tests.web.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "guo", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")


@pytest.mark.parametrize(
    ("who", "panel"),
    [
        ("province_officer", "辖区小镇"),
        ("nanning_reviewer", "辖区小镇"),
        ("county_office", "辖区小镇"),
        ("town_clerk", "本小镇"),
        ("expert", "指派给您的小镇"),
        ("auditor", "最近操作"),
    ],
)
def test_each_role_has_its_dashboard(request, towns, enrolment, signed_in, who, panel):
    html = signed_in(request.getfixturevalue(who)).get(reverse("portal:dashboard")).content.decode()
    assert panel in html


def test_the_officers_dashboard_counts_its_towns_by_tier(towns, enrolment, signed_in, province_officer):
    html = signed_in(province_officer).get(reverse("portal:dashboard")).content.decode()
    assert "测试小镇" in html and f"?programme={enrolment.programme.pk}&amp;tier=creation" in html


def test_the_tier_chart_shows_the_same_counts_as_the_tier_table(towns, enrolment, signed_in, province_officer):
    import json
    import re

    html = signed_in(province_officer).get(reverse("portal:dashboard")).content.decode()
    data = re.search(r'<script id="towns-by-tier-chart" type="application/json">(.*?)</script>', html, re.S)
    option = json.loads(data.group(1))
    by_series = {s["name"].split(" / ")[0]: s["data"] for s in option["series"]}
    assert by_series["创建"] == [1]  # the one creation town of the fixture
    assert sum(sum(values) for values in by_series.values()) == 1


def test_only_officers_and_auditors_see_the_audit_link(towns, signed_in, town_clerk, auditor):
    assert "/audit/" not in signed_in(town_clerk).get(reverse("portal:dashboard")).content.decode()
    assert "/audit/" in signed_in(auditor).get(reverse("portal:dashboard")).content.decode()


def test_the_town_page_shows_enrolment_series_and_verdicts(enrolment, signed_in, province_officer, programme):
    from towns.actions import record_indicator_values

    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="application",
                            values=[{"indicator": "investment", "period": p, "basis": "plan", "value": 4}
                                    for p in ("2019", "2020", "2021")])
    html = signed_in(province_officer).get(reverse("towns:detail", args=[enrolment.town.code])).content.decode()
    assert "测试用广西创新小镇" in html and "创建" in html
    assert "指标时间序列" in html and "2021" in html
    assert "申报条件" in html and 'class="verdict-pass"' in html


def test_the_town_page_says_who_set_each_value_source_person_and_time(
        enrolment, signed_in, province_officer, town_clerk, programme):
    from towns.actions import record_indicator_values

    record_indicator_values(town=enrolment.town, programme=programme, by=town_clerk, source="quarterly_report",
                            source_ref="report:7",
                            values=[{"indicator": "investment", "period": "2020Q1", "basis": "actual", "value": 1.25}])
    record_indicator_values(town=enrolment.town, programme=programme, by=province_officer, source="acceptance",
                            values=[{"indicator": "has_maker_space", "period": "2020", "basis": "actual",
                                     "value": True}])
    html = signed_in(province_officer).get(reverse("towns:detail", args=[enrolment.town.code])).content.decode()
    table = html[html.index("每个数值由谁录入"):]
    quarter, year = table.index("2020Q1"), table.index("<td>2020</td>")
    assert "季度报告" in table[quarter:] and "report:7" in table[quarter:] and "小镇办" in table[quarter:]
    assert "验收" in table[year:quarter] and "郭省" in table[year:quarter] and "是 yes" in table[year:quarter]


def test_a_decider_changes_a_tier_from_the_town_page(enrolment, signed_in, province_officer):
    p = f"e{enrolment.pk}-"
    response = signed_in(province_officer).post(
        reverse("towns:change_tier", args=[enrolment.town.code, enrolment.pk]),
        {p + "to_tier": "named", p + "reason": "通过验收", p + "decision_ref": "桂科〔2022〕9号",
         p + "effective_on": "2022-01-01"},
    )
    assert response.status_code == 302
    change = TierChange.objects.get()
    assert (change.to_tier, change.effective_on, change.decided_by) == ("named", dt.date(2022, 1, 1), province_officer)


def test_a_refused_tier_change_is_shown_next_to_the_form(enrolment, signed_in, province_officer):
    p = f"e{enrolment.pk}-"
    response = signed_in(province_officer).post(
        reverse("towns:change_tier", args=[enrolment.town.code, enrolment.pk]),
        {p + "to_tier": "named", p + "reason": "r", p + "decision_ref": "d", p + "effective_on": "2018-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "生效日期不得早于" in html and "cannot take effect before" in html
    assert not TierChange.objects.exists()


def test_an_officer_creates_a_town_from_the_form(db, signed_in, county_office):
    from regions.models import Region

    qingxiu = Region.objects.get(code="450103")
    response = signed_in(county_office).post(reverse("towns:create"), {"region": qingxiu.pk, "name_zh": "新镇"})
    assert response.status_code == 302 and response["Location"] == "/towns/450103-001/"


def test_a_town_form_with_a_missing_name_says_what_to_fix(db, signed_in, county_office):
    from regions.models import Region

    response = signed_in(county_office).post(reverse("towns:create"),
                                             {"region": Region.objects.get(code="450103").pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_name_zh"' in html and 'aria-invalid="true"' in html


def test_an_unknown_page_is_a_bilingual_404(db, signed_in, auditor):
    html = signed_in(auditor).get("/towns/no-such-town/").content.decode()
    assert "页面不存在" in html and "Page not found" in html


def test_elder_mode_changes_only_the_body_class_and_its_switch(enrolment, signed_in, province_officer, client):
    """The browser journeys measure 长者模式 by putting the ``elder`` class on <body>: that is all it changes."""
    import re

    from portal.context_processors import ELDER_COOKIE

    def page(elder: bool) -> str:
        client.cookies[ELDER_COOKIE] = "1" if elder else "0"
        html = client.get(f"/towns/{enrolment.town.code}/").content.decode()
        return re.sub(r'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "TOKEN", html)

    signed_in(province_officer)
    plain, elder = page(False), page(True)
    assert '<body hx-headers' in elder and ' class="elder">' in elder and ' class="elder">' not in plain
    switch = r'<button type="submit" name="elder" value="(on|off)" aria-pressed="(true|false)">'

    def unify(html: str) -> str:
        return re.sub(switch, "SWITCH", html.replace(' class="elder">', ">"))

    assert unify(plain) == unify(elder)
