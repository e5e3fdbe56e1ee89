"""Releases that are right: figures bound to the data and frozen at publication, the
checklist review, the designated approver, embargoes, corrections, the Atom feed."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from convene.accounts.models import Role
from convene.press import figures, newsdesk, services
from convene.press.services import PressRefused
from convene.treaty import services as treaty
from convene.treaty.models import Signature
from tests.conftest import make_entity, make_user

ATOM = "{http://www.w3.org/2005/Atom}"
TICKS = [key for key, _label in newsdesk.CHECKLIST]


def sign(treaty_row, n, prefix):
    Signature.objects.bulk_create(Signature(
        treaty=treaty_row, entity=make_entity(f"{prefix}{i:02}", f"State {prefix}{i:02}"),
        signed_on=date(2025, 10, 25), place="Hanoi", full_powers_required=False)
        for i in range(n))


@pytest.fixture
def desk(event):
    t = treaty.load_treaty()
    sign(t, 3, "A")
    return {"treaty": t, "writer": make_user("comms", Role.COMMUNICATIONS_OFFICER),
            "approver": make_user("approver", Role.RELEASE_APPROVER)}


def _published(desk, event, embargo=None, body="[[signatures]] States have signed."):
    release = newsdesk.draft_release(desk["writer"], event, {
        "title": "Signatures in Hanoi", "body": body, "language": "en"})
    newsdesk.save_text(desk["writer"], release, "fr", "Signatures à Hanoï",
                       "[[signatures]] États ont signé.")
    for text in release.texts.all():
        newsdesk.review_text(desk["writer"], text, TICKS)
    newsdesk.approve(desk["approver"], release)
    return newsdesk.publish(desk["writer"], release, embargo_until=embargo)


def test_figures_render_per_language_with_babel():
    assert figures.render("[[journalists]] / [[entry_into_force]]",
                          {"journalists": 1234, "entry_into_force": "2026-03-01"}, "en") == (
        "1,234 / March 1, 2026")
    assert figures.render("[[journalists]]", {"journalists": 1234}, "fr") == "1\u202f234"
    with pytest.raises(figures.UnknownFigure):
        figures.check("[[signatures]] and [[made_up]]")


def test_a_draft_with_an_unknown_figure_is_refused_at_the_text(desk, event):
    with pytest.raises(PressRefused) as exc:
        newsdesk.draft_release(desk["writer"], event, {"title": "T", "body": "[[typed_by_hand]]"})
    assert exc.value.field == "body"


def test_the_reviewer_sees_value_and_source_and_must_tick_the_whole_checklist(desk, event):
    release = newsdesk.draft_release(desk["writer"], event, {
        "title": "T", "body": "[[signatures]] signatures"})
    text = release.texts.get()
    [shown] = newsdesk.figures_for_review(text)
    assert (shown["value"], shown["source"]) == (3, figures.FIGURES["signatures"][1])
    with pytest.raises(PressRefused):
        newsdesk.review_text(desk["writer"], text, TICKS[:-1])
    with pytest.raises(PressRefused):
        newsdesk.approve(desk["approver"], release)  # not reviewed


def test_only_the_designated_approver_approves(desk, event):
    release = newsdesk.draft_release(desk["writer"], event, {"title": "T", "body": "x"})
    newsdesk.review_text(desk["writer"], release.texts.get(), TICKS)
    with pytest.raises(PermissionDenied):
        newsdesk.approve(desk["writer"], release)
    newsdesk.approve(desk["approver"], release)


def test_publication_freezes_the_figure_and_a_change_is_flagged(desk, event):
    release = _published(desk, event)
    en = release.texts.get(language="en").revisions.get()
    assert en.rendered == "3 States have signed."
    assert en.figures["signatures"]["value"] == 3 and en.figures["signatures"]["at"]
    sign(desk["treaty"], 2, "B")
    assert release.texts.get(language="en").revisions.get().rendered.startswith("3 ")
    stale = newsdesk.stale_figures(event)
    assert {(s.language, s.name, s.published, s.now) for s in stale} == {
        ("en", "signatures", 3, 5), ("fr", "signatures", 3, 5)}
    # The update is a new, visible revision with its reason.
    text = release.texts.get(language="en")
    revision = newsdesk.correct(desk["writer"], text, title=text.title, body=text.body,
                                reason="Two more signatures", refresh_figures=True)
    assert revision.number == 2 and revision.rendered.startswith("5 ")


def test_a_correction_is_visible_with_its_reason_and_history(desk, event, client):
    release = _published(desk, event)
    text = release.texts.get(language="fr")
    with pytest.raises(PressRefused):
        newsdesk.correct(desk["writer"], text, title=text.title, body="x", reason=" ")
    newsdesk.correct(desk["writer"], text, title="Signatures à Hanoï (corrigé)",
                     body="[[signatures]] États ont signé la Convention.",
                     reason="Mot manquant")
    page = client.get(reverse("press:release_public", args=[release.reference, "fr"]))
    html = page.content.decode()
    assert "Mot manquant" in html and 'id="history"' in html and "3 États" in html


def test_an_embargoed_release_is_invisible_on_page_feed_and_api_until_its_time(desk, event):
    release = _published(desk, event, embargo=timezone.now() + timedelta(hours=2))
    anon = Client()
    url = reverse("press:release_public", args=[release.reference, "en"])
    assert anon.get(url).status_code == 404
    assert release.reference not in anon.get(reverse("press:newsroom")).content.decode()
    assert release.reference not in anon.get(reverse("press:feed")).content.decode()
    assert anon.get("/api/press/releases").json() == []
    later = timezone.now() + timedelta(hours=3)
    assert list(newsdesk.public_releases(event, now=later)) == [release]


def test_the_feed_is_atom_and_home_and_newsroom_advertise_it(desk, event, settings):
    settings.SITE_URL = "https://convene.example.org"
    release = _published(desk, event)
    anon = Client()
    feed = anon.get(reverse("press:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    for need in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{need}") is not None
    # RFC 4287 §4.1.1: an author (the feed's, as entries have none) and a self link.
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://convene.example.org/press/newsroom/feed.atom")
    assert b"testserver" not in feed.content
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1 and release.reference in entries[0].find(f"{ATOM}id").text
    for need in ("id", "title", "updated", "link"):
        assert entries[0].find(f"{ATOM}{need}") is not None
    link = '<link rel="alternate" type="application/atom+xml"'
    assert link in anon.get("/").content.decode()
    assert link in anon.get(reverse("press:newsroom")).content.decode()


def test_the_newsroom_shows_the_languages_and_arabic_is_right_to_left(desk, event):
    release = _published(desk, event)
    newsdesk.save_text(desk["writer"], release, "ar", "التوقيعات", "[[signatures]] دول وقعت")
    ar = release.texts.get(language="ar")
    newsdesk.review_text(desk["writer"], ar, TICKS)
    with pytest.raises(PressRefused):  # a language added later is approved in turn
        newsdesk.publish(desk["writer"], release)
    newsdesk.approve(desk["approver"], release)
    newsdesk.publish(desk["writer"], release)
    anon = Client()
    html = anon.get(reverse("press:newsroom")).content.decode()
    assert 'data-lang="en"' in html and 'data-lang="fr"' in html and 'data-lang="ar"' in html
    page = anon.get(reverse("press:release_public", args=[release.reference, "ar"]))
    assert 'dir="rtl"' in page.content.decode() and "٣" not in page.content.decode()


def test_embargoed_copies_go_to_accredited_journalists_only(desk, event, press_world,
                                                            organiser, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from convene.accreditation import services as accreditation
    from tests.accreditation.helpers import photo_bytes

    base = {"function": "reporter", "nationality": "French"}
    ok = services.nominate(press_world["fp"], press_world["afp"], {
        **base, "family_name": "Ok", "passport_number": "E1", "email": "ok@example.org"},
        photo=SimpleUploadedFile("p.jpg", photo_bytes()), submit=True)
    accreditation.record_vetting(press_world["security"], ok.member, True)
    accreditation.decide(organiser, ok.member, True)
    services.nominate(press_world["fp"], press_world["afp"], {
        **base, "family_name": "Pending", "passport_number": "E2", "email": "no@example.org"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _published(desk, event, embargo=timezone.now() + timedelta(hours=1))
    embargoed = [m for m in mailoutbox if m.subject.startswith("EMBARGOED")]
    assert [m.to for m in embargoed] == [["ok@example.org"]]
    assert "3 States have signed" in embargoed[0].body


def test_gallery_photos_are_resized_in_the_background_and_in_the_media_kit(
        desk, event, settings, tmp_path, django_capture_on_commit_callbacks):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.accreditation.helpers import photo_bytes

    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _published(desk, event)
    with pytest.raises(PressRefused):
        newsdesk.add_photo(desk["writer"], event, SimpleUploadedFile("x.jpg", b"not an image"),
                           "Caption", "UN Photo")
    with django_capture_on_commit_callbacks(execute=True):
        photo = newsdesk.add_photo(desk["writer"], event, SimpleUploadedFile(
            "p.jpg", photo_bytes(size=(3000, 2000))), "The signing table", "UN Photo/Demo")
    photo.refresh_from_db()
    assert Image.open(photo.web).size == (1600, 1067) and Image.open(photo.thumb).width == 400
    kit = zipfile.ZipFile(io.BytesIO(newsdesk.media_kit(event)))
    names = kit.namelist()
    assert any(n.endswith("-en.txt") for n in names) and any(n.endswith("-fr.txt") for n in names)
    assert "UN Photo/Demo" in kit.read("photos/CREDITS.txt").decode()


def test_the_communications_team_is_told_once_when_a_published_figure_changes(desk, event,
                                                                              mailoutbox):
    from django.core.management import call_command

    _published(desk, event)
    assert newsdesk.notify_stale_figures(event) == 0
    sign(desk["treaty"], 1, "C")
    call_command("press", "check_figures")
    told = [m for m in mailoutbox if "Figures changed" in m.subject]
    assert len(told) == 1 and set(told[0].to) == {"comms@example.org", "approver@example.org"}
    assert "signatures was 3, is now 4" in told[0].body
    assert newsdesk.notify_stale_figures(event) == 0  # told once per change
