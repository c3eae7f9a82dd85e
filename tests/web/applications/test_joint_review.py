"""The joint review of the Tongzhou programme (003 §四(二)): the district's joint-meeting office names
the departments that must give an opinion, records each one's written opinion, and may decide the step
only once every named department has answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.timezone import localtime
from tests.web.conftest import persona, region

from accounts.models import Organisation, Role
from applications.actions import (
    decide_step,
    name_review_departments,
    open_call,
    record_department_opinion,
    save_draft,
    start_application,
    submit_application,
)
from applications.models import Application, DepartmentOpinion
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from towns.actions import create_town

from .conftest import upload_all

State = Application.State




@pytest.fixture
def haimen_office(db):
    return persona("hai", Role.COUNTY_OFFICE, region_code="320614", full_name="海门办")


@pytest.fixture
def nantong_reviewer(db):
    return persona("tong", Role.CITY_REVIEWER, region_code="320600", full_name="南通审")


@pytest.fixture
def suzhou_reviewer(db):
    return persona("su", Role.CITY_REVIEWER, region_code="320500", full_name="苏州审")


def department(name_zh: str, name_en: str, code: str = "320612") -> Organisation:
    return Organisation.objects.create(name_zh=name_zh, name_en=name_en, kind=Organisation.Kind.DEPARTMENT,
                                       region=region(code))


@pytest.fixture
def departments(db) -> dict[str, Organisation]:
    return {
        "fgw": department("区发展改革委", "District Development and Reform Commission"),
        "zrzy": department("区规划和自然资源分局", "District Planning and Natural Resources Branch"),
        "sthj": department("区生态环境局", "District Ecology and Environment Bureau"),
    }


@pytest.fixture
def at_joint_review(tongzhou, tongzhou_office):
    """A Tongzhou textile town's application, received by the office, waiting at the joint review."""
    today = dt.date.today()
    call = open_call(programme=tongzhou, title="通州特色小镇创建申报", opens_on=today - dt.timedelta(days=1),
                     closes_on=today + dt.timedelta(days=30), by=tongzhou_office, first_plan_year=today.year)
    town = create_town(by=tongzhou_office, region=region("320612"), name_zh="石港家纺小镇",
                       name_en="Shigang Textile Town", category="high_end_manufacturing", sub_sector="高端家纺")
    clerk = persona("shigang", Role.TOWN_BODY, town=town, full_name="石港小镇办")
    application = start_application(call=call, town=town, by=clerk)
    data = {"construction_subject_defined": "是"}
    for period, total, feature in zip(call.plan_periods, ("8", "12", "12"), ("6", "9", "9"), strict=True):
        data[f"investment__{period}"] = total
        data[f"feature_investment__{period}"] = feature
    save_draft(application=application, data=data, by=clerk, category="high_end_manufacturing", sub_sector="高端家纺")
    upload_all(application, clerk)
    submit_application(application=application, by=clerk)
    decide_step(application=application, step_id="receive", outcome="pass", reason="", by=tongzhou_office)
    application.refresh_from_db()
    assert application.current_step == "joint_review"
    return application


def give(application, dept, office, opinion="agree", text="同意申报"):
    return record_department_opinion(application=application, department=dept, opinion=opinion, text=text, by=office)


def test_the_county_cannot_decide_the_joint_review_before_naming_any_department(at_joint_review, tongzhou_office):
    with pytest.raises(ActionError) as refused:
        decide_step(application=at_joint_review, step_id="joint_review", outcome="pass", reason="", by=tongzhou_office)
    assert "请先指定参加联审的区级职能部门" in refused.value.zh and "003 §四(二)" in refused.value.zh


