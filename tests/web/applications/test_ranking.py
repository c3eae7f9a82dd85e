"""The city reviewer orders the applications it recommends (rank 1..n, 000 择优推荐)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.actions import decide_step, rank_recommendations
from applications.models import Application
from audit.models import AuditEntry
from portal.errors import ActionError, NotAllowed


@pytest.fixture
def recommended(submitted, town_clerk, xixiangtang_clerk, nanning_reviewer):
    apps = [submitted(town_clerk), submitted(xixiangtang_clerk)]
    for rank, application in enumerate(apps, start=1):
        decide_step(application=application, step_id="city_check", outcome="pass", reason="", by=nanning_reviewer)
        decide_step(application=application, step_id="city_recommend", outcome="pass", reason="", by=nanning_reviewer,
                    rank=rank)
    return apps


def test_the_city_reviewer_reorders_its_recommendations(recommended, nanning_reviewer):
    first, second = recommended
    rank_recommendations(call=first.call, order=[second, first], by=nanning_reviewer)
    assert dict(Application.objects.values_list("pk", "rank")) == {second.pk: 1, first.pk: 2}
    assert AuditEntry.objects.filter(verb="rank_recommendations").count() == 2


def test_a_ranking_must_hold_every_recommended_application_once(recommended, nanning_reviewer):
    first, second = recommended
    with pytest.raises(ActionError) as err:
        rank_recommendations(call=first.call, order=[first], by=nanning_reviewer)
    assert second.town.name_zh in str(err.value)
    with pytest.raises(ActionError):
        rank_recommendations(call=first.call, order=[first, first, second], by=nanning_reviewer)


def test_only_the_recommend_steps_role_ranks(recommended, province_officer, county_office, auditor):
    for user in (province_officer, county_office, auditor):
        with pytest.raises(NotAllowed):
            rank_recommendations(call=recommended[0].call, order=list(recommended), by=user)


def test_another_citys_reviewer_sees_none_of_them_to_rank(recommended, liuzhou_reviewer, signed_in):
    from applications.selectors import recommended_for_ranking

    assert recommended_for_ranking(recommended[0].call, liuzhou_reviewer) == []
    with pytest.raises(ActionError):
        rank_recommendations(call=recommended[0].call, order=list(recommended), by=liuzhou_reviewer)
    html = signed_in(liuzhou_reviewer).get(reverse("applications:ranking", args=[recommended[0].call_id])).content
    assert recommended[0].town.name_zh not in html.decode()


def test_the_ranking_page_saves_a_new_order(recommended, nanning_reviewer, signed_in):
    first, second = recommended
    client = signed_in(nanning_reviewer)
    url = reverse("applications:ranking", args=[first.call_id])
    response = client.post(url, {f"rank_{first.pk}": "2", f"rank_{second.pk}": "1"}, follow=True)
    assert "推荐排序已更新" in response.content.decode()
    assert dict(Application.objects.values_list("pk", "rank")) == {second.pk: 1, first.pk: 2}
    response = client.post(url, {f"rank_{first.pk}": "x", f"rank_{second.pk}": "1"})
    assert response.status_code == 400 and "整数" in response.content.decode()
