"""Checking an uploaded material: its type by extension *and* by its first bytes, and its size.

A file is accepted when its extension is one of ALLOWED and its content starts the way
that type does (PDF ``%PDF-``; DOC/XLS the OLE2 compound header; DOCX/XLSX a ZIP holding
the matching Office part; JPEG ``FF D8 FF``; PNG its 8-byte signature). A renamed file —
an .exe called plan.pdf, a JPEG called table.xlsx — is refused, saying which file and why.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from portal.errors import ActionError
from xiaozhen import safefiles

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = b"\x89PNG\r\n\x1a\n"

#: extension → (what it is, zh / en)
ALLOWED = {
    ".pdf": ("PDF", "PDF"),
    ".doc": ("Word 文档", "Word document"),
    ".docx": ("Word 文档", "Word document"),
    ".xls": ("Excel 表格", "Excel workbook"),
    ".xlsx": ("Excel 表格", "Excel workbook"),
    ".jpg": ("JPG 图片", "JPG image"),
    ".jpeg": ("JPG 图片", "JPG image"),
    ".png": ("PNG 图片", "PNG image"),
}
ALLOWED_TEXT = "PDF、DOC/DOCX、XLS/XLSX、JPG/PNG"


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 20)) * 1024 * 1024


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _content_matches(ext: str, upload: UploadedFile, head: bytes) -> bool:
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext in (".doc", ".xls"):
        return head.startswith(OLE2)
    if ext in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == ".png":
        return head.startswith(PNG)
    if ext in (".docx", ".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        part = "word/" if ext == ".docx" else "xl/"
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    return False


def check_upload(upload: UploadedFile, *, label_zh: str, label_en: str, field: str = "file") -> CheckedFile:
    """The upload's extension, size and SHA-256, or an ActionError naming the file and why."""
    name = upload.name or ""
    who_zh, who_en = f"“{label_zh}”的文件 {name}", f"{label_en}: file {name!r}"
    ext = _extension(name)
    if ext not in ALLOWED:
        raise ActionError(
            f"{who_zh} 类型不被接受，只接受 {ALLOWED_TEXT}",
            f"{who_en} is not an accepted type; accepted: PDF, DOC/DOCX, XLS/XLSX, JPG/PNG",
            field=field,
        )
    size = upload.size or 0
    if size == 0:
        raise ActionError(f"{who_zh} 是空文件", f"{who_en} is empty", field=field)
    limit = max_bytes()
    if size > limit:
        raise ActionError(
            f"{who_zh} 大小 {size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB",
            f"{who_en} is {size / 1048576:.1f} MB, over the {limit // 1048576} MB limit",
            field=field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _content_matches(ext, upload, head):
        zh, en = ALLOWED[ext]
        raise ActionError(
            f"{who_zh} 的内容不是{zh}(扩展名为 {ext}，但文件开头不符)",
            f"{who_en} does not contain a {en} (its name ends in {ext} but its content does not match)",
            field=field,
        )
    if ext in (".docx", ".xlsx"):
        _refuse_bombs(upload, who_zh, who_en, field)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(ext, size, digest.hexdigest())


def _refuse_bombs(upload: UploadedFile, who_zh: str, who_en: str, field: str) -> None:
    """Zip bombs and XML entity declarations (billion laughs, XXE): a reviewer opens this file later."""
    limits = safefiles.Limits(max_bytes=max_bytes(), max_uncompressed=safefiles.MATERIAL_LIMITS.max_uncompressed)
    try:
        assert upload.file is not None  # an uploaded file always has its file object
        safefiles.check_office_zip(upload.file, limits=limits)
    except safefiles.UnsafeFile as exc:
        raise ActionError(f"{who_zh} 不能接受：{exc.zh}", f"{who_en} cannot be accepted: {exc.en}", field=field) from exc
    finally:
        upload.seek(0)


def demo_pdf(name: str, text: str):
    """A small, valid one-page PDF saying ``text`` (demo materials)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        f"% {text.encode('unicode_escape').decode('ascii')}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode("ascii")
    return SimpleUploadedFile(name, body, content_type="application/pdf")
