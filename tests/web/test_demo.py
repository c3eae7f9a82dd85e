"""`manage.py load_demo` from a fresh database: every programme file, every tier, every role."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from demo.registry import DemoContext, demo_step, steps
from programmes.models import Programme
from towns.facts import facts_frame
from towns.models import Enrolment, IndicatorValue, Town
from towns.workflow import paths_to_tiers
from xiaozhen.engine import evaluate
from xiaozhen.policy import policy_files


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_builds_every_programme_tier_and_role_and_a_second_run_changes_nothing(db, client, debug_on):
    output = load_demo()

    programmes = list(Programme.objects.filter(is_active=True))
    assert len(programmes) == len(policy_files())
    assert Town.objects.count() >= 60
    provinces = {code[:2] for code in Town.objects.values_list("region__code", flat=True)}
    assert len(provinces) >= 3
    outcomes: Counter[str] = Counter()
    for programme in programmes:
        policy = programme.policy
        tiers = set(Enrolment.objects.filter(programme=programme).values_list("tier", flat=True))
        assert tiers == set(paths_to_tiers(policy)), programme.policy_id
        frame = facts_frame(programme=programme, basis="plan")
        outcomes.update(evaluate(policy, frame, "application", policy.identity.effective_from)
                        .verdicts()["verdict"].to_list())
    assert outcomes["pass"] and outcomes["fail"] and outcomes["unknown"]

    for role_login in ("province", "city", "county", "town", "expert", "auditor"):
        assert f"{role_login} " in output and f"demo-{role_login}" in output
        signed_in = client.post(reverse("login"), {"username": role_login, "password": f"demo-{role_login}"})
        assert signed_in.status_code == 302, role_login

    counts = (Town.objects.count(), Enrolment.objects.count(), IndicatorValue.objects.count(),
              AuditEntry.objects.count())
    load_demo()
    assert (Town.objects.count(), Enrolment.objects.count(), IndicatorValue.objects.count(),
            AuditEntry.objects.count()) == counts


def test_another_apps_demo_step_runs_after_the_towns_and_before_the_summary():
    from demo import registry

    @demo_step(order=110, name="applications in every review state (test)")
    def applications(ctx: DemoContext) -> None:
        raise AssertionError("only listed here, never run")

    try:
        names = [s.name for s in steps()]
    finally:
        registry._STEPS.pop(f"{applications.__module__}.{applications.__qualname__}")
    assert names.index("applications in every review state (test)") > names.index("towns in every tier of every programme")
    assert names[-1] == "what the engine says about the demo towns"
