"""Expert panels: set-up, conflicts of interest, independent scoring, aggregation, decision, refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed
from reviews import actions
from reviews.models import Panel, PanelMember
from reviews.permissions import visible_panels
from towns.permissions import can_view_town, visible_towns

from .conftest import declare_and_score, member


def test_an_officer_sets_up_a_panel_with_a_snapshot_of_the_programmes_rubric(panel, province_officer):
    assert [item["id"] for item in panel.rubric] == ["industry", "investment", "mechanism"]
    assert panel.max_total == 100 and panel.status == Panel.Status.OPEN
    assert panel.rule["share_of_max"] == 0.15
    entry = AuditEntry.objects.get(verb="create_panel")
    assert entry.actor == province_officer and entry.data["subject"] == "assessment:2024"


def test_a_city_reviewer_may_not_set_up_a_panel_for_a_province_decided_programme(
    reviewed_enrolment, nanning_reviewer
):
    with pytest.raises(NotAllowed):
        actions.create_panel(by=nanning_reviewer, programme=reviewed_enrolment.programme, town=reviewed_enrolment.town,
                             purpose="annual_assessment", subject_ref="assessment:2024", title="x")


def test_a_programme_without_a_rubric_cannot_have_a_panel(enrolment, province_officer):
    with pytest.raises(ActionError, match="rubric"):
        actions.create_panel(by=province_officer, programme=enrolment.programme, town=enrolment.town,
                             purpose="annual_assessment", subject_ref="assessment:2024", title="x")


def test_an_unknown_subject_kind_is_refused_naming_the_field(reviewed_enrolment, province_officer):
    with pytest.raises(ActionError) as exc:
        actions.create_panel(by=province_officer, programme=reviewed_enrolment.programme, town=reviewed_enrolment.town,
                             purpose="annual_assessment", subject_ref="nonsense", title="x")
    assert exc.value.field == "subject_ref" and "kind:id" in str(exc.value)


def test_only_experts_can_sit_on_a_panel(panel, province_officer, nanning_reviewer):
    with pytest.raises(ActionError) as exc:
        actions.add_panel_member(panel=panel, expert=nanning_reviewer, by=province_officer)
    assert exc.value.field == "expert"


def test_an_expert_sees_the_town_only_after_declaring_no_conflict(panel, expert_a, qingxiu_town):
    assert not can_view_town(expert_a, qingxiu_town)
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=False)
    assert can_view_town(expert_a, qingxiu_town)
    assert list(visible_towns(expert_a)) == [qingxiu_town]


def test_an_expert_must_declare_before_scoring(panel, expert_a):
    with pytest.raises(ActionError, match="declare"):
        actions.submit_scores(member=member(panel, expert_a), by=expert_a,
                              scores={"industry": 30, "investment": 25, "mechanism": 25})


def test_a_conflicted_expert_cannot_score_or_see_the_town_and_the_officer_replaces_them(
    panel, expert_a, expert_c, province_officer, qingxiu_town
):
    m = member(panel, expert_a)
    with pytest.raises(ActionError) as exc:
        actions.declare_conflict(member=m, by=expert_a, conflicted=True)
    assert exc.value.field == "note"
    actions.declare_conflict(member=m, by=expert_a, conflicted=True, note="曾为该小镇编制规划")
    with pytest.raises(NotAllowed):
        actions.submit_scores(member=m, by=expert_a, scores={"industry": 30, "investment": 25, "mechanism": 25})
    assert not can_view_town(expert_a, qingxiu_town)
    entry = AuditEntry.objects.get(verb="declare_conflict")
    assert (entry.from_state, entry.to_state, entry.reason) == ("undeclared", "conflicted", "曾为该小镇编制规划")

    replacement = actions.replace_panel_member(member=m, expert=expert_c, by=province_officer, reason="回避")
    assert replacement.expert == expert_c
    assert not PanelMember.objects.get(pk=m.pk).active
    assert AuditEntry.objects.filter(verb="replace_panel_member").exists()


def test_an_expert_cannot_score_for_another(panel, expert_a, expert_b):
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=False)
    with pytest.raises(NotAllowed):
        actions.submit_scores(member=member(panel, expert_a), by=expert_b,
                              scores={"industry": 30, "investment": 25, "mechanism": 25})


def test_scores_out_of_range_or_low_without_a_comment_are_refused_item_by_item(panel, expert_a):
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=False)
    with pytest.raises(ActionError) as exc:
        actions.submit_scores(member=member(panel, expert_a), by=expert_a,
                              scores={"industry": 45, "investment": 10, "mechanism": 25})
    text = str(exc.value)
    assert "industry" in text and "0..40" in text
    assert "investment" in text and "comment" in text
    actions.submit_scores(member=member(panel, expert_a), by=expert_a,
                          scores={"industry": 35, "investment": 10, "mechanism": 25},
                          comments={"investment": "投资进度滞后"})


def test_the_status_moves_from_open_to_scoring_to_complete_and_only_then_may_be_decided(
    panel, expert_a, expert_b, province_officer
):
    declare_and_score(panel, expert_a, 34, 25, 24)
    panel.refresh_from_db()
    assert panel.status == Panel.Status.SCORING
    with pytest.raises(ActionError, match="not complete"):
        actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason="x")
    declare_and_score(panel, expert_b, 33, 26, 25)
    panel.refresh_from_db()
    assert panel.status == Panel.Status.COMPLETE
    actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason="专家组一致通过")
    panel.refresh_from_db()
    assert (panel.status, panel.outcome) == (Panel.Status.DECIDED, "pass")
    entry = AuditEntry.objects.get(verb="decide_panel")
    assert entry.to_state == "pass" and entry.data["mean_total"] == pytest.approx(83.5) and entry.data["flags"] == []


def test_a_decision_needs_a_reason_and_a_decided_panel_no_longer_changes(panel, expert_a, expert_b, expert_c,
                                                                          province_officer):
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    with pytest.raises(ActionError) as exc:
        actions.decide_panel(panel=panel, by=province_officer, outcome="pass", reason=" ")
    assert exc.value.field == "reason"
    actions.decide_panel(panel=panel, by=province_officer, outcome="fail", reason="未达要求")
    with pytest.raises(ActionError, match="decided"):
        actions.add_panel_member(panel=panel, expert=expert_c, by=province_officer)


def test_the_officer_sees_the_aggregate_with_the_divergent_expert_flagged(
    panel, expert_a, expert_b, expert_c, province_officer, signed_in
):
    actions.add_panel_member(panel=panel, expert=expert_c, by=province_officer)
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    declare_and_score(panel, expert_c, 20, 15, 15, comments={"industry": "产业偏弱", "investment": "投资不足",
                                                              "mechanism": "机制不全"})
    page = signed_in(province_officer).get(reverse("reviews:panel", args=[panel.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "离散评分提示" in html and "Divergent scores" in html
    assert "<strong>expert-c</strong>" in html and "<strong>expert-a</strong>" not in html
    assert "作出评审决定" in html  # the decision form is offered
    printable = signed_in(province_officer).get(reverse("reviews:print", args=[panel.pk]))
    assert printable.status_code == 200 and "expert-c" in printable.content.decode()


def test_an_expert_never_sees_another_experts_scores_before_handing_in_their_own(
    panel, expert_a, expert_b, signed_in
):
    declare_and_score(panel, expert_b, 37.5, 26, 25)
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=False)
    client = signed_in(expert_a)
    before = client.get(reverse("reviews:panel", args=[panel.pk])).content.decode()
    assert "37.5" not in before and "评分汇总" not in before
    assert client.get(reverse("reviews:print", args=[panel.pk])).status_code == 403
    response = client.post(reverse("reviews:score", args=[panel.pk]), {
        "score_industry": "36", "score_investment": "25", "score_mechanism": "24"})
    assert response.status_code == 302
    after = client.get(reverse("reviews:panel", args=[panel.pk])).content.decode()
    assert "37.5" in after and "评分汇总" in after


def test_the_scoring_form_names_the_field_with_a_bilingual_error(panel, expert_a, signed_in):
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=False)
    response = signed_in(expert_a).post(reverse("reviews:score", args=[panel.pk]), {
        "score_industry": "12", "score_investment": "31", "score_mechanism": "abc"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "须写明理由" in html and "needs a comment" in html  # industry below 24 without a comment
    assert 'id="id_score_investment_error"' in html and 'id="id_score_mechanism_error"' in html
    assert not member(panel, expert_a).__class__.objects.filter(sheet__isnull=False).exists()


def test_an_unassigned_expert_is_refused_the_panel_and_its_scoring(panel, expert, signed_in):
    client = signed_in(expert)
    assert client.get(reverse("reviews:panel", args=[panel.pk])).status_code == 403
    assert client.get(reverse("reviews:score", args=[panel.pk])).status_code == 403
    assert panel not in visible_panels(expert)


def test_a_conflicted_expert_is_refused_the_scoring_page(panel, expert_a, signed_in):
    actions.declare_conflict(member=member(panel, expert_a), by=expert_a, conflicted=True, note="亲属任职")
    client = signed_in(expert_a)
    assert client.get(reverse("reviews:score", args=[panel.pk])).status_code == 403
    assert "回避" in client.get(reverse("reviews:panel", args=[panel.pk])).content.decode()


def test_a_city_reviewer_of_another_city_cannot_see_the_panel(panel, liuzhou_reviewer, nanning_reviewer, signed_in):
    assert signed_in(liuzhou_reviewer).get(reverse("reviews:panel", args=[panel.pk])).status_code == 403
    assert panel not in visible_panels(liuzhou_reviewer)
    assert panel in visible_panels(nanning_reviewer)


def test_a_city_reviewer_in_scope_sees_the_panel_but_may_not_decide_it(
    panel, expert_a, expert_b, nanning_reviewer, signed_in
):
    declare_and_score(panel, expert_a, 34, 25, 24)
    declare_and_score(panel, expert_b, 33, 26, 25)
    client = signed_in(nanning_reviewer)
    assert "作出评审决定" not in client.get(reverse("reviews:panel", args=[panel.pk])).content.decode()
    assert client.post(reverse("reviews:decide", args=[panel.pk]), {"outcome": "pass", "reason": "x"}).status_code == 403


def test_a_town_body_sees_no_panel(panel, town_clerk, signed_in):
    assert signed_in(town_clerk).get(reverse("reviews:panel", args=[panel.pk])).status_code == 403
    assert not visible_panels(town_clerk).exists()


def test_my_reviews_lists_the_experts_own_panels_with_what_to_do_next(panel, expert_a, signed_in):
    html = signed_in(expert_a).get(reverse("reviews:list")).content.decode()
    assert "我的评审任务" in html and "My reviews" in html and panel.title in html
    assert "未声明" in html
    dashboard = signed_in(expert_a).get(reverse("portal:dashboard")).content.decode()
    assert "待声明利益冲突" in dashboard


def test_the_officer_sets_up_a_panel_and_adds_experts_through_the_pages(
    reviewed_enrolment, province_officer, expert_a, signed_in
):
    client = signed_in(province_officer)
    form = client.get(reverse("reviews:create") + "?subject_ref=assessment:2025&purpose=annual_assessment")
    assert 'value="assessment:2025"' in form.content.decode()
    response = client.post(reverse("reviews:create"), {
        "programme": reviewed_enrolment.programme.pk, "town": reviewed_enrolment.town.code,
        "purpose": "annual_assessment", "subject_ref": "assessment:2025", "title": "2025 年度考核"})
    panel = Panel.objects.get(subject_ref="assessment:2025")
    assert response.status_code == 302
    client.post(reverse("reviews:add_member", args=[panel.pk]), {"add-expert": expert_a.pk})
    assert panel.members.filter(expert=expert_a).exists()
    bad = client.post(reverse("reviews:create"), {
        "programme": reviewed_enrolment.programme.pk, "town": "no-such-town",
        "purpose": "annual_assessment", "subject_ref": "assessment:2026", "title": "x"})
    assert bad.status_code == 400 and "找不到该小镇" in bad.content.decode()
