"""Hash-chain rules: how an audit event is hashed, and how a chain is checked."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, *, seq: int, at: datetime, actor_name: str, action: str,
               object_type: str, object_id: str, summary: str, before, after) -> str:
    body = canonical({
        "seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor_name,
        "action": action, "type": object_type, "id": object_id, "summary": summary,
        "before": before, "after": after,
    })
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def find_breaks(events: Iterable, head_seq: int | None = None,
                head_hash: str | None = None) -> list[ChainBreak]:
    """Check every link; `events` are AuditEvent-like objects in seq order."""
    breaks: list[ChainBreak] = []
    prev_hash, expected_seq = GENESIS_HASH, 1
    for ev in events:
        if ev.seq != expected_seq:
            breaks.append(ChainBreak(ev.seq, f"expected event #{expected_seq}: events missing"))
        if ev.prev_hash != prev_hash:
            breaks.append(ChainBreak(ev.seq, "does not link to the event before it"))
        recomputed = event_hash(
            ev.prev_hash, seq=ev.seq, at=ev.at, actor_name=ev.actor_name, action=ev.action,
            object_type=ev.object_type, object_id=ev.object_id, summary=ev.summary,
            before=ev.before, after=ev.after,
        )
        if recomputed != ev.hash:
            breaks.append(ChainBreak(ev.seq, "content was altered after it was recorded"))
        prev_hash, expected_seq = ev.hash, ev.seq + 1
    if head_seq is not None and head_seq != expected_seq - 1:
        breaks.append(ChainBreak(head_seq, "the latest events were removed"))
    elif head_hash is not None and head_seq and head_hash != prev_hash:
        breaks.append(ChainBreak(head_seq, "the last event differs from the recorded head"))
    return breaks
