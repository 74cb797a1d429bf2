"""The tamper-evident audit trail (等保 2.0 E6): one append-only, hash-chained record per security event.

Every record stores the hash of the record before it, and its own hash over a canonical serialisation
of all its fields (`canonical()`), so changing, deleting, or inserting a record anywhere breaks the chain
at that point: `govsite audit verify` walks it and names the first record that does not fit. The last
record's hash (the head, `govsite audit head`) is exported to another machine, so that even rewriting
the whole chain from some point on is detected by comparing with the exported head.

`record()` is the one way to write: the login signals, the account and permission signals, the
export middleware, the security helpers of other apps, and a mirror of Wagtail's own log entries
(publish, unpublish, 撤稿, 紧急发布, and every audited view of personal data in 依申请公开 and 留言,
which those apps log with `wagtail.log_actions.log`) all end here.

Writers are serialised on the AuditHead row (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers anyway), so a record costs one locked read, one insert and one update.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import logging
import logging.handlers
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from .middleware import client_ip
from .models import AuditHead, AuditRecord, _pruning

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
PRUNED = "audit.pruned"
SUCCESS = "success"
FAILURE = "failure"
# The fields a record's hash covers, in a fixed order (documented in docs/audit-trail.md).
HASHED_FIELDS = (
    "seq",
    "time",
    "user_id",
    "username",
    "event",
    "object_type",
    "object_id",
    "object_label",
    "outcome",
    "ip",
    "user_agent",
    "detail",
    "prev_hash",
)

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "govsite_audit_request", default=None
)


def canonical(values: dict[str, Any]) -> bytes:
    """The bytes a record's hash is taken over: its fields as sorted, compact UTF-8 JSON, the time in
    UTC with microseconds. The same on every database (the time is stored to the microsecond)."""
    data = {name: values[name] for name in HASHED_FIELDS}
    time = data["time"]
    if isinstance(time, dt.datetime):
        data["time"] = time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def stored_hash(item: AuditRecord) -> str:
    """The hash `item` should have, recomputed from the fields as they are stored now."""
    return record_hash({name: getattr(item, name) for name in HASHED_FIELDS})


def plain(detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail` as JSON would give it back (dates and other values as text), so that the hash taken
    before the insert is the hash of what the database returns."""
    loaded: dict[str, Any] = json.loads(json.dumps(detail or {}, default=str, ensure_ascii=False))
    return loaded


def _who(user: Any, request: HttpRequest | None) -> tuple[int | None, str]:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()[:150]


