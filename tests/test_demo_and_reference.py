"""The demo data and the reference data load into the database, and loading twice is harmless."""

from django.core.management import call_command

from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.core.models import Event
from convene.delegations.models import Delegation, Member
from convene.directory.models import Entity
from convene.directory.services import load_reference_data


def test_reference_data_loads_once(db):
    first = load_reference_data()
    assert first.created == Entity.objects.count() == 193 + 2 + 35
    assert Entity.objects.get(code="TUR").name_en == "Türkiye"
    assert Entity.objects.get(code="EU").kind == "reio"
    assert Entity.objects.filter(kind="observer_state").count() == 2
    second = load_reference_data()
    assert (second.created, second.updated) == (0, 0)


def test_demo_loads_idempotently_with_one_account_per_role(db, capsys):
    call_command("demo_data")
    out = capsys.readouterr().out
    counts = (Event.objects.count(), Delegation.objects.count(), Member.objects.count(),
              AuditEvent.objects.count())
    event = Event.objects.get()
    assert event.name == ("Signing Ceremony of the United Nations Convention against Cybercrime "
                          "and High-level Conference")
    assert (event.start_date.isoformat(), event.end_date.isoformat()) == ("2025-10-25",
                                                                          "2025-10-26")
    for username in ("organiser", "taskforce", "security", "press", "depositary", "observer",
                     "focal.vnm"):
        assert username in out
    call_command("demo_data")
    assert (Event.objects.count(), Delegation.objects.count(), Member.objects.count(),
            AuditEvent.objects.count()) == counts
    assert verify_chain() == []
