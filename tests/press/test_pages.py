"""The press pages a person meets: the public application form, the outlet page, pool lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from convene.press.models import MediaProfile
from tests.accreditation.helpers import photo_bytes
from tests.files import pdf_bytes


def _form(**extra):
    return {"family_name": "Pham", "given_name": "Linh", "function": "reporter",
            "nationality": "French", "passport_number": "FR-1", "email": "linh@example.org",
            "letter": SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf"),
            "photo": SimpleUploadedFile("p.jpg", photo_bytes(), "image/jpeg"), **extra}


def test_the_public_form_needs_no_account_and_shows_field_errors(press_world):
    client = Client()
    assert client.get(reverse("press:apply")).status_code == 200
    bad = client.post(reverse("press:apply"), _form(
        email="", letter=SimpleUploadedFile("letter.pdf", b"GIF89a not a pdf")))
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert "email" in errors
    assert MediaProfile.objects.count() == 0
    ok = client.post(reverse("press:apply"), _form(outlet=press_world["afp"].pk))
    assert ok.status_code == 200 and b'id="applied"' in ok.content
    again = client.post(reverse("press:apply"), _form(passport_number="fr-1"))
    assert again.status_code == 400 and "passport_number" in again.context["form"].errors
    assert MediaProfile.objects.count() == 1


def test_a_letter_that_is_not_a_pdf_is_named_at_its_field(press_world):
    response = Client().post(reverse("press:apply"), _form(
        letter=SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 executable")))
    assert response.status_code == 400 and "letter" in response.context["form"].errors


def test_the_public_form_is_rate_limited(press_world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "press_application": "2/h"}
    client = Client()
    for _ in range(2):
        assert client.post(reverse("press:apply"), {}).status_code == 400
    refused = client.post(reverse("press:apply"), {})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    # Reading the form is not counted, and another address still applies.
    assert client.get(reverse("press:apply")).status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(reverse("press:apply"), {}).status_code == 400


def test_the_focal_point_confirms_a_public_application_from_the_outlet_page(press_world):
    Client().post(reverse("press:apply"), _form(outlet=press_world["afp"].pk))
    profile = MediaProfile.objects.get()
    client = Client()
    client.force_login(press_world["fp"])
    page = client.get(reverse("press:outlet", args=[press_world["afp"].pk])).content.decode()
    assert "public application, not confirmed yet" in page
    client.post(reverse("press:confirm", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.confirmed_by == press_world["fp"]
    assert profile.member.accreditation.stage == "submitted"


@pytest.mark.parametrize("fmt", ["pool_csv", "pool_pdf"])
def test_pool_lists_download(press_world, event, organiser, fmt):
    from datetime import timedelta

    from django.utils import timezone

    from convene.press import services

    now = timezone.now()
    opp = services.save_opportunity(press_world["press"], event, {
        "title": "=HYPERLINK(1)", "zone": press_world["riser"], "starts_at": now,
        "ends_at": now + timedelta(hours=1), "photo": 1})
    services.run_allocation(press_world["press"], opp, seed="s")
    services.publish_pool(press_world["press"], opp)
    client = Client()
    client.force_login(press_world["fp"])
    response = client.get(reverse(f"press:{fmt}", args=[opp.pk]))
    assert response.status_code == 200
    if fmt == "pool_csv":
        assert response.content.decode("utf-8-sig").startswith("opportunity,kind")
    else:
        assert response.content.startswith(b"%PDF-")


def test_the_media_focal_point_follows_its_staffs_accreditation_and_no_one_elses(
        press_world, member):
    from convene.press import services

    profile = services.nominate(press_world["fp"], press_world["afp"], {
        "family_name": "Crew", "function": "sound", "nationality": "French",
        "passport_number": "S1"})
    client = Client()
    client.force_login(press_world["fp"])
    page = client.get(reverse("accreditation:person", args=[profile.member.pk]))
    assert page.status_code == 200 and "Media (TV/radio crew)" in page.content.decode()
    assert client.get(reverse("accreditation:person", args=[member.pk])).status_code == 403
    assert client.get(reverse("delegations:list")).status_code == 403


def test_an_opportunity_linked_to_a_session_takes_its_times(press_world, event):
    from datetime import timedelta

    from django.utils import timezone

    from convene.press.models import CoverageOpportunity
    from convene.programme.models import Day, Session

    day = Day.objects.create(event=event, date=event.start_date)
    start = timezone.now()
    session = Session.objects.create(event=event, day=day, kind="signing", title="Signing",
                                     starts_at=start, ends_at=start + timedelta(hours=2))
    client = Client()
    client.force_login(press_world["press"])
    client.post(reverse("press:opportunity_create"), {
        "title": "Signing table", "session": session.pk, "zone": press_world["riser"].pk,
        "photo": 4, "tv": 2, "writer": 0, "agency": 1})
    opp = CoverageOpportunity.objects.get()
    assert (opp.starts_at, opp.ends_at, opp.positions["photo"]) == (
        session.starts_at, session.ends_at, 4)


def test_submitting_a_nomination_without_a_photo_keeps_nothing_and_says_why(press_world):
    client = Client()
    client.force_login(press_world["fp"])
    response = client.post(reverse("press:nominate", args=[press_world["afp"].pk]), {
        "family_name": "Crew", "function": "camera", "nationality": "French",
        "passport_number": "N1", "submit": "1"})
    assert response.status_code == 400 and "photo" in response.context["form"].errors
    assert MediaProfile.objects.count() == 0
