"""Reference entities (States and organisations) read from the CSV files under data/.

Why this exists: a UN treaty event must print a State's name the way the UN writes it, and
the UN's official short names differ from ISO 3166 and from CLDR (what browsers and babel
show): "Viet Nam", not "Vietnam"; "Türkiye"; "Republic of Korea", not "South Korea";
"Iran (Islamic Republic of)"; in French "République de Corée", not "Corée du Sud"; and so on.

So, for States:
  * English comes from data/un_member_states.csv and data/observer_states.csv (`un_name_en`,
    the name on the UN Member States page / UNTERM);
  * the other five UN languages come from CLDR via babel, corrected by the reviewed table
    data/un_name_overrides.csv wherever the UN's name differs from CLDR's.
Organisations carry their own names in data/organisations.csv.

data/SOURCES.md says where each file comes from and how to update it. This module has no
Django imports: convene.directory.services loads its result into the database.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale

UN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")

MEMBER_STATES_FILE = "un_member_states.csv"
OBSERVER_STATES_FILE = "observer_states.csv"
ORGANISATIONS_FILE = "organisations.csv"
OVERRIDES_FILE = "un_name_overrides.csv"

ORGANISATION_KINDS = ("reio", "un_system", "igo")

# Our language key -> the CLDR locale babel should use ("zh" means Simplified Chinese).
_CLDR_LOCALE = {"zh": "zh_Hans"}

_ISO2 = re.compile(r"[A-Z]{2}")
_ISO3 = re.compile(r"[A-Z]{3}")
_M49 = re.compile(r"[0-9]{3}")


class ReferenceDataError(ValueError):
    """A reference CSV file is malformed; the message names the file and the line."""


@dataclass(frozen=True)
class ReferenceEntity:
    code: str  # ISO 3166 alpha-3 for States, the organisation's code otherwise
    kind: str  # "member_state" | "observer_state" | "reio" | "un_system" | "igo"
    name_en: str  # UN official English short name
    names: dict[str, str] = field(hash=False)  # UN language -> name (all six for States)
    iso2: str = ""
    acronym: str = ""
    source: str = ""


def data_dir() -> Path:
    """The repository's data/ folder, or $CONVENE_DATA_DIR when set."""
    override = os.environ.get("CONVENE_DATA_DIR")
    if override:
        return Path(override)
    # src/convene/directory/reference.py -> parents[3] is the repository root
    return Path(__file__).resolve().parents[3] / "data"


_default_data_dir = data_dir  # load_reference_entities' parameter shadows the name


def load_reference_entities(data_dir: Path | None = None) -> list[ReferenceEntity]:
    """Member States, then observer States, then organisations, each in file order."""
    folder = Path(data_dir) if data_dir is not None else _default_data_dir()
    seen: dict[str, str] = {}  # code -> "file:line" where it was first defined

    states: list[tuple[str, dict[str, str]]] = []  # (kind, row)
    for kind, filename in (("member_state", MEMBER_STATES_FILE),
                           ("observer_state", OBSERVER_STATES_FILE)):
        for where, row in _rows(folder / filename,
                                required=("iso3", "iso2", "m49", "un_name_en"),
                                optional=("admission_date",)):
            _check_state(row, where)
            _claim(seen, row["iso3"], where)
            states.append((kind, row))

    iso2_by_iso3 = {row["iso3"]: row["iso2"] for _, row in states}
    overrides = _load_overrides(folder / OVERRIDES_FILE, iso2_by_iso3)

    entities = [
        ReferenceEntity(
            code=row["iso3"],
            kind=kind,
            name_en=row["un_name_en"],
            names=_state_names(row["iso2"], row["un_name_en"], overrides.get(row["iso3"], {})),
            iso2=row["iso2"],
        )
        for kind, row in states
    ]

    org_names = tuple(f"name_{lang}" for lang in UN_LANGUAGES if lang != "en")
    for where, row in _rows(folder / ORGANISATIONS_FILE,
                            required=("code", "kind", "name_en"),
                            optional=("acronym", *org_names, "source")):
        if row["kind"] not in ORGANISATION_KINDS:
            raise ReferenceDataError(
                f"{where}: kind {row['kind']!r} is not one of {', '.join(ORGANISATION_KINDS)}")
        _claim(seen, row["code"], where)
        names = {"en": row["name_en"]}
        names.update({lang: row[f"name_{lang}"] for lang in UN_LANGUAGES
                      if lang != "en" and row[f"name_{lang}"]})
        entities.append(ReferenceEntity(code=row["code"], kind=row["kind"],
                                        name_en=row["name_en"], names=names,
                                        acronym=row["acronym"], source=row["source"]))
    return entities


def cldr_name(iso2: str, lang: str) -> str:
    """CLDR's name for a territory in one of the UN languages ("" if CLDR has none)."""
    return _locale(lang).territories.get(iso2, "")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_CLDR_LOCALE.get(lang, lang))


def _state_names(iso2: str, name_en: str, overrides: dict[str, str]) -> dict[str, str]:
    names = {}
    for lang in UN_LANGUAGES:
        fallback = name_en if lang == "en" else (cldr_name(iso2, lang) or name_en)
        names[lang] = overrides.get(lang) or fallback
    return names


def _load_overrides(path: Path, iso2_by_iso3: dict[str, str]) -> dict[str, dict[str, str]]:
    overrides: dict[str, dict[str, str]] = {}
    for where, row in _rows(path, required=("iso3", "lang", "name"), optional=("source",)):
        iso3, lang = row["iso3"], row["lang"]
        if iso3 not in iso2_by_iso3:
            raise ReferenceDataError(f"{where}: override for unknown State {iso3!r}")
        if lang not in UN_LANGUAGES:
            raise ReferenceDataError(
                f"{where}: language {lang!r} is not one of {', '.join(UN_LANGUAGES)}")
        if lang in overrides.setdefault(iso3, {}):
            raise ReferenceDataError(f"{where}: duplicate override for {iso3}/{lang}")
        overrides[iso3][lang] = row["name"]
    return overrides


def _check_state(row: dict[str, str], where: str) -> None:
    for column, pattern, what in (("iso3", _ISO3, "3 uppercase letters"),
                                  ("iso2", _ISO2, "2 uppercase letters"),
                                  ("m49", _M49, "3 digits")):
        if not pattern.fullmatch(row[column]):
            raise ReferenceDataError(f"{where}: {column} {row[column]!r} must be {what}")
    if row["admission_date"]:
        try:
            date.fromisoformat(row["admission_date"])
        except ValueError:
            raise ReferenceDataError(
                f"{where}: admission_date {row['admission_date']!r} is not YYYY-MM-DD"
            ) from None


def _claim(seen: dict[str, str], code: str, where: str) -> None:
    if code in seen:
        raise ReferenceDataError(f"{where}: duplicate code {code!r} (first at {seen[code]})")
    seen[code] = where


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()):
    """Yield ("file:line", row) with every value stripped; required values must be non-empty."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise ReferenceDataError(f"{path}: file not found") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in (*required, *optional) if c not in header]
        if missing:
            raise ReferenceDataError(f"{path.name}:1: missing column(s) {', '.join(missing)}")
        for raw in reader:
            where = f"{path.name}:{reader.line_num}"
            if None in raw or None in raw.values():
                raise ReferenceDataError(f"{where}: expected {len(header)} fields")
            row = {key: value.strip() for key, value in raw.items()}
            empty = [c for c in required if not row[c]]
            if empty:
                raise ReferenceDataError(f"{where}: empty required column(s) {', '.join(empty)}")
            yield where, row
