"""Helpers for tests that start real `convene` processes against a database of their own."""

import os
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from dataclasses import dataclass
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


@dataclass
class Database:
    """A database of the test database's kind, outside the test's own transaction."""

    url: str
    vendor: str
    params: dict

    def query(self, sql: str, *args):
        """Rows of one query, on a connection of its own (what the other processes see)."""
        if self.vendor == "sqlite":
            con = sqlite3.connect(self.params["path"], timeout=20)
            try:
                return con.execute(sql.replace("%s", "?"), args).fetchall()
            finally:
                con.close()
        import psycopg

        with psycopg.connect(**self.params, autocommit=True) as con:
            return con.execute(sql, args).fetchall()

    def scalar(self, sql: str, *args):
        return self.query(sql, *args)[0][0]

    def drop(self) -> None:
        if self.vendor != "sqlite":
            with connection.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{self.params["dbname"]}" WITH (FORCE)')


def empty_database(tmp_path: Path) -> Database:
    """A new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        path = tmp_path / f"empty-{uuid.uuid4().hex[:8]}.sqlite3"
        return Database(f"sqlite:///{path}", "sqlite", {"path": str(path)})
    name = f"convene_empty_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    options = db.get("OPTIONS", {})
    host = db.get("HOST") or options.get("host", "")
    port = db.get("PORT") or options.get("port", "")
    user = db.get("USER") or ""
    with connection.cursor() as cur:  # autocommit: CREATE DATABASE runs outside a transaction
        cur.execute(f'CREATE DATABASE "{name}"')
    return Database(f"postgres://{user}@/{name}?host={host}&port={port}", "postgresql",
                    {"dbname": name, "host": host, "port": port, "user": user})


def run_python(env: dict, body: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a snippet of Python with Django set up on the environment's database."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=REPO)


def python_process(env: dict, body: str, log) -> subprocess.Popen:
    script = "import django\ndjango.setup()\n" + textwrap.dedent(body)
    return subprocess.Popen([sys.executable, "-c", script], env=env, stdout=log, stderr=log,
                            cwd=REPO)
