"""`convene backup` and `convene restore`: one archive (database, uploads, encrypted keys),
restored into an empty database of the same kind (SQLite here, PostgreSQL under
scripts/with-postgres.sh), and refused whole when it was altered or the passphrase is wrong."""

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from convene.accreditation import keys
from convene.audit.models import AuditEvent
from convene.audit.services import record
from convene.core.backup import (
    MANIFEST,
    BackupError,
    create_backup,
    restore_backup,
)
from tests.field._processes import convene_cmd, convene_env, empty_database

PASSPHRASE = "a long passphrase for the tests"
PHOTO = b"\xff\xd8\xff\xe0 pretend photo bytes " * 50

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(tmp_path, settings, organiser, viet_nam):
    """A small installation: audit events, an uploaded file, two badge keys, a secret key."""
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    (var / "media" / "accreditation" / "photos").mkdir(parents=True)
    (var / "media" / "accreditation" / "photos" / "nguyen.jpg").write_bytes(PHOTO)
    (var / "secret_key").write_text("the-secret-key-of-this-installation")
    (var / "old-backup.tar").write_bytes(b"\0" * (2 * 1024 * 1024))  # not a secret
    keys.generate(var / "badge-keys")
    kid, _ = keys.generate(var / "badge-keys")
    for n in range(3):
        record(organiser, "test.backup", viet_nam, after={"n": n}, summary=f"event {n}")
    return {"var": var, "kid": kid}


def _archive(tmp_path) -> Path:
    out = tmp_path / "convene.tar"
    create_backup(out, PASSPHRASE)
    return out


def test_a_backup_restores_into_an_empty_database_and_the_audit_trail_verifies(
        installation, tmp_path):
    archive = _archive(tmp_path)
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(MANIFEST))
        secrets = tar.extractfile("secrets.tar.age").read()
    db_part = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert names == [MANIFEST, db_part, "media.tar", "secrets.tar.age"]
    assert manifest["versions"]["django"] and manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"]["audit_events"] == AuditEvent.objects.count() >= 3
    assert manifest["left_out_of_secrets"] == ["var/old-backup.tar"]
    # The keys are encrypted in the age format; no key material is readable in the archive.
    assert secrets.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert b"PRIVATE KEY" not in archive.read_bytes()

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONVENE_BACKUP_PASSPHRASE", PASSPHRASE)
        call_command("restore", str(archive), "--check", stdout=out)
    assert "archive intact" in out.getvalue()

    database = empty_database(tmp_path)
    target = tmp_path / "restored-var"
    env = convene_env(database.url, target, CONVENE_BACKUP_PASSPHRASE=PASSPHRASE)
    try:
        done = subprocess.run(convene_cmd("restore", str(archive)), env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        verify = subprocess.run(convene_cmd("audit", "verify"), env=env, capture_output=True,
                                text=True, timeout=120)
        assert verify.returncode == 0, verify.stderr
        assert f"audit trail intact: {AuditEvent.objects.count()} events" in verify.stdout
        # A second restore into what is now a full database is refused without --replace.
        again = subprocess.run(convene_cmd("restore", str(archive)), env=env,
                               capture_output=True, text=True, timeout=180)
        assert again.returncode == 1 and "not empty" in again.stderr
    finally:
        database.drop()
    assert (target / "media/accreditation/photos/nguyen.jpg").read_bytes() == PHOTO
    assert (target / "secret_key").read_text() == "the-secret-key-of-this-installation"
    assert not (target / "old-backup.tar").exists()
    restored_key = target / "badge-keys" / f"{installation['kid']}.pem"
    assert restored_key.read_bytes() == (installation["var"] / "badge-keys" /
                                         restored_key.name).read_bytes()
    assert restored_key.stat().st_mode & 0o777 == 0o600
    assert keys.current_key_id(target / "badge-keys") == installation["kid"]


def _rewrite(archive: Path, change) -> None:
    """Rewrite an archive, passing each part's bytes through change(name, data)."""
    with tarfile.open(archive) as tar:
        parts = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w") as tar:
        for name, data in parts:
            data = change(name, data)
            if data is None:
                continue
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _flip_media(name, data):
    return data[:600] + bytes([data[600] ^ 1]) + data[601:] if name == "media.tar" else data


def _state(var: Path):
    files = sorted((str(p.relative_to(var)), p.read_bytes()) for p in var.rglob("*")
                   if p.is_file())
    return AuditEvent.objects.count(), files


def _tamper(archive: Path, case: str) -> tuple[str, str]:
    """Alter a copy of the archive as `case` says; return (passphrase, expected message)."""
    if case == "wrong passphrase":
        return "not the passphrase at all", "passphrase is wrong"
    if case == "part altered":
        _rewrite(archive, _flip_media)
        return PASSPHRASE, "media.tar does not match its SHA-256"
    if case == "part and manifest altered":
        # Whoever alters a part can rewrite its hash in the manifest too; the encrypted seal
        # still tells.
        with tarfile.open(archive) as tar:
            media = tar.extractfile("media.tar").read()

        def change(name, data):
            if name == MANIFEST:
                manifest = json.loads(data)
                altered = _flip_media("media.tar", media)
                manifest["parts"]["media.tar"]["sha256"] = hashlib.sha256(altered).hexdigest()
                return json.dumps(manifest).encode()
            return _flip_media(name, data)

        _rewrite(archive, change)
        return PASSPHRASE, "do not match its encrypted seal"
    if case == "extra entry":
        with tarfile.open(archive, "a") as tar:
            info = tarfile.TarInfo("../../etc/cron.d/evil")
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))
        return PASSPHRASE, "unexpected entry"
    archive.write_bytes(b"hello, this is not a tar file" * 40)
    return PASSPHRASE, "not a Convene backup"


def test_a_tampered_archive_or_a_wrong_passphrase_is_refused_and_changes_nothing(
        installation, tmp_path):
    good = _archive(tmp_path)
    # Changed after the backup: a refused restore must not put the old file back.
    (installation["var"] / "media/accreditation/photos/nguyen.jpg").write_bytes(b"changed")
    before = _state(installation["var"])
    for case in ["wrong passphrase", "part altered", "part and manifest altered", "extra entry",
                 "not an archive"]:
        archive = tmp_path / f"{case}.tar"
        archive.write_bytes(good.read_bytes())
        passphrase, expected = _tamper(archive, case)
        with pytest.raises(BackupError, match=expected):
            # Even with --replace, on the live installation: the checks come before any write.
            restore_backup(archive, passphrase, replace=True)
        assert _state(installation["var"]) == before, case


def test_the_passphrase_never_comes_from_the_command_line(installation, tmp_path, monkeypatch):
    monkeypatch.delenv("CONVENE_BACKUP_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no prompt
    with pytest.raises(CommandError, match="no passphrase"):
        call_command("backup", str(tmp_path / "x.tar"))
    with pytest.raises(CommandError, match="at least 12 characters"):
        monkeypatch.setenv("CONVENE_BACKUP_PASSPHRASE", "short")
        call_command("backup", str(tmp_path / "x.tar"))
    assert not (tmp_path / "x.tar").exists()
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    call_command("backup", str(tmp_path / "x.tar"), passphrase_file=str(tmp_path / "pass"),
                 stdout=io.StringIO())
    assert (tmp_path / "x.tar").exists()
