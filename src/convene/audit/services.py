"""Recording and verifying the audit trail. Every service that changes data calls record()."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from convene.audit.chain import ChainBreak, event_hash, find_breaks
from convene.audit.models import AuditEvent, ChainHead

SYSTEM = "system"


def snapshot(instance, fields: list[str] | None = None) -> dict:
    """A JSON-safe picture of a model instance, for an event's before/after."""
    # Secrets never enter the trail (it is read by auditors and kept for years).
    data = model_to_dict(instance, fields=fields, exclude=["password"])
    return _json_safe(data)


def _json_safe(value):
    # Through JSON and back, so that what is hashed is exactly what the database returns.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def record(actor, action: str, obj=None, *, before=None, after=None, summary: str = "",
           object_type: str = "", object_id: str = "") -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    `actor` is a User, or None for the system. Call it in the same transaction as the change
    it describes, so that either both are stored or neither is.
    """
    [event] = record_many(actor, [Entry(action, obj, before=before, after=after,
                                        summary=summary, object_type=object_type,
                                        object_id=object_id)])
    return event


@dataclass
class Entry:
    """One event for record_many(): what record() takes, but the actor."""

    action: str
    obj: object = None
    before: dict | None = None
    after: dict | None = None
    summary: str = ""
    object_type: str = ""
    object_id: str = ""


def record_many(actor, entries: Iterable[Entry]) -> list[AuditEvent]:
    """Append several events to the chain in one go (one lock, one insert), in order, inside
    the caller's transaction: for bulk actions such as issuing thousands of badges, where an
    event each is still the rule but a round trip each would keep the organiser waiting."""
    now = timezone.now()
    if actor is not None and actor.is_authenticated:
        actor_name = actor.get_username()
    else:
        actor, actor_name = None, SYSTEM
    # No savepoint of its own: the events belong to the caller's transaction, all or nothing.
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().filter(id=1).first()
        if head is None:  # the first event ever (or after a test flush)
            head = ChainHead.objects.create(id=1)
        seq, prev_hash, events = head.seq, head.hash, []
        for entry in entries:
            object_type, object_id = entry.object_type, entry.object_id
            if entry.obj is not None:
                object_type = object_type or entry.obj._meta.label_lower
                object_id = object_id or str(entry.obj.pk)
            before, after = _json_safe(entry.before), _json_safe(entry.after)
            seq += 1
            event = AuditEvent(
                seq=seq, at=now, actor=actor, actor_name=actor_name, action=entry.action,
                object_type=object_type, object_id=object_id, summary=entry.summary[:300],
                before=before, after=after, prev_hash=prev_hash)
            event.hash = prev_hash = event_hash(
                event.prev_hash, seq=seq, at=now, actor_name=actor_name, action=entry.action,
                object_type=object_type, object_id=object_id, summary=event.summary,
                before=before, after=after)
            events.append(event)
        if events:
            AuditEvent.objects.bulk_create(events, batch_size=500)
            ChainHead.objects.filter(id=1).update(seq=seq, hash=prev_hash)
    return events


def verify_chain(batch_size: int = 2000) -> list[ChainBreak]:
    head = ChainHead.objects.filter(id=1).first()
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    return find_breaks(events, head.seq if head else 0, head.hash if head else None)
