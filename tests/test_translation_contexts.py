"""Every translatable string that is ambiguous out of context carries a context.

A translator sees "Open" or "Status" alone in a catalogue: is "Open" a button, an issue's state
(fr ouvert / ouverte?), "Status" a delegation's or the treaty's? The words below are known to be
ambiguous when they are the whole string; each must be marked with `pgettext` /
`pgettext_lazy` / `{% translate "…" context "…" %}` / `{% blocktranslate context "…" %}`.
The list and why each word is on it: src/convene/locale/README.md ("Ambiguous words"). A word
added there is added here.
"""

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "convene"

# Whole strings, compared without case.
AMBIGUOUS = frozenset("""
open close closed order record present seat seats signature status state party parties
session table badge draft book may
entry exit chair minute minutes change check report lead live run runs start
approval acceptance accession ratification succession reception issue issues note made
print stage cue band reference
approved refused accepted declined cancelled resolved submitted nominated invited revoked
collected issued done failed ready finished running planned proposed rejected escalated overdue
low normal medium high critical valid
""".split())

# Apps being written in parallel (issues 13-15) adopt contexts when they are merged; remove
# each from this set once its strings are checked.
NOT_YET_CHECKED = frozenset()

_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(?P<q>["'])(?P<msg>.*?)(?P=q)(?P<rest>[^%]*)%\}""",
                  re.S)
_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)"
                    r"\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_NO_CONTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}


def template_strings(text: str):
    """(line, msgid, has_context) for each {% translate %} and {% blocktranslate %}."""
    for m in _TAG.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m["msg"], bool(
            re.search(r"\bcontext\b", m["rest"]))
    for m in _BLOCK.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m["body"].strip(), bool(
            re.search(r"\bcontext\b", m["args"]))


def python_strings(source: str):
    """(line, msgid, False) for each gettext call without a context (pgettext calls have one)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
        first = node.args[0]
        if name in _NO_CONTEXT and isinstance(first, ast.Constant) and isinstance(
                first.value, str):
            yield node.lineno, first.value, False


def ambiguous_without_context(root: Path = SRC) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] in NOT_YET_CHECKED or "migrations" in rel.parts:
            continue
        if path.suffix == ".html":
            strings = template_strings(path.read_text(encoding="utf-8"))
        elif path.suffix == ".py":
            strings = python_strings(path.read_text(encoding="utf-8"))
        else:
            continue
        for line, msg, has_context in strings:
            if not has_context and msg.strip().casefold() in AMBIGUOUS:
                found.append(f"{rel}:{line}: {msg!r}")
    return found


def test_no_ambiguous_word_is_translated_without_a_context():
    assert ambiguous_without_context() == []


def test_the_scanner_finds_what_it_must(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "page.html").write_text(
        '{% load i18n %}{% translate "Open" %} {% translate "Open" context "button" %}\n'
        "{% translate 'status' as s %} {% blocktranslate %}Draft{% endblocktranslate %}\n"
        '{% blocktranslate context "letter" %}Draft{% endblocktranslate %}'
        '{% translate "Open the file" %}', encoding="utf-8")
    (tmp_path / "app" / "models.py").write_text(
        'from django.utils.translation import gettext_lazy as _, pgettext_lazy\n'
        'A = _("Seat")\nB = pgettext_lazy("chair at a table", "Seat")\nC = _("Seat number")\n',
        encoding="utf-8")
    assert ambiguous_without_context(tmp_path) == [
        "app/models.py:2: 'Seat'", "app/page.html:1: 'Open'", "app/page.html:2: 'status'",
        "app/page.html:2: 'Draft'"]


def test_the_list_is_the_documented_one():
    readme = (SRC / "locale" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Ambiguous words", 1)[1].split("\n## ", 1)[0]
    documented = {w.casefold() for w in re.findall(r"`([^`\s]+)`", section)}
    assert AMBIGUOUS <= documented
