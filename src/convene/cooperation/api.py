"""The cooperation API; the same services and rules as the web pages.

Two kinds of caller:
- other nodes (machine to machine): `POST /node/inbox`, `POST /node/chunks`, `GET /directory`,
  `GET /node/keys`. They carry no session: what authenticates a message is its signature under
  a key the depositary's signed directory lists, and every inbound message is answered with a
  signed receipt, rejections included (docs/cooperation.md, "Trust model").
- people on this node (session login): cases and statistics, scoped like the pages.
"""

from django.conf import settings
from django.http import HttpResponse
from ninja import Router, Schema

from convene.accounts.permissions import require
from convene.cooperation import crypto, exchange, services
from convene.cooperation.models import DirectoryPublication

router = Router(tags=["cooperation"])


class NodeRefusal(Schema):
    """A node endpoint's answer to what it cannot take (a malformed chunk, no directory)."""

    detail: str


class ChunkTaken(Schema):
    ok: bool


def _json(data, status=200):
    import json

    return HttpResponse(json.dumps(data), status=status, content_type="application/json")


@router.post("/node/inbox", auth=None, include_in_schema=True,
             summary="Deliver a sealed message (node to node; authenticated by its signature)")
def node_inbox(request):
    """Body: one compact JWE (application/jose). Answer: {"receipt": <signed JWS>} — accepted,
    delivered, or rejected with the reason (bad_signature, unknown_key, expired, replayed,
    malformed). HTTP 200 whenever a receipt was issued."""
    token = exchange.receive(request.body, services.apply_inbound)
    return _json({"receipt": token})


@router.post("/node/plain", auth=None, include_in_schema=False)
def node_plain(request):
    """The bench's unsigned baseline (docs/cooperation.md); 404 unless switched on."""
    from django.http import Http404

    if not settings.CONVENE_COOPERATION_BENCH_PLAIN:
        raise Http404
    return _json(exchange.receive_plain(request.body, services.apply_inbound))


@router.post("/node/chunks", auth=None, response={200: ChunkTaken, 400: NodeRefusal},
             summary="Deliver one encrypted chunk of an evidence file (node to node)")
def node_chunk(request, sha256: str = "", index: int = 0, total: int = 1):
    sender = request.GET.get("from", "")
    try:
        exchange.receive_chunk(request.body, sender, sha256, index, total)
    except crypto.EnvelopeError as exc:
        return _json({"detail": exc.reason}, status=400)
    return _json({"ok": True})


@router.get("/directory", auth=None, response={200: dict, 404: NodeRefusal},
            summary="The directory signed by the depositary")
def signed_directory(request):
    pub = DirectoryPublication.objects.order_by("-version").first()
    if pub is None:
        return _json({"detail": "This node publishes no directory."}, status=404)
    return _json({"directory": pub.token, "version": pub.version, "sha256": pub.sha256})


@router.get("/node/keys", auth=None, summary="This node's public keys (JWKS)")
def node_keys(request):
    return _json({"node_id": settings.CONVENE_NODE_ID, "state": settings.CONVENE_NODE_STATE,
                  "url": settings.CONVENE_NODE_URL, "keys": services.directory_service
                 .own_public_keys()})


@router.get("/cases", summary="Cases this user may see (no case content)")
def list_cases(request):
    require(request.user, "cooperation.view_cases")
    return [{"ref": str(c.ref), "kind": c.kind, "side": c.side, "status": c.status,
             "requesting_state": c.requesting_state, "requested_state": c.requested_state,
             "urgent": c.urgent, "preservation_until": c.preservation_until}
            for c in services.visible_cases(request.user)[:500]]


@router.get("/statistics", summary="Per State pair: volumes, times, refusal grounds")
def statistics(request):
    require(request.user, "cooperation.view_statistics")
    return services.statistics()
