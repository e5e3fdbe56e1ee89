"""The demo: printable badges and working gates for the demo delegations; loading twice is
harmless."""

import uuid

from convene.accreditation import demo as accreditation_demo
from convene.accreditation import services
from convene.accreditation.models import Accreditation, Badge, BadgeBatch
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.core import demo as core_demo
from convene.core.models import Event
from convene.gates import demo as gates_demo
from convene.gates import services as gates
from convene.gates.models import Checkpoint, Scan


def _counts():
    return (Accreditation.objects.count(), Badge.objects.count(), BadgeBatch.objects.count(),
            Checkpoint.objects.count(), Scan.objects.count(), AuditEvent.objects.count())


def test_demo_prints_badges_and_sets_up_gates_once(db, monkeypatch,
                                                   django_capture_on_commit_callbacks):
    monkeypatch.setattr(core_demo, "_app_demo_loaders", lambda: iter([
        accreditation_demo.load_demo, gates_demo.load_demo]))
    with django_capture_on_commit_callbacks(execute=True):
        core_demo.load_demo()
    first = _counts()
    event = Event.objects.get()
    approved = Accreditation.objects.filter(stage="issued")
    names = set(approved.values_list("member__family_name", flat=True))
    assert {"Nguyen", "Tran", "Phommavong", "Nguyễn", "李", "حسن", "Смирнова"} <= names
    assert Accreditation.objects.filter(stage="submitted", vetting="pending").exists()
    assert Accreditation.objects.filter(stage="submitted", vetting="cleared").exists()
    [batch] = BadgeBatch.objects.all()
    assert batch.status == "done" and batch.total == approved.count()
    assert Checkpoint.objects.filter(event=event).count() == 6
    assert Scan.objects.filter(accepted=False).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        core_demo.load_demo()
    assert _counts() == first
    assert verify_chain() == []

    # The demo gate works now: a demo badge passes the signing hall (heads of state may).
    security = Scan.objects.first().operator
    signing = Checkpoint.objects.get(name="Signing hall — entrance")
    principal = Badge.objects.get(accreditation__member__family_name="Nguyen")
    result = gates.scan(security, signing, scan_uuid=uuid.uuid4(), token=principal.token)
    assert result.scan.accepted, result.scan.reason
    assert str(principal.id) in gates.bundle(security, signing)["people"]
    assert services.public_keys()
