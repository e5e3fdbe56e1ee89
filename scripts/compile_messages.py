"""Compile the translation catalogues (.po -> .mo) with babel, so no GNU gettext is needed."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "convene" / "locale"

for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=po_path.parts[-3])
    with po_path.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)  # fuzzy entries are left out, as msgfmt does
    print(f"compiled {po_path.relative_to(LOCALE.parents[2])}")
