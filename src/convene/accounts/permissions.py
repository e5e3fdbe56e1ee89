"""Who may do what: every permission of Convene, decided here and nowhere else.

Deny by default: a permission not listed here is refused to everyone but superusers, and
views and API endpoints ask `user.has_perm(name, obj)` or use the visible_* querysets below.
Predicates are django-rules predicates, so they combine with & | ~ and are tested one by one.
"""

import rules
from django.db.models import QuerySet

from convene.accounts.models import Role


def _has_role(role: Role):
    @rules.predicate(name=f"is_{role.value}")
    def predicate(user) -> bool:
        return user.is_authenticated and role in user.role_set()

    return predicate


is_organiser = _has_role(Role.ORGANISER)
is_task_force_lead = _has_role(Role.TASK_FORCE_LEAD)
is_focal_point = _has_role(Role.FOCAL_POINT)
is_security_officer = _has_role(Role.SECURITY_OFFICER)
is_press_officer = _has_role(Role.PRESS_OFFICER)
is_depositary = _has_role(Role.DEPOSITARY)
is_observer = _has_role(Role.OBSERVER)


@rules.predicate
def is_focal_point_of(user, delegation) -> bool:
    """The user is a focal point of this delegation (or of the member's delegation)."""
    if delegation is None or not user.is_authenticated:
        return False
    delegation_id = getattr(delegation, "delegation_id", None) or delegation.pk
    return delegation_id in user.focal_point_delegation_ids()


# Roles that follow every delegation: the secretariat and the units that work for all of them.
sees_all_delegations = (
    is_organiser | is_observer | is_security_officer | is_task_force_lead | is_depositary
)
# The names and status of delegations are not confidential to the press office.
sees_delegation_list = sees_all_delegations | is_press_officer

# Delegations and the people in them.
rules.add_perm("delegations.view_delegation", sees_delegation_list | is_focal_point_of)
rules.add_perm("delegations.view_members", sees_all_delegations | is_focal_point_of)
rules.add_perm("delegations.nominate_member", is_organiser | is_focal_point_of)
rules.add_perm("delegations.change_member", is_organiser | is_focal_point_of)
rules.add_perm("delegations.upload_note_verbale", is_organiser | is_focal_point_of)
rules.add_perm("delegations.approve_member", is_organiser)
rules.add_perm("delegations.manage_delegation", is_organiser)

# Cross-cutting views.
rules.add_perm("core.view_dashboard", is_organiser | is_observer | is_task_force_lead)
rules.add_perm("audit.view_trail", is_organiser | is_observer)
rules.add_perm("directory.view_entities", rules.is_authenticated)

# Each domain app below keeps its permissions in its own section (edit only your section).
# --- accreditation and badges (issue 3) ---
# --- end accreditation ---
# --- gates (issue 3) ---
# --- end gates ---
# --- programme, run-of-show and protocol (issue 4) ---
# --- end programme ---
# --- treaty (issue 5) ---
# --- end treaty ---
# --- bilaterals (issue 6) ---
# --- end bilaterals ---
# --- operations: task forces and readiness (issue 7) ---
# --- end operations ---


def visible_delegations(user, delegations: QuerySet) -> QuerySet:
    """Scope a Delegation queryset to what `user` may see (list twin of view_delegation)."""
    if user.is_superuser or sees_delegation_list(user):
        return delegations
    if user.is_authenticated:
        return delegations.filter(pk__in=user.focal_point_delegation_ids())
    return delegations.none()