def test_the_county_cannot_decide_until_every_named_department_has_given_its_opinion_and_can_after(
        at_joint_review, tongzhou_office, departments):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=list(departments.values()))
    give(at_joint_review, departments["fgw"], tongzhou_office)
    give(at_joint_review, departments["zrzy"], tongzhou_office, opinion="conditional", text="须调整规划范围避让基本农田")
    with pytest.raises(ActionError) as refused:
        decide_step(application=at_joint_review, step_id="joint_review", outcome="pass", reason="", by=tongzhou_office)
    assert "区生态环境局" in refused.value.zh and "区发展改革委" not in refused.value.zh
    assert "District Ecology and Environment Bureau" in refused.value.en
    at_joint_review.refresh_from_db()
    assert at_joint_review.current_step == "joint_review" and not at_joint_review.decisions.filter(
        step_id="joint_review").exists()

    give(at_joint_review, departments["sthj"], tongzhou_office, opinion="disagree", text="环评未批复")
    decide_step(application=at_joint_review, step_id="joint_review", outcome="pass", reason="联审通过", by=tongzhou_office)
    at_joint_review.refresh_from_db()
    assert at_joint_review.current_step == "publish_list" and at_joint_review.state == State.IN_REVIEW


def test_a_department_outside_the_district_cannot_give_an_opinion(at_joint_review, tongzhou_office, haimen_office):
    haimen = department("海门区发展改革委", "Haimen Development and Reform Commission", code="320614")
    with pytest.raises(NotAllowed):
        name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                                departments=[haimen])
    with pytest.raises(NotAllowed):
        give(at_joint_review, haimen, tongzhou_office)
    # nor may another district's office name its own departments on a Tongzhou application
    with pytest.raises(NotAllowed):
        name_review_departments(application=at_joint_review, step_id="joint_review", by=haimen_office,
                                new_names=["海门区生态环境局"])
    assert not DepartmentOpinion.objects.filter(application=at_joint_review).exists()


def test_an_opinion_needs_its_written_text_and_is_recorded_once(at_joint_review, tongzhou_office, departments):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"]])
    with pytest.raises(ActionError) as refused:
        give(at_joint_review, departments["fgw"], tongzhou_office, text="  ")
    assert refused.value.field == "text"
    give(at_joint_review, departments["fgw"], tongzhou_office)
    with pytest.raises(NotAllowed):
        give(at_joint_review, departments["fgw"], tongzhou_office, opinion="disagree", text="改变主意")
    assert DepartmentOpinion.objects.get(department=departments["fgw"]).opinion == "agree"


def test_the_office_may_register_a_department_by_name_in_its_own_district(at_joint_review, tongzhou_office):
    [row] = name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                                    new_names=["区服务业发展局", " "])
    assert row.department.kind == Organisation.Kind.DEPARTMENT and row.department.region.code == "320612"


def test_naming_and_each_opinion_leave_audit_rows(at_joint_review, tongzhou_office, departments):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"], departments["sthj"]])
    give(at_joint_review, departments["sthj"], tongzhou_office, opinion="conditional", text="落实污水接管")
    named = AuditEntry.objects.get(verb="name_review_departments", object_id=str(at_joint_review.pk))
    assert named.actor == tongzhou_office
    assert sorted(named.data["departments"]) == sorted(["区发展改革委", "区生态环境局"])
    assert named.data["clause"] == "003 §四(二)"
    opinion = AuditEntry.objects.get(verb="record_department_opinion", object_id=str(at_joint_review.pk))
    assert opinion.data["department"] == "区生态环境局" and opinion.data["opinion"] == "conditional"
    assert opinion.reason == "落实污水接管" and opinion.region.code == "320612"


def test_the_decision_page_shows_each_departments_opinion_who_and_when_and_the_one_missing(
        at_joint_review, tongzhou_office, departments, signed_in):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"], departments["sthj"]])
    row = give(at_joint_review, departments["fgw"], tongzhou_office, opinion="conditional", text="须补充能耗评估")
    html = signed_in(tongzhou_office).get(f"/applications/{at_joint_review.pk}/").content.decode()
    assert "部门联审意见" in html and "有条件同意" in html and "须补充能耗评估" in html
    assert "通州联席办" in html and localtime(row.recorded_at).strftime("%Y-%m-%d %H:%M") in html
    assert "尚未提出意见" in html and "区生态环境局" in html
    assert f'action="/applications/{at_joint_review.pk}/opinions/"' in html

    response = signed_in(tongzhou_office).post(f"/applications/{at_joint_review.pk}/decide/",
                                               {"step_id": "joint_review", "outcome": "pass", "reason": ""})
    assert response.status_code == 400
    assert "尚有部门未提出联审意见：区生态环境局" in response.content.decode()


