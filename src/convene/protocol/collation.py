"""Sorting names the way the United Nations sorts its lists of Member States.

The UN lists States in English alphabetical order of their official *short* names, as written
(ask.un.org/faq/14612; the seating rule of A/RES/71/323 para. 42 relies on the same order):

- accents do not count: "Côte d'Ivoire" sorts as "Cote d'Ivoire" (after Costa Rica, before
  Croatia) and "Türkiye" as "Turkiye" (after Tunisia, before Turkmenistan);
- nothing is inverted and no word is skipped: "Democratic Republic of the Congo" is under D,
  "Republic of Korea" and "Republic of Moldova" under R, "United Republic of Tanzania" under U;
  a qualifier in brackets stays where it is: "Iran (Islamic Republic of)" is under I,
  "Netherlands (Kingdom of the)" under N. The short names carry no leading article ("Bahamas",
  "Gambia (Republic of The)"), so there is none to drop;
- case, apostrophes, hyphens and brackets do not count: "Guinea-Bissau" after "Guinea".
"""

import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                       "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "þ": "th"})
_DROP = {"'", "’", "‘", "(", ")", ".", ",", "`"}


def fold(name: str) -> str:
    """The comparable form of a name: no accents, no case, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    letters = []
    for ch in decomposed:
        if unicodedata.combining(ch) or ch in _DROP:
            continue
        letters.append(" " if ch in "-–/" else ch)
    return " ".join("".join(letters).casefold().split())


def un_sort_key(name: str) -> tuple[str, str]:
    """Sort key for an English UN short name; the name itself breaks (theoretical) ties."""
    return (fold(name), name)
