"""A status table in CSV or XLSX (one participant per row, like the UN Treaty Collection's):
reading it and checking every row against the same rules as one-by-one entry.

The rule a treaty officer relies on: every faulty row is reported with its line and column, and
a file with any faulty row changes nothing (the service saves all rows or none).

Columns (the header names them, in any order; the export writes the same):
  code or participant   the participant: its code (VNM, EU) or its UN English name
  signature             date of signature: 2025-10-25 or 25 Oct 2025
  signature_place       optional: the signature period of that date decides where it was
  signatory, capacity   optional; capacity: head_of_state, head_of_government,
                        foreign_minister or other
  instrument            date of deposit, optionally followed by the UNTC mark: "3 Mar 2026 a"
  kind                  optional: ratification, acceptance, approval, accession, succession,
                        or the UNTC mark (A, AA, a, d); none means ratification
  entry_into_force, declarations   written by the export; ignored on import
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from convene.core.uploads import UploadRefused, read_sheet
from convene.treaty import depositary_rules as rules
from convene.treaty.depositary_rules import Participant, Refused
from convene.treaty.final_clauses import REIO, FinalClauses

MAX_ROWS = 400
COLUMNS = ("code", "participant", "signature", "signature_place", "signatory", "capacity",
           "instrument", "kind")
READ_ONLY = ("entry_into_force", "declarations")
CAPACITIES = ("head_of_state", "head_of_government", "foreign_minister", "other")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    line: int  # as in a spreadsheet: the header is line 1
    field: str
    message: str


@dataclass(frozen=True)
class Known:
    """An entity the file may name: from the directory."""

    code: str
    name: str
    kind: str  # STATE, REIO or other


@dataclass
class SignatureRow:
    signed_on: date
    place: str
    signatory_name: str
    capacity: str


@dataclass
class InstrumentRow:
    kind: str
    deposited_on: date


@dataclass
class TableRow:
    line: int
    code: str
    signature: SignatureRow | None = None  # None: nothing new to record
    instrument: InstrumentRow | None = None


@dataclass
class CheckedTable:
    rows: list[TableRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0  # rows that repeat what the record already holds


def read_table(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """A CSV or XLSX file, decided by its content and bounded (convene.core.uploads)."""
    try:
        table = read_sheet(content)
    except UploadRefused as exc:
        raise ImportFileError(exc.message) from None
    if not table or not any(c.strip() for c in table[0]):
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lower().replace(" ", "_") for h in table[0]]
    if not {"code", "participant"} & set(header):
        raise ImportFileError(_("The first row must name the columns, with “code” or "
                                "“participant” among them."))
    unknown = [h for h in header if h and h not in COLUMNS + READ_ONLY]
    if unknown:
        raise ImportFileError(_("Unknown column(s): %(cols)s. Allowed: %(allowed)s.")
                              % {"cols": ", ".join(unknown), "allowed": ", ".join(COLUMNS)})
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {h: c.strip() for h, c in zip(header, cells, strict=False)
                  if h and h not in READ_ONLY}
        if any(values.values()):
            rows.append((line, values))
    if not rows:
        raise ImportFileError(_("The file has no participants in it."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})
    return rows


def parse_date(text: str) -> date:
    """2025-10-25, or as the UN Treaty Collection writes dates: 25 Oct 2025, 25 October 2025."""
    text = " ".join(text.split())
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", text)
    if m and m.group(2)[:3].lower() in _MONTHS:
        try:
            return date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
        except ValueError:
            pass
    raise ValueError(text)


def _split_instrument(text: str) -> tuple[str, str]:
    """ "3 Mar 2026 a" -> ("3 Mar 2026", "a"): the UNTC writes the kind's mark after the date."""
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and parts[1] in ("A", "AA", "a", "d"):
        return parts[0], parts[1]
    return text, ""


def _kind(clauses: FinalClauses, text: str) -> str | None:
    if not text:
        return "ratification" if clauses.instrument_kind("ratification") else None
    by_mark = clauses.instrument_kind_by_mark(text)
    if by_mark is not None:
        return by_mark.code
    word = text.strip().lower()
    return word if clauses.instrument_kind(word) else None


