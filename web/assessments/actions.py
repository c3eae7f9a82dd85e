"""Every state change of annual assessments and fraud findings. Keyword-only, verb-first,
one transaction each, one audit row each (publishing also writes one per tier change, through
towns.actions.change_tier).

    start_assessment      the engine proposes, for every enrolled town at once (003 §四(三), 002 §三(四))
    rerun_assessment      the same again on today's figures, keeping the officer's overrides
    override_proposal     another tier, grade or star rating, or no change — with a reason
    select_excellent      confirm or edit the annual excellent towns (003 §四(三))
    record_risk_review    the five-year risk grade of a creation town, with the findings (002 §三(四))
    publish_assessment    apply every tier change through change_tier; the run is frozen
    record_fraud_finding  a finding of fraud with its evidence, and the cancellation (003 §五(三))
    run_whatif            a what-if on a run's year under a reform file: computed, never published,
                          no town or proposal touched; the audit row keeps who, when, the reform,
                          why, and the comparison the officer saw
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

import audit
from accounts.models import User
from portal.errors import ActionError
from towns.actions import change_tier, record_indicator_values
from towns.models import Enrolment
from towns.workflow import allowed_transitions, find_transition
from xiaozhen.engine import grade_values, risk_values
from xiaozhen.policy import PolicyFileError, apply_reform, parse_reform
from xiaozhen.verdicts import json_safe

from . import engine
from . import permissions as perms
from .models import AssessmentRun, FraudEvidence, FraudFinding, Proposal

if TYPE_CHECKING:
    from audit.models import AuditEntry
    from programmes.models import Programme

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


@dataclass(frozen=True)
class Document:
    """An uploaded evidence file, as the view read it."""

    name: str
    content_type: str
    content: bytes


def _require_decider(by: User, run: AssessmentRun) -> None:
    if run.is_published:
        raise ActionError("考核结果已发布，不能再修改", "this assessment is published and frozen", field=None)
    perms.can_decide_run.require(by, run)


def _fill(run: AssessmentRun, *, keep_decisions: bool) -> dict[str, int]:
    """(Re)compute the run's proposals. Overridden decisions and risk findings survive a re-run."""
    results, sources = engine.results_and_sources(run)
    existing = {p.enrolment_id: p for p in run.proposals.all()}
    to_create, to_update = [], []
    for enrolment in engine.enrolments_assessed(run.programme, run.year):
        fields = engine.proposed_fields(enrolment, results.get(enrolment.town.code))
        if enrolment.town.code in results:  # say which computed figures (enterprise registry …) the rule read
            fields["reasons"] = [*fields["reasons"], *sources.get(enrolment.town.code, [])]
        current = existing.pop(enrolment.pk, None)
        if current is None:
            to_create.append(Proposal(run=run, enrolment=enrolment, town=enrolment.town, **fields,
                                      **engine.decided_from_proposed(fields)))
            continue
        for name, value in fields.items():
            setattr(current, name, value)
        if not (keep_decisions and current.overridden):
            for name, value in engine.decided_from_proposed(fields).items():
                setattr(current, name, value)
        to_update.append(current)
    Proposal.objects.bulk_create(to_create)
    if to_update:
        Proposal.objects.bulk_update(to_update, [*engine.PROPOSED_FIELDS, *engine.DECIDED_FIELDS])
    gone = [p.pk for p in existing.values()]  # enrolments that ended since the last computation
    if gone:
        Proposal.objects.filter(pk__in=gone).delete()
    run.computed_at = timezone.now()
    run.save(update_fields=["computed_at"])
    return {"created": len(to_create), "updated": len(to_update), "removed": len(gone)}


@transaction.atomic
def start_assessment(
    *, programme: Programme, year: int, by: User, document_number: str, effective_on: dt.date | None = None
) -> AssessmentRun:
    """Run the engine over all the programme's enrolled towns for ``year`` and store a proposal each."""
    perms.can_run_assessment.require(by, programme)
    policy = programme.policy
    first, last = policy.identity.effective_from.year, timezone.localdate().year
    if not first <= year <= last:
        raise ActionError(f"考核年度须在 {first}–{last} 之间", f"the year must be between {first} and {last}",
                          field="year")
    if not document_number.strip():
        raise ActionError("请填写考核结果文号", "a document number is required", field="document_number")
    if AssessmentRun.objects.filter(programme=programme, year=year).exists():
        raise ActionError(f"{year} 年度考核已经开始，请在原考核上重新计算",
                          f"the {year} assessment already exists: re-run it instead", field="year")
    run = AssessmentRun.objects.create(
        programme=programme, programme_version=programme.version, year=year,
        document_number=document_number.strip(), effective_on=effective_on or dt.date(year + 1, 1, 1),
        started_by=by, computed_at=timezone.now(),
    )
    counts = _fill(run, keep_decisions=False)
    audit.record(actor=by, verb="start_assessment", obj=run, to_state=run.status,
                 data={"programme": programme.policy_id, "year": year, "programme_version": run.programme_version.number,
                       "content_hash": run.programme_version.content_hash, "towns": counts["created"]})
    return run


