"""Readiness checklist templates and the default task forces: data under data/operations/.

A template item's deadline is given in days relative to the first day of the event (-14: two
weeks before), so one template serves any event; dependencies are template keys, also across
task forces. Files are checked when read: an unknown dependency or a cycle is an error in the
data, reported with the item's key.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from convene.operations import readiness

DATA_DIR = settings.BASE_DIR / "data" / "operations"
TEMPLATE_DIR = DATA_DIR / "templates"
PRIORITIES = ("low", "normal", "high", "critical")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class TemplateItem:
    key: str
    area: str
    title: str
    description: str
    deadline_days: int
    effort_days: int
    priority: str
    depends_on: tuple[str, ...] = ()
    evidence_required: bool = False
    decision_needed: str = ""


@dataclass(frozen=True)
class ChecklistTemplate:
    slug: str
    name: str
    description: str
    deadline_time: time
    items: tuple[TemplateItem, ...] = field(default_factory=tuple)

    def for_area(self, area: str) -> list[TemplateItem]:
        return [i for i in self.items if i.area == area]

    @property
    def areas(self) -> list[str]:
        return sorted({i.area for i in self.items})

    def deadline(self, item: TemplateItem, event) -> datetime:
        """The item's deadline for `event`, at the template's time of day, event local time."""
        day = event.start_date + timedelta(days=item.deadline_days)
        return datetime.combine(day, self.deadline_time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def parse_template(spec: dict) -> ChecklistTemplate:
    items, keys = [], set()
    for raw in spec["items"]:
        key = raw["key"]
        if key in keys:
            raise TemplateError(f"{key}: the key is used twice")
        if raw.get("priority", "normal") not in PRIORITIES:
            raise TemplateError(f"{key}: unknown priority {raw['priority']!r}")
        keys.add(key)
        items.append(TemplateItem(
            key=key, area=raw["area"], title=raw["title"],
            description=raw.get("description", ""), deadline_days=int(raw["deadline_days"]),
            effort_days=int(raw.get("effort_days", 1)), priority=raw.get("priority", "normal"),
            depends_on=tuple(raw.get("depends_on", ())),
            evidence_required=bool(raw.get("evidence_required", False)),
            decision_needed=raw.get("decision_needed", "")))
    graph: dict[str, list[str]] = {}
    for item in items:
        for dep in item.depends_on:
            if dep not in keys:
                raise TemplateError(f"{item.key}: depends on unknown item {dep!r}")
            if readiness.dependency_cycle(graph, item.key, dep):
                raise TemplateError(f"{item.key}: depending on {dep} closes a cycle")
            graph.setdefault(item.key, []).append(dep)
    return ChecklistTemplate(
        slug=spec["slug"], name=spec["name"], description=spec.get("description", ""),
        deadline_time=time.fromisoformat(spec.get("deadline_time", "18:00")), items=tuple(items))


@cache
def _load(path: Path) -> ChecklistTemplate:
    return parse_template(json.loads(path.read_text(encoding="utf-8")))


def available_templates() -> list[ChecklistTemplate]:
    return [_load(p) for p in sorted(TEMPLATE_DIR.glob("*.json"))]


def get_template(slug: str) -> ChecklistTemplate:
    for template in available_templates():
        if template.slug == slug:
            return template
    raise KeyError(slug)


def default_task_forces() -> list[dict]:
    return json.loads((DATA_DIR / "task_forces.json").read_text(encoding="utf-8"))["task_forces"]
