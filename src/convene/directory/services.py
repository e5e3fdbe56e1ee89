"""Loading the reference data (data/*.csv) into the database, idempotently."""

from dataclasses import dataclass

from django.db import transaction

from convene.audit.services import record
from convene.directory.models import Entity
from convene.directory.reference import load_reference_entities


@dataclass
class LoadReport:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_reference_data(actor=None, data_dir=None) -> LoadReport:
    """Create or update every reference entity; running it twice changes nothing the 2nd time."""
    entities = load_reference_entities(data_dir)
    existing = {e.code: e for e in Entity.objects.filter(code__in=[r.code for r in entities])}
    created = updated = unchanged = 0
    for ref in entities:
        values = {"kind": ref.kind, "name_en": ref.name_en, "names": ref.names, "iso2": ref.iso2,
                  "acronym": ref.acronym, "source": ref.source, "is_reference": True}
        entity = existing.get(ref.code)
        if entity is None:
            Entity.objects.create(code=ref.code, **values)
            created += 1
        elif any(getattr(entity, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entity, k, v)
            entity.save()
            updated += 1
        else:
            unchanged += 1
    if created or updated:
        record(actor, "reference.loaded", None, object_type="directory.entity", object_id="*",
               after={"created": created, "updated": updated},
               summary=f"reference data: {created} created, {updated} updated")
    return LoadReport(created, updated, unchanged)
