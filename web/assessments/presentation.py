"""What the run page shows: the proposal table with its forms, and the documented defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.requests import AuthedRequest
from portal.bilingual import Bi
from xiaozhen.policy import Policy, referenced_names

from . import selectors
from .forms import FILTERS, ExcellentForm, OverrideForm, RiskReviewForm
from .models import AssessmentRun
from .permissions import can_decide_run, can_run_whatif

#: The derived indicators whose method the seeds leave open (002 §三(三)(四)); their file
#: descriptions and the parameters they read (with ``default_source``) are shown beside the results.
DOCUMENTED = ("annual_score", "annual_grade", "risk_grade", "named_score", "star_rating")


@dataclass
class Default:
    label: Any
    clause: str
    description: Any
    parameters: list[dict[str, Any]]


def defaults_of(policy: Policy) -> list[Default]:
    out = []
    params = {p.id: p for p in policy.parameters}
    for ident in DOCUMENTED:
        try:
            ind = policy.indicator(ident)
        except KeyError:
            continue
        used = [params[n] for n in referenced_names(ind.expr or "") if n in params]
        out.append(Default(ind.label, ind.clause or "", ind.description, [
            {"id": p.id, "label": p.label, "value": p.values[-1].value, "unit": p.unit, "source": p.default_source}
            for p in used
        ]))
    if policy.lifecycle.excellence:
        exc = policy.lifecycle.excellence
        out.append(Default(exc.label, exc.clause, None, [
            {"id": "top", "label": {"zh": "名额", "en": "Places"}, "value": exc.top, "unit": "",
             "source": exc.default_source or f"按得分从高到低取前 {exc.top} 名 / the top {exc.top} by score"}
        ]))
    return out


def detail_context(request: AuthedRequest, run: AssessmentRun, filter_form, bound: dict) -> dict[str, Any]:
    action = filter_form.cleaned_data["action"] if filter_form.is_valid() else ""
    policy = run.programme_version.policy
    rows = selectors.rows(run, selectors.run_proposals(request.user, run, action=action))
    deciding = can_decide_run(request.user, run)
    if deciding:
        for row in rows:
            p = row.proposal
            row.override_form = bound.get(("override", p.pk)) or OverrideForm(proposal=p, policy=policy)
            if policy.lifecycle.excellence:
                row.excellent_form = bound.get(("excellent", p.pk)) or ExcellentForm(proposal=p)
            if p.risk_review_due:
                row.risk_form = bound.get(("risk", p.pk)) or RiskReviewForm(proposal=p, policy=policy)
    return {
        "run": run, "programme": run.programme, "policy": policy, "rows": rows, "filter_form": filter_form, "action": action,
        "action_label": Bi(*dict(FILTERS)[action]) if action else None,
        "deciding": deciding, "can_whatif": can_run_whatif(request.user, run), "summary": selectors.run_summary(run), "defaults": defaults_of(policy),
        "has_grades": any(d.label for d in defaults_of(policy)),
        "excellence": policy.lifecycle.excellence, "open_pk": next(iter(bound), (None, None))[1],
    }
