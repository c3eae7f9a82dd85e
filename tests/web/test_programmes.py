"""Programmes come from the policy files; a changed file is a new version, never a rewrite."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from audit.models import AuditEntry
from programmes.actions import sync_programmes
from programmes.models import Programme
from programmes.permissions import deciding_roles
from towns.actions import change_tier
from xiaozhen.policy import load_policy_file, policy_files

from .conftest import TEST_POLICIES


@pytest.fixture
def policy_dir(tmp_path):
    shutil.copy(TEST_POLICIES / "test-guangxi-towns.yaml", tmp_path)
    return tmp_path


def edit(policy_dir, old, new):
    path = policy_dir / "test-guangxi-towns.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_syncing_creates_the_programme_and_its_first_version(db, policy_dir):
    report = sync_programmes(directory=policy_dir)
    programme = Programme.objects.get(policy_id="test-guangxi-towns")
    assert [v.number for v in report.created] == [1]
    assert (programme.short_name_zh, programme.region.code, programme.current_version.number) == ("测试小镇", "450000", 1)
    assert AuditEntry.objects.get(verb="sync_programme").to_state == "v1"


def test_syncing_an_unchanged_file_again_creates_nothing(db, policy_dir):
    sync_programmes(directory=policy_dir)
    report = sync_programmes(directory=policy_dir)
    assert report.created == [] and report.unchanged == ["test-guangxi-towns"]


def test_a_comment_is_not_a_new_version(db, policy_dir):
    sync_programmes(directory=policy_dir)
    edit(policy_dir, "schema_version: 1", "# a new comment\nschema_version: 1")
    assert sync_programmes(directory=policy_dir).created == []


def test_a_changed_threshold_is_a_new_version_and_past_decisions_keep_theirs(enrolment, province_officer, policy_dir):
    change_tier(enrolment=enrolment, to_tier="cultivation", by=province_officer, reason="r", decision_ref="d1",
                effective_on=dt.date(2020, 1, 1))
    edit(policy_dir, "values: [{from: 2018-01-01, value: 10}]", "values: [{from: 2018-01-01, value: 12}]")
    report = sync_programmes(directory=policy_dir)
    programme = Programme.objects.get(policy_id="test-guangxi-towns")
    assert [v.number for v in report.created] == [2]
    assert programme.current_version.number == 2
    assert programme.policy.parameter("min_investment_3y").values[0].value == 12
    enrolment.refresh_from_db()
    old = enrolment.tier_changes.get()
    assert enrolment.programme_version.number == 1 and old.programme_version.number == 1
    assert old.programme_version.policy.parameter("min_investment_3y").values[0].value == 10
    new = change_tier(enrolment=enrolment, to_tier="creation", by=province_officer, reason="r", decision_ref="d2",
                      effective_on=dt.date(2021, 1, 1))
    assert new.programme_version.number == 2


def test_a_stored_version_rebuilds_exactly_the_loaded_policy(db, policy_dir):
    sync_programmes(directory=policy_dir)
    stored = Programme.objects.get(policy_id="test-guangxi-towns").current_version.policy
    assert stored == load_policy_file(policy_dir / "test-guangxi-towns.yaml")


def test_a_broken_file_is_reported_with_its_line_and_the_others_still_sync(db, policy_dir):
    (policy_dir / "broken.yaml").write_text("schema_version: 1\nidentity: {id: Bad Id}\n", encoding="utf-8")
    report = sync_programmes(directory=policy_dir)
    assert not report.ok
    assert any("broken.yaml:2" in p for p in report.problems)
    assert Programme.objects.filter(policy_id="test-guangxi-towns").exists()


def test_a_removed_file_deactivates_its_programme(db, policy_dir):
    sync_programmes(directory=policy_dir)
    (policy_dir / "test-guangxi-towns.yaml").unlink()
    report = sync_programmes(directory=policy_dir)
    assert report.deactivated == ["test-guangxi-towns"]
    assert not Programme.objects.get(policy_id="test-guangxi-towns").is_active


def test_every_shipped_policy_file_syncs(db):
    report = sync_programmes()
    assert report.ok, report.problems
    assert Programme.objects.count() == len(policy_files())


def test_the_deciding_role_comes_from_the_review_chain(db):
    sync_programmes()
    tongzhou = Programme.objects.get(policy_id="tongzhou-towns")
    assert deciding_roles(tongzhou) == {"county_office"}
    assert tongzhou.covers(tongzhou.region) and tongzhou.region.code == "320612"
