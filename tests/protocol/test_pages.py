"""Protocol pages: the printed speakers list and seating chart, fixed query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from convene.protocol import services
from tests.conftest import make_delegation
from tests.programme.builders import make_member


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _grow(event, plenary, organiser, start, stop):
    for n in range(start, stop):
        d = make_delegation(event, f"S{n:02}", f"State {n:02}")
        d.status = "confirmed"
        d.save()
        member = make_member(d, f"Speaker {n}")
        services.inscribe_speaker(organiser, plenary, d, member)
        services.book_signature(organiser, event, d, member)


@pytest.mark.parametrize("path", ["speakers/", "speakers/print/", "seating/", "/signing/"])
def test_protocol_pages_use_a_fixed_number_of_queries(path, organiser, event, plenary):
    client = _as(organiser)
    url = f"/protocol/{path.lstrip('/')}" if path.startswith("/") else \
        f"/protocol/sessions/{plenary.pk}/{path}"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _grow(event, plenary, organiser, 0, 3)
    few = count()
    _grow(event, plenary, organiser, 3, 20)
    assert count() == few


def test_printed_speakers_list_and_pdf(organiser, event, plenary):
    _grow(event, plenary, organiser, 0, 3)
    client = _as(organiser)
    page = client.get(f"/protocol/sessions/{plenary.pk}/speakers/print/").content.decode()
    assert "List of speakers" in page and "State 00" in page and "State 02" in page
    assert 'class="topbar"' not in page  # the printed page has no site frame
    pdf = client.get(f"/protocol/sessions/{plenary.pk}/speakers/print/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_seating_chart_page_and_pdf(organiser, event, plenary):
    _grow(event, plenary, organiser, 0, 5)
    services.record_draw(organiser, event, make_delegation(event, "ZZZ", "State 03").entity,
                         "The Secretary-General")
    client = _as(organiser)
    page = client.get(f"/protocol/sessions/{plenary.pk}/seating/").content.decode()
    first = page.index('data-row="1" data-seat="1"')
    assert page[first:first + 200].split(">")[1].startswith("State 03")  # the lot sits first
    assert "First seat drawn by lot: State 03 (drawn by The Secretary-General" in page
    pdf = client.get(f"/protocol/sessions/{plenary.pk}/seating/?format=pdf")
    assert pdf.content.startswith(b"%PDF")


def test_seating_without_a_layout_says_so(organiser, event, plenary):
    plenary.room.rows = plenary.room.seats_per_row = None
    plenary.room.save()
    page = _as(organiser).get(f"/protocol/sessions/{plenary.pk}/seating/").content.decode()
    assert "has no seating layout" in page


def test_signing_page_shows_who_cannot_be_scheduled(organiser, event, viet_nam):
    minister = make_member(viet_nam, "Tran", "minister")
    services.book_signature(organiser, event, viet_nam, minister)
    page = _as(organiser).get("/protocol/signing/").content.decode()
    assert "Cannot be scheduled" in page and "have not been uploaded" in page
