"""The accreditation workflow as rules on plain values: which step is allowed, and what follows.

    nominated ─submit─▶ submitted ─(security vetting: pending → cleared | refused)─▶
      approved (organiser) ─print─▶ badge issued ─ID checked at the desk─▶ badge collected
    refused: by the organiser (before a badge is issued) or by security vetting
    revoked: at any time, with a reason; the badge goes on the gates' revocation list

Changing a person's category, access zones or photo after approval re-opens approval (the
organiser approved what they saw); a new photo is also vetted again, since the security check
compares the face with the identity. Sources: security vetting between approval and badge
production (Accredit Solutions, "Security Vetting"); photo ID checked at collection (UK
Parliament, CPC 2011 accreditation); Heads of State/Government exempt from the photo (UN
e-deleGATE, financing.desa.un.org/ar/node/6380).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class Stage(models.TextChoices):
    NOMINATED = "nominated", pgettext_lazy("accreditation stage", "Nominated")
    SUBMITTED = "submitted", pgettext_lazy("accreditation stage", "Submitted")
    APPROVED = "approved", pgettext_lazy("accreditation stage", "Approved")
    ISSUED = "issued", gettext_lazy("Badge issued")
    COLLECTED = "collected", gettext_lazy("Badge collected")
    REFUSED = "refused", pgettext_lazy("accreditation stage", "Refused")
    REVOKED = "revoked", pgettext_lazy("accreditation stage", "Revoked")


class Vetting(models.TextChoices):
    NOT_STARTED = "", gettext_lazy("Not started")
    PENDING = "pending", gettext_lazy("Vetting pending")
    CLEARED = "cleared", gettext_lazy("Cleared")
    REFUSED = "refused", gettext_lazy("Refused by security")


APPROVED_STAGES = frozenset({Stage.APPROVED, Stage.ISSUED, Stage.COLLECTED})
CLOSED_STAGES = frozenset({Stage.REFUSED, Stage.REVOKED})
# Ranks exempt from the photo (UN e-deleGATE): Heads of State and of Government.
PHOTO_EXEMPT_RANKS = frozenset({"head_of_state", "head_of_government"})


class WorkflowRefused(Exception):
    """This step is not allowed now; `message` tells the person why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class State:
    stage: str
    vetting: str
    has_photo: bool
    photo_exempt: bool


def photo_exempt(rank: str, category_requires_photo: bool) -> bool:
    return rank in PHOTO_EXEMPT_RANKS or not category_requires_photo


def default_category(rank: str, is_head: bool, entity_kind: str) -> str:
    """The category a new nomination starts in; the focal point or organiser may change it."""
    if rank in PHOTO_EXEMPT_RANKS:
        return "principal"
    if is_head:
        return "head_of_delegation"
    if entity_kind in ("igo", "un_system", "reio"):
        return "igo"
    if entity_kind == "private_sector":
        return "private_sector"
    return "delegate"


def member_status(stage: str) -> str:
    """The delegation list's summary (Member.status) of an accreditation stage."""
    if stage in APPROVED_STAGES:
        return "approved"
    if stage in CLOSED_STAGES:
        return "refused"
    return "nominated"


def check_submit(state: State) -> str:
    if state.stage != Stage.NOMINATED:
        raise WorkflowRefused(_("Only a nomination that has not been submitted can be submitted."))
    if not state.has_photo and not state.photo_exempt:
        raise WorkflowRefused(_("A photo is needed before the accreditation can be submitted."))
    return Stage.SUBMITTED


def check_vetting(state: State, cleared: bool, reason: str) -> str:
    """The stage after a security officer's vetting decision."""
    if state.stage != Stage.SUBMITTED:
        raise WorkflowRefused(_("Security vetting is recorded for submitted accreditations."))
    if not cleared and not reason.strip():
        raise WorkflowRefused(_("Give the reason for refusing security clearance."))
    return Stage.SUBMITTED if cleared else Stage.REFUSED


def check_decision(state: State, approve: bool) -> str:
    if approve:
        if state.stage != Stage.SUBMITTED:
            raise WorkflowRefused(_("Only a submitted accreditation can be approved."))
        if state.vetting != Vetting.CLEARED:
            raise WorkflowRefused(_("Security vetting has not cleared this person yet."))
        if not state.has_photo and not state.photo_exempt:
            raise WorkflowRefused(_("A photo is needed before approval."))
        return Stage.APPROVED
    if state.stage not in (Stage.NOMINATED, Stage.SUBMITTED, Stage.APPROVED):
        raise WorkflowRefused(_("A badge has been issued: revoke it instead of refusing."))
    return Stage.REFUSED


def check_issue(state: State) -> str:
    if state.stage not in APPROVED_STAGES:
        raise WorkflowRefused(_("A badge is printed only for an approved accreditation."))
    return Stage.ISSUED


def check_collect(state: State, id_checked: bool) -> str:
    if state.stage != Stage.ISSUED:
        raise WorkflowRefused(_("There is no printed badge waiting to be collected."))
    if not id_checked:
        raise WorkflowRefused(_("Check the person's identity document before handing over "
                                "the badge."))
    return Stage.COLLECTED


def check_revoke(state: State, reason: str) -> str:
    if state.stage == Stage.REVOKED:
        raise WorkflowRefused(_("This accreditation is already revoked."))
    if not reason.strip():
        raise WorkflowRefused(_("Give the reason for revoking."))
    return Stage.REVOKED


@dataclass(frozen=True)
class Reopened:
    stage: str
    vetting: str
    revoke_badge: bool


def after_change(state: State, *, photo_changed: bool) -> Reopened:
    """What a change of category, zones or photo does to the workflow."""
    if state.stage in CLOSED_STAGES:
        raise WorkflowRefused(_("This accreditation is closed (refused or revoked)."))
    vetting = state.vetting
    if photo_changed and state.vetting in (Vetting.CLEARED, Vetting.PENDING):
        vetting = Vetting.PENDING
    if state.stage in APPROVED_STAGES:
        return Reopened(Stage.SUBMITTED, vetting, revoke_badge=state.stage != Stage.APPROVED)
    return Reopened(state.stage, vetting, revoke_badge=False)


def effective_zones(category_zones, granted, denied) -> set:
    """A person's zones: their category's, plus the exceptions granted, minus those denied."""
    return (set(category_zones) | set(granted)) - set(denied)
