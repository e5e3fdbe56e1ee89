"""One-file backups of a Convene installation, and their restore (docs/operations.md).

An archive is an uncompressed tar file with four parts:

    manifest.json      what the archive is: versions, the database, the SHA-256 of each part
    database.sqlite3   SQLite: a copy made with SQLite's online backup API (consistent while
                       the platform keeps running), or
    database.pgdump    PostgreSQL: `pg_dump -Fc` (custom format, compressed, for pg_restore)
    media.tar          the uploaded files (MEDIA_ROOT: photos, badge PDFs, documents)
    secrets.tar.age    the signing keys and the other secrets under CONVENE_VAR_DIR (badge
                       keys, the generated secret key), encrypted with a passphrase in the age
                       format (age-encryption.org/v1, scrypt; the `pyrage` binding of rage)

The encrypted part also holds a *seal*: the SHA-256 of the manifest's contents and of every
other part. age encryption is authenticated, so no one without the passphrase can forge the
seal: a restore that finds a part, or the manifest, different from what the seal says refuses,
even when whoever altered it also rewrote the manifest's hashes. Restore checks everything
before it changes anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = "convene-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
SECRETS = "secrets.tar.age"
SEAL = "seal.json"
DATABASE_PART = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PASSPHRASE_ENV = "CONVENE_BACKUP_PASSPHRASE"
MIN_PASSPHRASE = 12
# A key or a secret is a few hundred bytes; anything larger under CONVENE_VAR_DIR (a stray
# archive, a log) is not a secret and is left out of the encrypted part (and named in the
# manifest), so that a backup never swallows the previous one.
MAX_SECRET_FILE = 1024 * 1024
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


# --- helpers ---------------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: CONVENE_PG_BIN if set, else the newest /usr/lib/postgresql/*/bin
    (Debian's layout, as scripts/with-postgres.sh uses), else the PATH."""
    if explicit := os.environ.get("CONVENE_PG_BIN"):
        return str(Path(explicit) / name)
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs or set "
                          "CONVENE_PG_BIN to the directory that holds them.")
    return found


def pg_environment() -> dict[str, str]:
    """The connection of the default database as libpq variables: nothing in argv (a password
    on a command line is visible to every user of the machine)."""
    db = connection.settings_dict
    options = db.get("OPTIONS", {})
    values = {
        "PGDATABASE": db.get("NAME") or "",
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGHOST": db.get("HOST") or options.get("host") or "",
        "PGPORT": str(db.get("PORT") or options.get("port") or ""),
        "PGSSLMODE": options.get("sslmode", ""),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: v for k, v in values.items() if v})
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def vendor() -> str:
    if connection.vendor not in DATABASE_PART:
        raise BackupError(f"backups of a {connection.vendor} database are not supported")
    return connection.vendor


def database_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"PostgreSQL {cur.fetchone()[0]}"


