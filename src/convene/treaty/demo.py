"""The treaty's demo: the Convention's real structure, and a status table marked as demo data.

`load_demo(event)` is idempotent: the treaty is loaded (or updated) from its data file every
time, and the demo status table only once — if any demo record exists, nothing more is added,
so what was changed in the demo by hand stays.
"""

import json
from datetime import date

from django.db import transaction
from django.utils import timezone

from convene.directory.models import Entity, EntityKind
from convene.treaty import services, treaty_data
from convene.treaty.models import Instrument, Signature, Statement

DEMO_FILE = treaty_data.DATA_DIR / "demo.json"


def load_demo(event=None) -> None:
    treaty = services.load_treaty()
    if (Signature.objects.filter(treaty=treaty, is_demo=True).exists()
            or Instrument.objects.filter(treaty=treaty, is_demo=True).exists()
            or Statement.objects.filter(treaty=treaty, is_demo=True).exists()):
        return
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    content = (DEMO_FILE.parent / spec["status_table"]).read_bytes()
    reio = set(Entity.objects.filter(kind=EntityKind.REIO).values_list("code", flat=True))
    statements = []
    for i, item in enumerate(spec["statements"]):
        made_on = date.fromisoformat(item["made_on"])
        statements.append(services.Action(made_on, 2, item["code"] in reio, 10_000 + i,
                                          item["code"], "state", item))
        if item.get("withdrawn_on"):
            statements.append(services.Action(date.fromisoformat(item["withdrawn_on"]), 3,
                                              item["code"] in reio, 10_000 + i, item["code"],
                                              "withdraw", item))
    objections = [(date.fromisoformat(o["made_on"]), o) for o in spec.get("objections", [])]
    # The demo's dates are fixed; the clock of the machine showing it may be earlier.
    today = max(timezone.localdate(), *(a.day for a in statements),
                *(day for day, _ in objections))
    with transaction.atomic():
        checked = services._check_table(treaty, content, today)
        if checked.errors:
            raise ValueError("demo status table refused: " + "; ".join(
                f"line {e.line} {e.field}: {e.message}" for e in checked.errors))
        # Everything in the order it happened, so notification numbers follow the dates.
        actions = sorted(services.table_actions(checked) + statements,
                         key=lambda a: (a.day, a.order, a.is_reio, a.line))
        for action in actions:
            services.apply_action(None, treaty, action, is_demo=True, notify=True, today=today)
        # Objections come after the statements they answer (their dates are the latest).
        for day, item in sorted(objections, key=lambda o: o[0]):
            statement = Statement.objects.get(treaty=treaty, entity__code=item["to"],
                                              kind=item["kind"])
            services._object(None, statement, Entity.objects.get(code=item["code"]),
                             made_on=day, text=item["text"], is_demo=True, issued_on=day,
                             today=today)
