"""Store and forward between nodes: the outbox that seals and delivers, the inbox that opens,
checks, dedupes and answers every message with a signed receipt.

The sender seals a message once (JWS in JWE, crypto.py) and keeps exactly those bytes; every
retry sends the same envelope, so the receiver sees the same hash and message id and applies it
once. The receiver keeps the envelope, the signed inner message (the sender's proof) and the
receipt it signed; the sender keeps the envelope and the receipt. Both write audit events.
"""

import hashlib
import json
import logging
import shutil
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from convene.audit.services import record
from convene.cooperation import crypto, keys
from convene.cooperation import directory as directory_service
from convene.cooperation.models import (
    Attachment,
    CustodyEvent,
    Direction,
    Message,
    MessageStatus,
    Receipt,
)

log = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024  # evidence travels in chunks of this size, each encrypted
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024
INBOX_PATH = "/api/cooperation/node/inbox"
CHUNK_PATH = "/api/cooperation/node/chunks"


def evidence_dir() -> Path:
    path = Path(settings.CONVENE_COOPERATION_EVIDENCE_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def file_sha256(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks (an evidence file can be large)."""
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while block := f.read(CHUNK_SIZE):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def custody(attachment: Attachment, action: str, actor_name: str, detail: str = "") -> None:
    CustodyEvent.objects.create(attachment=attachment, action=action,
                                node_id=settings.CONVENE_NODE_ID, actor_name=actor_name,
                                sha256=attachment.sha256, detail=detail)


# --- the outbox -------------------------------------------------------------------------------

def compose(*, case, type: str, body: dict, peer_node_id: str, actor=None,
            files: list[tuple[str, Path]] = ()) -> Message:
    """Seal a message to a peer and queue it for delivery (inside the caller's transaction).

    `files` are (name, path) of evidence files: each is copied into the evidence store under
    its SHA-256, and the hashes go into the signed message."""
    entry = directory_service.entry_for_node(peer_node_id)
    if entry is None:
        raise crypto.EnvelopeError(crypto.UNKNOWN_KEY, f"{peer_node_id} is not in the directory")
    actor_name = actor.get_username() if actor is not None else "system"
    message_id = uuid.uuid4()
    attachments = []
    for name, path in files:
        sha, size = file_sha256(Path(path))
        stored = evidence_dir() / sha
        if not stored.exists():
            shutil.copyfile(path, stored)
        attachments.append({"name": name, "sha256": sha, "size": size,
                            "chunks": max(1, -(-size // CHUNK_SIZE))})
    now = int(time.time())
    ttl = settings.CONVENE_COOPERATION_MESSAGE_TTL_HOURS * 3600
    payload = {"id": str(message_id), "type": type, "from": settings.CONVENE_NODE_ID,
               "to": peer_node_id, "from_state": settings.CONVENE_NODE_STATE,
               "to_state": entry["state"], "iat": now, "exp": now + ttl,
               "case": str(case.ref) if case else None, "body": body,
               "attachments": attachments}
    jwe_token, jws_token = crypto.seal(payload, keys.signing_key(),
                                       directory_service.current_encryption_key(entry))
    message = Message.objects.create(
        message_id=message_id, direction=Direction.OUT, case=case, type=type,
        peer_node_id=peer_node_id, body=payload, jwe=jwe_token, jws=jws_token,
        sha256=crypto.sha256_hex(jwe_token), status=MessageStatus.QUEUED,
        expires_at=timezone.now() + timedelta(seconds=ttl), actor_name=actor_name)
    for a in attachments:
        att = Attachment.objects.create(message=message, name=a["name"], sha256=a["sha256"],
                                        size=a["size"], path=str(evidence_dir() / a["sha256"]),
                                        verified=True)
        custody(att, "sealed", actor_name, f"hashed and bound to message {message_id}")
    record(actor, "cooperation.message_queued", message,
           after={"message_id": str(message_id), "type": type, "to": peer_node_id,
                  "sha256": message.sha256, "attachments": [a["sha256"] for a in attachments]},
           summary=f"Message {type} sealed for {peer_node_id}")
    from convene.cooperation.tasks import deliver_message

    transaction.on_commit(lambda pk=message.pk: deliver_message.enqueue(pk))
    return message


def _post(url: str, data: bytes, content_type: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=settings.CONVENE_COOPERATION_HTTP_TIMEOUT) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _send_chunks(message: Message, entry: dict) -> None:
    enc_key = directory_service.current_encryption_key(entry)
    for att in message.attachments.all():
        total = max(1, -(-att.size // CHUNK_SIZE))
        with open(att.path, "rb") as f:
            for index in range(total):
                block = f.read(CHUNK_SIZE)
                query = (f"?from={settings.CONVENE_NODE_ID}&sha256={att.sha256}"
                         f"&index={index}&total={total}")
                status, body = _post(entry["node_url"] + CHUNK_PATH + query,
                                     crypto.encrypt_chunk(block, enc_key).encode("ascii"),
                                     "application/jose")
                if status != 200:
                    raise OSError(f"chunk {index} of {att.sha256[:12]}: HTTP {status}")


def deliver(message: Message) -> str:
    """Try once to hand a queued message to its peer; return the message's new status.
    Network trouble raises OSError (the task retries); a refusal is final."""
    if message.status not in (MessageStatus.QUEUED, MessageStatus.RETRYING):
        return message.status
    if message.expires_at and message.expires_at < timezone.now():
        with transaction.atomic():
            message.status = MessageStatus.EXPIRED
            message.save(update_fields=["status"])
            record(None, "cooperation.message_expired", message,
                   summary=f"Message {message.type} to {message.peer_node_id} expired "
                           f"undelivered after {message.attempts} attempts")
        return message.status
    entry = directory_service.entry_for_node(message.peer_node_id)
    if entry is None:
        raise OSError(f"{message.peer_node_id} is no longer in the directory")
    if message.attachments.exists():
        _send_chunks(message, entry)
    status, body = _post(entry["node_url"] + INBOX_PATH, message.jwe.encode("ascii"),
                         "application/jose")
    try:
        token = json.loads(body)["receipt"]
    except (ValueError, KeyError, TypeError):
        raise OSError(f"HTTP {status} without a receipt") from None
    payload = _verify_receipt(token, message)
    with transaction.atomic():
        Receipt.objects.create(message=message, issued=False, message_sha256=message.sha256,
                               msg_id=str(message.message_id), status=payload["status"],
                               reason=payload.get("reason", ""),
                               detail=payload.get("detail", ""),
                               peer_node_id=message.peer_node_id, token=token)
        original = payload.get("original_receipt")
        if payload["status"] == crypto.REJECTED and payload.get("reason") == crypto.REPLAYED \
                and original:
            # The peer already had it (our earlier receipt was lost): its first receipt says so.
            first = _verify_receipt(original, message)
            Receipt.objects.create(message=message, issued=False, message_sha256=message.sha256,
                                   msg_id=str(message.message_id), status=first["status"],
                                   reason=first.get("reason", ""),
                                   peer_node_id=message.peer_node_id, token=original)
            payload = first
        message.status = (MessageStatus.ACCEPTED if payload["status"] == crypto.ACCEPTED
                          else MessageStatus.DELIVERED if payload["status"] == crypto.DELIVERED
                          else MessageStatus.REJECTED)
        message.delivered_at = timezone.now()
        message.last_error = payload.get("reason", "")
        message.attempts += 1
        message.save(update_fields=["status", "delivered_at", "last_error", "attempts"])
        for att in message.attachments.all():
            custody(att, "handed over", "system", f"to {message.peer_node_id}, receipt "
                                                  f"{payload['status']}")
        record(None, "cooperation.receipt_received", message,
               after={"message_id": str(message.message_id), "status": payload["status"],
                      "reason": payload.get("reason", ""), "receipt_sha256":
                      crypto.sha256_hex(token)},
               summary=f"Receipt from {message.peer_node_id}: {payload['status']} "
                       f"{payload.get('reason', '')}".strip())
    return message.status


def _verify_receipt(token: str, message: Message) -> dict:
    header = crypto.unverified_header(token)
    found = directory_service.signing_key_of(header.get("kid", ""))
    if found is None or found[0] != message.peer_node_id:
        raise OSError("receipt signed by a key that is not the peer's")
    payload, _kid = crypto.verify(token, {found[1].thumbprint(): found[1]},
                                  crypto.RECEIPT_TYP)
    if payload.get("message_sha256") != message.sha256:
        raise OSError("receipt is not bound to this message")
    return payload


def retry_delay(attempts: int) -> float:
    """Exponential back-off: base, 2×base, 4×base … up to the cap."""
    base = settings.CONVENE_COOPERATION_RETRY_SECONDS
    return min(settings.CONVENE_COOPERATION_RETRY_CAP_SECONDS, base * (2 ** max(0, attempts - 1)))


def earlier_pending(message: Message):
    """Earlier messages to the same peer still in the outbox: a peer gets them in order."""
    return Message.objects.filter(
        direction=Direction.OUT, peer_node_id=message.peer_node_id,
        status__in=[MessageStatus.QUEUED, MessageStatus.RETRYING],
        pk__lt=message.pk).order_by("pk")


# --- the inbox --------------------------------------------------------------------------------

def _issue(status: str, *, message_sha256: str, message_id: str | None, reason: str = "",
           detail: str = "", message: Message | None = None, peer: str = "",
           extra: dict | None = None) -> str:
    token = crypto.make_receipt(message_sha256=message_sha256, message_id=message_id,
                                status=status, reason=reason, detail=detail,
                                node_id=settings.CONVENE_NODE_ID, key=keys.signing_key(),
                                extra=extra)
    receipt = Receipt.objects.create(message=message, issued=True, message_sha256=message_sha256,
                                     msg_id=message_id or "", status=status, reason=reason,
                                     detail=detail[:300], peer_node_id=peer, token=token)
    record(None, f"cooperation.receipt_{status}", receipt,
           after={"message_sha256": message_sha256, "message_id": message_id,
                  "reason": reason, "from": peer},
           summary=f"Receipt issued: {status} {reason}".strip())
    return token


def receive(raw: bytes, apply) -> str:
    """Open one incoming envelope and answer with a signed receipt (returned as a token).

    `apply(message)` carries out what the message says (services.apply_inbound); it returns
    True when it changed the case, False when the message was kept but changed nothing."""
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_ENVELOPE_BYTES:
        with transaction.atomic():
            return _issue(crypto.REJECTED, message_sha256=digest, message_id=None,
                          reason=crypto.MALFORMED, detail="envelope too large")
    try:
        opened = crypto.open_message(raw, keys.encryption_keys(), _sender_key_lookup)
        payload = opened.payload
        signer = directory_service.signing_key_of(opened.signer_kid)[0]
        if payload["from"] != signer:
            raise crypto.EnvelopeError(crypto.BAD_SIGNATURE,
                                       f"signed by {signer}, claims to be from {payload['from']}")
        if payload["to"] != settings.CONVENE_NODE_ID:
            raise crypto.EnvelopeError(crypto.MALFORMED, f"addressed to {payload['to']}")
        message_id = str(uuid.UUID(str(payload["id"])))
    except crypto.EnvelopeError as exc:
        with transaction.atomic():
            return _issue(crypto.REJECTED, message_sha256=digest, message_id=None,
                          reason=exc.reason, detail=exc.detail)
    except (ValueError, TypeError, KeyError) as exc:
        with transaction.atomic():
            return _issue(crypto.REJECTED, message_sha256=digest, message_id=None,
                          reason=crypto.MALFORMED, detail=str(exc))
    peer = payload["from"]
    previous = Message.objects.filter(message_id=message_id, direction=Direction.IN).first()
    if previous is not None:
        return _replayed(previous, digest, message_id, peer)
    problem = ""
    try:
        with transaction.atomic():
            message = Message.objects.create(
                message_id=message_id, direction=Direction.IN, type=str(payload["type"]),
                peer_node_id=peer, body=payload, jwe=raw.decode("ascii"), jws=opened.signed,
                sha256=digest, status=MessageStatus.RECEIVED, delivered_at=timezone.now())
            problem = _take_attachments(message, payload.get("attachments") or [])
            if problem:
                transaction.set_rollback(True)
            else:
                record(None, "cooperation.message_received", message,
                       after={"message_id": message_id, "type": message.type, "from": peer,
                              "sha256": digest},
                       summary=f"Message {message.type} from {peer}")
                changed = apply(message)
                status = crypto.ACCEPTED if changed else crypto.DELIVERED
                return _issue(status, message_sha256=digest, message_id=message_id,
                              message=message, peer=peer,
                              detail="" if changed else "kept; it changes nothing now")
    except IntegrityError:  # the same message arriving twice at the same moment
        previous = Message.objects.filter(message_id=message_id, direction=Direction.IN).first()
        if previous is not None:
            return _replayed(previous, digest, message_id, peer)
        raise
    except (KeyError, ValueError, TypeError) as exc:
        # Signed by a known peer, but its content cannot be applied: nothing is kept of it.
        problem = f"content cannot be applied: {exc}"
    with transaction.atomic():
        return _issue(crypto.REJECTED, message_sha256=digest, message_id=message_id,
                      reason=crypto.MALFORMED, detail=problem, peer=peer)


def _replayed(previous: Message, digest: str, message_id: str, peer: str) -> str:
    first = previous.receipts.filter(issued=True).order_by("pk").first()
    with transaction.atomic():
        return _issue(crypto.REJECTED, message_sha256=digest, message_id=message_id,
                      reason=crypto.REPLAYED, peer=peer,
                      detail="this message id was received before; nothing changed",
                      extra={"original_receipt": first.token} if first and
                      first.message_sha256 == digest else None)


def _sender_key_lookup(kid: str):
    found = directory_service.signing_key_of(kid)
    return found[1] if found else None


# --- evidence chunks ------------------------------------------------------------------------

def _incoming_dir(sender: str, sha: str) -> Path:
    return evidence_dir() / "incoming" / sender / sha


def receive_chunk(raw: bytes, sender: str, sha: str, index: int, total: int) -> None:
    """Keep one encrypted chunk of an evidence file announced by a message still to come.
    Raises EnvelopeError for a chunk that is not for this node; idempotent per index."""
    if not (len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)) or not (
            0 <= index < total <= 100_000) or not sender.replace("-", "").isalnum():
        raise crypto.EnvelopeError(crypto.MALFORMED, "bad chunk address")
    if len(raw) > 2 * CHUNK_SIZE:
        raise crypto.EnvelopeError(crypto.MALFORMED, "chunk too large")
    data = crypto.decrypt_chunk(raw, keys.encryption_keys())
    folder = _incoming_dir(sender, sha)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{index}.tmp"
    tmp.write_bytes(data)
    tmp.replace(folder / f"{index}")


def _take_attachments(message: Message, announced: list) -> str:
    """Assemble each announced file from its chunks, streaming, and check its SHA-256 and
    size against the signed message. Returns the problem, or "" when all are verified."""
    for a in announced:
        try:
            sha, size, chunks, name = a["sha256"], int(a["size"]), int(a["chunks"]), a["name"]
        except (KeyError, TypeError, ValueError):
            return "attachment entry malformed"
        folder = _incoming_dir(message.peer_node_id, sha)
        target = evidence_dir() / sha
        if not target.exists():
            h, got = hashlib.sha256(), 0
            tmp = evidence_dir() / f"{sha}.assembling"
            with open(tmp, "wb") as out:
                for i in range(chunks):
                    part = folder / str(i)
                    if not part.exists():
                        tmp.unlink(missing_ok=True)
                        return f"evidence {name}: chunk {i} of {chunks} has not arrived"
                    with open(part, "rb") as f:
                        while block := f.read(CHUNK_SIZE):
                            h.update(block)
                            got += len(block)
                            out.write(block)
            if h.hexdigest() != sha or got != size:
                tmp.unlink(missing_ok=True)
                return f"evidence {name}: SHA-256 or size does not match the signed message"
            tmp.replace(target)
        else:
            # Already held (same hash): check it again, it must still be intact.
            if file_sha256(target) != (sha, size):
                return f"evidence {name}: the stored copy does not match"
        att = Attachment.objects.create(message=message, name=name, sha256=sha, size=size,
                                        path=str(target), verified=True)
        custody(att, "received and verified", "system",
                f"SHA-256 matches message {message.message_id} from {message.peer_node_id}")
        shutil.rmtree(folder, ignore_errors=True)
    return ""


# --- the bench's baseline -------------------------------------------------------------------

def receive_plain(raw: bytes, apply) -> dict:
    """The same message stored and applied with no envelope: what `bench/cooperation_exchange.py`
    compares the signed and encrypted exchange against. Served only when
    CONVENE_COOPERATION_BENCH_PLAIN is on (never in production: it authenticates nothing)."""
    payload = json.loads(raw)
    message_id = str(uuid.UUID(str(payload["id"])))
    if Message.objects.filter(message_id=message_id, direction=Direction.IN).exists():
        return {"status": crypto.REJECTED, "reason": crypto.REPLAYED}
    with transaction.atomic():
        message = Message.objects.create(
            message_id=message_id, direction=Direction.IN, type=str(payload["type"]),
            peer_node_id=payload["from"], body=payload, sha256=hashlib.sha256(raw).hexdigest(),
            status=MessageStatus.RECEIVED, delivered_at=timezone.now())
        record(None, "cooperation.message_received", message,
               after={"message_id": message_id, "type": message.type, "plain": True},
               summary=f"Plain message {message.type} (bench)")
        changed = apply(message)
        status = crypto.ACCEPTED if changed else crypto.DELIVERED
        Receipt.objects.create(message=message, issued=True, message_sha256=message.sha256,
                               msg_id=message_id, status=status, token="")
    return {"status": status, "message_sha256": message.sha256}
