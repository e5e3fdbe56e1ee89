"""Who may do what: every permission of Convene, decided here and nowhere else.

Deny by default: a permission not listed here is refused to everyone but superusers, and
views and API endpoints ask `user.has_perm(name, obj)` or use the visible_* querysets below.
Predicates are django-rules predicates, so they combine with & | ~ and are tested one by one.
"""

import rules
from django.core.exceptions import PermissionDenied
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
is_reception_officer = _has_role(Role.RECEPTION_OFFICER)
is_liaison_officer = _has_role(Role.LIAISON_OFFICER)
is_dispatcher = _has_role(Role.DISPATCHER)
is_media_focal_point = _has_role(Role.MEDIA_FOCAL_POINT)
is_journalist = _has_role(Role.JOURNALIST)
is_communications_officer = _has_role(Role.COMMUNICATIONS_OFFICER)
is_release_approver = _has_role(Role.RELEASE_APPROVER)
is_case_officer = _has_role(Role.CASE_OFFICER)
is_duty_officer = _has_role(Role.DUTY_OFFICER)


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
# The names and status of delegations are not confidential to the press office, nor to the host
# staff who receive delegations and write about them. Journalists, media focal points and the
# cooperation channel's officers are not summit staff and do not see the internal lists.
sees_delegation_list = (
    sees_all_delegations | is_press_officer | is_reception_officer | is_liaison_officer
    | is_dispatcher | is_communications_officer | is_release_approver
)

# Delegations and the people in them.
rules.add_perm("delegations.view_list", sees_delegation_list | is_focal_point)
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
# `obj` is the Member whose accreditation it is. Focal points follow (and complete: category,
# photo, submission) their own people's accreditation; security vets; the secretariat decides,
# prints and hands over badges. Security's vetting notes are for the secretariat and security.
rules.add_perm("accreditation.view_accreditation", sees_all_delegations | is_focal_point_of)
rules.add_perm("accreditation.view_photo",
               is_organiser | is_security_officer | is_observer | is_focal_point_of)
rules.add_perm("accreditation.view_vetting", is_organiser | is_security_officer | is_observer)
rules.add_perm("accreditation.view_queues", is_organiser | is_security_officer | is_observer)
rules.add_perm("accreditation.edit_request", is_organiser | is_focal_point_of)
rules.add_perm("accreditation.set_access", is_organiser)
rules.add_perm("accreditation.vet", is_security_officer)
rules.add_perm("accreditation.decide", is_organiser)
rules.add_perm("accreditation.revoke", is_organiser | is_security_officer)
rules.add_perm("accreditation.collect", is_organiser)
rules.add_perm("accreditation.print_badges", is_organiser)
rules.add_perm("accreditation.configure", is_organiser)
# --- end accreditation ---
# --- gates (issue 3) ---
# Security officers (and the secretariat) staff checkpoints; a security officer is the
# supervisor who may override anti-passback, and every override is logged with its reason.
rules.add_perm("gates.operate", is_security_officer | is_organiser)
rules.add_perm("gates.override_passback", is_security_officer | is_organiser)
rules.add_perm("gates.view_live", is_security_officer | is_organiser | is_observer)
rules.add_perm("gates.manage_checkpoints", is_security_officer | is_organiser)
# --- end gates ---
# --- programme, run-of-show and protocol (issue 4) ---
# The internal programme (every session, rooms, who chairs and speaks) is for every role; the
# public agenda and iCalendar feeds are public pages (no permission). The run-of-show (VIP
# arrival times, routes) is for the control room: secretariat, task forces, security.
_programme_readers = sees_delegation_list | is_focal_point
_control_room = is_organiser | is_observer | is_task_force_lead | is_security_officer
rules.add_perm("programme.view_programme", _programme_readers)
rules.add_perm("programme.manage_programme", is_organiser)
rules.add_perm("programme.view_conflicts", _control_room)
rules.add_perm("programme.view_script", _control_room)
rules.add_perm("programme.edit_script", is_organiser | is_task_force_lead)
rules.add_perm("programme.operate_console", is_organiser | is_task_force_lead)
rules.add_perm("programme.record_finding", is_organiser | is_task_force_lead)
# A calendar feed for a delegation (or one of its people): its focal point, or the secretariat.
rules.add_perm("programme.calendar_feed", is_organiser | is_focal_point_of)

