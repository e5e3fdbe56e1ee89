"""This node's keys: an Ed25519 signing key and an X25519 encryption key, each with a key id.

Like the badge keys (accreditation/keys.py), private keys live in files outside the database
and git: CONVENE_COOPERATION_KEY_DIR (default <CONVENE_VAR_DIR>/cooperation-keys) holds one
JWK file per key, `sign-<kid>.json` or `enc-<kid>.json` (mode 0600), and the files
`current-sign` and `current-enc` naming the keys in use. Rotation (`convene cooperation keys
rotate`) writes a new key and makes it current; older keys stay, so that messages signed or
encrypted before the rotation still verify and open. The public halves are what the node gives
the depositary to publish in the directory (`convene cooperation keys export`).
"""

import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from convene.cooperation import crypto

SIGN, ENC = "sign", "enc"


def key_dir() -> Path:
    explicit = getattr(settings, "CONVENE_COOPERATION_KEY_DIR", "") or os.environ.get(
        "CONVENE_COOPERATION_KEY_DIR")
    return Path(explicit) if explicit else Path(settings.VAR_DIR) / "cooperation-keys"


def _write_private(directory: Path, use: str, key) -> str:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = key.thumbprint()
    path = directory / f"{use}-{kid}.json"
    # Created 0600 from the start: never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(crypto.private_to_json(key))
    tmp = directory / f"current-{use}.tmp"
    tmp.write_text(kid + "\n")
    tmp.replace(directory / f"current-{use}")
    _load.cache_clear()
    return kid


def rotate(use: str, directory: Path | None = None) -> str:
    """A new key for `use` (sign or enc), made current; returns its key id."""
    key = crypto.new_signing_key() if use == SIGN else crypto.new_encryption_key()
    return _write_private(directory or key_dir(), use, key)


def ensure_keys(directory: Path | None = None) -> None:
    """Create the first keys of a node that has none (idempotent)."""
    directory = directory or key_dir()
    for use in (SIGN, ENC):
        if not (directory / f"current-{use}").exists():
            rotate(use, directory)


def current_kid(use: str, directory: Path | None = None) -> str:
    directory = directory or key_dir()
    if not (directory / f"current-{use}").exists():
        ensure_keys(directory)
    return (directory / f"current-{use}").read_text().strip()


@lru_cache(maxsize=64)
def _load(path: str):
    return crypto.private_from_json(Path(path).read_text())


def private_key(use: str, kid: str, directory: Path | None = None):
    directory = directory or key_dir()
    path = directory / f"{use}-{kid}.json"
    return _load(str(path)) if path.exists() else None


def signing_key(directory: Path | None = None):
    """The current private signing key."""
    directory = directory or key_dir()
    return private_key(SIGN, current_kid(SIGN, directory), directory)


def kids(use: str, directory: Path | None = None) -> list[str]:
    directory = directory or key_dir()
    if not directory.exists():
        return []
    return sorted(p.stem.split("-", 1)[1] for p in directory.glob(f"{use}-*.json"))


def encryption_keys(directory: Path | None = None) -> dict:
    """Every private encryption key of this node, old ones included, by key id."""
    directory = directory or key_dir()
    current_kid(ENC, directory)
    return {kid: private_key(ENC, kid, directory) for kid in kids(ENC, directory)}


def public_keys(directory: Path | None = None) -> dict:
    """The public halves, for the directory: {"sign": [...], "enc": [...]}, each JWK marked
    current or retired (a retired signing key still verifies what it signed)."""
    directory = directory or key_dir()
    out = {}
    for use in (SIGN, ENC):
        current = current_kid(use, directory)
        out[use] = [{**crypto.public_jwk(private_key(use, kid, directory)),
                     "status": "current" if kid == current else "retired"}
                    for kid in kids(use, directory)]
    return out
