"""What people see: the public home page, the dashboard, languages, fixed query counts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convene.delegations import services
from convene.delegations.models import Delegation
from tests.accreditation.helpers import vetted_for_approval
from tests.conftest import make_delegation
from tests.files import HTML, image_bytes, pdf_bytes


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_home_page_shows_the_event_to_anyone(event):
    page = Client().get("/").content.decode()
    assert event.name in page
    assert "National Convention Centre" in page and "Hanoi" in page
    assert "Countering Cybercrime – Sharing Responsibility – Securing our Future" in page


def test_arabic_is_right_to_left_and_english_left_to_right(event):
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_entity_names_follow_the_interface_language(organiser, viet_nam):
    client = _as(organiser)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert "فييت نام" in client.get(f"/delegations/{viet_nam.pk}/").content.decode()


def test_dashboard_counts_delegations_people_and_deadlines(organiser, event, viet_nam, lao):
    services.nominate_member(organiser, viet_nam, {"family_name": "A"})
    approved = services.nominate_member(organiser, viet_nam, {"family_name": "B"})
    vetted_for_approval(approved)  # approval follows security vetting (accreditation, issue 3)
    services.decide_member(organiser, approved, approve=True)
    Delegation.objects.filter(pk=lao.pk).update(
        nomination_deadline=timezone.now() - timedelta(days=1))
    make_delegation(event, "KHM", "Cambodia", days=3)
    summary = _as(organiser).get("/dashboard/").context["summary"]
    assert summary.delegations == 3
    assert (summary.nominated, summary.approved) == (2, 1)
    assert dict((s, n) for s, _, n in summary.by_status)["invited"] == 3
    assert [d.entity.code for d in summary.deadline_soon] == ["KHM"]
    assert [d.entity.code for d in summary.deadline_passed_empty] == ["LAO"]


@pytest.mark.parametrize("url", ["/dashboard/", "/delegations/", "/api/delegations"])
def test_list_pages_use_a_fixed_number_of_queries(url, organiser, event,
                                                  django_assert_max_num_queries):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client = _as(organiser)
    for n in range(3):
        d = make_delegation(event, f"S{n:02}", f"State {n}")
        services.nominate_member(organiser, d, {"family_name": f"P{n}"})
    few = count_queries()
    for n in range(3, 30):
        d = make_delegation(event, f"S{n:02}", f"State {n}")
        services.nominate_member(organiser, d, {"family_name": f"P{n}"})
    assert count_queries() == few


def test_nomination_form_shows_rule_errors_next_to_the_field(focal_vnm, viet_nam):
    client = _as(focal_vnm)
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Head", "is_head": True})
    response = client.post(f"/delegations/{viet_nam.pk}/members/new/",
                           {"family_name": "Other", "rank": "other", "is_head": "on"})
    assert response.status_code == 200
    assert "is already the head of delegation" in str(response.context["form"].errors["is_head"])
    response = client.post(f"/delegations/{viet_nam.pk}/members/new/",
                           {"family_name": "", "rank": "emperor", "email": "x"})
    assert set(response.context["form"].errors) == {"family_name", "rank", "email"}
    assert viet_nam.members.count() == 1


def test_htmx_approval_returns_just_the_row(organiser, member, viet_nam):
    vetted_for_approval(member)  # approval follows security vetting (accreditation, issue 3)
    response = _as(organiser).post(
        f"/delegations/{viet_nam.pk}/members/{member.pk}/decision/", {"decision": "approve"},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="member-{member.pk}">') and "Approved" in html
    assert "<html" not in html


def test_note_verbale_upload_checks_the_file(focal_vnm, viet_nam):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _as(focal_vnm)
    url = f"/delegations/{viet_nam.pk}/note-verbale/"
    # A web page renamed .pdf is refused by its content, and named for what it is.
    bad = client.post(url, {"document": SimpleUploadedFile("nv.pdf", HTML)})
    assert "This file is a web page (HTML)" in bad.content.decode()
    viet_nam.refresh_from_db()
    assert not viet_nam.note_verbale
    letter = pdf_bytes(2)
    client.post(url, {"document": SimpleUploadedFile("NV 117.pdf", letter)})
    viet_nam.refresh_from_db()
    assert viet_nam.note_verbale.name.endswith("/NV_117.pdf")
    download = client.get(f"/delegations/{viet_nam.pk}/note-verbale/download/")
    assert b"".join(download.streaming_content) == letter
    assert download["Content-Type"] == "application/pdf"
    # A scan called .pdf is kept as the PNG it is.
    client.post(url, {"document": SimpleUploadedFile("scan.pdf", image_bytes(fmt="PNG"))})
    viet_nam.refresh_from_db()
    assert viet_nam.note_verbale.name.endswith("/scan.png")


def test_home_page_links_the_public_pages(event):
    page = Client().get("/").content.decode()
    assert 'href="/treaty/"' in page and "Status of the Convention" in page
    assert 'href="/programme/agenda/"' in page
