"""Helpers for tests that start real `convene` processes against a database of their own."""

import os
import sys
import uuid
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def convene_env(database_url: str, var_dir: Path, **extra) -> dict:
    """The environment of a `python -m convene …` subprocess: production settings, this
    database, this var directory (its media and badge keys under it)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CONVENE_MEDIA_ROOT", "CONVENE_BADGE_KEY_DIR", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=database_url, CONVENE_VAR_DIR=str(var_dir),
               DJANGO_SETTINGS_MODULE="convene.settings", PYTHONUNBUFFERED="1", **extra)
    return env


def convene_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "convene", *args]


def empty_database(tmp_path: Path) -> tuple[str, callable]:
    """A new, empty database of the same kind as the test database: (DATABASE_URL, drop)."""
    if connection.vendor == "sqlite":
        path = tmp_path / f"empty-{uuid.uuid4().hex[:8]}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    name = f"convene_empty_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    options = db.get("OPTIONS", {})
    host = db.get("HOST") or options.get("host", "")
    port = db.get("PORT") or options.get("port", "")
    with connection.cursor() as cur:  # autocommit: CREATE DATABASE runs outside a transaction
        cur.execute(f'CREATE DATABASE "{name}"')
    user = db.get("USER") or ""
    url = f"postgres://{user}@/{name}?host={host}&port={port}"

    def drop():
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop
