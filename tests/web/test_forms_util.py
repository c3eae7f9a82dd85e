"""run_action: validate the form, run the action, show its refusal on the form or queue the
bilingual success message."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils import translation

from portal.errors import ActionError
from portal.forms_util import ActionDone, run_action


class TierForm(forms.Form):
    code = forms.CharField()
    tier = forms.IntegerField()


class Recorder:
    """An action that records what it was called with and returns (or raises) what it is told."""

    def __init__(self, result=None, error: ActionError | None = None):
        self.result, self.error, self.calls = result, error, []

    def __call__(self, data):
        self.calls.append(dict(data))
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture(autouse=True)
def chinese_first():
    with translation.override("zh-hans"):
        yield


def post(rf, data):
    request = rf.post("/somewhere/", data)
    request._messages = CookieStorage(request)
    return request


def queued(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_valid_form_runs_the_action_on_its_cleaned_data_and_queues_the_message(rf):
    request = post(rf, {"code": "450103001", "tier": "2"})
    action = Recorder(result="the town")
    done = run_action(request, TierForm(request.POST), action, success=("层级已调整", "Tier changed"))
    assert isinstance(done, ActionDone) and done.result == "the town"
    assert action.calls == [{"code": "450103001", "tier": 2}]
    assert queued(request) == ["层级已调整 / Tier changed"]


def test_the_success_message_may_be_made_from_the_actions_result(rf):
    request = post(rf, {"code": "450103001", "tier": "2"})
    done = run_action(request, TierForm(request.POST), Recorder(result="450103001"),
                      success=lambda code: (f"已新建小镇：{code}", f"Town created: {code}"))
    assert done is not None
    assert queued(request) == ["已新建小镇：450103001 / Town created: 450103001"]


def test_an_action_returning_nothing_still_counts_as_done(rf):
    request = post(rf, {"code": "450103001", "tier": "2"})
    done = run_action(request, TierForm(request.POST), Recorder(result=None), success=None)
    assert done and done.result is None
    assert queued(request) == []


def test_an_invalid_form_never_calls_the_action(rf):
    request = post(rf, {"code": "450103001", "tier": "two"})
    form, action = TierForm(request.POST), Recorder()
    assert run_action(request, form, action, success=("层级已调整", "Tier changed")) is None
    assert action.calls == []
    assert list(form.errors) == ["tier"]
    assert queued(request) == []


def test_a_get_request_never_calls_the_action_even_with_a_bound_form(rf):
    request = rf.get("/somewhere/")
    request._messages = CookieStorage(request)
    form, action = TierForm({"code": "450103001", "tier": "2"}), Recorder()
    assert run_action(request, form, action, success=("层级已调整", "Tier changed")) is None
    assert action.calls == []
    assert not form.errors and queued(request) == []


def test_a_refused_action_shows_its_reason_on_the_field_it_names(rf):
    request = post(rf, {"code": "450103001", "tier": "9"})
    form = TierForm(request.POST)
    action = Recorder(error=ActionError("没有这一层级", "no such tier", field="tier"))
    assert run_action(request, form, action, success=("层级已调整", "Tier changed")) is None
    assert len(action.calls) == 1
    assert form.errors == {"tier": ["没有这一层级 / no such tier"]}
    assert queued(request) == []


@pytest.mark.parametrize("field", [None, "region"], ids=["no field", "an unknown field"])
def test_a_refusal_naming_no_field_of_the_form_lands_above_the_form(rf, field):
    request = post(rf, {"code": "450103001", "tier": "2"})
    form = TierForm(request.POST)
    action = Recorder(error=ActionError("此小镇已停用", "this town is retired", field=field,
                                        details=["代码 450103001"]))
    assert run_action(request, form, action, success=("层级已调整", "Tier changed")) is None
    assert form.non_field_errors() == ["此小镇已停用 / this town is retired: 代码 450103001"]
    assert set(form.errors) == {"__all__"}
    assert queued(request) == []


def test_a_button_with_no_form_runs_the_action_and_queues_a_refusal_as_an_error_message(rf):
    request = post(rf, {})
    done = run_action(request, None, Recorder(result="closed"), success=("已关闭", "Closed"))
    assert done == ActionDone("closed") and queued(request) == ["已关闭 / Closed"]
    request = post(rf, {})
    refused = Recorder(error=ActionError("该期间已关闭", "this period is already closed", field="status"))
    assert run_action(request, None, refused, success=("已关闭", "Closed")) is None
    assert refused.calls == [{}]
    assert queued(request) == ["该期间已关闭 / this period is already closed"]


def test_further_forms_must_be_valid_too_and_a_refusal_may_be_shown_by_the_view(rf):
    request = post(rf, {"code": "450103001", "tier": "2"})
    action = Recorder(result="saved")
    invalid_other = TierForm({"code": "450103001", "tier": "two"})
    assert run_action(request, TierForm(request.POST), action, success=None, also_valid=[invalid_other]) is None
    assert action.calls == [] and "tier" in invalid_other.errors
    shown: list[str] = []
    form = TierForm(request.POST)
    refused = Recorder(error=ActionError("报告有 1 个问题", "the report has 1 problem", field="tier"))
    assert run_action(request, form, refused, success=None, on_error=lambda exc: shown.append(exc.en)) is None
    assert shown == ["the report has 1 problem"] and not form.errors and queued(request) == []
