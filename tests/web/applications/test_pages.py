"""The pages as a town body and a reviewer use them: the form with its live verdict,
draft and submit buttons, uploads, the decision form, the queue and the dashboards."""

from __future__ import annotations

import re

from django.urls import reverse

from applications.actions import start_application
from applications.models import Application
from xiaozhen.policy import criterion_defaults
from xiaozhen.present import label_of

from ..readable import named_value
from .conftest import good_facts, pdf, upload_all


def test_the_form_posts_to_the_verdict_partial_as_fields_change(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    html = signed_in(town_clerk).get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert f'hx-post="{reverse("applications:verdict", args=[application.pk])}"' in html
    assert 'hx-trigger="change, keyup delay:500ms"' in html
    year1, year3 = guangxi_call.plan_periods[0], guangxi_call.plan_periods[2]
    assert f'name="fixed_asset_investment__{year1}"' in html and f'name="fixed_asset_investment__{year3}"' in html
    assert 'name="materials_complete"' not in html  # the city's check confirms it; the town does not answer it
    assert "创新小镇创建方案" in html and "000 第四部分(一)" in html


def test_the_live_verdict_shows_each_criterion_with_values_threshold_and_clause(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    data = good_facts(guangxi_call, **{f"fixed_asset_investment__{p}": "2" for p in guangxi_call.plan_periods})
    response = signed_in(town_clerk).post(reverse("applications:verdict", args=[application.pk]), data,
                                          HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-criterion="app_investment_total" data-outcome="fail"' in html
    # each value by its label, with its unit: 累计计入投资 6.x 亿元, 三年内完成项目投资 10 亿元
    assert re.search(r" 6(\.\d+)? 亿元$", named_value(html, "cum_counted_investment"))
    assert named_value(html, "min_investment_3y").endswith(" 10 亿元") and "000 第二部分(四)" in html
    assert "cum_counted_investment=" not in html
    assert 'data-criterion="app_city_recommended" data-outcome="unknown"' in html
    assert "待审核环节确认" in html and "设区市科技局择优向自治区科技厅推荐" in html  # what the unknown waits for
    application.refresh_from_db()
    assert application.facts == {}  # the partial saves nothing


def test_a_wrong_value_is_named_in_the_live_verdict_and_read_as_blank(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    data = good_facts(guangxi_call, high_tech_enterprises="四家")
    html = signed_in(town_clerk).post(reverse("applications:verdict", args=[application.pk]), data).content.decode()
    assert "high_tech_enterprises" in html and "四家" in html
    assert 'data-criterion="app_high_tech_enterprises" data-outcome="unknown"' in html


def test_saving_a_draft_keeps_the_answers_and_shows_them_again(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    client = signed_in(town_clerk)
    url = reverse("applications:edit", args=[application.pk])
    response = client.post(url, {**good_facts(guangxi_call), "high_tech_enterprises": "abc", "save": "1"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'value="abc"' in html and "草稿已保存" in html


def test_submitting_from_the_page_without_materials_shows_what_is_missing(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    response = signed_in(town_clerk).post(reverse("applications:edit", args=[application.pk]),
                                          {**good_facts(guangxi_call), "submit": "1"})
    assert response.status_code == 400
    assert "缺少材料" in response.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT and application.facts  # the answers were kept


def test_an_upload_from_the_page_is_listed_and_a_refusal_is_explained(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    client = signed_in(town_clerk)
    url = reverse("applications:upload", args=[application.pk])
    client.post(url, {"material_id": "creation_plan", "file": pdf("创建方案.pdf")})
    response = client.post(url, {"material_id": "investors", "file": pdf("投资主体.pdf", b"GIF89a")}, follow=True)
    html = response.content.decode()
    assert "创建方案.pdf" in html and "投资主体.pdf" in html and "内容不是PDF" in html


def test_submitting_from_the_page_goes_to_the_application_with_its_chain(guangxi_call, town_clerk, signed_in):
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    upload_all(application, town_clerk)
    client = signed_in(town_clerk)
    response = client.post(reverse("applications:edit", args=[application.pk]),
                           {**good_facts(guangxi_call), "submit": "1"}, follow=True)
    html = response.content.decode()
    assert "申报已提交" in html and "设区市科技局审核申报材料完整性和建设规划可行性" in html
    assert "提交时结论" in html


def test_the_reviewer_sees_both_verdicts_and_decides_on_the_page(submitted, town_clerk, nanning_reviewer, signed_in):
    application = submitted(town_clerk)
    client = signed_in(nanning_reviewer)
    url = reverse("applications:detail", args=[application.pk])
    html = client.get(url).content.decode()
    assert "当前结论" in html and "提交时结论" in html and 'name="outcome"' in html
    response = client.post(reverse("applications:decide", args=[application.pk]),
                           {"step_id": "city_check", "outcome": "return", "reason": ""})
    assert response.status_code == 400 and "须说明理由" in response.content.decode()
    response = client.post(reverse("applications:decide", args=[application.pk]),
                           {"step_id": "city_check", "outcome": "return", "reason": "缺少盖章"}, follow=True)
    assert "缺少盖章" in response.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.RETURNED


def test_the_recommend_step_asks_for_a_rank(submitted, town_clerk, nanning_reviewer, signed_in):
    from applications.actions import decide_step

    application = submitted(town_clerk)
    decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=nanning_reviewer)
    html = signed_in(nanning_reviewer).get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'name="rank"' in html


def test_the_queue_holds_what_this_reviewer_decides_next(submitted, town_clerk, liuzhou_clerk, nanning_reviewer,
                                                         province_officer, signed_in):
    nanning, liuzhou = submitted(town_clerk), submitted(liuzhou_clerk)
    html = signed_in(nanning_reviewer).get(reverse("applications:queue")).content.decode()
    assert nanning.town.name_zh in html and liuzhou.town.name_zh not in html
    html = signed_in(province_officer).get(reverse("applications:queue")).content.decode()
    assert nanning.town.name_zh not in html  # waiting for the city, not for the region


def test_dashboards_show_my_applications_and_the_review_queue(submitted, town_clerk, nanning_reviewer, signed_in):
    application = submitted(town_clerk)
    html = signed_in(town_clerk).get(reverse("portal:dashboard")).content.decode()
    assert "我的申报" in html and application.town.name_zh in html
    html = signed_in(nanning_reviewer).get(reverse("portal:dashboard")).content.decode()
    assert "待审核" in html and application.town.name_zh in html


def test_the_calls_page_offers_the_town_to_apply_and_the_officer_to_open(guangxi_call, town_clerk, province_officer,
                                                                        signed_in):
    html = signed_in(town_clerk).get(reverse("applications:calls")).content.decode()
    assert guangxi_call.title in html and "在线申报" in html
    response = signed_in(town_clerk).post(reverse("applications:start", args=[guangxi_call.pk]))
    assert response.status_code == 302 and Application.objects.filter(town=town_clerk.town).exists()
    html = signed_in(province_officer).get(reverse("applications:calls")).content.decode()
    assert "发布申报通知" in html


def test_the_officer_opens_a_call_from_the_page(guangxi, province_officer, signed_in):
    client = signed_in(province_officer)
    response = client.post(reverse("applications:call_create"), {
        "programme": guangxi.pk, "title": "第二批申报", "opens_on": "2026-05-01", "closes_on": "2026-04-01"})
    assert response.status_code == 400 and "截止日期不得早于开始日期" in response.content.decode()
    response = client.post(reverse("applications:call_create"), {
        "programme": guangxi.pk, "title": "第二批申报", "opens_on": "2026-03-01", "closes_on": "2026-04-01"})
    assert response.status_code == 302


def test_applying_from_the_page_to_a_closed_call_says_when_it_closed(guangxi, province_officer, town_clerk,
                                                                    signed_in):
    import datetime as dt

    from applications.actions import open_call

    closed = open_call(programme=guangxi, title="上一批申报", opens_on=dt.date(2024, 3, 1),
                       closes_on=dt.date(2024, 4, 1), by=province_officer)
    client = signed_in(town_clerk)
    assert "不在申报期" in client.get(reverse("applications:calls")).content.decode()
    html = client.post(reverse("applications:start", args=[closed.pk]), follow=True).content.decode()
    assert "申报已于 2024-04-01 截止" in html
    assert not Application.objects.exists()


def _verdict_html(call, clerk, signed_in) -> str:
    application = start_application(call=call, town=clerk.town, by=clerk)
    return signed_in(clerk).post(reverse("applications:verdict", args=[application.pk]), good_facts(call),
                                 HTTP_HX_REQUEST="true").content.decode()


def test_the_verdict_page_shows_a_window_sum_by_its_label_never_its_identifier(guangxi_call, town_clerk, signed_in):
    html = _verdict_html(guangxi_call, town_clerk, signed_in)
    window = "sum_first_investment_window_years__counted_investment"
    zh, en = label_of(guangxi_call.programme.policy, window)
    shown = re.sub(r"<[^>]*>", " ", html)  # what a person reads: the text, not the markup's data-id attributes
    assert f'data-id="{window}"' in html  # the value is there, tagged for scripts and tests
    assert window not in shown
    assert "sum_first" not in shown
    assert zh.startswith("前3年") and zh in html and en in html


def test_the_verdict_page_marks_each_criterion_resting_on_a_default_and_no_other(guangxi_call, town_clerk, signed_in):
    html = _verdict_html(guangxi_call, town_clerk, signed_in)
    policy = guangxi_call.programme.policy
    rows = {row.split('"', 1)[0]: row.split("</tr>", 1)[0] for row in html.split('data-criterion="')[1:]}
    assert rows
    marked = {cid for cid, row in rows.items() if 'class="tag default"' in row}
    assert marked == {cid for cid in rows if criterion_defaults(policy, cid)}
    assert marked and marked != set(rows)  # some rest on defaults, some on the seed alone
