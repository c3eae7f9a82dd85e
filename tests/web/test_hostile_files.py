# ruff: noqa: F811  (fixtures imported from the reports and applications conftests are parameters here)
"""Every importer takes every file of the hostile corpus (tests/hostile.py) and answers the same way: a clear
refusal, or a safe acceptance — never a 500, a crash or a partial write. The outcomes are the table in
docs/hostile-files.md; the last test fails when that table is stale (regenerate it with
``XIAOZHEN_WRITE_HOSTILE_TABLE=1``).

A new importer adds an adapter to ``IMPORTERS``: a function taking the file's bytes and name and returning
an ``Outcome``. It then runs the whole corpus and gets a column of the table.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.hostile import CORPUS, Hostile, Outcome, Shape
from tests.web.api.conftest import api_as, token_for  # noqa: F401  (fixtures)
from tests.web.applications.conftest import guangxi, guangxi_call  # noqa: F401  (fixtures)
from tests.web.conftest import region
from tests.web.reports.conftest import (  # noqa: F401  (fixtures)
    PAST,
    chuanjiang_clerk,
    chuanjiang_town,
    ertong_town,
    jiangsu_officer,
    tongzhou_ledger,
    tongzhou_period,
    tongzhou_values,
)

from api.models import ReportPush
from applications.actions import start_application
from applications.models import Material
from audit.models import AuditEntry
from boundaries.models import BoundaryVersion, RedLineFinding
from enterprises.models import EnterpriseImport, EnterpriseYear
from reports.models import LedgerProject, Report, ReportRevision, UploadedWorkbook
from towns.models import IndicatorValue
from xiaozhen.cli import main

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "docs" / "hostile-files.md"
WRITTEN = (Report, ReportRevision, UploadedWorkbook, LedgerProject, IndicatorValue, ReportPush, Material, AuditEntry,
           BoundaryVersion, RedLineFinding, EnterpriseImport, EnterpriseYear)
#: importer → {file name → outcome}, filled by the tests below, read by the table test.
RESULTS: dict[str, dict[str, Outcome]] = {}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def _shape(template: bytes, town_code: str) -> Shape:
    return Shape(template=template, town=town_code, programme="tongzhou-towns", period=PAST, amount="investment",
                 unit="亿元", push_values=tongzhou_values(), push_ledger=tongzhou_ledger())


def _first_line(text: str) -> str:
    line = next((t.strip() for t in text.splitlines() if t.strip()), "")
    return line if len(line) <= 140 else line[:139] + "…"


def _page_problem(response) -> str:
    """The first problem the page lists (English half), or the upload field's error."""
    problems = response.context.get("problems") or []
    if problems:
        return _first_line(problems[0].message_en)
    errors = response.context["upload_form"].errors.get("workbook") or ["(no message)"]
    return _first_line(str(errors[0]).split(" / ")[-1])


def _run(importer: str, adapter: Callable[[Hostile, bytes], Outcome], shape: Shape, *,
         keeps_files: bool = False) -> None:
    """Every file through one importer: 500s, crashes and partial writes are collected, then reported together."""
    failures: list[str] = []
    column: dict[str, Outcome] = {}
    for hostile in CORPUS:
        data = hostile.make(shape)
        before = _counts()
        try:
            outcome = adapter(hostile, data)
        except Exception as exc:  # a crash is a failure of the importer, not of the test
            failures.append(f"{hostile.name}: raised {type(exc).__name__}: {exc}"[:300])
            continue
        column[hostile.name] = outcome
        if outcome.refused and _counts() != before:
            changed = {k: (before[k], v) for k, v in _counts().items() if before[k] != v}
            failures.append(f"{hostile.name}: refused but wrote {changed}")
        if not outcome.message.strip():
            failures.append(f"{hostile.name}: no message")
        if hostile.must_refuse and not outcome.refused and not (keeps_files and hostile.sound_file):
            failures.append(f"{hostile.name}: accepted ({outcome.message})")
    RESULTS[importer] = column
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------- the importers

def test_the_cli_facts_reader_refuses_each_hostile_file_with_a_message_and_no_traceback(capsys, tmp_path):
    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        path = tmp_path / hostile.filename
        path.write_bytes(data)
        code = main(["evaluate", "--policy", "tongzhou-towns", "--stage", "application", str(path)])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err and "panicked" not in out + err, hostile.name
        if code == 0:
            return Outcome(False, "evaluated (exit 0)")
        lines = [t.strip() for t in err.replace(str(path), hostile.filename).splitlines() if t.strip()]
        return Outcome(True, f"exit {code}: " + _first_line((lines[1:] or lines or ["(no message)"])[0]))

    shape = _shape(_core_template(), "TZ01")
    _run("CLI facts reader", adapter, shape)


