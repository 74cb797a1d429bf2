"""The audit trail's hash chain (等保 E6): append-only in the ORM, and `govsite audit verify` names the
first record altered, deleted or inserted out of order, even when the tampering bypasses the ORM."""

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from govsite.core import audit
from govsite.core.models import AuditRecord, AuditTrailIsAppendOnly

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]


@pytest.fixture
def chain() -> list[AuditRecord]:
    """Five fresh records at the end of whatever the session's demo build wrote."""
    return [audit.record("test.event", detail={"n": n}, label=f"对象{n}") for n in range(5)]


def raw(sql: str, *params: str | int) -> None:
    """Tampering as someone with database access would do it: past the ORM's refusals (and, on
    PostgreSQL, past the trigger, as the table's owner can; the test's transaction restores it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE {AuditRecord._meta.db_table} DISABLE TRIGGER govsite_audit_append_only"
            )
        cursor.execute(sql, params)


def verify_fails_at(seq: int, words: str) -> None:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert f"#{seq}" in str(failure.value) and words in str(failure.value), str(failure.value)


def test_an_intact_chain_verifies(chain: list[AuditRecord], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")
    assert "哈希链完整" in capsys.readouterr().out
    assert chain[1].prev_hash == chain[0].hash and chain[0].hash == audit.stored_hash(chain[0])


def test_orm_refuses_changes_and_deletions(chain: list[AuditRecord]) -> None:
    item = chain[2]
    item.event = "forged"
    with pytest.raises(AuditTrailIsAppendOnly):
        item.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        item.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.filter(pk=item.pk).update(event="forged")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditRecord.objects.filter(pk=item.pk).delete()
    assert AuditRecord.objects.get(pk=item.pk).event == "test.event"
    if connection.vendor == "postgresql":  # the database refuses too (CI's PostgreSQL pass)
        for sql in ("UPDATE {} SET event = 'forged'", "DELETE FROM {}"):
            refused = pytest.raises(DatabaseError, match="append-only")
            with refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql.format(AuditRecord._meta.db_table) + " WHERE seq = %s", [item.seq])


def test_verify_names_an_altered_record(chain: list[AuditRecord]) -> None:
    raw("UPDATE govsite_core_auditrecord SET outcome = 'failure' WHERE seq = %s", chain[2].seq)
    verify_fails_at(chain[2].seq, "被修改")


def test_verify_names_a_deleted_record(chain: list[AuditRecord]) -> None:
    raw("DELETE FROM govsite_core_auditrecord WHERE seq = %s", chain[1].seq)
    verify_fails_at(chain[1].seq, "已被删除")


def test_verify_names_a_deleted_tail(chain: list[AuditRecord]) -> None:
    raw("DELETE FROM govsite_core_auditrecord WHERE seq >= %s", chain[3].seq)
    verify_fails_at(chain[3].seq, "已被删除")


def test_verify_names_a_record_inserted_out_of_order(chain: list[AuditRecord]) -> None:
    """A forged record with a correct hash of its own, put in place of a deleted one: it does not
    carry the hash of the record before it."""
    victim = chain[2]
    raw("DELETE FROM govsite_core_auditrecord WHERE seq = %s", victim.seq)
    values = {name: getattr(victim, name) for name in audit.HASHED_FIELDS}
    values.update(event="forged", prev_hash=hashlib.sha256(b"guess").hexdigest())
    forged = AuditRecord(**values, hash=audit.record_hash(values))
    forged.save(force_insert=True)
    verify_fails_at(victim.seq, "插入")


def test_verify_names_swapped_records(chain: list[AuditRecord]) -> None:
    first, second = chain[1], chain[2]
    raw("UPDATE govsite_core_auditrecord SET seq = 999999999 WHERE seq = %s", first.seq)
    raw("UPDATE govsite_core_auditrecord SET seq = %s WHERE seq = %s", first.seq, second.seq)
    raw("UPDATE govsite_core_auditrecord SET seq = %s WHERE seq = 999999999", second.seq)
    verify_fails_at(first.seq, "#")


def test_exported_head_catches_a_rewritten_chain(chain: list[AuditRecord], tmp_path) -> None:
    """Rewriting every record from some point on (valid hashes throughout) is caught by the head
    exported to another machine."""
    head_file = tmp_path / "head.log"
    call_command("audit", "head", "--output", str(head_file))
    assert audit.parse_head_line(head_file.read_text()) == (chain[-1].seq, chain[-1].hash)
    raw("DELETE FROM govsite_core_auditrecord WHERE seq >= %s", chain[3].seq)
    raw("UPDATE govsite_core_audithead SET seq = %s, hash = %s", chain[2].seq, chain[2].hash)
    call_command("audit", "verify")  # consistent in itself
    with pytest.raises(CommandError, match=f"#{chain[3].seq}"):
        call_command("audit", "verify", "--head", str(head_file))


def test_head_goes_to_syslog(chain: list[AuditRecord], monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    monkeypatch.setattr(
        "logging.handlers.SysLogHandler.emit", lambda handler, entry: sent.append(handler.format(entry))
    )
    call_command("audit", "head", "--syslog", "127.0.0.1:514")
    assert len(sent) == 1
    assert sent[0].startswith(f"govsite-audit-head seq={chain[-1].seq} hash={chain[-1].hash} at=")


def test_the_platform_clock_sends_the_head_to_syslog(
    chain: list[AuditRecord], settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govsite.core.tasks import audit_head_task

    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(audit, "send_to_syslog", lambda line, address: sent.append((line, address)))
    settings.GOVSITE_AUDIT_SYSLOG = "logs.example.gov.cn:514"
    audit_head_task.enqueue()
    assert len(sent) == 1 and f"seq={chain[-1].seq} hash={chain[-1].hash}" in sent[0][0]
    assert sent[0][1] == "logs.example.gov.cn:514"


def test_pruning_keeps_the_chain_verifiable(chain: list[AuditRecord], settings) -> None:
    """Records past the retention period go; a checkpoint record says where the chain now starts."""
    later = timezone.now() + dt.timedelta(days=settings.GOVSITE_AUDIT_RETENTION_DAYS + 1)
    removed = audit.prune(now=later)
    assert removed >= len(chain) and not AuditRecord.objects.filter(seq__lte=chain[-1].seq).exists()
    checkpoint = AuditRecord.objects.get(event=audit.PRUNED)
    assert checkpoint.detail["through_seq"] == chain[-1].seq
    assert audit.verify() == (1, None)
    raw("DELETE FROM govsite_core_auditrecord WHERE seq = %s", checkpoint.seq)
    assert audit.verify()[1] is not None


def test_retention_below_180_days_is_refused(settings) -> None:
    settings.GOVSITE_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "prune")
