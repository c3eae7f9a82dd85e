"""The audit trail as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX, through the core's safe writer."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from xiaozhen.tabular import Table
from xiaozhen.tabular import csv_lines as tabular_csv_lines
from xiaozhen.tabular import xlsx_bytes as tabular_xlsx_bytes

from .models import AuditEntry

COLUMNS = [
    ("at", "时间 / At"),
    ("actor", "用户名 / Username"),
    ("role", "角色 / Role"),
    ("verb", "操作 / Verb"),
    ("object_type", "对象类型 / Object type"),
    ("object_id", "对象编号 / Object id"),
    ("object", "对象 / Object"),
    ("region", "区划代码 / Region code"),
    ("from_state", "原状态 / From"),
    ("to_state", "新状态 / To"),
    ("reason", "理由 / Reason"),
    ("data", "详情 / Data"),
]


def rows(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    for e in entries.select_related("region").iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).isoformat(timespec="seconds"), e.actor_username, e.role, e.verb,
            e.object_type, e.object_id, e.object_repr, e.region.code if e.region else "",
            e.from_state, e.to_state, e.reason, json.dumps(e.data, ensure_ascii=False, sort_keys=True),
        ]


def table(entries: QuerySet[AuditEntry]) -> Table:
    return Table("audit", [label for _, label in COLUMNS], rows(entries))


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    return tabular_csv_lines(table(entries))


def xlsx_bytes(entries: QuerySet[AuditEntry]) -> bytes:
    return tabular_xlsx_bytes([table(entries)])
