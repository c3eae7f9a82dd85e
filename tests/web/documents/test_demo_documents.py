"""`manage.py render_documents` on the demo writes every kind, in Chinese, with no raw identifier."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

from django.core.management import call_command

from documents.kinds import KINDS

EXPECTED = {  # a phrase each kind must show, as a reader sees it
    "bulletin": "季度建设进展情况通报",
    "assessment_results": "年度考核结果的通报",
    "list_notice": "现予公示",
    "final_list": "名单",
    "naming": "的决定",
    "certificate": "被认定为",
    "application_receipt": "申报受理回执",
    "objection_receipt": "异议受理回执",
    "contract": "合同编号",
    "town_profile": "档案",
}
RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\bTrue\b|\bFalse\b|\bNone\b|\d+\.\d{5,}")


def test_render_documents_writes_every_kind_from_the_demo(db, tmp_path, demo_output):
    out = io.StringIO()
    call_command("render_documents", "--out", str(tmp_path), stdout=out)
    assert "0 种缺少数据" in out.getvalue()
    assert shutil.which("pdftotext")
    for kind in KINDS:
        pdf = tmp_path / f"{kind}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF"), kind
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = text.replace(" ", "")
        assert EXPECTED[kind] in flat, (kind, text[:400])
        assert "—1—" in flat or kind == "certificate", kind  # page numbers (a certificate is one sheet)
        assert not RAW.findall(text), (kind, RAW.findall(text))
