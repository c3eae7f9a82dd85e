"""Every kind of official document the platform prints, built from the database into a ``Document``
that ``documents.pdf.render_pdf`` turns into an A4 PDF.

Each builder takes the object the document is about and returns its title, number, date, the office
whose letterhead it carries, and the context its template reads. Values are formatted for people
here (labels, units, dates), so templates never show an id. ``KINDS`` lists them with the object
they take, for the views and for ``manage.py render_documents``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils import timezone

from applications.models import Application
from assessments.models import AssessmentRun
from assessments.selectors import action_label
from lists.models import ListPublication, Objection
from lists.receipts import objection_number
from programmes.models import Programme
from projects.models import Contract, Party
from reports.models import Bulletin
from towns.models import Enrolment, IndicatorValue, TierChange, Town, tier_label
from xiaozhen.present import show_value

from .certificates import Certificate, certificate_number, certificates_of
from .maps import boundary_svg
from .office import Office, office_for
from .qr import profile_url, qr_data_uri


@dataclass(frozen=True)
class Document:
    kind: str
    title_zh: str
    title_en: str
    number: str
    issued_on: dt.date
    programme: Programme | None
    office: Office | None
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    landscape: bool = False

    @property
    def filename(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.number)[:60].strip("-")
        return f"{self.kind}-{safe or 'document'}.pdf"


def _date(value: dt.date | dt.datetime | None) -> str:
    """2026年12月3日 — GB/T 9704-2012 writes dates in Arabic numerals."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def _tier_zh(programme: Programme, tier: str) -> str:
    label = tier_label(programme, tier)
    return label if isinstance(label, str) else label.zh


def _category_label(programme: Programme, category: str) -> str:
    for c in programme.policy.categories:
        if c.id == category:
            return c.label.zh
    return category or "—"


# --- the quarterly bulletin (通报) ------------------------------------------------------------
def bulletin(b: Bulletin) -> Document:
    rp = b.reporting_period
    programme = rp.programme
    office = office_for(programme)
    year, quarter = rp.period[:4], rp.period[-1]
    c = b.content
    return Document(
        "bulletin", f"{programme.short_name_zh}{year}年第{quarter}季度建设进展情况通报",
        f"{programme.short_name_en} progress bulletin, {rp.period}",
        f"{office.number_prefix}通报〔{year}〕第{quarter}期", (b.published_at or b.generated_at).date(), programme, office,
        "documents/pdf/bulletin.html",
        {"c": c, "period": rp.period, "due_on": c.get("due_on"), "measure": c.get("measure", {}),
         "draft": b.status != Bulletin.Status.PUBLISHED, "note": b.note,
         "audience": programme.policy.audience("bulletin")},
    )


# --- annual assessment results (年度考核结果) ------------------------------------------------------
def assessment_results(run: AssessmentRun) -> Document:
    programme = run.programme
    office = office_for(programme)
    rows = []
    for p in run.proposals.select_related("town__region").order_by("town__code"):
        rows.append({
            "town": p.town.name_zh, "county": p.town.region.name_zh,
            "tier": _tier_zh(programme, p.tier),
            "met": {True: "达标", False: "未达标", None: "待定"}[p.annual_met],
            "grade": p.grade or "—", "score": f"{p.score:.1f}" if p.score is not None else "—",
            "stars": "★" * p.star_rating if p.star_rating else "—",
            "decision": action_label(p.action).zh + (
                f" → {_tier_zh(programme, p.next_tier)}" if p.next_tier != p.tier else ""),
            "clause": p.clause or "—", "excellent": "优秀" if p.excellent else "",
        })
    return Document(
        "assessment_results", f"关于{programme.short_name_zh}{run.year}年度考核结果的通报",
        f"{programme.short_name_en}: {run.year} annual assessment results",
        run.document_number or office.number(run.year + 1, "考核"), (run.published_at or run.computed_at).date(),
        programme, office, "documents/pdf/assessment_results.html",
        {"run": run, "rows": rows, "effective_on": _date(run.effective_on),
         "draft": not run.is_published, "version": run.programme_version.number},
        landscape=True,
    )


# --- lists: the notice (公示) and the final list (正式名单) ---------------------------------------------
def _list_document(publication: ListPublication, kind: str) -> Document:
    programme = publication.programme
    office = office_for(programme)
    entries = [
        {"position": e.position, "town": e.town_name_zh, "county": e.county_zh,
         "category": e.category_zh or _category_label(programme, e.category), "sub_sector": e.sub_sector or "—"}
        for e in publication.entries.filter(removed=False).order_by("position")
    ]
    title = publication.title_zh if kind == "final_list" else f"{publication.title_zh}（公示）"
    return Document(
        kind, title, publication.title_en or title,
        publication.document_number or office.number(publication.year, f"名单{publication.pk}"),
        (publication.finalised_at or publication.noticed_at or publication.created_at).date(), programme, office,
        "documents/pdf/list.html",
        {"publication": publication, "entries": entries, "tier": _tier_zh(programme, publication.tier),
         "notice": kind == "list_notice", "opens": _date(publication.notice_opens_on),
         "closes": _date(publication.notice_closes_on), "status": publication.get_status_display()},
    )


