"""Bulk nomination files (CSV or XLSX): reading them and checking every row.

The rule a focal point relies on: every faulty row is reported with its line number and
field, and a file with any faulty row changes nothing (the service saves all rows or none).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from convene.core.uploads import UploadRefused, read_sheet
from convene.delegations.forms import MEMBER_FIELDS, MemberForm
from convene.delegations.models import Rank

MAX_ROWS = 500
REQUIRED_COLUMNS = {"family_name"}
_TRUE = {"1", "yes", "y", "true", "x", "oui", "sí", "si", "да", "是", "نعم"}
_FALSE = {"", "0", "no", "n", "false", "non", "нет", "否", "لا"}
# A rank may be written as its code ("minister") or its English label ("Minister").
_RANKS = {r.value: r.value for r in Rank} | {str(r.label).lower(): r.value for r in Rank}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong format, no header, too many rows…)."""


@dataclass
class RowError:
    line: int  # as the person sees it in their spreadsheet: the header is line 1
    field: str
    message: str


@dataclass
class ParsedFile:
    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as (line number, {column: text}), blank rows left out.

    The kind of file is decided by its content, and its size, rows and columns are bounded
    (convene.core.uploads.read_sheet): `filename` decides nothing.
    """
    try:
        table = read_sheet(content)
    except UploadRefused as exc:
        raise ImportFileError(exc.message) from None
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [str(h or "").strip().lower().replace(" ", "_") for h in table[0]]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(cols)s.")
            % {"cols": ", ".join(sorted(missing))}
        )
    unknown = [h for h in header if h and h not in MEMBER_FIELDS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(cols)s. Allowed: %(allowed)s.")
            % {"cols": ", ".join(unknown), "allowed": ", ".join(MEMBER_FIELDS)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {h: ("" if c is None else str(c).strip())
                  for h, c in zip(header, cells, strict=False) if h}
        if any(values.values()):
            rows.append((line, values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("A file may hold at most %(n)d people.") % {"n": MAX_ROWS})
    return rows


def check_rows(rows: list[tuple[int, dict[str, str]]]) -> ParsedFile:
    """Validate every row with the same form as one-by-one nomination; collect all errors."""
    parsed = ParsedFile()
    for line, values in rows:
        data = dict(values)
        errors: list[RowError] = []
        rank = data.get("rank", "").strip().lower()
        if rank:
            if rank in _RANKS:
                data["rank"] = _RANKS[rank]
            else:
                errors.append(RowError(line, "rank", _("Unknown rank “%(v)s”.") % {"v": rank}))
                data.pop("rank")
        else:
            data["rank"] = Rank.OTHER
        is_head = data.get("is_head", "").strip().lower()
        if is_head in _TRUE:
            data["is_head"] = "on"
        elif is_head in _FALSE:
            data.pop("is_head", None)
        else:
            errors.append(RowError(line, "is_head", _("Write yes or no.")))
        form = MemberForm(data=data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                if name == "rank" and any(e.field == "rank" for e in errors):
                    continue
                errors.extend(RowError(line, name, m) for m in messages)
        if errors:
            parsed.errors.extend(errors)
        else:
            parsed.rows.append((line, form.cleaned_data))
    heads = [line for line, data in parsed.rows if data.get("is_head")]
    for line in heads[1:]:
        parsed.errors.append(RowError(line, "is_head",
                                      _("Only one head of delegation; line %(l)d is one already.")
                                      % {"l": heads[0]}))
    parsed.errors.sort(key=lambda e: e.line)
    return parsed