def test_the_office_names_departments_and_records_an_opinion_through_the_page(
        at_joint_review, tongzhou_office, departments, signed_in):
    client = signed_in(tongzhou_office)
    url = f"/applications/{at_joint_review.pk}"
    response = client.post(f"{url}/departments/", {"departments": [departments["sthj"].pk], "new_names": "区服务业发展局"})
    assert response.status_code == 302
    assert set(DepartmentOpinion.objects.values_list("department__name_zh", flat=True)) == {"区生态环境局", "区服务业发展局"}
    response = client.post(f"{url}/opinions/", {"department": departments["sthj"].pk, "opinion": "agree",
                                                 "text": "同意"})
    assert response.status_code == 302
    assert DepartmentOpinion.objects.get(department=departments["sthj"]).recorded_by == tongzhou_office


def test_a_city_reviewer_of_another_city_cannot_see_the_application_or_its_opinions(
        at_joint_review, tongzhou_office, departments, suzhou_reviewer, nantong_reviewer, signed_in, client):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"]])
    give(at_joint_review, departments["fgw"], tongzhou_office, text="同意，建议加快进度")
    assert signed_in(suzhou_reviewer).get(f"/applications/{at_joint_review.pk}/").status_code == 403
    client.logout()
    html = signed_in(nantong_reviewer).get(f"/applications/{at_joint_review.pk}/").content.decode()
    assert "同意，建议加快进度" in html  # the city holding Tongzhou sees them, without the office's forms
    assert "/opinions/" not in html and "/departments/" not in html


def test_a_town_body_sees_its_application_but_not_the_departments_deliberation(
        at_joint_review, tongzhou_office, departments, signed_in):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"]])
    give(at_joint_review, departments["fgw"], tongzhou_office, text="内部意见")
    clerk = at_joint_review.town.members.get()
    html = signed_in(clerk).get(f"/applications/{at_joint_review.pk}/").content.decode()
    assert "内部意见" not in html and "部门联审意见" not in html


def test_a_resubmission_after_a_return_starts_a_new_joint_review(at_joint_review, tongzhou_office, departments):
    name_review_departments(application=at_joint_review, step_id="joint_review", by=tongzhou_office,
                            departments=[departments["fgw"]])
    give(at_joint_review, departments["fgw"], tongzhou_office, opinion="disagree", text="投资计划不实")
    decide_step(application=at_joint_review, step_id="joint_review", outcome="return", reason="按部门意见修改",
                by=tongzhou_office)
    clerk = at_joint_review.town.members.get()
    submit_application(application=at_joint_review, by=clerk)
    decide_step(application=at_joint_review, step_id="receive", outcome="pass", reason="", by=tongzhou_office)
    with pytest.raises(ActionError):
        decide_step(application=at_joint_review, step_id="joint_review", outcome="pass", reason="", by=tongzhou_office)


def test_the_demo_has_a_tongzhou_application_mid_joint_review_that_the_county_login_reads(db, demo_output, client):
    from tests.web.readable import unreadable, visible_text
    from tests.web.test_readable_pages import one_word_ids

    from accounts.models import User

    waiting = DepartmentOpinion.objects.filter(opinion="", application__current_step="joint_review",
                                               application__programme__policy_id="tongzhou-towns")
    [row] = waiting.select_related("application", "department")
    application = row.application
    given = DepartmentOpinion.objects.filter(submission=row.submission).exclude(opinion="")
    assert row.department.name_zh == "区服务业发展局" and given.count() == 3
    client.force_login(User.objects.get(username="county"))
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "区服务业发展局" in html and "尚未提出意见" in html and "有条件同意" in html
    assert unreadable(visible_text(html), identifiers=one_word_ids()) == []
    listed = Application.objects.filter(programme__policy_id="tongzhou-towns", state=State.LISTED).first()
    assert listed is not None and DepartmentOpinion.objects.filter(application=listed).exclude(opinion="").count() == 4