def list_notice(publication: ListPublication) -> Document:
    return _list_document(publication, "list_notice")


def final_list(publication: ListPublication) -> Document:
    return _list_document(publication, "final_list")


# --- naming: the decision and the certificate (命名决定、证书) -----------------------------------------
def _naming_context(change: TierChange) -> dict[str, Any]:
    enrolment = change.enrolment
    programme = enrolment.programme
    town = enrolment.town
    certificate = next(c for c in certificates_of(enrolment) if c.naming.pk == change.pk)
    return {"town": town, "county": town.region.name_zh, "programme": programme,
            "named_as": _tier_zh(programme, change.to_tier), "effective_on": _date(change.effective_on),
            "clause": change.clause, "reason": change.reason, "decision_ref": change.decision_ref,
            "certificate": certificate, "status_zh": certificate.status_label[0],
            "qr": qr_data_uri(town.code), "profile_url": profile_url(town.code)}


def naming(change: TierChange) -> Document:
    programme = change.enrolment.programme
    ctx = _naming_context(change)
    return Document(
        "naming", f"关于命名{change.enrolment.town.name_zh}为{ctx['named_as']}的决定",
        f"Decision naming {change.enrolment.town.name_en or change.enrolment.town.name_zh}",
        change.decision_ref, change.effective_on, programme, office_for(programme), "documents/pdf/naming.html", ctx,
    )


def certificate(change: TierChange) -> Document:
    programme = change.enrolment.programme
    return Document(
        "certificate", "证书", "Certificate", certificate_number(change), change.effective_on, programme,
        office_for(programme), "documents/pdf/certificate.html", _naming_context(change), landscape=True,
    )


# --- receipts (受理回执、异议回执) --------------------------------------------------------------------
def application_receipt(application: Application) -> Document:
    submission = application.submissions.order_by("-number").first()
    programme = application.programme
    submitted = submission.submitted_at if submission else application.submitted_at or application.created_at
    number = f"受理〔{submitted.year}〕{application.pk:05d}-{submission.number if submission else 0}"
    materials = submission.materials if submission else []
    step = application.step_label
    return Document(
        "application_receipt", "申报受理回执", "Application receipt", number, submitted.date(), programme,
        office_for(programme), "documents/pdf/application_receipt.html",
        {"application": application, "submission": submission, "submitted_at": _date(submitted),
         "materials": [m.get("label") or m.get("name") or m.get("filename") or "—" for m in materials
                       if isinstance(m, dict)],
         "state": application.state_label, "step": getattr(step, "zh", "") if step else "",
         "call": application.call},
    )


def objection_receipt(objection: Objection) -> Document:
    programme = objection.publication.programme
    return Document(
        "objection_receipt", "异议受理回执", "Objection receipt", objection_number(objection),
        objection.submitted_at.date(), programme, office_for(programme), "documents/pdf/objection_receipt.html",
        {"objection": objection, "publication": objection.publication, "entry": objection.entry,
         "submitted_at": _date(objection.submitted_at), "status": objection.get_status_display(),
         "closes": _date(objection.publication.notice_closes_on)},
    )


# --- the Guangdong three-party contract (三方合同, 004 §三4–5) ---------------------------------------
def contract(c: Contract) -> Document:
    programme = c.programme
    policy = c.programme_version.policy
    labels = {i.id: i.label.zh for i in policy.indicators}
    targets = [{"label": labels.get(t.indicator_id, t.indicator_id),
                "value": show_value(policy, t.indicator_id, t.target)} for t in c.targets.all()]
    signatures = {s.party: s for s in c.signatures.all()}
    parties = [{"label": str(Party(p).label).split(" / ")[0], "signature": signatures.get(p)} for p in Party.values]
    money = [("省拨经费", c.provincial_amount), ("市配套", c.city_amount), ("县(区)配套", c.county_amount),
             ("镇自筹", c.town_amount)]
    return Document(
        "contract", f"广东省创新示范专业镇建设项目合同书（{c.town.name_zh}）", "Three-party project contract",
        c.number, c.in_force_on or c.term_start, programme, office_for(programme), "documents/pdf/contract.html",
        {"contract": c, "targets": targets, "parties": parties, "local_region": c.local_party_region.name_zh,
         "term": f"{_date(c.term_start)}至{_date(c.term_end)}（{c.term_years}年）",
         "money": [(label, f"{amount:,.2f} 万元") for label, amount in money],
         "ratio": f"{c.matching_ratio:.2f}", "state": c.get_state_display()},
    )


