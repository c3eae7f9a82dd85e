"""The hash chain over the audit trail: each row's ``hash`` covers its content and the row before.

``hash = sha256(prev_hash + "\\n" + canonical JSON of the row's fields)``, hex. The first row's
``prev_hash`` is empty. ``AuditChainHead`` (one row) holds the last row's id and hash; ``record``
locks it (``SELECT … FOR UPDATE``) to append, so concurrent actions chain one after the other
and never fork the chain. ``verify()`` walks the rows in id order and returns the first break:
a row whose content no longer matches its hash (changed), whose ``prev_hash`` is not the hash
of the row before it (a row removed or inserted), or a head that is not the last row (the tail
removed). It reads rows in chunks, so memory stays flat on a long trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

HASHED_FIELDS = ("at", "actor_id", "actor_username", "role", "verb", "object_type", "object_id",
                 "object_repr", "region_id", "from_state", "to_state", "reason", "data")


def normalise_data(data: Any) -> Any:
    """The JSON the database will give back for ``data`` (dates and decimals become text)."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _canonical_numbers(value: Any) -> Any:
    """Whole floats as integers: PostgreSQL's jsonb gives 1e16 back as 10000000000000000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_numbers(v) for v in value]
    return value


def _canonical_at(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    content = {name: fields[name] for name in HASHED_FIELDS}
    content["at"] = _canonical_at(content["at"])
    content["data"] = _canonical_numbers(content["data"])
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def locked_head():
    """The chain head, locked until the caller's transaction ends (created when missing)."""
    from .models import AuditChainHead

    try:
        with transaction.atomic():
            AuditChainHead.objects.get_or_create(pk=1)
    except IntegrityError:  # created by a concurrent first writer
        pass
    return AuditChainHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class Break:
    entry_id: int | None
    problem_zh: str
    problem_en: str

    def __str__(self) -> str:
        where = f"audit entry #{self.entry_id}" if self.entry_id is not None else "audit chain head"
        return f"{where}: {self.problem_zh} / {self.problem_en}"


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: Break | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _rows(chunk: int) -> Iterator[dict[str, Any]]:
    from .models import AuditEntry

    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk")
                     .values("pk", "prev_hash", "hash", *HASHED_FIELDS)[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1]["pk"]


def verify(chunk: int = 2000) -> Verification:
    from .models import AuditChainHead

    previous_hash, previous_id, checked = "", None, 0
    for row in _rows(chunk):
        if row["prev_hash"] != previous_hash:
            after = f"#{previous_id}" if previous_id is not None else "链首 / the start"
            return Verification(checked, Break(
                row["pk"], f"前一哈希与 {after} 不符：其间有记录被删除或插入",
                f"its previous hash does not match {after}: a row was removed or inserted before it"))
        if entry_hash(row["prev_hash"], row) != row["hash"]:
            return Verification(checked, Break(
                row["pk"], "内容与其哈希不符：该记录已被修改", "its content does not match its hash: the row was changed"))
        previous_hash, previous_id = row["hash"], row["pk"]
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_id, head_hash = (head.last_id, head.last_hash) if head else (None, "")
    if (head_id, head_hash) != (previous_id, previous_hash):
        return Verification(checked, Break(
            None, f"链头记录为 #{head_id}，而最后一条记录是 #{previous_id}：末尾的记录被删除或链头被改动",
            f"the head names entry #{head_id} but the last row is #{previous_id}: rows were removed "
            "from the end, or the head was changed"))
    return Verification(checked, None)