rules.add_perm("protocol.view_protocol", _programme_readers)
rules.add_perm("protocol.manage_protocol", is_organiser)
# Delegations inscribe, book and upload for themselves; the secretariat may do it for them.
rules.add_perm("protocol.inscribe_speaker", is_organiser | is_focal_point_of)
rules.add_perm("protocol.swap_speaker", is_organiser | is_focal_point_of)
rules.add_perm("protocol.book_signature", is_organiser | is_focal_point_of)
rules.add_perm("protocol.upload_full_powers", is_organiser | is_focal_point_of)
rules.add_perm("protocol.view_full_powers", is_organiser | is_depositary | is_focal_point_of)
# Full powers are examined by the depositary alone (UN Treaty Handbook; VCLT art. 7).
rules.add_perm("protocol.check_full_powers", is_depositary)
# --- end programme ---
# --- treaty (issue 5) ---
# The depositary (the treaty officers) alone records signatures, instruments, declarations and
# their withdrawal, and imports status tables. The status table, the Convention's structure and
# the depositary notifications are public, as on the UN Treaty Collection: no permission.
rules.add_perm("treaty.record_action", is_depositary)
# Article titles the reference marks unverified stay marked until an organiser (the secretariat,
# which holds the official text) confirms each against it.
rules.add_perm("treaty.confirm_article_titles", is_organiser)
# --- end treaty ---
# --- bilaterals (issue 6) ---
# The whole bilateral schedule is the secretariat's; its observer and the task-force leads (who
# run the rooms) read it. A focal point sees and acts for its own delegation only: the requests
# it made or received, its agenda, its principal's availability and its calendar feed.
@rules.predicate
def is_focal_point_of_requester(user, request) -> bool:
    return (request is not None and user.is_authenticated
            and request.requester_id in user.focal_point_delegation_ids())


@rules.predicate
def is_focal_point_of_counterpart(user, request) -> bool:
    return (request is not None and user.is_authenticated
            and request.counterpart_id in user.focal_point_delegation_ids())


sees_bilateral_schedule = is_organiser | is_observer | is_task_force_lead
rules.add_perm("bilaterals.view_bilaterals", sees_bilateral_schedule | is_focal_point)
rules.add_perm("bilaterals.view_schedule", sees_bilateral_schedule)
rules.add_perm("bilaterals.manage_schedule", is_organiser)
rules.add_perm("bilaterals.view_delegation", sees_bilateral_schedule | is_focal_point_of)
rules.add_perm("bilaterals.request_meeting", is_organiser | is_focal_point_of)
rules.add_perm("bilaterals.set_availability", is_organiser | is_focal_point_of)
rules.add_perm("bilaterals.manage_feed", is_organiser | is_focal_point_of)
rules.add_perm("bilaterals.answer_request", is_organiser | is_focal_point_of_counterpart)
rules.add_perm("bilaterals.cancel_request",
               is_organiser | is_focal_point_of_requester | is_focal_point_of_counterpart)
# --- end bilaterals ---
# --- operations: task forces and readiness (issue 7) ---
# Task-force leads and members are ordinary users linked to a TaskForce (operations.models);
# the task_force_lead *role* lets a person follow readiness, being the lead of a task force
# lets them run it. `obj` is a TaskForce or anything with a task_force_id (item, issue).
def _ops_task_force_id(obj):
    if obj is None:
        return None
    return getattr(obj, "task_force_id", None) or (
        obj.pk if obj._meta.label_lower == "operations.taskforce" else None)


def _ops_task_force_roles(user) -> dict:
    from convene.operations.membership import cached_task_force_roles

    return cached_task_force_roles(user)


@rules.predicate
def is_lead_of_task_force(user, obj) -> bool:
    tf = _ops_task_force_id(obj)
    return tf is not None and _ops_task_force_roles(user).get(tf) == "lead"


@rules.predicate
def is_on_task_force(user, obj) -> bool:
    """Lead or member of the task force of `obj`."""
    tf = _ops_task_force_id(obj)
    return tf is not None and tf in _ops_task_force_roles(user)


@rules.predicate
def is_on_a_task_force(user) -> bool:
    return user.is_authenticated and bool(_ops_task_force_roles(user))


@rules.predicate
def owns_readiness_item_or_issue(user, obj) -> bool:
    return obj is not None and user.is_authenticated and getattr(obj, "owner_id", None) == user.pk