def _core_template(town: str = "TZ01") -> bytes:
    from xiaozhen.policy import get_policy
    from xiaozhen.reports import build_template

    return build_template(get_policy("tongzhou-towns"), PAST, {town: "川姜家纺小镇"})


def test_the_report_upload_page_answers_each_hostile_file_without_a_500_or_a_partial_write(
        signed_in, tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town):
    client = signed_in(chuanjiang_clerk)
    template = client.get(reverse("reports:template", args=[tongzhou.policy_id, PAST])).content
    url = reverse("reports:report_upload", args=[tongzhou.policy_id, PAST, chuanjiang_town.code])

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = client.post(url, {"workbook": SimpleUploadedFile(hostile.filename, data)})
        assert response.status_code in (200, 302, 400), (hostile.name, response.status_code)
        if response.status_code == 400:
            return Outcome(True, f"400: {_page_problem(response)}")
        return Outcome(False, f"{response.status_code}, report stored")

    _run("web report upload", adapter, _shape(template, chuanjiang_town.code))


def test_the_county_bulk_upload_answers_each_hostile_file_without_a_500_or_a_partial_write(
        signed_in, tongzhou, tongzhou_period, tongzhou_office, chuanjiang_town):
    client = signed_in(tongzhou_office)
    template = client.get(reverse("reports:template", args=[tongzhou.policy_id, PAST])).content
    url = reverse("reports:bulk_upload", args=[tongzhou.policy_id, PAST])

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = client.post(url, {"workbook": SimpleUploadedFile(hostile.filename, data)})
        assert response.status_code in (200, 302, 400), (hostile.name, response.status_code)
        if response.status_code == 400:
            return Outcome(True, f"400: {_page_problem(response)}")
        return Outcome(False, f"{response.status_code}, reports stored")

    _run("web bulk upload", adapter, _shape(template, chuanjiang_town.code))


