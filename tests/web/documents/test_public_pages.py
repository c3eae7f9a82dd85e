"""Public pages: the town profile behind its QR code, public documents, and what stays internal."""

from __future__ import annotations

import io

from django.urls import reverse

from documents.permissions import is_public
from documents.qr import profile_url


def test_a_town_profile_needs_no_sign_in_and_shows_labels_not_ids(client, named_enrolment):
    town = named_enrolment.town
    response = client.get(reverse("documents:profile", args=[town.code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "云栖小镇" in text and "命名" in text  # the tier's label
    assert "named" not in text.split("<main", 1)[1].replace("named_", "")  # no raw tier id in the page body
    assert "csrfmiddlewaretoken" not in text and "X-CSRFToken" not in text  # the same page for everyone
    assert response["Cache-Control"] == "public, max-age=300"


def test_a_profile_address_is_short_and_stable(named_enrolment, settings):
    settings.XIAOZHEN_PUBLIC_URL = "https://towns.example.gov.cn"
    assert profile_url(named_enrolment.town.code) == f"https://towns.example.gov.cn/t/{named_enrolment.town.code}/"


def test_an_unknown_town_code_is_not_found(client, db):
    assert client.get(reverse("documents:profile", args=["999999-999"])).status_code == 404


def test_the_town_code_comes_as_svg_png_and_pdf_and_decodes_to_the_profile(client, named_enrolment):
    import zxingcpp
    from PIL import Image

    code = named_enrolment.town.code
    for fmt, mime, magic in [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG"),
                             ("pdf", "application/pdf", b"%PDF")]:
        response = client.get(reverse("documents:qr", args=[code, fmt]))
        assert response.status_code == 200 and response["Content-Type"] == mime
        assert response.content.startswith(magic)
    png = client.get(reverse("documents:qr", args=[code, "png"])).content
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found.text == profile_url(code)
    assert client.get(reverse("documents:qr", args=[code, "gif"])).status_code == 404


def test_a_naming_decision_is_public_by_the_programme_file(client, named_enrolment, tmp_path):
    from .conftest import pdf_text

    naming = named_enrolment.tier_changes.get(to_tier="named")
    assert is_public("naming", naming)
    response = client.get(reverse("documents:pdf", args=["naming", naming.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    flat = text.replace(" ", "")
    named_as = named_enrolment.programme.policy.tier("named").label.zh
    assert f"关于命名云栖小镇为{named_as}的决定" in flat
    assert "浙特镇办〔2024〕7号" in flat
    assert "—1—" in flat  # the page number at the foot
    index = client.get(reverse("documents:public_index")).content.decode()
    assert "命名 云栖小镇" in index