# The organising committee (and its observer) and the task-force leads follow readiness.
follows_readiness = is_organiser | is_observer | is_task_force_lead
rules.add_perm("operations.view_readiness", follows_readiness)
# Task forces see each other's checklists and issues: their items depend on each other.
rules.add_perm("operations.view_operations", follows_readiness | is_on_a_task_force)
rules.add_perm("operations.manage_task_forces", is_organiser)
rules.add_perm("operations.manage_task_force", is_organiser | is_lead_of_task_force)
rules.add_perm("operations.change_item",
               is_organiser | is_on_task_force | owns_readiness_item_or_issue)
# Anyone on a task force reports issues; the observer reads and changes nothing.
rules.add_perm("operations.report_issue", is_organiser | is_task_force_lead | is_on_a_task_force)
rules.add_perm("operations.handle_issue",
               is_organiser | is_lead_of_task_force | owns_readiness_item_or_issue)
rules.add_perm("operations.view_report", follows_readiness | is_on_task_force)
rules.add_perm("operations.record_review", is_organiser | is_lead_of_task_force)
rules.add_perm("operations.view_notifications", rules.is_authenticated)
# --- end operations ---
# --- reception and logistics (issue 13) ---
# The reception desk (reception officers) runs arrivals, greetings, hotels and conflicts; the
# motor pool (dispatchers) the fleet; liaison officers follow the delegations they look after;
# a focal point enters its own delegation's travel (before the deadline, checked by the
# service) and reads its own delegation's daily plan, nobody else's.
reception_desk = is_organiser | is_reception_officer
reception_staff = reception_desk | is_liaison_officer | is_dispatcher | is_task_force_lead
rules.add_perm("reception.view_board", reception_staff)
rules.add_perm("reception.manage", reception_desk)
# The tables behind the plan (greeting rules, motorcades, deadline): the organiser's.
rules.add_perm("reception.manage_rules", is_organiser)
rules.add_perm("reception.plan_fleet", reception_desk | is_dispatcher)
rules.add_perm("reception.view_run_sheet", reception_desk | is_dispatcher)
rules.add_perm("reception.view_rooming", reception_desk)
rules.add_perm("reception.enter_travel", reception_desk | is_focal_point_of)
rules.add_perm("reception.view_travel", reception_staff | is_focal_point_of)
rules.add_perm("reception.view_plan", reception_staff | is_focal_point_of)
rules.add_perm("reception.view_own_plans", reception_staff | is_focal_point)
# An incident is the operations' own: whoever may report one there (task forces).
rules.add_perm("reception.raise_incident",
               reception_desk & (is_organiser | is_task_force_lead | is_on_a_task_force))
# --- end reception ---
# --- press and communications (issue 14) ---
# A media outlet is a delegation (press/models.py): its media focal points (MediaOutlet.
# focal_points) nominate and complete their staff's accreditation as a delegation's focal point
# does, and the press office does it for outlets without one (public applications). Security
# vets and the secretariat approves and prints, through the accreditation pipeline unchanged.
def _media_outlet_of(obj):
    if obj is None:
        return None
    if obj._meta.label_lower == "press.mediaoutlet":
        return obj
    delegation_id = getattr(obj, "delegation_id", None)
    if delegation_id is None:
        return None
    from convene.press.models import MediaOutlet

    return MediaOutlet.objects.filter(delegation_id=delegation_id).first()


@rules.predicate
def is_media_focal_point_of(user, obj) -> bool:
    """The user is a media focal point of this outlet (or of the member's outlet)."""
    if not user.is_authenticated or Role.MEDIA_FOCAL_POINT not in user.role_set():
        return False
    outlet = _media_outlet_of(obj)
    return outlet is not None and outlet.focal_points.filter(pk=user.pk).exists()


@rules.predicate
def is_press_office_for(user, obj) -> bool:
    """A press officer acting for a media outlet or one of its staff."""
    return is_press_officer(user) and _media_outlet_of(obj) is not None


_press_office = is_organiser | is_press_officer
_newsroom = is_communications_officer | is_release_approver
rules.add_perm("press.view_media", _press_office | is_security_officer | is_observer)
rules.add_perm("press.view_home", _press_office | is_security_officer | is_observer
               | is_media_focal_point)
rules.add_perm("press.manage_outlets", _press_office)
rules.add_perm("press.view_outlet", _press_office | is_observer | is_media_focal_point_of)
rules.add_perm("press.nominate", _press_office | is_media_focal_point_of)
rules.add_perm("press.confirm_application", _press_office | is_media_focal_point_of)
rules.add_perm("press.visa_letter", _press_office)
rules.add_perm("press.check_equipment", is_security_officer | is_organiser)
rules.add_perm("press.view_pools", _press_office | is_observer | is_security_officer
               | is_media_focal_point | is_journalist)
