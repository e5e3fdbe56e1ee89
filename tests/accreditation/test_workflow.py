"""The accreditation workflow through its services: nominated → submitted → vetted → approved →
badge issued → collected; refusals, revocation, and changes that re-open approval."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from convene.accounts.models import Role
from convene.accreditation import services
from convene.accreditation.models import Accreditation, Badge, Category, Zone
from convene.accreditation.workflow import WorkflowRefused
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.delegations import services as delegations
from convene.delegations.models import Member
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_user


@pytest.fixture
def vnm_person(defaults, viet_nam, focal_vnm):
    return delegations.nominate_member(focal_vnm, viet_nam, {
        "title": "Ms.", "given_name": "Thi B", "family_name": "Tran", "rank": "vice_minister",
        "email": "tran@example.org"})


def _submitted(focal, member):
    services.upload_photo(focal, member, photo_bytes())
    return services.submit(focal, member)


def _approved(focal, security, organiser, member):
    _submitted(focal, member)
    services.record_vetting(security, member, True)
    return services.decide(organiser, member, True)


def test_the_whole_way_to_a_collected_badge(vnm_person, focal_vnm, security, organiser,
                                            django_capture_on_commit_callbacks):
    member = vnm_person
    acc = _submitted(focal_vnm, member)
    assert (acc.stage, acc.vetting) == ("submitted", "pending")
    assert acc.category.code == "delegate"  # the default for a member of a State delegation
    with pytest.raises(WorkflowRefused, match="vetting has not cleared"):
        services.decide(organiser, member, True)

    services.record_vetting(security, member, True)
    with django_capture_on_commit_callbacks(execute=True):
        acc = services.decide(organiser, member, True)
    member.refresh_from_db()
    assert acc.stage == "approved" and member.status == "approved"
    assert len(mail.outbox) == 1
    assert "approved" in mail.outbox[0].subject and mail.outbox[0].to == [
        "focal.vnm@example.org", "tran@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        batch = services.create_batch(organiser, member.delegation.event, "all_approved")
    acc.refresh_from_db()
    badge = Badge.objects.get(accreditation=acc)
    assert acc.stage == "issued" and badge.batch == batch
    assert badge.zone_codes == "P B D"  # the delegate category's default zones

    with pytest.raises(WorkflowRefused, match="identity document"):
        services.collect(organiser, member, "")
    acc = services.collect(organiser, member, "diplomatic passport")
    assert acc.stage == "collected" and acc.id_document == "diplomatic passport"
    actions = list(AuditEvent.objects.filter(object_type="accreditation.accreditation")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["accreditation.photo_uploaded", "accreditation.submitted",
                       "accreditation.vetted", "accreditation.approved", "badge.issued",
                       "accreditation.collected"]
    assert verify_chain() == []


def test_a_photo_is_needed_except_for_heads_of_state(defaults, viet_nam, focal_vnm):
    adviser = delegations.nominate_member(focal_vnm, viet_nam, {"family_name": "Pham"})
    with pytest.raises(WorkflowRefused, match="photo is needed"):
        services.submit(focal_vnm, adviser)
    president = delegations.nominate_member(focal_vnm, viet_nam, {
        "family_name": "Nguyen", "rank": "head_of_state", "is_head": True})
    acc = services.submit(focal_vnm, president)
    assert acc.stage == "submitted" and acc.category.code == "principal"


def test_security_refusal_needs_a_reason_and_is_final(vnm_person, focal_vnm, security,
                                                      organiser,
                                                      django_capture_on_commit_callbacks):
    _submitted(focal_vnm, vnm_person)
    with pytest.raises(WorkflowRefused, match="reason"):
        services.record_vetting(security, vnm_person, False, "  ")
    with django_capture_on_commit_callbacks(execute=True):
        acc = services.record_vetting(security, vnm_person, False, "Listed by Interpol")
    vnm_person.refresh_from_db()
    assert (acc.stage, acc.vetting, vnm_person.status) == ("refused", "refused", "refused")
    with pytest.raises(WorkflowRefused):
        services.decide(organiser, vnm_person, True)
    # The delegation is told of the refusal, never of security's note.
    assert len(mail.outbox) == 1 and "refused" in mail.outbox[0].subject
    assert "Interpol" not in mail.outbox[0].body


def test_organiser_refusal_is_emailed_with_its_reason(vnm_person, focal_vnm, organiser,
                                                      django_capture_on_commit_callbacks):
    _submitted(focal_vnm, vnm_person)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(organiser, vnm_person, False, "Quota for advisers reached")
    assert "Quota for advisers reached" in mail.outbox[0].body


def test_who_may_do_what(vnm_person, focal_vnm, focal_lao, security, organiser):
    _submitted(focal_vnm, vnm_person)
    for user, action in [
        (focal_vnm, lambda u: services.record_vetting(u, vnm_person, True)),
        (focal_vnm, lambda u: services.decide(u, vnm_person, True)),
        (security, lambda u: services.decide(u, vnm_person, True)),
        (organiser, lambda u: services.record_vetting(u, vnm_person, True)),
        (focal_lao, lambda u: services.upload_photo(u, vnm_person, photo_bytes())),
        (focal_vnm, lambda u: services.revoke(u, vnm_person, "no")),
        (focal_vnm, lambda u: services.create_batch(u, vnm_person.delegation.event,
                                                    "all_approved")),
    ]:
        with pytest.raises(PermissionDenied):
            action(user)
    observer = make_user("watcher", Role.OBSERVER)
    with pytest.raises(PermissionDenied):
        services.revoke(observer, vnm_person, "no")


def test_changing_category_zones_or_photo_after_approval_reopens_it(
        vnm_person, focal_vnm, security, organiser, event):
    _approved(focal_vnm, security, organiser, vnm_person)
    services.create_batch(organiser, event, "all_approved")
    first = Badge.objects.get()
    vip = Zone.objects.get(event=event, code="V")
    delegate = Category.objects.get(event=event, code="delegate")

    acc = services.set_access(organiser, vnm_person, delegate, [vip], [])
    first.refresh_from_db()
    vnm_person.refresh_from_db()
    assert acc.stage == "submitted" and acc.vetting == "cleared"  # approval, not vetting
    assert first.revoked_at is not None  # its zones are no longer what was approved
    assert vnm_person.status == "nominated"
    assert [z.code for z in services.zones_of(acc)] == ["P", "B", "V", "D"]

    services.decide(organiser, vnm_person, True)
    acc = services.upload_photo(focal_vnm, vnm_person, photo_bytes(colour=(10, 10, 10)))
    assert (acc.stage, acc.vetting) == ("submitted", "pending")  # a new face is vetted again

    services.record_vetting(security, vnm_person, True)
    services.decide(organiser, vnm_person, True)
    adviser = Category.objects.get(event=event, code="adviser")
    acc = services.set_category(organiser, vnm_person, adviser)
    assert acc.stage == "submitted"


def test_focal_point_may_change_category_only_before_approval(vnm_person, focal_vnm, security,
                                                              organiser, event):
    adviser = Category.objects.get(event=event, code="adviser")
    assert services.set_category(focal_vnm, vnm_person, adviser).category == adviser
    _approved(focal_vnm, security, organiser, vnm_person)
    with pytest.raises(PermissionDenied):
        services.set_category(focal_vnm, vnm_person,
                              Category.objects.get(event=event, code="delegate"))


def test_editing_an_approved_nomination_reopens_the_accreditation(vnm_person, focal_vnm,
                                                                  security, organiser, event):
    _approved(focal_vnm, security, organiser, vnm_person)
    services.create_batch(organiser, event, "all_approved")
    delegations.update_member(focal_vnm, vnm_person, {"family_name": "Tran-Le"})
    acc = Accreditation.objects.get(member=vnm_person)
    vnm_person.refresh_from_db()
    assert acc.stage == "submitted" and vnm_person.status == "nominated"
    assert Badge.objects.get().revoked_at is not None  # the old name is printed on it


def test_revoking_withdraws_the_badge_at_once(vnm_person, focal_vnm, security, organiser,
                                              event):
    _approved(focal_vnm, security, organiser, vnm_person)
    services.create_batch(organiser, event, "all_approved")
    with pytest.raises(WorkflowRefused, match="reason"):
        services.revoke(security, vnm_person, "")
    acc = services.revoke(security, vnm_person, "Badge reported lost")
    badge = Badge.objects.get()
    vnm_person.refresh_from_db()
    assert acc.stage == "revoked" and vnm_person.status == "refused"
    assert badge.revoked_at is not None and badge.revoked_reason == "Badge reported lost"
    with pytest.raises(WorkflowRefused):
        services.create_batch(organiser, event, "reprint", member_ids=[vnm_person.pk])


def test_a_reprint_replaces_the_badge(vnm_person, focal_vnm, security, organiser, event):
    _approved(focal_vnm, security, organiser, vnm_person)
    services.create_batch(organiser, event, "all_approved")
    services.collect(organiser, vnm_person, "passport")
    services.create_batch(organiser, event, "reprint", member_ids=[vnm_person.pk])
    old, new = Badge.objects.order_by("issued_at")
    assert old.revoked_at is not None and old.revoked_reason == "replaced by a reprint"
    assert new.revoked_at is None and new.token != old.token
    # A new badge must be collected again, against an identity document.
    assert Accreditation.objects.get(member=vnm_person).stage == "issued"


def test_batches_print_the_chosen_scope_only(defaults, event, viet_nam, lao, focal_vnm,
                                             focal_lao, security, organiser):
    people = []
    for delegation, focal, name in [(viet_nam, focal_vnm, "A"), (viet_nam, focal_vnm, "B"),
                                    (lao, focal_lao, "C")]:
        member = delegations.nominate_member(focal, delegation, {"family_name": name})
        _approved(focal, security, organiser, member)
        people.append(member)
    batch = services.create_batch(organiser, event, "delegation", delegation=lao)
    assert batch.total == 1 and Badge.objects.get().accreditation.member == people[2]
    with pytest.raises(WorkflowRefused, match="nobody to print"):
        services.create_batch(organiser, event, "delegation", delegation=lao)
    adviser = Category.objects.get(event=event, code="adviser")
    with pytest.raises(WorkflowRefused, match="nobody to print"):
        services.create_batch(organiser, event, "category", category=adviser)
    assert services.create_batch(organiser, event, "all_approved").total == 2


def test_no_signing_key_is_a_clear_refusal(vnm_person, focal_vnm, security, organiser, event,
                                           settings, tmp_path):
    _approved(focal_vnm, security, organiser, vnm_person)
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "empty")
    with pytest.raises(WorkflowRefused, match="badge_keys generate"):
        services.create_batch(organiser, event, "all_approved")
    assert not Badge.objects.exists()


def test_bulk_actions_do_each_person_separately(defaults, viet_nam, focal_vnm, security,
                                                organiser):
    members = [delegations.nominate_member(focal_vnm, viet_nam, {"family_name": n})
               for n in ("One", "Two", "Three")]
    for m in members[:2]:
        _submitted(focal_vnm, m)
    result = services.bulk_vet(security, members, True)
    assert [m.family_name for m in result.done] == ["One", "Two"]
    assert [(m.family_name, "submitted" in msg) for m, msg in result.refused] == [
        ("Three", True)]
    result = services.bulk_decide(organiser, Member.objects.filter(pk__in=[
        m.pk for m in members]), True)
    assert len(result.done) == 2 and len(result.refused) == 1
    assert Member.objects.filter(status="approved").count() == 2