@transaction.atomic
def rerun_assessment(*, run: AssessmentRun, by: User) -> AssessmentRun:
    """Compute the proposals again on today's figures and the programme's current version."""
    run = AssessmentRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
    _require_decider(by, run)
    run.programme_version = run.programme.version
    run.save(update_fields=["programme_version"])
    counts = _fill(run, keep_decisions=True)
    audit.record(actor=by, verb="rerun_assessment", obj=run, from_state=run.status, to_state=run.status,
                 data={**counts, "programme_version": run.programme_version.number})
    return run


def _proposal_for_update(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related(
        "run__programme", "run__programme_version", "town__region", "enrolment"
    ).get(pk=proposal.pk)


@transaction.atomic
def override_proposal(
    *, proposal: Proposal, by: User, reason: str, next_tier: str, grade: str = "", star_rating: int | None = None
) -> Proposal:
    """The officer's decision instead of the engine's: another tier (or none), grade or star rating."""
    proposal = _proposal_for_update(proposal)
    _require_decider(by, proposal.run)
    if not reason.strip():
        raise ActionError("改定考核建议须说明理由", "a reason is required to override a proposal", field="reason")
    policy = proposal.run.programme_version.policy
    if next_tier == proposal.tier:
        action, transition_id, clause = "stay", "", ""
    else:
        transition = find_transition(policy, proposal.tier, next_tier)
        action, transition_id, clause = transition.action, transition.id, transition.clause
    grades = grade_values(policy)
    if grade and grade not in grades:
        raise ActionError(f"等次须为：{'、'.join(grades) or '(本项目不评等次)'}",
                          f"the grade must be one of: {', '.join(grades) or '(this programme does not grade)'}",
                          field="grade")
    if star_rating is not None and not 1 <= star_rating <= 5:
        raise ActionError("星级须为1–5", "stars must be 1 to 5", field="star_rating")
    before = f"{proposal.next_tier} {proposal.grade} {proposal.star_rating or ''}".strip()
    proposal.action, proposal.next_tier, proposal.transition_id, proposal.clause = action, next_tier, transition_id, clause
    proposal.grade, proposal.star_rating = grade, star_rating
    proposal.overridden, proposal.override_reason, proposal.overridden_by = True, reason.strip(), by
    proposal.save(update_fields=["action", "next_tier", "transition_id", "clause", "grade", "star_rating",
                                 "overridden", "override_reason", "overridden_by"])
    audit.record(actor=by, verb="override_proposal", obj=proposal, from_state=before,
                 to_state=f"{next_tier} {grade} {star_rating or ''}".strip(), reason=proposal.override_reason,
                 data={"run": proposal.run_id, "proposed": proposal.proposed_next_tier, "transition": transition_id})
    return proposal


@transaction.atomic
def select_excellent(*, proposal: Proposal, excellent: bool, by: User, reason: str = "") -> Proposal:
    """Confirm or edit the annual excellent-town selection (年度优秀特色小镇, 003 §四(三)).

    Only a town that met the year's standard may be chosen; a choice other than the engine's
    needs a reason.
    """
    proposal = _proposal_for_update(proposal)
    _require_decider(by, proposal.run)
    excellence = proposal.run.programme_version.policy.lifecycle.excellence
    if excellence is None:
        raise ActionError("本项目不评年度优秀", "this programme has no annual excellent-town selection",
                          field="excellent")
    if excellent and proposal.annual_met is not True:
        raise ActionError(f"只能在达到年度标准的小镇中评选（{excellence.clause}）",
                          f"only a town that met the year's standard can be chosen ({excellence.clause})",
                          field="excellent")
    if excellent != proposal.proposed_excellent and not reason.strip():
        raise ActionError("与系统建议不同，须说明理由", "a reason is required to differ from the proposal",
                          field="reason")
    before = proposal.excellent
    proposal.excellent = excellent
    proposal.excellent_reason = reason.strip()
    proposal.save(update_fields=["excellent", "excellent_reason"])
    audit.record(actor=by, verb="select_excellent", obj=proposal, from_state=str(before), to_state=str(excellent),
                 reason=reason.strip(), data={"run": proposal.run_id, "clause": excellence.clause,
                                              "score": proposal.excellence_score})
    return proposal


@transaction.atomic
def record_risk_review(*, proposal: Proposal, risk_grade: str, reason: str, by: User) -> Proposal:
    """The five-year review of a creation town not yet named (002 §三(四)): low or medium risk →
    extension, high → termination.

    The grade is the assessors' finding, so it is recorded as the programme's reported risk
    indicator for the year (``risk_grade_reported`` in Zhejiang's file) and the run is computed
    again: the engine then proposes the extension or the termination, with its clause.
    """
    proposal = _proposal_for_update(proposal)
    run = proposal.run
    _require_decider(by, run)
    policy = run.programme_version.policy
    indicator = engine.risk_input(policy)
    if indicator is None:
        raise ActionError("本项目没有五年风险评估", "this programme has no five-year risk review", field="risk_grade")
    if not proposal.risk_review_due:
        raise ActionError("该小镇本年度不需要风险评估", "this town is not due for the risk review this year",
                          field="risk_grade")
    if risk_grade not in risk_values(policy):
        raise ActionError(f"风险等级须为：{'、'.join(risk_values(policy))}",
                          f"the risk grade must be one of: {', '.join(risk_values(policy))}", field="risk_grade")
    if not reason.strip():
        raise ActionError("请填写评估意见", "the review's findings are required", field="reason")
    record_indicator_values(
        town=proposal.town, programme=run.programme, by=by, source="annual_assessment",
        source_ref=run.document_number, reason=reason.strip(),
        values=[{"indicator": indicator, "period": str(run.year), "basis": "actual", "value": risk_grade}],
    )
    before = proposal.risk_grade
    Proposal.objects.filter(pk=proposal.pk).update(risk_reason=reason.strip())
    _fill(run, keep_decisions=True)
    proposal.refresh_from_db()
    audit.record(actor=by, verb="record_risk_review", obj=proposal, from_state=before, to_state=risk_grade,
                 reason=reason.strip(), data={"run": run.pk, "proposed": proposal.proposed_next_tier,
                                              "transition": proposal.proposed_transition_id})
    return proposal


def _tier_change_reason(run: AssessmentRun, proposal: Proposal) -> str:
    policy = run.programme_version.policy
    label = next((t.label for t in policy.lifecycle.transitions if t.id == proposal.transition_id), None)
    text = f"{run.year}年度考核 / {run.year} annual assessment"
    if label is not None:
        text += f"：{label.zh} / {label.en}"
    if proposal.overridden and proposal.override_reason:
        text += f"（改定理由 / override: {proposal.override_reason}）"
    return text


@transaction.atomic
def publish_assessment(*, run: AssessmentRun, by: User) -> AssessmentRun:
    """Apply every decided tier change through change_tier (decision reference = the document
    number, with the transition and clause), then freeze the run."""
    run = AssessmentRun.objects.select_for_update().select_related("programme", "programme_version").get(pk=run.pk)
    _require_decider(by, run)
    if run.programme.current_version_id != run.programme_version_id:
        raise ActionError("政策文件已更新，请先重新计算", "the programme file changed since this run: re-run it first")
    proposals = list(run.proposals.select_related("enrolment", "town").order_by("town__code"))
    moved = [p for p in proposals if p.enrolment.tier != p.tier or not p.enrolment.is_open]
    if moved:
        raise ActionError(
            "以下小镇的层级在考核后已变化，请先重新计算", "these towns changed tier since the run: re-run it first",
            details=[f"{p.town.code} {p.town.name_zh}: {p.tier} → {p.enrolment.tier}" for p in moved],
        )
    changes = 0
    for proposal in proposals:
        if not proposal.changes_tier:
            continue
        enrolment = proposal.enrolment
        proposal.tier_change = change_tier(
            enrolment=enrolment, to_tier=proposal.next_tier, by=by, transition_id=proposal.transition_id or None,
            reason=_tier_change_reason(run, proposal), decision_ref=run.document_number,
            effective_on=max(run.effective_on, enrolment.tier_since),
        )
        proposal.save(update_fields=["tier_change"])
        changes += 1
    run.status, run.published_by, run.published_at = AssessmentRun.Status.PUBLISHED, by, timezone.now()
    run.save(update_fields=["status", "published_by", "published_at"])
    audit.record(actor=by, verb="publish_assessment", obj=run, from_state=AssessmentRun.Status.DRAFT,
                 to_state=run.status, data={"document_number": run.document_number, "tier_changes": changes,
                                            "excellent": sum(p.excellent for p in proposals), "towns": len(proposals)})
    return run


@transaction.atomic
def record_fraud_finding(
    *, enrolment: Enrolment, by: User, found_on: dt.date, source: str, description: str, decision_ref: str,
    documents: Sequence[Document] = (),
) -> FraudFinding:
    """A finding of fraud (弄虚作假) with its evidence, and the cancellation that follows: the
    programme's ``cancel`` transition through change_tier (003 §五(三); 002 §三(四))."""
    enrolment = Enrolment.objects.select_related("town__region", "programme__current_version").get(pk=enrolment.pk)
    perms.can_record_fraud.require(by, enrolment)
    for field, value, zh, en in (("source", source, "线索来源", "source"), ("description", description, "查实情况", "description"),
                                 ("decision_ref", decision_ref, "处理决定文号", "decision reference")):
        if not value.strip():
            raise ActionError(f"请填写{zh}", f"the {en} is required", field=field)
    if found_on > timezone.localdate():
        raise ActionError("查实日期不能晚于今天", "the finding cannot be dated in the future", field="found_on")
    if not enrolment.is_open:
        raise ActionError("该小镇已不在名单中", "this enrolment has already ended", field=None)
    policy = enrolment.programme.policy
    cancel = next((t for t in allowed_transitions(policy, enrolment.tier) if t.action == "cancel"), None)
    if cancel is None or cancel.to is None:
        raise ActionError(f"{policy.identity.short_name.zh}的政策文件没有规定取消资格，无法据此处理",
                          f"{policy.id} has no cancel transition: the qualification cannot be cancelled under it",
                          field=None)
    problems = []
    if len(documents) > MAX_EVIDENCE_FILES:
        problems.append(f"最多 {MAX_EVIDENCE_FILES} 个文件 / at most {MAX_EVIDENCE_FILES} files")
    for doc in documents:
        if len(doc.content) > MAX_EVIDENCE_BYTES:
            problems.append(f"{doc.name}: 超过 10 MB / larger than 10 MB")
        elif not doc.content:
            problems.append(f"{doc.name}: 空文件 / the file is empty")
    if problems:
        raise ActionError("证据材料有误", "invalid evidence documents", field="documents", details=problems)
    change = change_tier(
        enrolment=enrolment, to_tier=cancel.to, by=by, transition_id=cancel.id, decision_ref=decision_ref.strip(),
        reason=f"弄虚作假，取消资格 / fraud: qualification cancelled — {description.strip()}",
    )
    finding = FraudFinding.objects.create(
        enrolment=enrolment, found_on=found_on, source=source.strip(), description=description.strip(),
        decision_ref=decision_ref.strip(), recorded_by=by, tier_change=change,
    )
    FraudEvidence.objects.bulk_create([
        FraudEvidence(finding=finding, name=doc.name[:200], content_type=doc.content_type[:100] or "application/octet-stream",
                      size=len(doc.content), sha256=hashlib.sha256(doc.content).hexdigest(), content=doc.content)
        for doc in documents
    ])
    audit.record(actor=by, verb="record_fraud_finding", obj=enrolment, from_state=change.from_tier,
                 to_state=change.to_tier, reason=finding.description,
                 data={"finding": finding.pk, "tier_change": change.pk, "transition": cancel.id, "clause": cancel.clause,
                       "source": finding.source, "found_on": found_on, "documents": [d.name for d in documents]})
    return finding


MAX_REFORM_CHARS = 20_000


@transaction.atomic
def run_whatif(*, run: AssessmentRun, reform: str, reason: str, by: User) -> AuditEntry:
    """Run the run's year again under a reform (``xiaozhen.policy.parse_reform``: dated parameter
    values, must/should switches) and compare with the programme as it is (the core's
    ``compare_assessments``). Nothing is published and no town, proposal or figure changes: the
    only row written is the audit entry, which keeps the reform, the reason and the comparison, so
    the page and its XLSX show exactly what was computed. Returns that entry."""
    perms.can_run_whatif.require(by, run)
    if not reason.strip():
        raise ActionError("请说明测算原因", "say why you run this what-if", field="reason")
    if not reform.strip():
        raise ActionError("请填写改革方案", "enter a reform", field="reform")
    if len(reform) > MAX_REFORM_CHARS:
        raise ActionError(f"改革方案不超过 {MAX_REFORM_CHARS} 个字符", f"a reform is at most {MAX_REFORM_CHARS} characters",
                          field="reform")
    policy = run.programme_version.policy
    try:
        parsed = parse_reform(reform, "reform")
        reformed = apply_reform(policy, parsed, "reform")
    except PolicyFileError as exc:
        raise ActionError("改革方案有误", "the reform does not fit the programme", field="reform",
                          details=[str(p) for p in exc.problems]) from None
    changes = engine.whatif_changes(run, reformed)
    return audit.record(
        actor=by, verb="run_whatif", obj=run, reason=reason.strip(),
        to_state="whatif (never published)",
        data={"programme": run.programme.policy_id, "year": run.year, "programme_version": run.programme_version.number,
              "content_hash": run.programme_version.content_hash, "reform": reform,
              "reform_name": parsed.name.model_dump(), "towns_changed": len(changes),
              "changes": [json_safe(c) for c in changes]},
    )
