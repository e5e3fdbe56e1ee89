"""The directory of States Parties' authorities: built and signed on the depositary's node,
fetched and verified on every node under the depositary's pinned public key."""

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from convene.audit.services import record
from convene.cooperation import crypto, keys
from convene.cooperation.models import (
    DirectoryPublication,
    DirectorySnapshot,
    NodeDesignation,
    PeerKey,
)


class DirectoryRefused(Exception):
    """A directory that must not be trusted (bad signature, unknown key, older, malformed)."""


# Which treaty notifications fill which field of an entry (data/treaty/convention.json,
# final_clauses.statements): the central authority (art. 40(13)), accepted languages (art.
# 40(14)) and the 24/7 point of contact (art. 41(1)).
STATEMENT_FIELDS = {"central-authority-40": "central_authority",
                    "languages-40": "languages", "contact-point-41": "contact_point"}


def _statements_by_entity() -> dict:
    """The latest standing notification of each kind per entity, from the treaty record."""
    from convene.treaty.models import Statement

    out: dict = {}
    for s in (Statement.objects.filter(kind__in=STATEMENT_FIELDS, withdrawn_on__isnull=True)
              .order_by("made_on", "pk").values("entity_id", "kind", "text")):
        out.setdefault(s["entity_id"], {})[STATEMENT_FIELDS[s["kind"]]] = s["text"].strip()
    return out


def _languages(text) -> list[str]:
    if isinstance(text, list):
        return [str(x).strip().lower() for x in text if str(x).strip()]
    return [p.strip().lower() for p in str(text).replace(";", ",").split(",") if p.strip()]


def build_entries() -> list[dict]:
    statements = _statements_by_entity()
    entries = []
    for d in NodeDesignation.objects.select_related("entity").order_by("entity__code"):
        told = statements.get(d.entity_id, {})
        entries.append({
            "state": d.entity.code,
            "name": d.entity.name_en,
            "central_authority": told.get("central_authority") or d.central_authority,
            "contact_point_24_7": told.get("contact_point") or d.contact_point,
            "languages": _languages(told.get("languages") or d.languages),
            "channels": d.channels or ["convene"],
            "node_id": d.node_id,
            "node_url": d.url,
            "keys": d.keys,
        })
    return entries


