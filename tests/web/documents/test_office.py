"""The office's letterhead, document-number prefix and seal: set by the deciding office, audited,
printed on every document."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry
from documents.actions import save_office_profile
from documents.kinds import naming
from documents.office import office_for
from portal.errors import ActionError, NotAllowed

from .conftest import pdf_text


def png(size: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (size, size), (200, 20, 30, 255)).save(out, format="PNG")
    return out.getvalue()


def test_without_settings_the_programme_files_issuer_is_the_letterhead(zhejiang):
    office = office_for(zhejiang)
    assert not office.configured and office.letterhead.endswith("文件") and office.seal_data_uri == ""


def test_the_deciding_office_sets_letterhead_prefix_and_seal_and_it_is_audited(zhejiang, hangzhou_officer):
    save_office_profile(programme=zhejiang, by=hangzhou_officer, letterhead_zh="浙江省特色小镇办文件",
                        issuer_zh="浙江省特色小镇办", issuer_en="Zhejiang town office", number_prefix="浙特镇办",
                        seal=SimpleUploadedFile("seal.png", png(), content_type="image/png"))
    office = office_for(zhejiang)
    assert office.configured and office.number(2026, 3) == "浙特镇办〔2026〕3号"
    assert office.seal_data_uri.startswith("data:image/png;base64,")
    entry = AuditEntry.objects.get(verb="save_office_profile")
    assert entry.actor == hangzhou_officer and "有印章 seal" in entry.to_state


def test_a_seal_that_is_not_a_png_is_refused_on_its_field(zhejiang, hangzhou_officer):
    with pytest.raises(ActionError) as caught:
        save_office_profile(programme=zhejiang, by=hangzhou_officer, letterhead_zh="x文件", issuer_zh="x",
                            issuer_en="", number_prefix="x",
                            seal=SimpleUploadedFile("seal.png", b"GIF89a....", content_type="image/png"))
    assert caught.value.field == "seal" and "seal.png" in caught.value.zh


def test_another_provinces_officer_may_not_set_the_letterhead(zhejiang, province_officer, client):
    with pytest.raises(NotAllowed):
        save_office_profile(programme=zhejiang, by=province_officer, letterhead_zh="x文件", issuer_zh="x",
                            issuer_en="", number_prefix="x")
    client.force_login(province_officer)
    assert client.get(reverse("documents:office", args=["zhejiang-towns"])).status_code == 403


def test_documents_carry_the_letterhead_and_the_seal(named_enrolment, hangzhou_officer, tmp_path):
    save_office_profile(programme=named_enrolment.programme, by=hangzhou_officer,
                        letterhead_zh="浙江省特色小镇办文件", issuer_zh="浙江省特色小镇办", issuer_en="",
                        number_prefix="浙特镇办", seal=SimpleUploadedFile("s.png", png(), content_type="image/png"))
    document = naming(named_enrolment.tier_changes.get(to_tier="named"))
    from documents.pdf import render_html, render_pdf

    assert 'class="seal"' in render_html(document)
    text = pdf_text(render_pdf(document), tmp_path).replace(" ", "")
    assert "浙江省特色小镇办文件" in text and "浙江省特色小镇办" in text
