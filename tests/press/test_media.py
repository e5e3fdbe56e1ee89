"""Media accreditation through the one pipeline; equipment; the public form; pools at the gate."""

import base64
import json
import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge
from convene.gates import services as gates
from convene.gates.models import Checkpoint
from convene.press import services
from convene.press.models import CoverageOpportunity, ItemStatus, MediaProfile
from convene.press.services import PressRefused
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_user
from tests.files import pdf_bytes

STAFF = {"given_name": "Linh", "family_name": "Pham", "function": "photographer",
         "nationality": "French", "passport_number": "FR123", "languages": "fr, en",
         "email": "linh@example.org"}


def _photo():
    return SimpleUploadedFile("p.jpg", photo_bytes(), "image/jpeg")


def _approved(world, organiser, data=STAFF):
    profile = services.nominate(world["fp"], world["afp"], data, photo=_photo(), submit=True,
                                letter=SimpleUploadedFile("a.pdf", pdf_bytes()))
    accreditation.record_vetting(world["security"], profile.member, True)
    accreditation.decide(organiser, profile.member, True)
    return profile


def test_a_nominated_photographer_goes_through_vetting_approval_and_the_badge_batch(
        press_world, event, organiser):
    profile = _approved(press_world, organiser)
    acc = profile.member.accreditation
    acc.refresh_from_db()
    assert acc.category.code == "media_photo" and acc.stage == "approved"
    assert profile.letter.name.endswith(".pdf")
    batch = accreditation.create_batch(organiser, event, "all_approved")
    badge = Badge.objects.get(accreditation=acc, batch=batch)
    assert "M" in badge.zone_codes.split() and "PR" not in badge.zone_codes.split()


def test_a_focal_point_acts_only_for_its_own_outlet(press_world, event):
    other = services.create_outlet(press_world["press"], event,
                                   {"name": "Reuters", "kind": "agency"})
    with pytest.raises(PermissionDenied):
        services.nominate(press_world["fp"], other, {**STAFF, "passport_number": "X1"})