rules.add_perm("press.manage_pools", _press_office)
rules.add_perm("press.request_place", _press_office | is_media_focal_point_of)
rules.add_perm("press.draft_release", is_communications_officer)
rules.add_perm("press.view_drafts", _newsroom | is_organiser | is_press_officer)
rules.add_perm("press.review_release", _newsroom)
# The designated approver (issue 14): only a release approver signs a release off.
rules.add_perm("press.approve_release", is_release_approver)
rules.add_perm("press.publish_release", _newsroom)
rules.add_perm("press.correct_release", _newsroom)
# Media centre, interviews and press conferences. A journalist acts for their own profile
# (MediaProfile.user); a delegation's focal point answers interview requests to its spokesperson.
@rules.predicate
def is_own_media_profile(user, profile) -> bool:
    return (profile is not None and user.is_authenticated
            and getattr(profile, "user_id", None) == user.pk)


@rules.predicate
def is_media_focal_point_of_profile(user, profile) -> bool:
    return profile is not None and is_media_focal_point_of(user, profile.member)


rules.add_perm("press.view_media_centre", _press_office | is_observer | is_media_focal_point
               | is_journalist)
rules.add_perm("press.manage_facilities", _press_office)
rules.add_perm("press.book", _press_office | is_own_media_profile
               | is_media_focal_point_of_profile)
rules.add_perm("press.view_interviews", _press_office | is_journalist | is_focal_point)
rules.add_perm("press.request_interview", _press_office | is_own_media_profile)
rules.add_perm("press.answer_interview", is_organiser | is_focal_point_of)
rules.add_perm("press.flag_spokesperson", is_organiser | is_focal_point_of)
rules.add_perm("press.view_conference", _press_office | is_journalist)
rules.add_perm("press.ask_question", is_journalist)
rules.add_perm("press.moderate", _press_office)
# Issue 3's accreditation steps for a media outlet's staff: extended, not copied, so the
# pipeline stays one (the delegation focal-point rules above are unchanged).
for _perm in ("accreditation.edit_request", "accreditation.view_accreditation",
              "accreditation.view_photo"):
    rules.set_perm(_perm, rules.permissions.permissions[_perm]
                   | is_media_focal_point_of | is_press_office_for)
# --- end press ---
# --- cooperation between States Parties (issue 15) ---
# A node is one State's authority: its case officers (central authority, art. 40(13)) see and
# act on all of this node's cases; its 24/7 duty officers (art. 41) see and act on the urgent
# ones. The depositary keeps the directory. Nobody else sees a case.
@rules.predicate
def is_urgent_case(user, case) -> bool:
    return case is not None and getattr(case, "urgent", False)


works_cases = is_case_officer | is_duty_officer
rules.add_perm("cooperation.view_cases", works_cases)
rules.add_perm("cooperation.view_case", is_case_officer | (is_duty_officer & is_urgent_case))
rules.add_perm("cooperation.act_on_case", is_case_officer | (is_duty_officer & is_urgent_case))
rules.add_perm("cooperation.draft_request", works_cases)
rules.add_perm("cooperation.view_directory", works_cases | is_depositary)
rules.add_perm("cooperation.manage_directory", is_depositary)
rules.add_perm("cooperation.view_statistics", is_case_officer | is_depositary)
rules.add_perm("cooperation.manage_roster", is_duty_officer)
# --- end cooperation ---
# --- API tokens and field-ready checks (issue 16) ---
# Everyone who logs in may hold personal API tokens: a token acts with exactly its owner's
# permissions, so it adds no power. The security officer and the secretariat may revoke
# anyone's (`convene accounts revoke-tokens`), e.g. when a laptop is lost.
rules.add_perm("accounts.manage_own_tokens", rules.is_authenticated)
rules.add_perm("accounts.revoke_any_token", is_organiser | is_security_officer)
# --- end field-ready ---


def require(user, perm: str, obj=None) -> None:
    """What every service does first: refuse the action unless `user` has `perm` (on `obj`)."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


def visible_delegations(user, delegations: QuerySet) -> QuerySet:
    """Scope a Delegation queryset to what `user` may see (list twin of view_delegation)."""
    if user.is_superuser or sees_delegation_list(user):
        return delegations
    if user.is_authenticated:
        return delegations.filter(pk__in=user.focal_point_delegation_ids())
    return delegations.none()
