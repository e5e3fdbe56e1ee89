"""What people do with delegations: each action is one transaction, checked and audited.

Views and the JSON API both call these functions, so they cannot disagree on the rules.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.audit.services import record, snapshot
from convene.core import uploads
from convene.delegations import nomination_import
from convene.delegations.forms import MEMBER_FIELDS
from convene.delegations.models import Delegation, Member, MemberStatus
from convene.delegations.nomination_import import RowError


class NominationRefused(Exception):
    """A nomination rule refuses the action; `message` is for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass
class ImportResult:
    created: list[Member]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _check_nominations_open(user, delegation: Delegation) -> None:
    # The deadline binds focal points; the secretariat may still correct a list after it.
    if not user.has_perm("delegations.manage_delegation", delegation) and (
        not delegation.nominations_open
    ):
        raise NominationRefused(
            _("Nominations for %(d)s closed on %(when)s.")
            % {"d": delegation, "when": delegation.nomination_deadline.strftime("%d %B %Y %H:%M")}
        )


def _locked(delegation: Delegation) -> Delegation:
    """Re-read the delegation under a row lock so that quota checks cannot race."""
    return Delegation.objects.select_for_update().select_related("entity").get(pk=delegation.pk)


def _check_quota(delegation: Delegation, adding: int) -> None:
    taken = delegation.members.exclude(status=MemberStatus.REFUSED).count()
    if taken + adding > delegation.quota:
        raise NominationRefused(
            _("The quota of %(q)d people would be exceeded (%(t)d already nominated).")
            % {"q": delegation.quota, "t": taken}
        )


def _check_single_head(delegation: Delegation, member: Member | None, is_head: bool) -> None:
    if not is_head:
        return
    others = delegation.members.filter(is_head=True)
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise NominationRefused(
            _("%(name)s is already the head of delegation.") % {"name": others.first()},
            field="is_head",
        )


