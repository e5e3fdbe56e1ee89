"""Anti-passback across gates, after the fact: which accepted entries were second entries.

Online, every gate asks the server, whose presence table is shared by every checkpoint of a
zone, so a badge that entered at gate A is refused at gate B (decision.ALREADY_INSIDE). Offline,
each gate decides alone from its own picture and may let the same badge in twice (the badge was
passed back over a fence, or copied). When the gates upload, the server lays every accepted scan
of the badge in that zone, from every checkpoint, on one timeline and flags each entry made while
the badge was already inside: a *passback conflict*, shown to the security chief. Pure: plain
data in, the conflicts out; recomputed whole for each badge an upload touches, so a late upload
of an exit clears a conflict it explains, and the order in which gates upload does not matter.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Passage:
    """One accepted scan of one badge in one zone."""

    key: Hashable  # the scan's id
    at: datetime
    entry: bool  # False: an exit
    override: bool = False  # a supervisor let them in again knowingly: not a conflict


def conflicts(passages: Iterable[Passage]) -> dict:
    """Scan key of each conflicting entry -> key of the entry that had let the badge in."""
    found = {}
    inside_since = None
    for p in sorted(passages, key=lambda p: (p.at, str(p.key))):
        if not p.entry:
            inside_since = None
            continue
        if inside_since is not None and not p.override:
            found[p.key] = inside_since
        inside_since = p.key
    return found
