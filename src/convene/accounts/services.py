"""Issuing accounts and roles. Only the secretariat does this; every step is audited."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction

from convene.accounts.models import Role, RoleAssignment, User
from convene.audit.services import record


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
