# ruff: noqa: F403  (fixtures imported from other conftests are parameters here)
"""Every spreadsheet export shows text that looks like a formula as text: a town named ``=HYPERLINK(…)``, a ledger
line noted ``@SUM(…)``, an audit object ``=cmd|…`` come out with a leading ' (OWASP), never as a live formula.

``EXPORTS`` lists every export; ``test_every_view_that_sends_a_spreadsheet_is_in_the_list`` fails when a view
sends XLSX or CSV and is not listed, so a new export must be added here (and written with ``xiaozhen.tabular``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.projects.conftest import *
from tests.web.reports.conftest import *
from tests.web.reports.conftest import PAST, tongzhou_ledger, tongzhou_values

from assessments.export import results_xlsx_bytes
from projects import actions as project_actions
from reports.actions import generate_bulletin, submit_report_values
from towns.actions import create_town
from towns.models import Town
from xiaozhen.cli import main
from xiaozhen.tabular import FORMULA_TRIGGERS

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
PLANTED = '=HYPERLINK("http://evil.example","点此领奖")'
NOTE = "@SUM(1+1)*cmd|' /C calc'!A0"


def cells_of(data: bytes, kind: str) -> list[object]:
    """Every cell value of every sheet (formulas as their text, as openpyxl reads them), or every CSV field."""
    if kind == "csv":
        return [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for field in row]
    book = load_workbook(io.BytesIO(data))
    out: list[object] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                out.append(cell.value)
    return out


def assert_safe(data: bytes, kind: str, planted: tuple[str, ...]) -> None:
    values = cells_of(data, kind)
    texts = [v for v in values if isinstance(v, str)]
    for text in texts:
        assert not text.startswith(FORMULA_TRIGGERS), f"unescaped: {text!r}"
    for plant in planted:
        assert any(plant in t and t.startswith("'") for t in texts), f"{plant!r} is not in the export, escaped"


# ---------------------------------------------------------------- the exports

def export_cli_evaluate(request, tmp_path) -> tuple[bytes, str, tuple[str, ...]]:
    source = (REPO / "examples" / "tongzhou-towns" / "application.csv").read_text(encoding="utf-8")
    facts = tmp_path / "application.csv"
    facts.write_text(source.replace("川姜家纺小镇", PLANTED.replace('"', '""').join('""')), encoding="utf-8")
    target = tmp_path / "verdicts.xlsx"
    assert main(["evaluate", "--policy", "tongzhou-towns", "--stage", "application", "--format", "xlsx",
                 "--output", str(target), str(facts)]) == 0
    return target.read_bytes(), "xlsx", (PLANTED,)


def _planted_tongzhou(request):
    town = request.getfixturevalue("chuanjiang_town")
    Town.objects.filter(pk=town.pk).update(name_zh=PLANTED)
    town.refresh_from_db()
    return town


def export_report_template(request, tmp_path):
    request.getfixturevalue("tongzhou_period")
    _planted_tongzhou(request)
    client = request.getfixturevalue("signed_in")(request.getfixturevalue("chuanjiang_clerk"))
    response = client.get(reverse("reports:template", args=["tongzhou-towns", PAST]))
    return response.content, "xlsx", (PLANTED,)


def export_bulletin(request, tmp_path):
    period = request.getfixturevalue("tongzhou_period")
    town = _planted_tongzhou(request)
    tongzhou, office = request.getfixturevalue("tongzhou"), request.getfixturevalue("tongzhou_office")
    ledger = tongzhou_ledger()
    ledger[0]["project_name"] = PLANTED
    submit_report_values(town=town, programme=tongzhou, period=PAST, by=request.getfixturevalue("chuanjiang_clerk"),
                         values=tongzhou_values(), ledger=ledger)
    generate_bulletin(reporting_period=period, by=office)
    response = request.getfixturevalue("signed_in")(office).get(
        reverse("reports:bulletin_export", args=["tongzhou-towns", PAST]))
    return response.content, "xlsx", (PLANTED,)


def _audited(request, kind: str):
    from tests.web.conftest import region

    officer = request.getfixturevalue("province_officer")
    create_town(by=officer, region=region("450103"), name_zh=PLANTED, category="high_end_manufacturing")
    response = request.getfixturevalue("signed_in")(request.getfixturevalue("auditor")).get(
        reverse("audit:export", args=[kind]), {"verb": "create_town"})
    data = b"".join(response.streaming_content) if kind == "csv" else response.content
    return data, kind, (PLANTED,)


def export_audit_csv(request, tmp_path):
    return _audited(request, "csv")


def export_audit_xlsx(request, tmp_path):
    return _audited(request, "xlsx")


def export_funding_ledger(request, tmp_path):
    contract = request.getfixturevalue("in_force")
    officer = request.getfixturevalue("gd_officer")
    Town.objects.filter(pk=contract.town_id).update(name_zh=PLANTED)
    project_actions.record_funding(contract=contract, kind="allocation", source="provincial", amount=Decimal("200"),
                                   on=dt.date(2024, 3, 1), document_ref="-1 号", note=NOTE, by=officer)
    contract.refresh_from_db()
    response = request.getfixturevalue("signed_in")(request.getfixturevalue("auditor")).get(
        reverse("projects:funding_xlsx", args=[contract.pk]))
    return response.content, "xlsx", (PLANTED, NOTE, "-1 号")


def export_assessment_results(request, tmp_path):
    """The results workbook from the rows the page shows (a run needs a whole programme year to set up)."""
    town = SimpleNamespace(code="450103-001", name_zh=PLANTED, region=SimpleNamespace(code="450103"))
    label = SimpleNamespace(zh="保留", en="kept")
    proposal = SimpleNamespace(
        town=town, tier="creation", annual_met=True, missed_streak=0, grade="+优秀", score=Decimal("-1.5"),
        star_rating=3, risk_grade="低", next_tier="creation", clause="002 §四", excellent=False, overridden=True,
        override_reason=NOTE, tier_change=None, reasons=["=1+1 理由"])
    run = SimpleNamespace(year=2025, document_number="桂科〔2025〕1号", programme=SimpleNamespace(name_zh="测试", name_en="Test"),
                          programme_version=SimpleNamespace(number=1))
    row = SimpleNamespace(proposal=proposal, tier=label, action=label, next_tier=label)
    data = results_xlsx_bytes(run, [row])
    book = load_workbook(io.BytesIO(data))
    assert any(c.value == -1.5 for r in book.active.iter_rows() for c in r), "a negative score stays a number"
    return data, "xlsx", (PLANTED, NOTE, "+优秀")


def export_whatif(request, tmp_path):
    """The what-if comparison workbook, from rows as the page shows them (officer's text planted everywhere)."""
    from assessments.whatif import ChangeRow, CriterionLine, Number, whatif_xlsx_bytes
    from portal.bilingual import Bi

    run = SimpleNamespace(year=2025, programme=SimpleNamespace(name_zh="测试", name_en="Test"))
    entry = SimpleNamespace(data={"reform_name": {"zh": PLANTED, "en": "-reform"}, "programme_version": 1},
                            reason=NOTE, actor_username="province", at=dt.datetime(2026, 1, 1, 9, 0))
    line = CriterionLine(Bi(PLANTED, "x"), "003 §四(三)", Bi("通过", "pass"), Bi("未通过", "fail"),
                         [Number(Bi("投资", "investment"), "+3 亿元")], [Number(Bi("下限", "minimum"), "20 亿元", "25 亿元")])
    rows = [ChangeRow("450103-001", PLANTED, Bi("保持", "stay"), Bi("降格", "demote"), "", "A §4", [line])]
    return whatif_xlsx_bytes(run, entry, rows), "xlsx", (PLANTED, NOTE)


EXPORTS: dict[str, Callable] = {
    "cli evaluate --format xlsx": export_cli_evaluate,
    "reports:template": export_report_template,
    "reports:bulletin_export": export_bulletin,
    "audit:export csv": export_audit_csv,
    "audit:export xlsx": export_audit_xlsx,
    "projects:funding_xlsx": export_funding_ledger,
    "assessments:results_xlsx": export_assessment_results,
    "assessments:whatif_xlsx": export_whatif,
}
#: Views that send a spreadsheet: the export (key of EXPORTS) covering each, or why none is needed.
VIEWS = {
    ("assessments", "results_xlsx"): "assessments:results_xlsx",
    ("assessments", "whatif_xlsx"): "assessments:whatif_xlsx",
    ("audit", "audit_export"): "audit:export xlsx",
    ("projects", "funding_export"): "projects:funding_xlsx",
    ("reports", "template_download"): "reports:template",
    ("reports", "bulletin_export"): "reports:bulletin_export",
    ("reports", "revision_workbook"): "(the uploader's own file, sent back as it came)",
}


@pytest.mark.parametrize("name", EXPORTS)
def test_text_that_looks_like_a_formula_is_exported_as_text(name, request, tmp_path):
    data, kind, planted = EXPORTS[name](request, tmp_path)
    assert_safe(data, kind, planted)


def test_every_view_that_sends_a_spreadsheet_is_in_the_list():
    found = set()
    for views in (REPO / "web").glob("*/views.py"):
        text = views.read_text(encoding="utf-8")
        for match in re.finditer(r"^def (\w+)\(.*?(?=^def |\Z)", text, re.S | re.M):
            if re.search(r"content_type=XLSX|text/csv", match.group(0)):
                found.add((views.parent.name, match.group(1)))
    assert found == set(VIEWS), "a view sends a spreadsheet: add it to VIEWS and EXPORTS"
    assert all(v in EXPORTS or v.startswith("(") for v in VIEWS.values())


def test_no_module_writes_a_spreadsheet_except_the_one_writer():
    """openpyxl and csv writers live in xiaozhen.tabular (and the report template, whose styled, validated
    cells need a normal workbook; it escapes names with tabular.safe_text)."""
    allowed = {"src/xiaozhen/tabular.py", "src/xiaozhen/reports/_template.py"}
    offenders = []
    for path in [*(REPO / "src").rglob("*.py"), *(REPO / "web").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(REPO))
        if relative not in allowed and re.search(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(", text):
            offenders.append(relative)
    assert not offenders, offenders
