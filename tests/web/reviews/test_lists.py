"""The panel list, my reviews and the acceptance list make a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Acceptance, Panel, PanelMember, ScoreSheet


def add_panels(n: int, template: Panel, experts) -> None:
    """Bulk rows for volume only (no audit); behaviour is tested through the actions elsewhere."""
    panels = Panel.objects.bulk_create(
        Panel(programme=template.programme, programme_version=template.programme_version, town=template.town,
              purpose=template.purpose, subject_ref=f"assessment:{i}", title=f"批量评审 {i}", rubric=template.rubric,
              created_by=template.created_by)
        for i in range(n)
    )
    members = PanelMember.objects.bulk_create(
        PanelMember(panel=p, expert=e, added_by=template.created_by, conflict=PanelMember.Conflict.NONE)
        for p in panels for e in experts
    )
    ScoreSheet.objects.bulk_create(
        ScoreSheet(member=m, scores={"industry": 30, "investment": 20, "mechanism": 20}, total=70)
        for m in members[::2]
    )


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_panel_list_makes_as_many_queries_for_300_panels_as_for_5(panel, province_officer, expert_a, expert_b,
                                                                        signed_in):
    client = signed_in(province_officer)
    add_panels(5, panel, [expert_a, expert_b])
    small = queries_for(client, reverse("reviews:list"))
    add_panels(295, panel, [expert_a, expert_b])
    assert queries_for(client, reverse("reviews:list")) == small


def test_my_reviews_makes_as_many_queries_for_150_panels_as_for_5(panel, expert_a, expert_b, signed_in):
    client = signed_in(expert_a)
    add_panels(5, panel, [expert_a, expert_b])
    small = queries_for(client, reverse("reviews:list"))
    add_panels(145, panel, [expert_a, expert_b])
    assert queries_for(client, reverse("reviews:list")) == small
    assert queries_for(client, reverse("portal:dashboard")) == queries_for(client, reverse("portal:dashboard"))


def test_the_acceptance_list_makes_as_many_queries_for_many_towns_as_for_few(
    reviewed_enrolment, province_officer, signed_in
):
    from tests.web.test_town_list import add_towns

    client = signed_in(province_officer)
    programme = reviewed_enrolment.programme
    add_towns(20, programme)
    Acceptance.objects.bulk_create(
        Acceptance(enrolment=e, programme_version=programme.current_version, summary="s", steps=[],
                   applied_by=province_officer, status=Acceptance.Status.FAILED)
        for e in programme.enrolments.all()[:10]
    )
    small = queries_for(client, reverse("reviews:acceptances"))
    add_towns(400, programme)
    Acceptance.objects.bulk_create(
        Acceptance(enrolment=e, programme_version=programme.current_version, summary="s", steps=[],
                   applied_by=province_officer, status=Acceptance.Status.FAILED)
        for e in programme.enrolments.all()[10:300]
    )
    assert queries_for(client, reverse("reviews:acceptances")) == small