def check_rows(rows: list[tuple[int, dict[str, str]]], *, clauses: FinalClauses,
               known: dict[str, Known], record: dict[str, Participant],
               reio_members: dict[str, frozenset[str]], concluded_on: date,
               today: date) -> CheckedTable:
    """Check every row; `known` maps lower-cased codes and English names to entities, `record`
    maps codes to what the depositary's record already holds."""
    out = CheckedTable()
    seen: dict[str, int] = {}
    parsed: list[tuple[TableRow, Participant]] = []
    for line, values in rows:
        errors: list[RowError] = []
        entity = _participant(values, known, line, errors)
        if entity is not None and entity.code in seen:
            errors.append(RowError(line, "code", _("%(name)s is already on line %(l)d.")
                                   % {"name": entity.name, "l": seen[entity.code]}))
        row = TableRow(line, entity.code if entity else "")
        if entity is not None:
            seen.setdefault(entity.code, line)
        sig = _signature_cells(values, clauses, line, errors)
        ins = _instrument_cells(values, clauses, line, errors)
        if not errors and sig is None and ins is None:
            errors.append(RowError(line, "signature", _("The row has neither a signature nor an "
                                                         "instrument.")))
        if errors:
            out.errors.extend(errors)
            continue
        row.signature, row.instrument = sig, ins
        parsed.append((row, record.get(entity.code, Participant(entity.name, entity.kind))))

    # What the record will hold once the file is in: for the REIO rules, a member State's
    # signature or deposit in the same file counts as much as one already recorded.
    signed = {c: p.signed_on for c, p in record.items() if p.signed_on}
    deposited = {c: p.deposited_on for c, p in record.items() if p.deposited_on}
    for row, _p in parsed:
        if row.signature:
            signed.setdefault(row.code, row.signature.signed_on)
        if row.instrument:
            deposited.setdefault(row.code, row.instrument.deposited_on)

    for row, before in parsed:
        errors: list[RowError] = []
        members = reio_members.get(row.code, frozenset()) if before.kind == REIO else ()
        sig, ins = row.signature, row.instrument
        participant = before
        if sig is not None:
            if before.signed_on == sig.signed_on:
                row.signature = None  # already recorded as such
            else:
                try:
                    sig.place = rules.check_signature(
                        clauses, before, signed_on=sig.signed_on,
                        place=sig.place or _period_place(clauses, sig.signed_on),
                        capacity=sig.capacity,
                        # A status table records signatures the depositary has accepted, full
                        # powers included; it is not where full powers are checked.
                        full_powers_checked=True, today=today,
                        member_signatures=[signed[m] for m in members if m in signed])
                except Refused as exc:
                    errors.append(RowError(row.line, _column(exc.field, "signature"),
                                           exc.message))
            participant = Participant(before.name, before.kind, sig.signed_on,
                                      before.instrument_kind, before.deposited_on)
        if ins is not None:
            if before.instrument_kind == ins.kind and before.deposited_on == ins.deposited_on:
                row.instrument = None
            else:
                try:
                    rules.check_instrument(
                        clauses, participant, kind=ins.kind, deposited_on=ins.deposited_on,
                        today=today, concluded_on=concluded_on,
                        member_deposits=[deposited[m] for m in members if m in deposited])
                except Refused as exc:
                    errors.append(RowError(row.line, _column(exc.field, "instrument"),
                                           exc.message))
        if errors:
            out.errors.extend(errors)
        elif row.signature is None and row.instrument is None:
            out.unchanged += 1
        else:
            out.rows.append(row)
    out.errors.sort(key=lambda e: e.line)
    return out


def _column(field_name: str | None, default: str) -> str:
    return {"entity": "code", "signed_on": "signature", "place": "signature_place",
            "deposited_on": "instrument", "kind": "kind",
            "full_powers_checked": "capacity"}.get(field_name or "", default)


def _period_place(clauses: FinalClauses, day: date) -> str:
    period = clauses.period_on(day)
    return period.place if period else ""


def _participant(values: dict, known: dict[str, Known], line: int,
                 errors: list[RowError]) -> Known | None:
    code, name = values.get("code", ""), values.get("participant", "")
    column = "code" if code else "participant"
    wanted = code or name
    if not wanted:
        errors.append(RowError(line, column, _("Name the participant.")))
        return None
    entity = known.get(wanted.casefold())
    if entity is None:
        errors.append(RowError(line, column, _("Unknown participant “%(v)s”.") % {"v": wanted}))
        return None
    if code and name and known.get(name.casefold()) not in (None, entity):
        errors.append(RowError(line, "participant", _("“%(name)s” is not %(code)s.")
                               % {"name": name, "code": code}))
    return entity


def _signature_cells(values: dict, clauses: FinalClauses, line: int,
                     errors: list[RowError]) -> SignatureRow | None:
    text = values.get("signature", "")
    extra = [values.get(k, "") for k in ("signature_place", "signatory", "capacity")]
    if not text:
        if any(extra):
            errors.append(RowError(line, "signature", _("Give the date of signature.")))
        return None
    try:
        signed_on = parse_date(text)
    except ValueError:
        errors.append(RowError(line, "signature", _("Write the date as 2025-10-25 or 25 Oct "
                                                    "2025.")))
        return None
    place_text = values.get("signature_place", "")
    place = ""
    if place_text:
        place = clauses.match_place(place_text) or ""
        if not place:
            errors.append(RowError(line, "signature_place",
                                   _("Unknown place “%(v)s”; the treaty was open for signature "
                                     "at: %(places)s.")
                                   % {"v": place_text, "places": "; ".join(clauses.places)}))
    capacity = values.get("capacity", "").strip().lower().replace(" ", "_") or "other"
    if capacity not in CAPACITIES:
        errors.append(RowError(line, "capacity", _("Write one of: %(c)s.")
                               % {"c": ", ".join(CAPACITIES)}))
    return SignatureRow(signed_on, place, values.get("signatory", ""), capacity)


def _instrument_cells(values: dict, clauses: FinalClauses, line: int,
                      errors: list[RowError]) -> InstrumentRow | None:
    text, kind_text = values.get("instrument", ""), values.get("kind", "")
    if not text:
        if kind_text:
            errors.append(RowError(line, "instrument", _("Give the date of deposit.")))
        return None
    date_text, mark = _split_instrument(text)
    try:
        deposited_on = parse_date(date_text)
    except ValueError:
        errors.append(RowError(line, "instrument", _("Write the date as 2026-03-03 or 3 Mar "
                                                     "2026, optionally followed by A, AA, a "
                                                     "or d.")))
        return None
    kind = _kind(clauses, kind_text or mark)
    if kind is None:
        errors.append(RowError(line, "kind", _("Unknown kind “%(v)s”.") % {"v": kind_text}))
        return None
    if mark and kind_text and _kind(clauses, mark) != kind:
        errors.append(RowError(line, "kind", _("The mark “%(m)s” after the date says another "
                                               "kind.") % {"m": mark}))
        return None
    return InstrumentRow(kind, deposited_on)
