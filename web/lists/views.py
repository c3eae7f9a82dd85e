"""List pages. The public notice pages (/public/lists/) need no sign-in; the officers'
pages (/lists/) manage drafts, the notice, objections and the final list. Each view
parses, authorises (lists.permissions), calls one action, and responds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from portal.bilingual import bi_text
from portal.errors import ActionError
from portal.forms_util import add_action_error, run_action
from portal.pagination import page_of
from safety.client import client_address

from . import actions
from .forms import (
    AddEntryForm,
    DecideObjectionForm,
    NewListForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
)
from .models import ListEntry, ListPublication, Objection
from .permissions import (
    can_manage_lists,
    can_view_publication,
    manageable_programmes,
    may_manage_some_lists,
    public_publications,
    visible_publications,
)
from .receipts import objection_number, objection_token
from .selectors import publication_for_page, publication_page, publication_rows


def _publication(pk: int) -> ListPublication:
    try:
        return publication_for_page(pk)
    except ListPublication.DoesNotExist:
        raise Http404 from None


# --- public notice (公示) -----------------------------------------------------------------
@login_not_required
def public_index(request: HttpRequest) -> HttpResponse:
    page = page_of(request, publication_rows(public_publications()))
    return render(request, "lists/public_index.html", {"page_obj": page, "today": timezone.localdate()})


@login_not_required
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    if not publication.is_public:
        raise Http404  # a draft does not exist for the public
    page = publication_page(publication, with_objections=False)
    form = ObjectionForm(request.POST or None, entries=page.listed)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = actions.submit_objection(publication=publication, entry=data["entry"], name=data["name"],
                                                     contact=data["contact"], grounds=data["grounds"],
                                                     ip_address=client_address(request))
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                number = objection_number(objection)
                messages.success(request, bi_text(f"异议已提交，回执编号 {number}，我们将依法核实处理",
                                                  f"Your objection has been received: receipt {number}"))
                return redirect("documents:objection_receipt_page", token=objection_token(objection))
        status = 400
    return render(request, "lists/public_detail.html",
                  {"page": page, "form": form, "window": publication.window_state(timezone.localdate())},
                  status=status)


# --- officers' pages ---------------------------------------------------------------------
def manage_index(request: AuthedRequest) -> HttpResponse:
    programmes = manageable_programmes(request.user)
    form = NewListForm(request.POST or None, programmes=programmes)
    if request.method == "POST":
        may_manage_some_lists.require(request.user)
    if done := run_action(request, form, lambda d: actions.create_list(by=request.user, **form.action_arguments()),
                          success=("名单草稿已生成", "Draft list created")):
        return redirect("lists:detail", pk=done.result.pk)
    publications = publication_rows(visible_publications(request.user))
    page = page_of(request, publications)
    return render(request, "lists/manage_index.html", {"page_obj": page, "form": form if programmes else None,
                                                       "programmes": programmes},
                  status=400 if form.errors else 200)


def manage_detail(request: AuthedRequest, pk: int, bound: dict | None = None, status: int = 200) -> HttpResponse:
    publication = _publication(pk)
    can_view_publication.require(request.user, publication)
    manager = can_manage_lists(request.user, publication.programme)
    page = publication_page(publication, with_objections=manager)
    if manager:
        bound = bound or {}
        page.forms = {
            "add": bound.get("add") or AddEntryForm(),
            "notice": bound.get("notice") or NoticeForm(publication=publication),
            "withdraw": bound.get("withdraw") or ReasonForm(prefix="withdraw"),
            "errors": bound.get("errors", []),
        }
        for o in page.objections:
            if o.status == Objection.Status.PENDING:
                setattr(o, "decide_form", bound.get(("decide", o.pk)) or DecideObjectionForm(prefix=f"o{o.pk}"))  # noqa: B010 (a template attribute)
    editable = manager and publication.status == ListPublication.Status.DRAFT
    return render(request, "lists/manage_detail.html",
                  {"page": page, "manager": manager, "editable": editable,
                   "window": publication.window_state(timezone.localdate())},
                  status=status)


def _act(request: AuthedRequest, pk: int, key, form, call, done_zh: str, done_en: str) -> HttpResponse:
    """Validate ``form``, run ``call(cleaned_data)``; on success redirect, else show the page with the error."""
    if form is None or form.is_valid():
        try:
            call(form.cleaned_data if form is not None else {})
        except ActionError as exc:
            if form is None:
                return manage_detail(request, pk, bound={"errors": [str(exc)]}, status=400)
            add_action_error(form, exc)
        else:
            messages.success(request, bi_text(done_zh, done_en))
            return redirect("lists:detail", pk=pk)
    return manage_detail(request, pk, bound={key: form}, status=400)


@require_POST
def add_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(ListPublication, pk=pk)
    return _act(request, pk, "add", AddEntryForm(request.POST),
                lambda d: actions.add_list_entry(publication=publication, town=d["town_code"], by=request.user,
                                                 reason=d["reason"]),
                "已加入名单", "Town added to the list")


@require_POST
def remove_entry(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = get_object_or_404(ListEntry, pk=entry_pk, publication_id=pk)
    return _act(request, pk, None, None,
                lambda d: actions.remove_list_entry(entry=entry, by=request.user, reason=request.POST.get("reason", "")),
                "已从草稿中移除", "Town removed from the draft")


@require_POST
def open_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(ListPublication, pk=pk)
    return _act(request, pk, "notice", NoticeForm(request.POST, publication=publication),
                lambda d: actions.open_notice(publication=publication, by=request.user, opens_on=d["notice_opens_on"],
                                              closes_on=d["notice_closes_on"], document_number=d["document_number"]),
                "名单已公示", "The list is on public notice")


@require_POST
def decide_objection(request: AuthedRequest, pk: int, objection_pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection, pk=objection_pk, publication_id=pk)
    return _act(request, pk, ("decide", objection.pk), DecideObjectionForm(request.POST, prefix=f"o{objection.pk}"),
                lambda d: actions.decide_objection(objection=objection, by=request.user,
                                                   upheld=d["outcome"] == "upheld", reason=d["reason"]),
                "异议已处理", "Objection decided")


@require_POST
def finalise(request: AuthedRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(ListPublication, pk=pk)
    return _act(request, pk, None, None, lambda d: actions.finalise_list(publication=publication, by=request.user),
                "名单已正式公布", "The list is final")


@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(ListPublication, pk=pk)
    return _act(request, pk, "withdraw", ReasonForm(request.POST, prefix="withdraw"),
                lambda d: actions.withdraw_list(publication=publication, by=request.user, reason=d["reason"]),
                "名单已撤回", "The list was withdrawn")


@require_POST
def correct(request: AuthedRequest, pk: int) -> HttpResponse:
    old = get_object_or_404(ListPublication.objects.select_related("programme__current_version"), pk=pk)
    try:
        new = actions.create_list(programme=old.programme, tier=old.tier, year=old.year, by=request.user,
                                  title_zh=f"{old.title_zh}（更正）", title_en=f"{old.title_en} (correction)".strip(),
                                  supersedes=old)
    except ActionError as exc:
        return manage_detail(request, pk, bound={"errors": [str(exc)]}, status=400)
    messages.success(request, bi_text("更正名单草稿已生成", "Draft correction created"))
    return redirect("lists:detail", pk=new.pk)
