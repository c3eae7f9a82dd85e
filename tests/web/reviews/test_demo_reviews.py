"""The reviews demo: panels in every state, something for the demo expert to score, a town named."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from demo.by_app.reviews import PROGRAMME
from reviews.models import Acceptance, Panel
from reviews.selectors import panel_aggregate


def test_the_demo_has_panels_in_every_state_a_flagged_expert_and_a_town_named_through_acceptance(db, client, demo_output):
    assert set(Panel.objects.values_list("status", flat=True)) == set(Panel.Status.values)
    complete = Panel.objects.get(status=Panel.Status.COMPLETE)
    assert panel_aggregate(complete).total_flag("expert4") is not None
    assert Panel.objects.filter(status=Panel.Status.OPEN, members__conflict="conflicted").exists()

    expert = User.objects.get(username="expert")
    assert expert.panel_memberships.filter(conflict="none", sheet__isnull=True, panel__status="scoring").exists()
    assert client.post(reverse("login"), {"username": "expert", "password": "demo-expert"}).status_code == 302
    html = client.get(reverse("reviews:list")).content.decode()
    assert html.count('class="button primary"') >= 1  # a 评分 Score button

    named = Acceptance.objects.get(status=Acceptance.Status.NAMED)
    assert named.enrolment.tier == "named" and named.tier_change.transition_id == "name_after_assessment"
    # Other demo steps may open acceptances of their own (e.g. a Guangdong project's, demo/by_app/projects.py).
    waiting = Acceptance.objects.get(status=Acceptance.Status.IN_REVIEW, enrolment__programme__policy_id=PROGRAMME)
    assert waiting.current_step["action"] == "expert_review"
