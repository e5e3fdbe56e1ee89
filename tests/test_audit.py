"""The audit trail: hash-chained, append-only, and `convene audit verify` finds tampering."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from convene.audit.models import AuditEvent
from convene.audit.services import record, verify_chain
from convene.delegations import services
from tests.conftest import set_audit_fence


@pytest.fixture
def tamper():
    """What a person with database access could do: lower the fence, then rewrite rows."""

    def run(sql, params):
        set_audit_fence(False)
        with connection.cursor() as cur:
            cur.execute(sql, params)
        set_audit_fence(True)

    return run


@pytest.fixture
def trail(organiser, viet_nam):
    for n in range(5):
        services.nominate_member(organiser, viet_nam, {"family_name": f"Person {n}"})
    return list(AuditEvent.objects.order_by("seq"))


def test_each_change_is_recorded_with_actor_and_after_state(trail, organiser):
    assert [e.seq for e in trail] == [1, 2, 3, 4, 5]
    assert {e.action for e in trail} == {"member.nominated"}
    assert trail[0].actor_name == "organiser" and trail[0].actor == organiser
    assert trail[0].after["family_name"] == "Person 0"
    assert all(b.prev_hash == a.hash for a, b in zip(trail, trail[1:], strict=False))


def test_intact_chain_verifies(trail, capsys):
    assert verify_chain() == []
    call_command("audit", "verify")
    assert "intact: 5 events" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_verify_detects_an_altered_row(organiser, viet_nam, tamper):
    for n in range(3):
        services.nominate_member(organiser, viet_nam, {"family_name": f"Person {n}"})
    tamper("UPDATE audit_auditevent SET summary = %s WHERE seq = 2", ["nothing happened"])
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify")
    assert [(b.seq, b.reason) for b in verify_chain()] == [
        (2, "content was altered after it was recorded")]


@pytest.mark.django_db(transaction=True)
def test_verify_detects_a_deleted_row_and_a_truncated_tail(organiser, viet_nam, tamper):
    for n in range(4):
        services.nominate_member(organiser, viet_nam, {"family_name": f"Person {n}"})
    tamper("DELETE FROM audit_auditevent WHERE seq IN (2, 4)", [])
    reasons = {(b.seq, b.reason) for b in verify_chain()}
    assert (3, "expected event #2: events missing") in reasons
    assert (4, "the latest events were removed") in reasons


@pytest.mark.django_db(transaction=True)
def test_database_refuses_update_and_delete(organiser, viet_nam):
    services.nominate_member(organiser, viet_nam, {"family_name": "Nguyen"})
    for sql in ("UPDATE audit_auditevent SET summary = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.count() == 1
    event = AuditEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_a_failed_change_leaves_no_audit_event(organiser, viet_nam):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(organiser, "test.change", viet_nam, after={"x": 1})
        raise RuntimeError("the change itself failed")
    assert AuditEvent.objects.count() == 0


def test_passwords_never_enter_the_trail(organiser):
    from convene.accounts.services import create_account

    create_account(organiser, "newcomer", password="a-long-enough-passphrase-1")
    assert "pbkdf2" not in str(list(AuditEvent.objects.values_list("after", flat=True)))


def test_events_recorded_in_bulk_continue_the_same_chain(trail, organiser, viet_nam):
    """record_many (bulk actions such as a badge batch) links each event to the one before,
    after the events record() wrote one at a time, and the whole chain still verifies."""
    from convene.audit.services import Entry, record_many

    events = record_many(organiser, [Entry("member.checked", viet_nam, after={"n": n},
                                           summary=f"check {n}") for n in range(3)])
    record(None, "system.tick")
    chain = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in chain] == list(range(1, 10))
    assert [e.action for e in chain[5:]] == ["member.checked"] * 3 + ["system.tick"]
    assert chain[5].prev_hash == trail[-1].hash and events[-1].hash == chain[8].prev_hash
    assert chain[6].after == {"n": 1} and chain[6].actor_name == "organiser"
    assert chain[8].actor_name == "system"
    assert verify_chain() == []
    assert record_many(organiser, []) == [] and AuditEvent.objects.count() == 9
