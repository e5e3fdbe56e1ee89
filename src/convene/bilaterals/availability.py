"""When a principal cannot meet: the focal point's own blocks, plus what other apps know.

Other apps contribute through a hook, so that bilaterals depends on none of them:
a *busy-time source* is a callable `source(event) -> iterable of busy times`, each with
`start` and `end` (aware datetimes), `delegation_id` (None: every principal, e.g. the opening
session and the signing) and an optional `reason`. A slot that overlaps a busy time is
unavailable for that principal.

Sources are found in two ways:
* `SOURCES`: dotted paths tried on every solve; a path whose module or function does not exist
  (yet) is skipped. The programme (issue 4) can provide `principal_busy_times(event)` in
  `convene.programme.services` (opening session, signing, the delegation's own speaking
  slot), and reception data arrivals and departures the same way.
* `register(source)`: for an app that prefers to plug itself in from its AppConfig.ready().
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SOURCES = [
    "convene.programme.services.principal_busy_times",
    "convene.operations.services.principal_busy_times",
]
_registered: list[Callable] = []


@dataclass(frozen=True)
class BusyTime:
    start: datetime
    end: datetime
    delegation_id: int | None = None  # None: everyone
    reason: str = ""


def register(source: Callable[..., Iterable]) -> None:
    if source not in _registered:
        _registered.append(source)


def unregister(source: Callable) -> None:
    if source in _registered:
        _registered.remove(source)


def _sources() -> list[Callable]:
    found = []
    for path in SOURCES:
        try:
            found.append(import_string(path))
        except ImportError:
            continue  # that app does not provide it (yet)
    return found + list(_registered)


def busy_times(event) -> tuple[list[BusyTime], list[str]]:
    """Every busy time the sources know for `event`, and a warning per source that failed
    (a broken source must not stop the scheduler; the organiser is told)."""
    times, warnings = [], []
    for source in _sources():
        name = getattr(source, "__qualname__", repr(source))
        try:
            for item in source(event) or ():
                times.append(BusyTime(item.start, item.end, getattr(item, "delegation_id", None),
                                      getattr(item, "reason", "")))
        except Exception:  # noqa: BLE001 — a faulty source is reported, not fatal
            logger.exception("busy-time source %s failed", name)
            warnings.append(f"the busy times of {name} could not be read")
    return times, warnings


def unavailable_slots(slots, blocks: dict[int, set[int]], busy: list[BusyTime],
                      delegation_ids: Iterable[int]) -> dict[int, set[int]]:
    """delegation id -> ids of the slots (objects with pk, start, end) it cannot meet in."""
    result = {d: set(blocks.get(d, ())) for d in delegation_ids}
    for item in busy:
        hit = {s.pk for s in slots if s.start < item.end and item.start < s.end}
        if not hit:
            continue
        targets = result.keys() if item.delegation_id is None else (
            [item.delegation_id] if item.delegation_id in result else [])
        for d in targets:
            result[d] |= hit
    return result
