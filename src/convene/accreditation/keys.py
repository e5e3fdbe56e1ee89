"""Badge signing keys: private keys in files outside the database and git, public keys in both.

The directory is CONVENE_BADGE_KEY_DIR (default: <CONVENE_VAR_DIR>/badge-keys). It holds one
PEM file per key, `<key id>.pem` (PKCS#8, mode 0600), and a file `current` naming the key that
signs new badges. `convene badge_keys generate` writes a new key and makes it current (the
rotation step); the public half is registered in the database (SigningKey) so that gates keep
verifying badges signed by older keys, even once their private file is deleted.

Production mounts the directory from a secret store on the app servers that print badges; the
gate devices never need it.
"""

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from django.conf import settings

from convene.accreditation.credential import key_id


class NoSigningKey(Exception):
    """No private key to sign badges with on this server (an administrator must create one)."""


def key_dir() -> Path:
    explicit = getattr(settings, "CONVENE_BADGE_KEY_DIR", None) or os.environ.get(
        "CONVENE_BADGE_KEY_DIR")
    return Path(explicit) if explicit else Path(settings.VAR_DIR) / "badge-keys"


def generate(directory: Path | None = None) -> tuple[str, Ed25519PublicKey]:
    """Create a new private key file, make it current, and return (key id hex, public key)."""
    directory = directory or key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    kid = key_id(private.public_key()).hex()
    path = directory / f"{kid}.pem"
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    # Created with 0600 from the start: the key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    _write_current(directory, kid)
    _load.cache_clear()
    return kid, private.public_key()


def _write_current(directory: Path, kid: str) -> None:
    tmp = directory / "current.tmp"
    tmp.write_text(kid + "\n")
    tmp.replace(directory / "current")


def current_key_id(directory: Path | None = None) -> str:
    directory = directory or key_dir()
    try:
        kid = (directory / "current").read_text().strip()
    except FileNotFoundError:
        raise NoSigningKey(str(directory)) from None
    if not (directory / f"{kid}.pem").exists():
        raise NoSigningKey(str(directory))
    return kid


def signing_key(directory: Path | None = None) -> tuple[str, Ed25519PrivateKey]:
    """The current private key and its id (hex)."""
    directory = directory or key_dir()
    kid = current_key_id(directory)
    return kid, _load(str(directory / f"{kid}.pem"))


@lru_cache(maxsize=8)
def _load(path: str) -> Ed25519PrivateKey:
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise NoSigningKey(f"{path} is not an Ed25519 key")
    return key


def private_key_ids(directory: Path | None = None) -> list[str]:
    directory = directory or key_dir()
    if not directory.exists():
        return []
    return sorted(p.stem for p in directory.glob("*.pem"))
