"""The depositary records which node each State Party runs (what the directory publishes)."""

from django.db import transaction

from convene.audit.services import record
from convene.cooperation import crypto
from convene.cooperation.models import NodeDesignation


def designate(*, state: str, node_id: str, url: str, keys: dict, central_authority: str = "",
              contact_point: str = "", languages: list | None = None, name: str = "",
              channels: list | None = None, actor=None) -> NodeDesignation:
    from convene.directory.models import Entity

    for use in ("sign", "enc"):
        if not keys.get(use):
            raise ValueError(f"the node's {use} keys are missing")
        for jwk in keys[use]:
            crypto.import_public({k: v for k, v in jwk.items() if k != "status"})
    with transaction.atomic():
        entity = Entity.objects.filter(code=state).first()
        if entity is None:
            entity = Entity.objects.create(code=state, kind="member_state",
                                           name_en=name or state, names={"en": name or state})
        d, created = NodeDesignation.objects.update_or_create(
            entity=entity, defaults={
                "node_id": node_id, "url": url.rstrip("/"), "keys": keys,
                "central_authority": central_authority, "contact_point": contact_point,
                "languages": languages or [], "channels": channels or ["convene"]})
        record(actor, "cooperation.node_designated", d,
               after={"state": state, "node_id": node_id, "url": url,
                      "kids": [j["kid"] for u in ("sign", "enc") for j in keys[u]]},
               summary=f"{state}: node {node_id} at {url}")
    return d
