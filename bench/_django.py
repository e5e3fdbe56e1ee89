"""Set up Django on a fresh throwaway database for a benchmark (SQLite unless DATABASE_URL)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup() -> None:
    os.environ.setdefault("CONVENE_VAR_DIR", tempfile.mkdtemp(prefix="convene-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