def test_a_material_upload_refuses_each_hostile_file_by_name_without_a_500(
        signed_in, guangxi_call, town_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = start_application(call=guangxi_call, town=town_clerk.town, by=town_clerk)
    client = signed_in(town_clerk)
    url = reverse("applications:upload", args=[application.pk])

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = client.post(url, {"material_id": "creation_plan", "file": SimpleUploadedFile(hostile.filename, data)},
                               follow=True)
        assert response.redirect_chain and response.status_code == 200, (hostile.name, response.status_code)
        shown = [str(m) for m in response.context["messages"]]
        refused = not any("已上传" in m for m in shown)
        return Outcome(refused, _first_line((shown[0] if shown else "(no message)").split(" / ")[-1]))

    # A material is kept, not read into a grid: a sound Office file with a huge sheet or odd figures is fine.
    _run("material upload", adapter, _shape(_core_template(), "TZ01"), keeps_files=True)


def test_the_api_push_answers_each_hostile_body_in_the_error_shape_without_a_500_or_a_partial_write(
        api_as, signed_in, tongzhou, tongzhou_period, chuanjiang_clerk, chuanjiang_town):
    api = api_as(chuanjiang_clerk)
    template = signed_in(chuanjiang_clerk).get(reverse("reports:template", args=[tongzhou.policy_id, PAST])).content

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = api.client.post("/api/reports/", data, content_type="application/json", headers=api.headers)
        assert response.status_code < 500, (hostile.name, response.content[:300])
        if response.status_code in (200, 201):
            return Outcome(False, f"{response.status_code}, report stored")
        error = response.json()["error"]
        assert error["message_zh"] and error["message_en"], hostile.name
        first = error["details"][0]["message_en"] if error["details"] else error["message_en"]
        return Outcome(True, f"{response.status_code} {error['code']}: {_first_line(first)}")

    _run("API push", adapter, _shape(template, chuanjiang_town.code))


def _named_refusal(hostile: Hostile, text: str) -> Outcome:
    """A page's refusal, which must be bilingual and name the file; shown as its first problem, English half."""
    assert re.search(r"[\u4e00-\u9fff]", text) and re.search(r"[A-Za-z]{3}", text), (hostile.name, text)
    assert hostile.filename in text, (hostile.name, "the refusal does not name the file", text)
    # "中文 / English: file, 第 1 个要素 feature 1: 问题 / problem; …" (an action's problems), or "中文 / English".
    listed = re.match(r"^[^/]*? / [^:]*?: (?P<first>" + re.escape(hostile.filename) + r"[^;]*)", text)
    if not listed:
        return Outcome(True, "400: " + _first_line(text.split(" / ")[-1]))
    where, _, problem = listed["first"].partition(": ")
    where = re.sub(r"第 \d+ (个要素|行) |列 column |工作表 sheet ", "", where)
    return Outcome(True, "400: " + _first_line(f"{where}: {problem.split(' / ')[-1]}"))


def test_the_boundary_upload_refuses_each_hostile_file_by_name_without_a_500_or_a_partial_write(
        signed_in, chuanjiang_clerk, chuanjiang_town):
    client = signed_in(chuanjiang_clerk)
    url = reverse("boundaries:upload", args=[chuanjiang_town.code])

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = client.post(url, {"layer": "planned", "coordinates": "auto", "reason": "",
                                     "file": SimpleUploadedFile(hostile.filename, data)})
        assert response.status_code in (302, 400), (hostile.name, response.status_code)
        if response.status_code == 302:
            return Outcome(False, "302, boundary version stored")
        errors = response.context["form"].errors
        return _named_refusal(hostile, " ".join(str(e) for field in errors.values() for e in field))

    # Every file of the corpus is either not a boundary at all or a hostile one: none may be stored.
    _run("boundary upload", adapter, _shape(_core_template(chuanjiang_town.code), chuanjiang_town.code))
    assert not BoundaryVersion.objects.exists()


def test_the_enterprise_registry_import_refuses_each_hostile_file_by_name_without_a_500_or_a_partial_write(
        signed_in, tongzhou_office, chuanjiang_town):
    client = signed_in(tongzhou_office)
    url = reverse("enterprises:index")
    county = region("320612").pk

    def adapter(hostile: Hostile, data: bytes) -> Outcome:
        response = client.post(url, {"do": "import", "county": county,
                                     "file": SimpleUploadedFile(hostile.filename, data)})
        assert response.status_code in (302, 400), (hostile.name, response.status_code)
        if response.status_code == 302:
            return Outcome(False, f"302, {EnterpriseYear.objects.count()} firm-year(s) stored")
        errors = response.context["import_form"].errors
        return _named_refusal(hostile, " ".join(str(e) for field in errors.values() for e in field))

    _run("enterprise import", adapter, _shape(_core_template(chuanjiang_town.code), chuanjiang_town.code))


# ------------------------------------------------------------------------ the table

IMPORTERS = ["CLI facts reader", "web report upload", "web bulk upload", "material upload", "API push",
             "boundary upload", "enterprise import"]


def render_table(results: dict[str, dict[str, Outcome]]) -> str:
    lines = [
        "# Hostile files × importers",
        "",
        "Generated by `tests/web/test_hostile_files.py` from the corpus in `tests/hostile.py`",
        "(`XIAOZHEN_WRITE_HOSTILE_TABLE=1` rewrites it; the test fails when it is stale). Every importer runs",
        "every file; the test fails on a 500, a crash, a write after a refusal, or an acceptance of a file",
        "marked *must refuse*. Limits: `xiaozhen.safefiles.Limits` (see below the table).",
        "",
        "| file | what it tries | " + " | ".join(IMPORTERS) + " |",
        "|---|---|" + "---|" * len(IMPORTERS),
    ]
    for hostile in CORPUS:
        cells = [results[i][hostile.name].cell().replace("|", "\\|") for i in IMPORTERS]
        name = hostile.name + ("" if hostile.must_refuse else " (may be accepted)")
        lines.append(f"| `{name}` | {hostile.covers.replace('|', chr(92) + '|')} | " + " | ".join(cells) + " |")
    counts = {i: sum(not o.refused for o in results[i].values()) for i in IMPORTERS}
    lines += ["", f"{len(CORPUS)} files, {len(IMPORTERS)} importers: 500s 0, crashes 0, partial writes 0. Accepted: "
              + ", ".join(f"{i} {n}" for i, n in counts.items()) + ".", ""]
    return "\n".join(lines)


def test_the_table_of_files_and_importers_in_docs_is_current():
    missing = [i for i in IMPORTERS if i not in RESULTS]
    if missing:
        pytest.skip(f"run the whole module: no results for {missing}")
    text = render_table(RESULTS)
    if os.environ.get("XIAOZHEN_WRITE_HOSTILE_TABLE"):
        TABLE.write_text(_with_notes(text), encoding="utf-8")
    current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
    stale = [line for line in difflib.unified_diff(current.split("<!-- table -->")[0].splitlines(), text.splitlines(),
                                                   lineterm="", n=0) if line[:1] in "+-"]
    assert text in current, "docs/hostile-files.md is stale (XIAOZHEN_WRITE_HOSTILE_TABLE=1 rewrites it):\n" + \
        "\n".join(stale[:12])


def _with_notes(table: str) -> str:
    notes = TABLE.read_text(encoding="utf-8").split("<!-- table -->")[-1] if TABLE.exists() else ""
    return table + "\n<!-- table -->" + notes