def _object(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    return obj._meta.label_lower, str(obj.pk or ""), str(obj)[:255]


def record(
    event: str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    outcome: str = SUCCESS,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    label: str = "",
) -> AuditRecord:
    """Append one record. `user` defaults to the request's user, `request` to the request being
    served (AuditMiddleware), which gives the IP address and user agent; `obj` names the object
    (or `object_type`/`object_id`/`label` when there is no model instance). `detail` must hold no
    personal information: it is shown to the audit administrator and exported."""
    request = request if request is not None else _current_request.get()
    user_id, username = _who(user, request)
    obj_type, obj_id, obj_label = _object(obj)
    values: dict[str, Any] = {
        "user_id": user_id,
        "username": username,
        "event": event[:100],
        "object_type": (object_type or obj_type)[:100],
        "object_id": str(object_id or obj_id)[:64],
        "object_label": (label or obj_label)[:255],
        "outcome": outcome[:16],
        "ip": client_ip(request) if request is not None else None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else "",
        "detail": plain(detail),
    }
    with transaction.atomic():
        head = _locked_head()
        values["seq"] = head.seq + 1
        values["prev_hash"] = head.hash
        values["time"] = timezone.now()
        item = AuditRecord(**values, hash=record_hash(values))
        item.save(force_insert=True)
        AuditHead.objects.filter(pk=head.pk).update(seq=item.seq, hash=item.hash)
    return item


def _locked_head() -> AuditHead:
    """The head row, locked until the transaction ends (created on first use: an empty trail)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditHead.objects.get_or_create(pk=1)
    return head


# -- The request being served (for the IP address and user agent of records written deep down) --


class AuditMiddleware:
    """Makes the request known to `record()`, and records every file the admin exports (CSV, Excel,
    Word, PDF downloads of lists and reports): one rule for every export, Wagtail's own included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if is_export(request, response):
                record(
                    "export",
                    request=request,
                    detail={"path": request.get_full_path()[:500], "type": response["Content-Type"]},
                )
            return response
        finally:
            _current_request.reset(token)


EXPORT_TYPES = {
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/pdf",
}


def is_export(request: HttpRequest, response: HttpResponseBase) -> bool:
    """An admin response that hands over a data file as a download."""
    if response.status_code != 200 or not request.path.startswith(settings.GOVSITE_ADMIN_PREFIX):
        return False
    if not response.get("Content-Disposition", "").startswith("attachment"):
        return False
    return response.get("Content-Type", "").split(";")[0].strip() in EXPORT_TYPES


# -- Verifying, exporting the head, pruning --


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def chain_start() -> tuple[int, str]:
    """The sequence number and previous hash the trail must start with: 1 and the genesis hash, or
    after pruning what the latest checkpoint record says it removed."""
    checkpoint = AuditRecord.objects.filter(event=PRUNED).order_by("-seq").first()
    if checkpoint is None:
        return 1, GENESIS
    return int(checkpoint.detail["through_seq"]) + 1, str(checkpoint.detail["through_hash"])


def _walk(batch: int = 2000) -> Iterator[AuditRecord]:
    yield from AuditRecord.objects.order_by("seq").iterator(chunk_size=batch)


def verify(expected_head: tuple[int, str] | None = None) -> tuple[int, Problem | None]:
    """Walk the chain: (records checked, the first problem or None). `expected_head` is a head
    exported earlier (seq, hash): the chain must still contain it unchanged."""
    seq, prev = chain_start()
    count = 0
    last: AuditRecord | None = None
    for item in _walk():
        if item.seq != seq:
            return count, Problem(seq, f"记录 #{seq} 至 #{item.seq - 1} 已被删除。")
        if stored_hash(item) != item.hash:
            return count, Problem(item.seq, f"记录 #{item.seq} 的内容已被修改（哈希不符）。")
        if item.prev_hash != prev:
            return count, Problem(
                item.seq, f"记录 #{item.seq} 不接续前一条记录：它是后来插入的，或次序被调换。"
            )
        if expected_head and item.seq == expected_head[0] and item.hash != expected_head[1]:
            return count, Problem(item.seq, f"记录 #{item.seq} 与导出的链头不符：此后的链条被改写。")
        count += 1
        seq, prev, last = item.seq + 1, item.hash, item
    return count, _check_tail(last, expected_head)


def _check_tail(last: AuditRecord | None, expected_head: tuple[int, str] | None) -> Problem | None:
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = last.seq if last else chain_start()[0] - 1
    if head is not None and head.seq > last_seq:
        return Problem(last_seq + 1, f"记录 #{last_seq + 1} 至 #{head.seq} 已被删除（链尾缺失）。")
    if expected_head and expected_head[0] > last_seq:
        return Problem(
            last_seq + 1, f"记录 #{last_seq + 1} 至 #{expected_head[0]} 已被删除（对照导出的链头）。"
        )
    return None


def head_line() -> str:
    """The chain head as one line of text, for a file or syslog on another machine."""
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(seq=0, hash=GENESIS)
    now = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    return f"govsite-audit-head seq={head.seq} hash={head.hash} at={now}"


def parse_head_line(line: str) -> tuple[int, str] | None:
    """(seq, hash) of a line written by `head_line()`, or None when the line is not one."""
    fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
    try:
        return int(fields["seq"]), fields["hash"]
    except (KeyError, ValueError):
        return None


def send_to_syslog(line: str, address: str) -> None:
    """`line` to syslog (facility auth) at host:port (UDP) or a socket path such as /dev/log."""
    host, _, port = address.rpartition(":")
    target: str | tuple[str, int] = (host, int(port)) if host and port.isdigit() else address
    handler = logging.handlers.SysLogHandler(address=target, facility=logging.handlers.SysLogHandler.LOG_AUTH)
    handler.ident = "govsite: "
    handler.emit(logging.makeLogRecord({"msg": line, "levelno": logging.INFO, "levelname": "INFO"}))
    handler.close()


def retention_days() -> int:
    return int(settings.GOVSITE_AUDIT_RETENTION_DAYS)


def prune(now: dt.datetime | None = None) -> int:
    """Remove the records older than the retention period, keeping the chain verifiable: first a
    checkpoint record naming the last removed record and its hash (where the chain now starts)."""
    days = retention_days()
    if days < settings.GOVSITE_AUDIT_MIN_RETENTION_DAYS:
        raise ValueError(f"审计记录保存期限不得少于 {settings.GOVSITE_AUDIT_MIN_RETENTION_DAYS} 天。")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        _locked_head()
        last_old = AuditRecord.objects.filter(time__lt=cutoff).order_by("-seq").first()
        if last_old is None:
            return 0
        doomed = AuditRecord.objects.filter(seq__lte=last_old.seq)
        count = doomed.count()
        record(
            PRUNED,
            detail={"through_seq": last_old.seq, "through_hash": last_old.hash, "count": count, "days": days},
        )
        _pruning.active = True
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # the trigger lets this transaction delete
                    cursor.execute("SET LOCAL govsite.audit_prune = 'on'")
            doomed.delete()
        finally:
            _pruning.active = False
    return count
