"""Figures in releases come from the data, not from typing.

A draft names a figure as a reference, `[[signatures]]`; the reviewer sees each reference's
live value and its source; publication freezes the value with the time it was read. Rendering
is a plain function of the text, the (frozen) values and the language: numbers and dates are
formatted per language with babel (CLDR), so "1 234" in French and "1,234" in English.
"""

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

REFERENCE = re.compile(r"\[\[([a-z_]+)\]\]")

# name -> (label, source): what the reviewer is shown beside each value.
FIGURES = {
    "signatures": ("Signatures so far", "Treaty record: signatures (depositary)"),
    "instruments": ("Instruments deposited",
                    "Treaty record: instruments of ratification, acceptance, approval or "
                    "accession in effect"),
    "instruments_needed": ("Instruments still needed for entry into force",
                           "Treaty record and Convention art. 65(1)"),
    "entry_into_force": ("Date of entry into force", "Treaty record and Convention art. 65"),
    "days_to_entry_into_force": ("Days to entry into force",
                                 "Treaty record and Convention art. 65"),
    "states_represented": ("States represented", "Delegations: States with a confirmed "
                                                 "delegation"),
    "heads_of_state": ("Heads of State or Government attending",
                       "Accreditation: approved principals"),
    "journalists": ("Journalists accredited", "Press: approved media accreditations"),
}


class UnknownFigure(ValueError):
    def __init__(self, names):
        super().__init__(", ".join(names))
        self.names = names


def references(text: str) -> list[str]:
    """The figures a text refers to, in order of first use."""
    seen = []
    for name in REFERENCE.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def check(text: str) -> None:
    unknown = [n for n in references(text) if n not in FIGURES]
    if unknown:
        raise UnknownFigure(unknown)


def _locale(language: str) -> str:
    return {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}.get(language, language.replace("-", "_"))


def format_value(value, language: str) -> str:
    locale = _locale(language)
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, date):
        return format_date(value, format="long", locale=locale)
    return format_decimal(value, locale=locale)


def render(text: str, values: dict, language: str) -> str:
    """The text with each reference replaced by its value, formatted for `language`."""
    return REFERENCE.sub(lambda m: format_value(values.get(m.group(1)), language), text)


@dataclass(frozen=True)
class Change:
    name: str
    published: object
    now: object


def changed(frozen: dict, live: dict) -> list[Change]:
    """The figures whose live value differs from the one frozen at publication."""
    return [Change(name, f["value"], live.get(name)) for name, f in sorted(frozen.items())
            if live.get(name) != f["value"]]
