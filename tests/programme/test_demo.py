"""The Hanoi demo: programme, opening script and protocol data; loading twice changes nothing."""

import convene.core.demo as core_demo
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.core.models import Event
from convene.programme import services
from convene.programme.demo import load_demo as load_programme
from convene.programme.models import Cue, Day, Participation, Room, Session
from convene.protocol import services as protocol
from convene.protocol.demo import load_demo as load_protocol
from convene.protocol.models import FullPowers, SeatingDraw, Signatory, SpeakerEntry


def _counts():
    return [m.objects.count() for m in (Day, Room, Session, Participation, Cue, SpeakerEntry,
                                        Signatory, FullPowers, SeatingDraw, AuditEvent)]


def test_demo_loads_once_with_the_opening_script(db, monkeypatch):
    # The foundation demo (delegations, people) with only this apps after it.
    monkeypatch.setattr(core_demo, "_app_demo_loaders", lambda: [load_programme, load_protocol])
    core_demo.load_demo()
    event = Event.objects.get()
    first = _counts()
    load_programme(event)
    load_protocol(event)
    assert _counts() == first
    assert verify_chain() == []

    opening = Session.objects.get(event=event, kind="opening")
    cues = list(opening.cues.all())
    assert len(cues) >= 10
    assert cues[0].planned_at < opening.starts_at  # doors open before the session
    assert any("national anthem" in c.what.lower() for c in cues)
    assert any("Secretary-General" in c.what and c.duration_seconds == 420 for c in cues)
    assert {s.kind for s in Session.objects.filter(event=event)} >= {
        "opening", "signing", "plenary", "high_level", "side_event", "press_conference",
        "reception", "bilateral"}
    # The demo shows a conflict to resolve: the Lao President at two places at once.
    assert any(c.code == "principal_in_two_places" for c in services.find_conflicts(event))
    # Protocol: the speakers list with a swap, the lot, and a signing schedule in which a
    # signatory without checked full powers is left out.
    plenary = Session.objects.filter(event=event, kind="plenary").order_by("starts_at").first()
    assert len(protocol.speakers_view(plenary).slots) >= 5
    view = protocol.signing_schedule_view(event)
    assert view.schedule.slots[0].signer.name == "Viet Nam"  # the host signs first
    blocked = {b.signer.name for b in view.schedule.blocked}
    assert blocked == {"China", "European Union"}
    chart = protocol.seating_view(opening)
    assert chart.plan.blocks[0].seatable.name == "Viet Nam"  # host seated first
    assert chart.plan.blocks[1].seatable.name == "Thailand"  # then the State drawn by lot
