"""Article titles the reference marks unverified (shared/reference/convention.md: arts 1-15
are [V], the others are not) are marked "unverified" until an organiser confirms each against
the official text; the confirmation is audited and may correct the title."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from convene.accounts.models import Role
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.treaty import services
from tests.conftest import make_user
from tests.treaty.conftest import as_user


def marked(html):
    return {int(n) for n in re.findall(r'data-article="(\d+)" data-unverified', html)}


def test_the_data_file_marks_only_the_titles_read_in_the_official_text(convention):
    verified = {a.number for a in convention.articles if a.title_verified}
    assert verified == set(range(1, 16))


def test_the_public_page_marks_each_unverified_title(treaty):
    html = Client().get("/treaty/convention/").content.decode()
    assert marked(html) == set(range(16, 69))
    assert 'data-figure="unverified"' in html and "53 articles" in html
    assert html.count('class="unverified"') == 53 + 1  # and the art. 67 rule, also unverified
    assert "Confirm the title" not in html  # the public cannot confirm
    chapters = Client().get("/api/treaty/convention").json()["chapters"]
    flags = {a["number"]: a["title_verified"] for ch in chapters for a in ch["articles"]}
    assert flags[15] is True and flags[16] is False


def test_an_organiser_confirms_a_title_and_the_mark_goes(treaty, organiser):
    client = as_user(organiser)
    page = client.get("/treaty/convention/").content.decode()
    assert 'href="/treaty/convention/articles/30/confirm/"' in page
    form = client.get("/treaty/convention/articles/30/confirm/").content.decode()
    assert 'value="Interception of content data"' in form
    missing = client.post("/treaty/convention/articles/30/confirm/",
                          {"title": "Interception of content data", "source": ""})
    assert missing.status_code == 200 and "official text" in missing.content.decode()
    done = client.post("/treaty/convention/articles/30/confirm/", {
        "title": "Interception of content  data", "source": "A/RES/79/243, annex"})
    assert done.status_code == 302 and done["Location"].endswith("#article-30")
    html = Client().get("/treaty/convention/").content.decode()
    assert 30 not in marked(html) and len(marked(html)) == 52
    assert "confirmed by organiser against A/RES/79/243, annex" in html
    event = AuditEvent.objects.get(action="treaty.article_title_confirmed")
    assert event.actor == organiser and event.after["title"] == "Interception of content data"
    assert verify_chain() == []


def test_a_correction_replaces_the_title_everywhere(treaty, organiser):
    services.confirm_article_title(organiser, 57, title="Conference of the States Parties to "
                                   "the United Nations Convention", source="A/RES/79/243")
    chapters = Client().get("/api/treaty/convention").json()["chapters"]
    art = next(a for ch in chapters for a in ch["articles"] if a["number"] == 57)
    assert art == {"number": 57, "title": "Conference of the States Parties to the United "
                   "Nations Convention",
                   "title_verified": True}
    assert "(corrected)" in AuditEvent.objects.get(action="treaty.article_title_confirmed").summary


def test_only_an_organiser_confirms_and_only_what_is_unverified(treaty, organiser, depositary):
    focal = make_user("someone", Role.PRESS_OFFICER)
    for user in (depositary, focal):
        with pytest.raises(PermissionDenied):
            services.confirm_article_title(user, 30, title="x", source="y")
        assert as_user(user).get("/treaty/convention/articles/30/confirm/").status_code == 403
    with pytest.raises(services.ActionRefused, match="already verified"):
        services.confirm_article_title(organiser, 7, title="Illegal access", source="y")
    with pytest.raises(services.ActionRefused, match="no article 99"):
        services.confirm_article_title(organiser, 99, title="x", source="y")
    services.confirm_article_title(organiser, 30, title="x", source="y")
    with pytest.raises(services.ActionRefused, match="already verified"):
        services.confirm_article_title(organiser, 30, title="x", source="y")
    api = as_user(organiser).post("/api/treaty/articles/31/confirm",
                                  {"title": "Freezing, seizure and confiscation of the "
                                            "proceeds of crime", "source": "A/RES/79/243"},
                                  content_type="application/json")
    assert api.status_code == 200 and api.json()["title_verified"] is True
