"""Issuing accounts and roles. Only the secretariat does this; every step is audited."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from convene.accounts import tokens
from convene.accounts.models import (
    ApiToken,
    ApiTokenAddress,
    Role,
    RoleAssignment,
    TokenScope,
    User,
)
from convene.audit.services import record
from convene.core.ratelimit import is_ip_address


@transaction.atomic
def create_account(actor, username: str, *, email: str = "", password: str | None = None,
                   first_name: str = "", last_name: str = "") -> User:
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()  # they set one through the password-reset link
    user.full_clean()
    user.save()
    record(actor, "account.created", user, after={"username": username, "email": email},
           summary=username)
    return user


@transaction.atomic
def add_focal_point(actor, delegation, *, username: str, email: str, first_name: str = "",
                    last_name: str = "") -> User:
    """The secretariat gives a delegation a focal-point account; they set their own password."""
    if not actor.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
    user = create_account(actor, username, email=email, first_name=first_name,
                          last_name=last_name)
    assign_role(actor, user, Role.FOCAL_POINT, delegation)
    return user


def send_password_link(request, user: User) -> None:
    """Email the allauth password-set link (the console in the demo)."""
    from allauth.account.forms import ResetPasswordForm

    form = ResetPasswordForm(data={"email": user.email})
    if form.is_valid():
        form.save(request)


@transaction.atomic
def assign_role(actor, user: User, role: Role, delegation=None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, delegation=delegation)
    if created:
        record(actor, "role.assigned", assignment,
               after={"user": user.username, "role": role.value,
                      "delegation": delegation.pk if delegation else None},
               summary=f"{user.username}: {role.label}")
    user.forget_roles()
    return assignment


# --- Personal API tokens (issue 16) -----------------------------------------------------------
# Every creation, first use from an address and revocation is in the audit chain; the secret
# and its hash never are.


def _token_facts(token: ApiToken) -> dict:
    return {"name": token.name, "prefix": token.prefix, "scope": token.scope,
            "expires_at": token.expires_at.isoformat(), "user": token.user.username}


@transaction.atomic
def create_api_token(actor: User, *, name: str, scope: str, days: int | None = None
                     ) -> tuple[ApiToken, str]:
    """A new personal token of `actor`; returns it and its secret, shown to them only now."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    conf = settings.API_TOKENS
    expires_at = tokens.expiry(timezone.now(), days, default_days=conf["default_days"],
                               max_days=conf["max_days"])
    secret = tokens.new_secret()
    while ApiToken.objects.filter(prefix=secret.prefix).exists():  # 1 in 4 billion, but unique
        secret = tokens.new_secret()
    token = ApiToken(user=actor, name=name.strip(), scope=TokenScope(scope),
                     prefix=secret.prefix, secret_hash=secret.secret_hash, expires_at=expires_at)
    token.full_clean()
    token.save()
    record(actor, "api_token.created", token, after=_token_facts(token),
           summary=f"{actor.username}: {token}")
    return token, secret.token


@transaction.atomic
def revoke_api_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once; its owner may revoke their own, the secretariat and the security
    officer anyone's; `actor` None is the system (`convene api_tokens revoke`)."""
    if actor is not None and token.user_id != actor.pk and not actor.has_perm(
            "accounts.revoke_any_token"):
        raise PermissionDenied
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "api_token.revoked", token, after=_token_facts(token),
               summary=f"{token.user.username}: {token}")
    return token


def active_api_token(raw: str) -> ApiToken | None:
    """The live token this secret belongs to (not revoked, not expired, its owner active)."""
    if not tokens.looks_like_token(raw):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(secret_hash=tokens.hash_secret(raw)).first())
    if (token is None or token.revoked_at is not None or token.expires_at <= timezone.now()
            or not token.user.is_active):
        return None
    return token


# The last-use time is written at most this often per token (not on every call of a script).
_LAST_USE_PRECISION = timedelta(minutes=1)


def note_api_token_use(token: ApiToken, address: str) -> None:
    """Keep the last use of a token; audit the first use from each address (a request whose
    address is unknown, e.g. from an in-process client, counts as a use without one)."""
    if not is_ip_address(address):
        address = None
    now = timezone.now()
    changed = token.last_used_from != address
    if changed or token.last_used_at is None or now - token.last_used_at > _LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
        token.last_used_at, token.last_used_from = now, address
    if not changed or address is None:
        return
    with transaction.atomic():
        _, new = ApiTokenAddress.objects.get_or_create(token=token, address=address)
        if new:
            record(token.user, "api_token.used_from_new_address", token,
                   after={**_token_facts(token), "address": address},
                   summary=f"{token.user.username}: {token} from {address}")