def test_a_letter_that_is_not_a_pdf_is_refused_at_its_field(press_world):
    with pytest.raises(PressRefused) as exc:
        services.nominate(press_world["fp"], press_world["afp"], STAFF,
                          letter=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"))
    assert exc.value.field == "letter"


def test_the_public_form_catches_a_duplicate_passport_and_waits_for_confirmation(
        press_world, event):
    profile = services.apply_publicly(event, press_world["afp"], STAFF, photo=_photo())
    assert profile.confirmed_at is None and not hasattr(profile.member, "accreditation") or (
        profile.member.accreditation.stage == "nominated")
    with pytest.raises(PressRefused) as exc:
        services.apply_publicly(event, None, {**STAFF, "passport_number": " fr123 "})
    assert exc.value.field == "passport_number"
    services.confirm_application(press_world["fp"], profile)
    profile.member.accreditation.refresh_from_db()
    assert profile.member.accreditation.stage == "submitted"


def test_drones_are_refused_by_default_and_an_undeclared_item_is_an_incident(
        press_world, event, organiser):
    profile = services.nominate(press_world["fp"], press_world["afp"], STAFF)
    camera = services.declare_item(press_world["fp"], profile,
                                   {"kind": "camera", "serial": "C-1"})
    drone = services.declare_item(press_world["fp"], profile, {"kind": "drone", "serial": "D-1"})
    assert camera.status == ItemStatus.DECLARED and drone.status == ItemStatus.REFUSED
    services.move_item(press_world["security"], camera, True, "North gate")
    with pytest.raises(PressRefused):
        services.move_item(press_world["security"], drone, True, "North gate")
    from convene.operations import services as operations

    operations.install_default_task_forces(organiser, event)
    issue = services.report_undeclared(organiser, event, profile, "Long lens", "North gate")
    assert "Long lens" in issue.title


def _pool(world, event, organiser, start, end):
    profile = _approved(world, organiser)
    accreditation.create_batch(organiser, event, "all_approved")
    opp = services.save_opportunity(world["press"], event, {
        "title": "Signing table", "zone": world["riser"], "starts_at": start, "ends_at": end,
        "photo": 1})
    services.request_place(world["fp"], opp, profile, "photo")
    result = services.run_allocation(world["press"], opp, seed="hanoi")
    assert [p.journalist for p in result.places] == [str(profile.pk)]
    services.publish_pool(world["press"], opp)
    return profile, opp


@pytest.mark.django_db(transaction=True)
def test_a_pool_place_admits_at_the_riser_only_in_its_window(press_world, event, organiser):
    now = timezone.now()
    profile, opp = _pool(press_world, event, organiser, now - timedelta(minutes=5),
                         now + timedelta(minutes=30))
    pool_mail = [m for m in mail.outbox if "Signing table" in m.subject]
    assert pool_mail and pool_mail[0].to == ["linh@example.org"]
    assert "http" in pool_mail[0].body
    riser = Checkpoint.objects.create(event=event, name="Riser", zone=press_world["riser"])
    token = Badge.objects.get(accreditation__member=profile.member).token
    sec = press_world["security"]
    inside = gates.scan(sec, riser, scan_uuid=uuid.uuid4(), token=token)
    assert inside.scan.accepted and inside.scan.reason == "pool_position"
    later = gates.scan(sec, riser, scan_uuid=uuid.uuid4(), token=token,
                       scanned_at=now + timedelta(hours=1))
    assert later.scan.accepted  # scanned_at is the device's clock; the server decides now
    CoverageOpportunity.objects.filter(pk=opp.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now - timedelta(minutes=1))
    outside = gates.scan(sec, riser, scan_uuid=uuid.uuid4(), token=token)
    assert not outside.scan.accepted and outside.scan.reason == "zone_not_allowed"


def test_the_gate_bundle_carries_a_signed_pool_list(press_world, event, organiser):
    now = timezone.now()
    profile, opp = _pool(press_world, event, organiser, now + timedelta(hours=1),
                         now + timedelta(hours=2))
    riser = Checkpoint.objects.create(event=event, name="Riser", zone=press_world["riser"])
    bundle = gates.bundle(press_world["security"], riser)
    signed = bundle["pools"]
    key = next(k for k in bundle["keys"] if k["kid"] == signed["kid"])

    def b64(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    Ed25519PublicKey.from_public_bytes(b64(key["public_key"])).verify(
        b64(signed["signature"]), b64(signed["payload"]))
    passes = json.loads(b64(signed["payload"]))["passes"]
    badge = Badge.objects.get(accreditation__member=profile.member)
    assert passes[0]["badge"] == str(badge.id)
    assert passes[0]["valid_from"] == int(opp.starts_at.timestamp())


def test_rerun_after_withdrawal_keeps_published_places(press_world, event, organiser):
    now = timezone.now()
    first, opp = _pool(press_world, event, organiser, now, now + timedelta(hours=1))
    second = _approved(press_world, organiser, {**STAFF, "given_name": "An",
                                                "passport_number": "FR999"})
    CoverageOpportunity.objects.filter(pk=opp.pk).update(photo=2)
    services.request_place(press_world["fp"], opp, second, "photo")
    result = services.run_allocation(press_world["press"], opp)
    bases = {p.journalist: p.basis for p in result.places}
    assert bases == {str(first.pk): "kept", str(second.pk): "won"}


def test_only_an_approved_journalist_may_ask_for_a_place(press_world, event):
    profile = services.nominate(press_world["fp"], press_world["afp"], STAFF)
    opp = services.save_opportunity(press_world["press"], event, {
        "title": "Arrivals", "zone": press_world["riser"], "starts_at": timezone.now(),
        "ends_at": timezone.now() + timedelta(hours=1), "photo": 2})
    with pytest.raises(PressRefused):
        services.request_place(press_world["fp"], opp, profile, "photo")
    assert MediaProfile.objects.count() == 1
    assert make_user("j", Role.JOURNALIST).has_perm("press.view_pools")
