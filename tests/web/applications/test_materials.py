"""Material uploads: type by extension and by content, size limit, and a clear refusal naming the file."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.actions import start_application, upload_material
from applications.models import Material
from portal.errors import ActionError, NotAllowed

from .conftest import pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def draft(guangxi_call, town_clerk):
    return start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)


@pytest.mark.parametrize("name,body", [
    ("方案.pdf", b"%PDF-1.7\n..."), ("范围.png", PNG), ("照片.JPG", JPEG), ("计划.doc", OLE2), ("表.xls", OLE2),
    ("规划.docx", office("docx")), ("投资.xlsx", office("xlsx")),
])
def test_each_accepted_type_with_matching_content_is_stored_under_media(draft, town_clerk, name, body, settings):
    material = upload_material(application=draft, material_id="creation_plan",
                               upload=SimpleUploadedFile(name, body), by=town_clerk)
    assert material.original_name == name and material.size == len(body)
    assert str(settings.MEDIA_ROOT) in material.file.path and name not in material.file.name
    assert material.file.open("rb").read() == body


@pytest.mark.parametrize("name,body,why", [
    ("setup.exe", b"MZ\x90\x00", "类型不被接受"),
    ("plan.pdf", b"MZ\x90\x00 not a pdf", "内容不是PDF"),
    ("table.xlsx", JPEG, "内容不是Excel 表格"),
    ("doc.docx", office("xlsx"), "内容不是Word 文档"),
    ("empty.pdf", b"", "空文件"),
    ("noext", b"%PDF-1.4", "类型不被接受"),
])
def test_a_refused_file_says_which_file_and_why(draft, town_clerk, name, body, why):
    with pytest.raises(ActionError) as err:
        upload_material(application=draft, material_id="creation_plan", upload=SimpleUploadedFile(name, body),
                        by=town_clerk)
    assert why in str(err.value) and name in str(err.value) and "创新小镇创建方案" in str(err.value)
    assert not Material.objects.exists()


def test_a_file_over_the_size_setting_is_refused_with_both_sizes(draft, town_clerk, settings):
    settings.MAX_UPLOAD_MB = 1
    big = pdf("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ActionError) as err:
        upload_material(application=draft, material_id="creation_plan", upload=big, by=town_clerk)
    assert "超过上限 1 MB" in str(err.value) and "big.pdf" in str(err.value)


def test_a_material_not_on_the_checklist_is_refused(draft, town_clerk):
    with pytest.raises(ActionError) as err:
        upload_material(application=draft, material_id="selfie", upload=pdf(), by=town_clerk)
    assert err.value.field == "material_id"


def test_a_new_upload_supersedes_the_old_file_and_keeps_it(draft, town_clerk):
    old = upload_material(application=draft, material_id="creation_plan", upload=pdf("v1.pdf"), by=town_clerk)
    new = upload_material(application=draft, material_id="creation_plan", upload=pdf("v2.pdf", b"%PDF-1.5 v2"),
                          by=town_clerk)
    old.refresh_from_db()
    assert not old.is_current and new.is_current and old.file.storage.exists(old.file.name)


def test_another_town_cannot_upload_to_the_application(draft, xixiangtang_clerk):
    with pytest.raises(NotAllowed):
        upload_material(application=draft, material_id="creation_plan", upload=pdf(), by=xixiangtang_clerk)


def test_a_material_whose_file_is_gone_answers_a_404_page_that_says_so(draft, town_clerk, signed_in):
    material = upload_material(application=draft, material_id="creation_plan", upload=pdf("方案.pdf"), by=town_clerk)
    material.file.storage.delete(material.file.name)
    response = signed_in(town_clerk).get(reverse("applications:download", args=[draft.pk, material.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "方案.pdf" in page and "no longer on the server" in page and "备份" in page


@pytest.mark.parametrize("name,part", [("规划.docx", "word/document.xml"), ("投资.xlsx", "xl/workbook.xml")])
def test_an_office_file_declaring_entities_is_refused_naming_the_part(draft, town_clerk, name, part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(ActionError, match=f"part {part} declares a DTD"):
        upload_material(application=draft, material_id="creation_plan",
                        upload=SimpleUploadedFile(name, buffer.getvalue()), by=town_clerk)
    assert not Material.objects.exists()
