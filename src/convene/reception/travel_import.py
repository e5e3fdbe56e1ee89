"""Arrivals and departures from a CSV or XLSX file: every faulty row reported with its line and
field, and a file with any faulty row changes nothing (as nominations are imported)."""

from dataclasses import dataclass, field
from datetime import date, time

from django.utils.translation import gettext as _

from convene.core.uploads import UploadRefused, read_sheet

COLUMNS = ["family_name", "given_name", "direction", "flight", "airline", "origin", "airport",
           "terminal", "date", "time", "time_zone", "baggage"]
REQUIRED = {"family_name", "direction", "flight", "airport", "date", "time"}
MAX_ROWS = 500


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class TravelRow:
    line: int
    member: object
    direction: str
    flight: str
    airline: str
    origin: str
    airport: object
    terminal: str
    day: date
    clock: time
    time_zone: str
    baggage: int


@dataclass
class Parsed:
    rows: list[TravelRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse(content: bytes, members, airports, default_tz: str) -> Parsed:
    """Check every row against the delegation's members and the event's airports."""
    import zoneinfo

    parsed = Parsed()
    try:
        table = read_sheet(content)
    except UploadRefused as exc:
        parsed.errors.append(RowError(0, "file", exc.message))
        return parsed
    if not table:
        parsed.errors.append(RowError(0, "file", _("The file is empty.")))
        return parsed
    header = [str(h or "").strip().lower().replace(" ", "_") for h in table[0]]
    missing = REQUIRED - set(header)
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        parsed.errors.append(RowError(1, "file", _(
            "Columns must be %(allowed)s; missing: %(missing)s; unknown: %(unknown)s.") % {
            "allowed": ", ".join(COLUMNS), "missing": ", ".join(sorted(missing)) or "—",
            "unknown": ", ".join(unknown) or "—"}))
        return parsed
    if len(table) - 1 > MAX_ROWS:
        parsed.errors.append(RowError(0, "file", _("At most %(n)d rows.") % {"n": MAX_ROWS}))
        return parsed
    by_name: dict[tuple[str, str], list] = {}
    for m in members:
        by_name.setdefault((m.family_name.lower(), ""), []).append(m)
        by_name.setdefault((m.family_name.lower(), m.given_name.lower()), []).append(m)
    codes = {a.code.lower(): a for a in airports}
    for line, cells in enumerate(table[1:], start=2):
        v = {h: ("" if c is None else str(c).strip())
             for h, c in zip(header, cells, strict=False) if h}
        if not any(v.values()):
            continue
        errors = []
        found = by_name.get((v["family_name"].lower(), v.get("given_name", "").lower()), [])
        if len(found) != 1:
            errors.append(RowError(line, "family_name", _(
                "No member of the delegation is called “%(name)s”.") % {"name": " ".join(
                    x for x in (v.get("given_name", ""), v["family_name"]) if x)}
                if not found else _("Several members have this name: add given_name.")))
        direction = v["direction"].lower()
        if direction not in ("arrival", "departure"):
            errors.append(RowError(line, "direction", _("Write arrival or departure.")))
        if not v["flight"]:
            errors.append(RowError(line, "flight", _("Give the flight number.")))
        airport = codes.get(v["airport"].lower())
        if airport is None:
            errors.append(RowError(line, "airport", _(
                "Unknown airport “%(code)s”; use one of %(codes)s.") % {
                "code": v["airport"], "codes": ", ".join(a.code for a in airports)}))
        try:
            day = date.fromisoformat(v["date"][:10])
        except ValueError:
            day = None
            errors.append(RowError(line, "date", _("Write the date as YYYY-MM-DD.")))
        try:
            clock = time.fromisoformat(v["time"][:5])
        except ValueError:
            clock = None
            errors.append(RowError(line, "time", _("Write the time as HH:MM.")))
        tz = v.get("time_zone") or default_tz
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(RowError(line, "time_zone", _("Unknown time zone “%(tz)s”.")
                                   % {"tz": tz}))
        baggage = v.get("baggage") or "0"
        if not baggage.isdigit():
            errors.append(RowError(line, "baggage", _("Write a number of pieces.")))
        if errors:
            parsed.errors += errors
            continue
        parsed.rows.append(TravelRow(line, found[0], direction, v["flight"].upper(),
                                     v.get("airline", ""), v.get("origin", ""), airport,
                                     v.get("terminal", ""), day, clock, tz, int(baggage)))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(0, "file", _("The file has no travellers in it.")))
    return parsed
