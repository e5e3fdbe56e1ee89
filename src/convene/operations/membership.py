"""Who is on which task force, as the permission predicates need it (one query per request)."""

from django.db.models import Q


def task_force_roles(user) -> dict[int, str]:
    """{task force id: "lead" or "member"} for `user`."""
    from convene.operations.models import TaskForce

    rows = TaskForce.objects.filter(Q(lead=user) | Q(memberships__user=user)).values_list(
        "pk", "lead_id").distinct()
    return {pk: "lead" if lead_id == user.pk else "member" for pk, lead_id in rows}


def cached_task_force_roles(user) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    if "_operations_roles" not in user.__dict__:
        user.__dict__["_operations_roles"] = task_force_roles(user)
    return user.__dict__["_operations_roles"]


def forget_task_force_roles(user) -> None:
    user.__dict__.pop("_operations_roles", None)
