"""Recording and verifying the audit trail. Every service that changes data calls record()."""

import json

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
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    # No savepoint of its own: the event belongs to the caller's transaction, all or nothing.
    with transaction.atomic(savepoint=False):
        head = ChainHead.objects.select_for_update().filter(id=1).first()
        if head is None:  # the first event ever (or after a test flush)
            head = ChainHead.objects.create(id=1)
        before, after = _json_safe(before), _json_safe(after)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=actor.get_username() if actor is not None and actor.is_authenticated
            else SYSTEM,
            action=action, object_type=object_type, object_id=object_id,
            summary=summary[:300], before=before, after=after, prev_hash=head.hash,
        )
        event.hash = event_hash(
            event.prev_hash, seq=event.seq, at=event.at, actor_name=event.actor_name,
            action=action, object_type=object_type, object_id=object_id,
            summary=event.summary, before=before, after=after,
        )
        event.save()
        ChainHead.objects.filter(id=1).update(seq=event.seq, hash=event.hash)
    return event


def verify_chain(batch_size: int = 2000) -> list[ChainBreak]:
    head = ChainHead.objects.filter(id=1).first()
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    return find_breaks(events, head.seq if head else 0, head.hash if head else None)