@transaction.atomic
def nominate_member(user, delegation: Delegation, data: dict) -> Member:
    _require(user, "delegations.nominate_member", delegation)
    delegation = _locked(delegation)
    _check_nominations_open(user, delegation)
    _check_quota(delegation, 1)
    _check_single_head(delegation, None, data.get("is_head", False))
    member = Member(delegation=delegation, nominated_by=user,
                    **{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    member.full_clean()
    member.save()
    record(user, "member.nominated", member, after=snapshot(member),
           summary=f"{member.full_name} nominated to {delegation}")
    return member


@transaction.atomic
def update_member(user, member: Member, data: dict) -> Member:
    _require(user, "delegations.change_member", member)
    delegation = _locked(member.delegation)
    _check_nominations_open(user, delegation)
    _check_single_head(delegation, member, data.get("is_head", member.is_head))
    before = snapshot(member)
    for name, value in data.items():
        if name in MEMBER_FIELDS:
            setattr(member, name, value)
    changed = {k for k, v in snapshot(member).items() if before.get(k) != v}
    if not changed:
        return member
    member.full_clean()
    # member.status is not saved from this (possibly stale) instance: the accreditation
    # workflow (issue 3) owns it.
    member.save(update_fields=[*MEMBER_FIELDS, "updated_at"])
    # Approval was given to what the organiser saw; a changed nomination is seen again: the
    # accreditation workflow re-opens approval, withdraws a printed badge (the name is printed
    # on it) and updates member.status.
    from convene.accreditation.services import reopen_after_member_change

    reopen_after_member_change(user, member)
    record(user, "member.updated", member, before=before, after=snapshot(member),
           summary=f"{member.full_name} ({', '.join(sorted(changed))})")
    return member


@transaction.atomic
def decide_member(user, member: Member, approve: bool, reason: str = "") -> Member:
    """Approve or refuse a person: the accreditation decision (issue 3), which requires the
    accreditation to be submitted and cleared by security vetting before approval.

    Raises convene.accreditation.workflow.WorkflowRefused (with a message for the organiser)
    when the step is not allowed yet; member.status follows the accreditation stage.
    """
    _require(user, "delegations.approve_member", member)
    from convene.accreditation.services import decide

    decide(user, member, approve, reason)
    member.refresh_from_db(fields=["status", "updated_at"])
    return member


def import_members(user, delegation: Delegation, filename: str, content: bytes) -> ImportResult:
    """Nominate everyone in a CSV/XLSX file, or nobody: any faulty row refuses the whole file."""
    _require(user, "delegations.nominate_member", delegation)
    try:
        rows = nomination_import.read_table(filename, content)
    except nomination_import.ImportFileError as exc:
        return ImportResult([], [RowError(0, "file", str(exc))])
    parsed = nomination_import.check_rows(rows)
    if not parsed.rows and not parsed.errors:
        return ImportResult([], [RowError(0, "file", _("The file has no people in it."))])
    with transaction.atomic():
        locked = _locked(delegation)
        errors = list(parsed.errors)
        for check in (
            lambda: _check_nominations_open(user, locked),
            lambda: _check_quota(locked, len(rows)),
        ):
            try:
                check()
            except NominationRefused as exc:
                errors.insert(0, RowError(0, "file", exc.message))
        head_lines = [line for line, data in parsed.rows if data.get("is_head")]
        if head_lines:
            try:
                _check_single_head(locked, None, True)
            except NominationRefused as exc:
                errors.append(RowError(head_lines[0], "is_head", exc.message))
        if errors:
            return ImportResult([], sorted(errors, key=lambda e: e.line))
        created = [Member(delegation=locked, nominated_by=user, **data) for _, data in parsed.rows]
        Member.objects.bulk_create(created)
        # bulk_create sets pks on SQLite and PostgreSQL alike; re-read for the audit snapshot.
        for member in Member.objects.filter(pk__in=[m.pk for m in created]):
            record(user, "member.nominated", member, after=snapshot(member),
                   summary=f"{member.full_name} nominated to {locked} (file {filename})")
    return ImportResult(created, [])


@transaction.atomic
def invite_delegation(user, event, entity, *, quota: int, nomination_deadline) -> Delegation:
    _require(user, "delegations.manage_delegation", None)
    delegation = Delegation(event=event, entity=entity, quota=quota,
                            nomination_deadline=nomination_deadline)
    delegation.full_clean()
    delegation.save()
    record(user, "delegation.invited", delegation,
           after=snapshot(delegation, ["entity", "quota", "nomination_deadline"]),
           summary=str(delegation))
    return delegation


@transaction.atomic
def attach_note_verbale(user, delegation: Delegation, document) -> Delegation:
    """Keep the note verbale once its content proves it a PDF or a scan (UploadRefused says
    what is wrong); it is stored under the extension its content calls for."""
    _require(user, "delegations.upload_note_verbale", delegation)
    checked = uploads.check_letter(uploads.read_bounded(
        document, uploads.limit("document_max_bytes")), name=document.name)
    delegation = _locked(delegation)
    before = {"note_verbale": delegation.note_verbale.name or None}
    delegation.note_verbale.save(checked.storage_name("note-verbale"),
                                 ContentFile(checked.content), save=True)
    record(user, "delegation.note_verbale_uploaded", delegation, before=before,
           after={"note_verbale": delegation.note_verbale.name, **checked.audit()},
           summary=str(delegation))
    return delegation


@transaction.atomic
def update_delegation_settings(user, delegation: Delegation, data: dict) -> Delegation:
    _require(user, "delegations.manage_delegation", delegation)
    fields = ["status", "quota", "nomination_deadline"]
    before = snapshot(delegation, fields)
    for name in fields:
        if name in data:
            setattr(delegation, name, data[name])
    delegation.full_clean()
    delegation.save()
    record(user, "delegation.updated", delegation, before=before,
           after=snapshot(delegation, fields), summary=str(delegation))
    return delegation


def delegations_with_counts(queryset):
    """Delegations annotated with their member counts, in one query whatever their number."""
    return queryset.select_related("entity").annotate(
        nominated=Count("members", filter=~Q(members__status=MemberStatus.REFUSED)),
        approved=Count("members", filter=Q(members__status=MemberStatus.APPROVED)),
    )
