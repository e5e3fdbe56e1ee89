"""Issuing accounts and roles. Only the secretariat does this; every step is audited."""

from django.contrib.auth.password_validation import validate_password
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