def publish(actor=None) -> DirectoryPublication:
    """Sign the current directory with the depositary node's key (a new version)."""
    with transaction.atomic():
        version = (DirectoryPublication.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        now = datetime.now(UTC).replace(microsecond=0)
        payload = {"version": version, "issued_at": now.isoformat(),
                   "depositary": settings.CONVENE_NODE_ID, "entries": build_entries()}
        token = crypto.sign(payload, keys.signing_key(), crypto.DIRECTORY_TYP)
        pub = DirectoryPublication.objects.create(version=version, issued_at=now, token=token,
                                                  sha256=crypto.sha256_hex(token))
        record(actor, "cooperation.directory_published", pub,
               after={"version": version, "entries": len(payload["entries"]),
                      "sha256": pub.sha256},
               summary=f"Directory v{version} signed ({len(payload['entries'])} States)")
    return pub


def pinned_keys() -> dict:
    """The depositary's public key(s) this node pins: a JWK or JWKS, inline or in a file."""
    raw = settings.CONVENE_DEPOSITARY_PUBLIC_KEY.strip()
    if not raw:
        # The file `convene cooperation demo-node` writes (the demo's depositary is this node).
        fallback = Path(settings.VAR_DIR) / "cooperation-depositary-key.json"
        if not fallback.exists():
            return {}
        raw = str(fallback)
    if not raw.startswith("{"):
        raw = Path(raw).read_text()
    data = json.loads(raw)
    jwks = data.get("keys", [data]) if isinstance(data, dict) else data
    out = {}
    for jwk in jwks:
        key = crypto.import_public({k: v for k, v in jwk.items() if k != "status"})
        out[key.thumbprint()] = key
    return out


def verify(token: str, pinned: dict | None = None) -> dict:
    pinned = pinned_keys() if pinned is None else pinned
    if not pinned:
        raise DirectoryRefused("no depositary key is pinned (CONVENE_DEPOSITARY_PUBLIC_KEY)")
    try:
        payload, _kid = crypto.verify(token, pinned, crypto.DIRECTORY_TYP)
    except crypto.EnvelopeError as exc:
        raise DirectoryRefused(f"signature check failed: {exc}") from None
    if not isinstance(payload.get("version"), int) or not isinstance(payload.get("entries"),
                                                                     list):
        raise DirectoryRefused("malformed directory")
    return payload


def fetch(url: str | None = None) -> str:
    base = url or settings.CONVENE_DEPOSITARY_URL
    if not base.startswith(("http://", "https://")):
        raise OSError("no depositary address (CONVENE_DEPOSITARY_URL)")
    with urllib.request.urlopen(base + "/api/cooperation/directory",
                                timeout=settings.CONVENE_COOPERATION_HTTP_TIMEOUT) as r:
        body = r.read()
    try:
        token = json.loads(body)["directory"]
    except (ValueError, KeyError, TypeError):
        raise DirectoryRefused("the depositary's answer holds no directory") from None
    if not isinstance(token, str):
        raise DirectoryRefused("the depositary's answer holds no directory")
    return token


def accept(token: str, actor=None, pinned: dict | None = None) -> DirectorySnapshot:
    """Verify a signed directory and make it this node's; refuse one that fails or is older
    than the one held (a replayed old directory could bring back a compromised key)."""
    payload = verify(token, pinned)
    with transaction.atomic():
        latest = DirectorySnapshot.objects.order_by("-version").first()
        if latest and payload["version"] < latest.version:
            raise DirectoryRefused(f"version {payload['version']} is older than the "
                                   f"version {latest.version} held")
        if latest and payload["version"] == latest.version:
            if latest.sha256 != crypto.sha256_hex(token):
                raise DirectoryRefused("a different directory under a version already held")
            return latest
        snap = DirectorySnapshot.objects.create(
            version=payload["version"], token=token, sha256=crypto.sha256_hex(token),
            issued_at=datetime.fromisoformat(payload["issued_at"]), entries=payload["entries"])
        known = set(PeerKey.objects.values_list("kid", flat=True))
        new_keys = []
        for entry in payload["entries"]:
            for use in ("sign", "enc"):
                for jwk in (entry.get("keys") or {}).get(use, []):
                    kid = jwk.get("kid")
                    if kid in known:
                        continue
                    pub = {k: v for k, v in jwk.items() if k != "status"}
                    crypto.import_public(pub)  # refuses a kid that is not the thumbprint
                    known.add(kid)
                    new_keys.append(PeerKey(node_id=entry["node_id"], state=entry["state"],
                                            use=use, kid=kid, jwk=pub,
                                            status=jwk.get("status", "current")))
        PeerKey.objects.bulk_create(new_keys)
        for entry in payload["entries"]:
            for use in ("sign", "enc"):
                for jwk in (entry.get("keys") or {}).get(use, []):
                    PeerKey.objects.filter(kid=jwk.get("kid")).exclude(
                        status=jwk.get("status", "current")).update(
                        status=jwk.get("status", "current"))
        record(actor, "cooperation.directory_accepted", snap,
               after={"version": snap.version, "sha256": snap.sha256,
                      "entries": len(snap.entries)},
               summary=f"Directory v{snap.version} verified and accepted")
    return snap


def refresh(actor=None) -> DirectorySnapshot:
    return accept(fetch(), actor)


# --- reading the directory held -------------------------------------------------------------

def current() -> DirectorySnapshot | None:
    return DirectorySnapshot.objects.order_by("-version").first()


def entries() -> list[dict]:
    snap = current()
    return snap.entries if snap else []


def entry_for_state(state: str) -> dict | None:
    return next((e for e in entries() if e["state"] == state), None)


def entry_for_node(node_id: str) -> dict | None:
    return next((e for e in entries() if e["node_id"] == node_id), None)


def current_encryption_key(entry: dict):
    for jwk in entry["keys"].get("enc", []):
        if jwk.get("status", "current") == "current":
            return crypto.import_public({k: v for k, v in jwk.items() if k != "status"})
    raise crypto.EnvelopeError(crypto.UNKNOWN_KEY, f"{entry['node_id']} has no encryption key")


def signing_key_of(kid: str):
    """(node id, public key) of a peer's signing key, old keys included; None if unknown."""
    pk = PeerKey.objects.filter(kid=kid, use="sign").first()
    if pk is None:
        return None
    return pk.node_id, crypto.import_public(pk.jwk)


def own_public_keys() -> dict:
    return keys.public_keys()
