"""What each review page shows a given user: composed from selectors, forms and predicates,
so the views stay thin."""

from __future__ import annotations

from typing import Any

from towns.permissions import can_change_tier

from . import permissions as perms
from .forms import (
    AcceptanceStepForm,
    AddMemberForm,
    DecideForm,
    DeclareForm,
    ExtendForm,
    ReplaceMemberForm,
    ScoreForm,
)
from .models import Acceptance, Panel
from .selectors import (
    acceptance_panels,
    acceptance_records,
    acceptance_verdict,
    aggregate_table,
    panel_sheets,
)
from .subjects import describe
from .workflow import NAMING_ACTIONS, extension_transition


def panel_page(panel: Panel, user, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    manager = perms.can_manage_panel(user, panel)
    member = perms.member_of(user, panel)
    open_panel = panel.status != Panel.Status.DECIDED
    context: dict[str, Any] = {
        "panel": panel, "subject": describe(panel.subject_ref), "is_manager": manager, "member": member,
        "show_material": perms.can_see_material(user, panel), "is_expert_view": member is not None,
    }
    if member is not None:
        context["my_sheet"] = getattr(member, "sheet", None)
        if member.conflict == member.Conflict.UNDECLARED and open_panel:
            context["declare_form"] = bound.get("declare") or DeclareForm()
        context["can_score"] = open_panel and member.scores_allowed and context["my_sheet"] is None
    if user.role != "expert":
        members = list(panel.members.select_related("expert", "sheet").order_by("added_at", "id"))
        context["members"], context["show_members"] = members, True
        if manager and open_panel:
            context["add_form"] = bound.get("add") or AddMemberForm(panel=panel)
            context["replace_forms"] = {
                m.pk: bound.get(f"replace-{m.pk}") or ReplaceMemberForm(member=m)
                for m in members if m.active and not hasattr(m, "sheet")
            }
    if perms.can_see_aggregate(user, panel):
        sheets = panel_sheets(panel)
        if sheets:
            context["aggregate"], context["aggregate_rows"], context["flag_rows"] = aggregate_table(panel, sheets)
            context["sheets"] = sheets
    if manager and panel.status == Panel.Status.COMPLETE:
        context["decide_form"] = bound.get("decide") or DecideForm()
    return context


def score_page(panel: Panel, member, form: ScoreForm | None = None) -> dict[str, Any]:
    return {"panel": panel, "member": member, "subject": describe(panel.subject_ref),
            "form": form or ScoreForm(panel=panel)}


def acceptance_page(acceptance: Acceptance, user, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    bound = bound or {}
    step = acceptance.current_step
    verdict, problem = acceptance_verdict(acceptance)
    panels = acceptance_panels(acceptance)
    context: dict[str, Any] = {
        "acceptance": acceptance, "town": acceptance.town, "programme": acceptance.programme, "step": step,
        "verdict": verdict, "verdict_problem": problem, "panels": panels, "records": acceptance_records(acceptance),
        "steps": [
            {**s, "state": "done" if n < acceptance.step_index else ("current" if s is step else "later")}
            for n, s in enumerate(acceptance.steps)
        ],
    }
    if step is not None and perms.can_take_acceptance_step(user, acceptance):
        context["step_form"] = bound.get("step") or AcceptanceStepForm(naming=step["action"] in NAMING_ACTIONS)
    if step is not None and step["action"] == "expert_review":
        running = [p for p in panels if p.status != Panel.Status.DECIDED]
        context["running_panel"] = running[0] if running else None
        context["can_set_up_panel"] = not running and perms.can_set_up_panel(
            user, acceptance.programme, acceptance.town, "acceptance")
    if acceptance.status == Acceptance.Status.FAILED and not acceptance.tier_change_id:
        transition = extension_transition(acceptance.programme.policy, acceptance.enrolment.tier)
        context["extension"] = transition
        if transition and can_change_tier(user, acceptance.enrolment):
            context["extend_form"] = bound.get("extend") or ExtendForm()
    return context
