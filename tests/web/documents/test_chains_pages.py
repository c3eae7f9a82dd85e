"""A town's industry-chain panorama page and its investment-attraction list (XLSX and PDF)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from towns.actions import register_enterprise
from xiaozhen.codes import credit_code_check_char

from .conftest import pdf_text


def credit(n: int) -> str:
    body = f"9133010600000{n:04d}"[:17]
    return body + credit_code_check_char(body)


@pytest.fixture
def digital_town(named_enrolment, hangzhou_officer):
    town = named_enrolment.town
    for n, (name, code) in enumerate([("云栖芯片设计", "I6520"), ("云栖安防设备", "C3921"), ("云栖安防整机", "C3919"),
                                      ("云栖茶叶", "A0164")]):
        register_enterprise(town=town, credit_code=credit(n), name_zh=name, by=hangzhou_officer, industry=code)
    return town


def test_the_panorama_places_firms_by_code_and_lists_the_gaps(signed_in, hangzhou_officer, digital_town):
    page = signed_in(hangzhou_officer).get(reverse("industry_chains:town", args=[digital_town.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "数字经济产业链" in text and "云栖芯片设计" in text and "data-echart" in text
    assert "缺失" in text and "薄弱" in text  # software has none; chips has one firm (below two)


def test_the_attraction_list_has_one_row_per_gap_or_weak_segment(signed_in, hangzhou_officer, digital_town, tmp_path):
    client = signed_in(hangzhou_officer)
    book = load_workbook(io.BytesIO(client.get(reverse("industry_chains:attract_xlsx",
                                                       args=[digital_town.code])).content))
    rows = list(book.active.iter_rows(values_only=True))
    segments = [r[1] for r in rows[1:]]
    assert rows[0][1].startswith("环节")
    assert any(s.startswith("集成电路") for s in segments)  # one firm: weak
    assert any(s.startswith("软件与信息技术服务") for s in segments)  # none: a gap
    assert not any(s.startswith("数字设备") for s in segments)  # two firms: present
    pdf = client.get(reverse("industry_chains:attract_pdf", args=[digital_town.code]))
    assert "产业链招商清单" in pdf_text(pdf.content, tmp_path).replace(" ", "")


def test_another_provinces_officer_may_not_see_the_panorama(signed_in, province_officer, digital_town):
    response = signed_in(province_officer).get(reverse("industry_chains:town", args=[digital_town.code]))
    assert response.status_code == 403