def applied_migrations() -> dict[str, str]:
    """The last applied migration of each app, as the manifest records it."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    if not MigrationRecorder(connection).has_table():
        return latest
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by(
            "app", "name"):
        latest[app] = name
    return latest


def secret_roots() -> dict[str, Path]:
    """Where the secrets live: CONVENE_VAR_DIR, and the badge-key directory when it is
    elsewhere (production mounts it from a secret store)."""
    from convene.accreditation.keys import key_dir

    var = Path(settings.VAR_DIR).resolve()
    roots = {"var": var}
    keys = key_dir().resolve()
    if var not in keys.parents and keys != var:
        roots["badge-keys"] = keys
    return roots


def _excluded_from_secrets(path: Path, skip: list[Path]) -> bool:
    return any(path == s or s in path.parents for s in skip)


def _skip_paths(out: Path | None = None) -> list[Path]:
    """Under VAR_DIR but not secrets: the uploads (their own part), the SQLite database and its
    journals (the database part), earlier backups, and the file being written."""
    skip = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.VAR_DIR).resolve() / "backups"]
    db = connection.settings_dict
    if connection.vendor == "sqlite" and str(db.get("NAME", "")) not in ("", ":memory:"):
        name = Path(str(db["NAME"])).resolve()
        skip += [name, *(name.with_name(name.name + s) for s in ("-wal", "-shm", "-journal"))]
    if out is not None:
        skip += [out.resolve(), out.resolve().with_name(out.name + ".partial")]
    return skip


def _add_tree(tar: tarfile.TarFile, root: Path, arcroot: str, skip: list[Path],
              max_bytes: int | None = None, left_out: list[str] | None = None) -> int:
    """Add the regular files under root (symlinks are not followed); return how many."""
    count = 0
    if not root.exists():
        return 0
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not _excluded_from_secrets(here / d, skip))
        for name in sorted(filenames):
            path = here / name
            if _excluded_from_secrets(path, skip) or not path.is_file() or path.is_symlink():
                continue
            if max_bytes is not None and path.stat().st_size > max_bytes:
                if left_out is not None:
                    left_out.append(f"{arcroot}/{path.relative_to(root).as_posix()}")
                continue
            tar.add(path, arcname=f"{arcroot}/{path.relative_to(root).as_posix()}",
                    recursive=False)
            count += 1
    return count


# --- backup ----------------------------------------------------------------------------------
def _dump_database(kind: str, target: Path) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        # The online backup API copies a consistent snapshot page by page while others keep
        # reading and writing (https://www.sqlite.org/backup.html).
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
    else:
        _run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}"], pg_environment(), "pg_dump")


def _encrypt(data: bytes, passphrase: str) -> bytes:
    from pyrage import passphrase as age_passphrase

    return age_passphrase.encrypt(data, passphrase)


def _decrypt(data: bytes, passphrase: str) -> bytes:
    import pyrage
    from pyrage import passphrase as age_passphrase

    try:
        return age_passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError:
        raise BackupError("the passphrase is wrong, or the encrypted part of the archive was "
                          "altered; nothing was restored") from None


def _seal_of(manifest: dict) -> dict:
    return {"manifest_sha256": hashlib.sha256(_canonical(manifest)).hexdigest(),
            "parts": {name: part["sha256"] for name, part in manifest["parts"].items()
                      if name != SECRETS}}


def _canonical(manifest: dict) -> bytes:
    """The manifest without the secrets part's own entry (which cannot hash itself)."""
    body = {**manifest, "parts": {k: v for k, v in manifest["parts"].items() if k != SECRETS}}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class BackupSummary:
    path: Path
    manifest: dict


