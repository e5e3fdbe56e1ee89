"""Accreditation pages: queues with bulk actions, what focal points see, configuration."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from convene.accreditation import services
from convene.accreditation.models import Category, Zone
from convene.delegations.models import Member
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_delegation


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submit(organiser, member):
    services.upload_photo(organiser, member, photo_bytes((320, 400)))
    services.submit(organiser, member)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("queue", ["vetting", "approval", "all"])
def test_queues_use_a_fixed_number_of_queries(queue, defaults, event, organiser, security):
    def add(n):
        for i in range(n):
            d = make_delegation(event, f"Q{Member.objects.count():03}", "State")
            m = Member.objects.create(delegation=d, family_name=f"P{i}")
            _submit(organiser, m)
            if queue == "approval":
                services.record_vetting(security, m, True)

    client = _as(organiser if queue != "vetting" else security)
    add(2)
    few = _queries(client, f"/accreditation/?queue={queue}")
    add(8)
    assert _queries(client, f"/accreditation/?queue={queue}") == few


def test_security_clears_in_bulk_and_refusal_needs_a_reason(defaults, viet_nam, organiser,
                                                            security):
    people = [Member.objects.create(delegation=viet_nam, family_name=n) for n in "ABC"]
    for m in people:
        _submit(organiser, m)
    client = _as(security)
    page = client.get("/accreditation/").content.decode()  # security lands on vetting
    assert 'data-queue="vetting"' in page and "Clear vetting" in page
    response = client.post("/accreditation/bulk/", {
        "members": [people[0].pk, people[1].pk], "action": "refuse_vetting", "queue": "vetting",
        "reason": ""}, follow=True)
    assert "Give the reason" in response.content.decode()
    client.post("/accreditation/bulk/", {"members": [people[0].pk, people[1].pk],
                                         "action": "clear", "queue": "vetting"})
    stages = dict(Member.objects.values_list("family_name", "accreditation__vetting"))
    assert stages == {"A": "cleared", "B": "cleared", "C": "pending"}
    # Security cannot approve, even by posting the action by hand.
    client.post("/accreditation/bulk/", {"members": [people[0].pk], "action": "approve"})
    assert Member.objects.get(pk=people[0].pk).status == "nominated"


def test_focal_points_follow_their_people_but_not_security_notes(defaults, viet_nam,
                                                                 organiser, security,
                                                                 focal_vnm):
    member = Member.objects.create(delegation=viet_nam, family_name="Tran")
    _submit(organiser, member)
    services.record_vetting(security, member, False, "Record in the watch list")
    page = _as(focal_vnm).get(f"/delegations/{viet_nam.pk}/").content.decode()
    assert 'data-stage="refused"' in page
    person = _as(focal_vnm).get(f"/accreditation/people/{member.pk}/").content.decode()
    assert "Refused" in person and "watch list" not in person
    assert "watch list" in _as(security).get(f"/accreditation/people/{member.pk}/").content.decode()
    assert "watch list" in _as(organiser).get(
        "/accreditation/?queue=all").content.decode()


def test_the_delegation_page_offers_approval_only_after_clearance(defaults, viet_nam,
                                                                  organiser, security):
    member = Member.objects.create(delegation=viet_nam, family_name="Tran")
    _submit(organiser, member)
    client = _as(organiser)
    row = f'id="member-{member.pk}"'
    page = client.get(f"/delegations/{viet_nam.pk}/").content.decode()
    assert row in page and 'value="approve"' not in page and 'data-vetting="pending"' in page
    answer = client.post(f"/delegations/{viet_nam.pk}/members/{member.pk}/decision/",
                         {"decision": "approve"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Security vetting has not cleared this person yet." in answer
    services.record_vetting(security, member, True)
    page = client.get(f"/delegations/{viet_nam.pk}/").content.decode()
    assert 'value="approve"' in page


def test_organiser_configures_categories_zones_and_validity(defaults, event, organiser):
    client = _as(organiser)
    page = client.get("/accreditation/configuration/").content.decode()
    for name in ("Head of State/Government", "Media (TV/radio crew)", "Interpreter",
                 "Liaison officer", "Close protection", "Host staff"):
        assert name in page
    assert Zone.objects.filter(event=event).count() == 8
    response = client.post("/accreditation/configuration/zones/", {"code": "p!", "name": "x"},
                           follow=True)
    assert "One to four capital letters or digits." in response.content.decode()
    client.post("/accreditation/configuration/zones/", {"code": "TR", "name": "Transport"})
    transport = Zone.objects.get(event=event, code="TR")
    assert transport.bit == 8
    client.post("/accreditation/configuration/categories/new/", {
        "code": "driver", "name": "Driver", "colour": "#123456", "photo_required": "on",
        "order": 20, "zones": [transport.pk]})
    driver = Category.objects.get(event=event, code="driver")
    assert driver.number == 15 and [z.code for z in driver.zones.all()] == ["TR"]
    response = client.post("/accreditation/configuration/validity/", {
        "valid_from": "2025-10-27T00:00", "valid_until": "2025-10-20T00:00"}, follow=True)
    assert "The end must come after the start." in response.content.decode()


def test_desk_finds_people_and_hands_over_after_an_id_check(defaults, viet_nam, organiser,
                                                            security, event):
    member = Member.objects.create(delegation=viet_nam, given_name="Thi B", family_name="Tran")
    _submit(organiser, member)
    services.record_vetting(security, member, True)
    services.decide(organiser, member, True)
    services.create_batch(organiser, event, "all_approved")
    client = _as(organiser)
    assert "Thi B Tran" in client.get("/accreditation/desk/?q=tran").content.decode()
    response = client.post(f"/accreditation/people/{member.pk}/collect/", {"id_document": ""},
                           follow=True)
    assert "Write which identity document was checked." in response.content.decode()
    client.post(f"/accreditation/people/{member.pk}/collect/",
                {"id_document": "Diplomatic passport"})
    assert Member.objects.get(pk=member.pk).accreditation.stage == "collected"


def test_focal_point_completes_and_submits_from_the_person_page(defaults, viet_nam, focal_vnm,
                                                                event):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = Member.objects.create(delegation=viet_nam, family_name="Pham")
    client = _as(focal_vnm)
    url = f"/accreditation/people/{member.pk}/"
    page = client.get(url).content.decode()
    assert "Submit for accreditation" in page and "Save access" not in page  # no zone exceptions
    response = client.post(url + "submit/", follow=True).content.decode()
    assert "A photo is needed before the accreditation can be submitted." in response
    adviser = Category.objects.get(event=event, code="adviser")
    client.post(url + "category/", {"category": adviser.pk})
    client.post(url + "photo/upload/", {"photo": SimpleUploadedFile(
        "me.png", photo_bytes(fmt="PNG"), "image/png")})
    response = client.post(url + "submit/", follow=True).content.decode()
    assert "Submitted for security vetting." in response and 'data-vetting="pending"' in response
    acc = Member.objects.get(pk=member.pk).accreditation
    assert (acc.stage, acc.category.code) == ("submitted", "adviser")
