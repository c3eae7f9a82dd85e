"""A demonstration project's first steps (004 §三5–6): the town signs the contract last, the province
brings it into force and allocates money, and the funding page flags the missing local matching."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from playwright.sync_api import expect
from tests.web.projects.conftest import (  # noqa: F401  (fixtures)
    approved,
    contract,
    gd_clerk,
    gd_officer,
    gd_policy_dir,
    gd_programme,
    guangzhou_reviewer,
    tianhe_town,
)

from projects import actions


def test_the_town_signs_last_the_province_brings_it_into_force_and_the_ledger_flags_the_matching(
    page, live_server, sign_in, shot, contract, gd_officer, guangzhou_reviewer, gd_clerk  # noqa: F811
):
    actions.sign_contract(contract=contract, party="province", by=gd_officer, signed_on=dt.date(2023, 12, 1))
    actions.sign_contract(contract=contract, party="local", by=guangzhou_reviewer, signed_on=dt.date(2023, 12, 5))

    sign_in(page, gd_clerk)
    expect(page.get_by_text("本镇示范项目").first).to_be_visible()
    shot(page, "town-dashboard")
    page.goto(f"{live_server.url}/projects/{contract.pk}/")
    expect(page.get_by_text("待签署").first).to_be_visible()
    shot(page, "contract-awaiting-town")
    page.fill("input[name=signed_on]", "2023-12-09")
    page.get_by_role("button", name="签署合同").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("三方已签署").first).to_be_visible()

    sign_in(page, gd_officer)
    page.goto(f"{live_server.url}/projects/{contract.pk}/")
    page.fill("form[action$='in-force/'] input[name=on]", "2024-01-01")
    page.get_by_role("button", name="使合同生效").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("生效(实施中)").first).to_be_visible()
    shot(page, "contract-in-force")

    page.goto(f"{live_server.url}/projects/{contract.pk}/funding/")
    page.select_option("select[name=source]", "provincial")
    page.fill("input[name=amount]", "200")
    page.fill("input[name=on]", "2024-03-15")
    page.fill("input[name=document_ref]", "粤科资字〔2024〕18号")
    page.get_by_role("button", name="登记", exact=False).last.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("地方配套不足")
    expect(page.get_by_role("alert")).to_contain_text("004 §三6")
    shot(page, "funding-under-matched")

    actions.record_funding(contract=contract, kind="allocation", source="city", amount=Decimal("150"),
                           on=dt.date(2024, 4, 1), document_ref="穗科字〔2024〕5号", by=guangzhou_reviewer)
    actions.record_funding(contract=contract, kind="allocation", source="town", amount=Decimal("60"),
                           on=dt.date(2024, 5, 1), document_ref="镇财〔2024〕2号", by=gd_clerk)
    page.reload()
    expect(page.get_by_text("地方配套达标").first).to_be_visible()
    shot(page, "funding-matched")
    page.goto(f"{live_server.url}/projects/{contract.pk}/project/")
    expect(page.get_by_text("验收条件(实际数)").first).to_be_visible()
    shot(page, "project")