def create_backup(out: Path, passphrase: str) -> BackupSummary:
    """Write one archive to `out` (atomically: a half-written file is never left under that
    name). The passphrase encrypts the secrets part."""
    check_passphrase(passphrase)
    kind = vendor()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="convene-backup-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        db_part = DATABASE_PART[kind]
        _dump_database(kind, work / db_part)

        skip = _skip_paths(out)
        with tarfile.open(work / MEDIA, "w", format=tarfile.PAX_FORMAT) as tar:
            media_files = _add_tree(tar, Path(settings.MEDIA_ROOT).resolve(), "media", [])

        from convene.audit.models import AuditEvent

        versions = {"convene": _version("convene"), "django": _version("Django"),
                    "python": platform.python_version(), "database": database_version(),
                    "pyrage": _version("pyrage")}
        if kind == "postgresql":
            versions["pg_dump"] = _run([pg_binary("pg_dump"), "--version"], os.environ.copy(),
                                       "pg_dump --version").strip()
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "versions": versions,
            "database": {"vendor": kind, "part": db_part, "migrations": applied_migrations()},
            "counts": {"audit_events": AuditEvent.objects.count(), "media_files": media_files},
            "encryption": "age v1 (scrypt passphrase), https://age-encryption.org/v1",
            "parts": {},
        }
        for name in (db_part, MEDIA):
            manifest["parts"][name] = {"sha256": sha256_file(work / name),
                                       "bytes": (work / name).stat().st_size}

        inner = io.BytesIO()
        secret_files, left_out = 0, []
        with tarfile.open(fileobj=inner, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for arcroot, root in secret_roots().items():
                secret_files += _add_tree(tar, root, arcroot, skip, MAX_SECRET_FILE, left_out)
            manifest["counts"]["secret_files"] = secret_files
            manifest["left_out_of_secrets"] = left_out
            seal = json.dumps(_seal_of(manifest), sort_keys=True).encode()
            info = tarfile.TarInfo(SEAL)
            info.size, info.mtime, info.mode = len(seal), int(datetime.now(UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(seal))
        (work / SECRETS).write_bytes(_encrypt(inner.getvalue(), passphrase))
        manifest["parts"][SECRETS] = {"sha256": sha256_file(work / SECRETS),
                                      "bytes": (work / SECRETS).stat().st_size}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")

        partial = out.with_name(out.name + ".partial")
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w",
                                                      format=tarfile.PAX_FORMAT) as tar:
            for name in (MANIFEST, db_part, MEDIA, SECRETS):
                tar.add(work / name, arcname=name, recursive=False)
        os.replace(partial, out)
    return BackupSummary(out, manifest)


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")


# --- restore ---------------------------------------------------------------------------------
@dataclass
class Verified:
    """An archive unpacked to a private temporary directory and checked end to end."""

    work: Path
    manifest: dict
    db_part: str
    secrets: bytes  # the decrypted inner tar


def _unpack(archive: Path, work: Path) -> dict:
    try:
        tar = tarfile.open(archive, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} is not a Convene backup archive ({exc})") from None
    with tar:
        members = tar.getmembers()
        allowed = {MANIFEST, MEDIA, SECRETS, *DATABASE_PART.values()}
        names = [m.name for m in members]
        if MANIFEST not in names:
            raise BackupError(f"{archive} has no manifest: not a Convene backup archive")
        for m in members:
            if m.name not in allowed or not m.isfile() or names.count(m.name) > 1:
                raise BackupError(f"the archive holds an unexpected entry {m.name!r}: it was "
                                  "altered or is not a Convene backup; nothing was restored")
            tar.extract(m, work, filter="data")
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError("the manifest is not valid JSON: the archive is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Convene backup archive (wrong format in the manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"archive format version {manifest.get('format_version')} is not "
                          f"supported by this version of Convene (it reads {FORMAT_VERSION})")
    return manifest


def verify_archive(archive: Path, passphrase: str, work: Path) -> Verified:
    """Check an archive completely; raise BackupError naming the first problem."""
    manifest = _unpack(Path(archive), work)
    parts = manifest.get("parts") or {}
    database = manifest.get("database")
    db_part = database.get("part", "") if isinstance(database, dict) else ""
    expected = {db_part, MEDIA, SECRETS}
    if not isinstance(parts, dict) or set(parts) != expected or (
            db_part not in DATABASE_PART.values()) or not all(
            isinstance(p, dict) for p in parts.values()):
        raise BackupError("the manifest does not list the expected parts: the archive was "
                          "altered; nothing was restored")
    for name, part in parts.items():
        path = work / name
        if not path.exists():
            raise BackupError(f"the part {name} is missing from the archive; nothing was restored")
        if sha256_file(path) != part.get("sha256"):
            raise BackupError(f"the part {name} does not match its SHA-256 in the manifest: the "
                              "archive is damaged or was altered; nothing was restored")
    inner = _decrypt((work / SECRETS).read_bytes(), passphrase)
    try:
        with tarfile.open(fileobj=io.BytesIO(inner), mode="r:") as tar:
            seal_member = tar.extractfile(SEAL)
            seal = json.loads(seal_member.read()) if seal_member else None
    except (tarfile.TarError, KeyError, ValueError):
        seal = None
    if seal != _seal_of(manifest):
        raise BackupError("the archive's contents do not match its encrypted seal: the manifest "
                          "or a part was altered after the backup; nothing was restored")
    return Verified(work, manifest, db_part, inner)


def check_archive(archive: Path, passphrase: str) -> dict:
    """Verify an archive end to end (as a restore would) without restoring anything."""
    with tempfile.TemporaryDirectory(prefix="convene-check-") as tmp:
        os.chmod(tmp, 0o700)
        return verify_archive(Path(archive), passphrase, Path(tmp)).manifest


def target_has_tables() -> bool:
    return bool(connection.introspection.table_names())


def _restore_database(kind: str, dump: Path, replace: bool) -> None:
    if kind == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # One step: the target is replaced whole, under SQLite's lock, or not at all.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
    else:
        args = [pg_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction"]
        if replace:
            args += ["--clean", "--if-exists"]
        connection.close()
        env = pg_environment()
        _run([*args, f"--dbname={env.get('PGDATABASE', '')}", str(dump)], env, "pg_restore")


def _members_under(tar: tarfile.TarFile, arcroot: str) -> list[tarfile.TarInfo]:
    out = []
    for m in tar.getmembers():
        if m.name == SEAL:
            continue
        if not (m.isfile() or m.isdir()):
            raise BackupError(f"the archive holds a link or device {m.name!r}; refused")
        if m.name.split("/", 1)[0] == arcroot:
            out.append(m)
    return out


def _extract_under(tar: tarfile.TarFile, arcroot: str, root: Path, mode: int | None) -> int:
    members = _members_under(tar, arcroot)
    if not members:
        return 0
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    for m in members:
        rel = m.name.split("/", 1)[1] if "/" in m.name else ""
        if not rel:
            continue
        m = m.replace(name=rel)
        tar.extract(m, root, filter="data")
        if mode is not None and m.isfile():
            os.chmod(root / rel, mode)
        count += m.isfile()
    return count


def restore_backup(archive: Path, passphrase: str, *, replace: bool = False) -> dict:
    """Restore an archive into the configured database, MEDIA_ROOT and CONVENE_VAR_DIR.

    Everything is checked first (hashes, passphrase, seal, database kind, an empty target
    unless `replace`); only then is anything written."""
    kind = vendor()
    with tempfile.TemporaryDirectory(prefix="convene-restore-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        verified = verify_archive(Path(archive), passphrase, work)
        manifest = verified.manifest
        source_kind = manifest["database"]["vendor"]
        if source_kind != kind:
            raise BackupError(f"this archive holds a {source_kind} database and this "
                              f"installation uses {kind}; nothing was restored")
        if not replace and target_has_tables():
            raise BackupError("the target database is not empty; restore into an empty "
                              "database, or pass --replace to overwrite it; nothing was restored")
        with tarfile.open(work / MEDIA, "r:") as media_tar, tarfile.open(
                fileobj=io.BytesIO(verified.secrets), mode="r:") as secrets_tar:
            # Refuse links and devices in either part before the first write.
            _members_under(media_tar, "media")
            _members_under(secrets_tar, "var")
            _restore_database(kind, work / verified.db_part, replace)
            media = _extract_under(media_tar, "media", Path(settings.MEDIA_ROOT), None)
            from convene.accreditation.keys import key_dir

            # Each root where this installation keeps it (the badge keys may live elsewhere
            # here than on the machine that made the backup).
            secrets = _extract_under(secrets_tar, "var", Path(settings.VAR_DIR), 0o600)
            secrets += _extract_under(secrets_tar, "badge-keys", key_dir(), 0o600)
            # Badge keys made before the restore must not shadow the restored ones.
            from convene.accreditation import keys

            keys._load.cache_clear()
    return {"database": manifest["database"]["vendor"], "media_files": media,
            "secret_files": secrets, "created_at": manifest["created_at"],
            "audit_events": manifest["counts"]["audit_events"]}
