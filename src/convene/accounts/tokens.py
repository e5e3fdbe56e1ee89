"""API token secrets: how they are made, shown and recognised (plain functions, no HTTP).

A token reads `cvn_<prefix>_<secret>`: the prefix (8 characters) names the token in lists and
logs, the secret carries 256 bits from the operating system's random source. Only the SHA-256
of the whole string is stored. A fast hash is right here, unlike for passwords: the secret is
random and long, so there is nothing for a slow hash to protect against guessing.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

PREFIX = "cvn_"
_PREFIX_LENGTH = 8


@dataclass(frozen=True)
class NewSecret:
    token: str  # shown to its owner once, never stored
    prefix: str
    secret_hash: str


def new_secret() -> NewSecret:
    prefix = secrets.token_hex(_PREFIX_LENGTH // 2)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return NewSecret(token=token, prefix=prefix, secret_hash=hash_secret(token))


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return value.startswith(PREFIX) and 20 <= len(value) <= 200


def expiry(now: datetime, days: int | None, *, default_days: int, max_days: int) -> datetime:
    """When a token made now expires: `days` if given, else the default; never past the
    maximum lifetime (a forgotten token must not work for ever)."""
    if days is None:
        days = default_days
    if days < 1 or days > max_days:
        raise ValueError(f"A token lives between 1 and {max_days} days.")
    return now + timedelta(days=days)