# --- the town profile (小镇档案) ----------------------------------------------------------------
KEY_TYPES = ("amount", "count", "number", "share")


def key_figures(town: Town, enrolment: Enrolment, limit: int = 8) -> list[dict[str, str]]:
    """The latest actual value of each headline indicator, formatted with its unit and source period."""
    policy = enrolment.programme.policy
    wanted = [i for i in policy.indicators if i.kind == "reported" and i.type in KEY_TYPES][: limit * 2]
    values = (
        IndicatorValue.objects.filter(town=town, programme=enrolment.programme, basis="actual",
                                      indicator_id__in=[i.id for i in wanted], number__isnull=False)
        .order_by("indicator_id", "-period")
        .values_list("indicator_id", "period", "number")
    )
    latest: dict[str, tuple[str, float]] = {}
    for indicator_id, period, number in values:
        if number is not None:
            latest.setdefault(indicator_id, (period, number))
    out = []
    for indicator in wanted:
        if indicator.id in latest:
            period, number = latest[indicator.id]
            out.append({"label": indicator.label.zh, "label_en": indicator.label.en, "period": period,
                        "value": show_value(policy, indicator.id, number)})
        if len(out) == limit:
            break
    return out


@dataclass
class ProgrammeHistory:
    enrolment: Enrolment
    tier: Any
    changes: list[dict[str, str]]
    certificates: list[Certificate]
    figures: list[dict[str, str]]


profile_extras: list[Callable[[Town], dict[str, Any] | None]] = []


def register_profile_extra(func: Callable[[Town], dict[str, Any] | None]) -> Callable[[Town], dict[str, Any] | None]:
    """Other apps add a line to the public profile (the vitality index, the 亩均 class): a function
    ``town → {"label_zh", "label_en", "value"}`` or None. Only public facts belong there."""
    profile_extras.append(func)
    return func


def profile_context(town: Town) -> dict[str, Any]:
    histories = []
    enrolments = town.enrolments.select_related("programme__current_version", "programme_version").order_by(
        "started_on")
    for enrolment in enrolments:
        programme = enrolment.programme
        changes = [
            {"on": _date(ch.effective_on), "from": _tier_zh(programme, ch.from_tier),
             "to": _tier_zh(programme, ch.to_tier), "clause": ch.clause or "—",
             "ref": ch.decision_ref}
            for ch in enrolment.tier_changes.order_by("effective_on", "pk")
        ]
        histories.append(ProgrammeHistory(enrolment, _tier_zh(programme, enrolment.tier), changes,
                                          certificates_of(enrolment), key_figures(town, enrolment)))
    extras = [e for e in (f(town) for f in profile_extras) if e]
    region = town.region
    place = " · ".join(r.name_zh for r in (region.parent.parent if region.parent else None, region.parent, region)
                       if r is not None)
    return {"town": town, "place": place, "histories": histories, "extras": extras,
            "boundary": boundary_svg(town.boundary_geojson), "qr": qr_data_uri(town.code),
            "profile_url": profile_url(town.code), "as_of": _date(timezone.localdate())}


def town_profile(town: Town) -> Document:
    first = town.enrolments.select_related("programme").order_by("started_on").first()
    programme = first.programme if first else None
    return Document(
        "town_profile", f"{town.name_zh}档案", f"{town.name_en or town.name_zh}: profile", town.code,
        timezone.localdate(), programme, office_for(programme) if programme else None,
        "documents/pdf/town_profile.html", profile_context(town),
    )


@dataclass(frozen=True)
class Kind:
    id: str
    zh: str
    en: str
    model: type[Model]
    build: Callable[[Any], Document]


KINDS: dict[str, Kind] = {k.id: k for k in [
    Kind("bulletin", "季度通报", "Quarterly bulletin", Bulletin, bulletin),
    Kind("assessment_results", "年度考核结果", "Annual assessment results", AssessmentRun, assessment_results),
    Kind("list_notice", "名单公示", "List notice", ListPublication, list_notice),
    Kind("final_list", "正式名单", "Final list", ListPublication, final_list),
    Kind("naming", "命名决定", "Naming decision", TierChange, naming),
    Kind("certificate", "命名证书", "Naming certificate", TierChange, certificate),
    Kind("application_receipt", "申报受理回执", "Application receipt", Application, application_receipt),
    Kind("objection_receipt", "异议受理回执", "Objection receipt", Objection, objection_receipt),
    Kind("contract", "三方项目合同", "Three-party contract", Contract, contract),
    Kind("town_profile", "小镇档案", "Town profile", Town, town_profile),
]}
