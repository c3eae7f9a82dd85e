"""Applications at an ``expert_review`` step go to an expert panel (subject ``application:<pk>``).

Registered from ReviewsConfig.ready() when the ``applications`` app is installed. The panel's
decision advances the step through ``applications.actions.decide_step``: pass → pass, fail →
reject (the expert group did not pass it), with the panel's reason and numbers as the reason.
"""

from __future__ import annotations

from django.urls import reverse

from portal.bilingual import Bi
from portal.errors import ActionError

from .subjects import SubjectInfo, register_subject


def _application(ident: str):
    from applications.models import Application

    if not ident.isdigit():
        return None
    return Application.objects.select_related("town", "programme").filter(pk=ident).first()


def _expert_step(application):
    step_id = application.current_step
    steps = application.programme.policy.review_steps("application")
    return next((s for s in steps if s.id == step_id and s.action == "expert_review"), None)


def _describe(ident: str) -> SubjectInfo | None:
    application = _application(ident)
    if application is None:
        return None
    town = application.town
    return SubjectInfo(Bi(f"{town.name_zh} 申报 #{application.pk}", f"{town.name_en or town.code} application #{application.pk}"),
                       reverse("applications:detail", args=[application.pk]))


def _check(ident: str, programme, town) -> None:
    application = _application(ident)
    if application is None or application.town_id != town.pk or application.programme_id != programme.pk:
        raise ActionError(f"该小镇在此项目中没有申报 {ident}", f"no application {ident} of this town in this programme",
                          field="subject_ref")
    if not application.is_in_review or _expert_step(application) is None:
        raise ActionError("该申报当前不在专家评审环节", "the application is not at its expert review step",
                          field="subject_ref")


def _decided(panel, by) -> None:
    from applications.actions import decide_step

    from .selectors import panel_aggregate

    application = _application(panel.subject_id)
    if application is None or _expert_step(application) is None:
        raise ActionError("该申报当前不在专家评审环节", "the application is not at its expert review step")
    total = panel_aggregate(panel).total
    reason = (f"专家评审组 #{panel.pk}（{total.n} 位专家，平均 {total.mean:.1f}/{total.max_score:g} 分）"
              f"{panel.get_outcome_display()}：{panel.decision_reason}")
    decide_step(application=application, step_id=application.current_step, by=by, reason=reason,
                outcome="pass" if panel.outcome == "pass" else "reject")


def register() -> None:
    register_subject("application", describe=_describe, check=_check, on_decided=_decided)
