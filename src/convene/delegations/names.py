"""How a person's name is written from its parts (a rule shared by pages and badges)."""

import unicodedata


def personal_name(given: str, family: str) -> str:
    """Given name then family name; family name first and without a space for Chinese,
    Japanese and Korean names, as they are written (李华, not 华 李)."""
    if family and _is_cjk(family[0]):
        return f"{family}{given}"
    return " ".join(p for p in (given, family) if p)


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))
