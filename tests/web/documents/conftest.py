"""Zhejiang's real programme file, a town named in it, and pdftotext to read PDFs back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from towns.actions import change_tier, enrol_town


@pytest.fixture
def named_enrolment(zhejiang, hangzhou_town, hangzhou_officer):
    enrolment = enrol_town(town=hangzhou_town, programme=zhejiang, tier="creation", started_on=dt.date(2019, 1, 1),
                           by=hangzhou_officer, category="digital_economy")
    change_tier(enrolment=enrolment, to_tier="named", by=hangzhou_officer, reason="验收合格",
                decision_ref="浙特镇办〔2024〕7号", effective_on=dt.date(2024, 3, 1),
                transition_id="name_after_acceptance")
    enrolment.refresh_from_db()
    return enrolment


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext (poppler-utils) reads it: what a person copying from it would get."""
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is needed to read PDFs back"
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout
