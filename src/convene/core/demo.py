"""The Hanoi demo: the real event with invented delegations, people and accounts.

Loading is idempotent: what exists is left as it is, so running `make demo` twice is fine and
keeps whatever was changed in the demo by hand.
"""

import importlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from convene.accounts.models import Role, User
from convene.accounts.services import assign_role, create_account
from convene.audit.services import record, snapshot
from convene.core.models import Event
from convene.delegations.models import Delegation, Member
from convene.directory.models import Entity
from convene.directory.services import load_reference_data

DEMO_FILE = settings.BASE_DIR / "data" / "demo" / "hanoi-2025.json"


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    delegation: str


def load_demo(path: Path = DEMO_FILE) -> list[DemoLogin]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    load_reference_data()
    with transaction.atomic():
        event = _event(spec["event"])
        for extra in spec.get("other_entities", []):
            Entity.objects.get_or_create(code=extra["code"], defaults={
                "kind": extra["kind"], "name_en": extra["name_en"],
                "names": {"en": extra["name_en"]}})
        for item in spec["delegations"] + spec.get("other_delegations", []):
            _delegation(event, item)
        logins = [_account(a, spec["demo_password"], event) for a in spec["accounts"]]
    for load_app_demo in _app_demo_loaders():
        with transaction.atomic():
            load_app_demo(event)
    return logins


def _app_demo_loaders():
    """Each domain app may ship `<app>/demo.py` with `load_demo(event)` (idempotent)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("convene.") or config.name == "convene.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield module.load_demo


def _event(data: dict) -> Event:
    fields = {k: v for k, v in data.items() if k != "slug"}
    fields["start_date"] = date.fromisoformat(fields["start_date"])
    fields["end_date"] = date.fromisoformat(fields["end_date"])
    event, created = Event.objects.get_or_create(slug=data["slug"], defaults=fields)
    if created:
        record(None, "event.created", event, after=snapshot(event), summary=event.name)
    return event


def _delegation(event: Event, item: dict) -> Delegation:
    try:
        entity = Entity.objects.get(code=item["code"])
    except Entity.DoesNotExist:
        raise ValueError(f"demo delegation {item['code']!r} is not in the reference data") from None
    deadline = (timezone.now() + timedelta(days=item["deadline_days"])).replace(
        minute=0, second=0, microsecond=0)
    delegation, created = Delegation.objects.get_or_create(
        event=event, entity=entity,
        defaults={"status": item["status"], "quota": item["quota"],
                  "nomination_deadline": deadline})
    if created:
        record(None, "delegation.invited", delegation,
               after=snapshot(delegation, ["entity", "status", "quota", "nomination_deadline"]),
               summary=f"{entity} (demo)")
        for m in item.get("members", []):
            member = Member.objects.create(delegation=delegation, **m)
            record(None, "member.nominated", member, after=snapshot(member),
                   summary=f"{member.full_name} (demo)")
    return delegation


def _account(data: dict, password: str, event: Event) -> DemoLogin:
    user = User.objects.filter(username=data["username"]).first()
    if user is None:
        first, _, last = data["name"].partition(" ")
        user = create_account(None, data["username"], password=password, first_name=first,
                              last_name=last, email=f"{data['username']}@demo.convene.invalid")
    delegation = None
    if code := data.get("delegation"):
        delegation = Delegation.objects.get(entity__code=code, event=event)
    assign_role(None, user, Role(data["role"]), delegation)
    return DemoLogin(data["username"], password, data["role"], data.get("delegation", ""))
