"""An application's state shows as a tag with its bilingual label."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.models import Application


@pytest.mark.parametrize("state", Application.State.values)
def test_every_state_renders_as_a_tag_with_its_label(state):
    application = Application(state=state)
    with translation.override("zh-hans"):
        html = Template("{% load applications_tags %}{% state_tag a %}").render(Context({"a": application}))
        label = str(Application.State(state).label)
    assert html == f'<span class="tag state-{state}">{label}</span>'
    assert application.state_label == application.get_state_display()
