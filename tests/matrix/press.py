"""Press pages and API (issue 14). The media focal point of the matrix acts for "Matrix News"
(the outlet the URLs point at); the outlet's photographer is approved, holds a badge and a
place in a published pool; one release is published in English."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from convene.accreditation import services as accreditation
from convene.accreditation.models import Zone
from convene.press import centre, newsdesk, services
from tests.accreditation.helpers import photo_bytes
from tests.matrix import EVERYONE, OTHER_FP, VNM_FOCAL, Operation, Page

OFFICE = ["organiser", "press_officer"]
MEDIA = [*OFFICE, "security_officer", "observer"]
HOME = [*MEDIA, "media_focal_point"]
OUTLET = [*OFFICE, "observer", "media_focal_point"]
NOMINATE = [*OFFICE, "media_focal_point"]
SECURITY = ["organiser", "security_officer"]
POOLS = [*OFFICE, "observer", "security_officer", "media_focal_point", "journalist"]
DESK = ["organiser", "press_officer", "communications_officer", "release_approver"]
WRITER = ["communications_officer"]
NEWSROOM = ["communications_officer", "release_approver"]
TICKS = [k for k, _label in newsdesk.CHECKLIST]


def prepare(world):
    organiser, press = world.users["organiser"], world.users["press_officer"]
    services.ensure_media_setup(world.event)
    outlet = services.create_outlet(press, world.event, {"name": "Matrix News", "kind": "tv"})
    services.add_focal_point(press, outlet, world.users["media_focal_point"])
    profile = services.nominate(organiser, outlet, {
        "family_name": "Photographer", "function": "photographer", "nationality": "French",
        "passport_number": "M-1"})
    profile.letter.save("letter.pdf", ContentFile(b"%PDF-1.7 letter"), save=True)
    accreditation.upload_photo(organiser, profile.member, photo_bytes())
    accreditation.submit(organiser, profile.member)
    accreditation.record_vetting(world.users["security_officer"], profile.member, True)
    accreditation.decide(organiser, profile.member, True)
    world.press_profile = profile
    world.press_outlet = outlet
    world.press_item = services.declare_item(organiser, profile,
                                             {"kind": "camera", "serial": "C-1"})
    now = timezone.now()
    world.press_opp = services.save_opportunity(press, world.event, {
        "title": "Signing table", "zone": Zone.objects.get(event=world.event, code="PR"),
        "starts_at": now, "ends_at": now + timedelta(hours=1), "photo": 2})
    services.request_place(organiser, world.press_opp, profile, "photo")
    services.run_allocation(press, world.press_opp, seed="matrix")
    services.publish_pool(press, world.press_opp)
    writer, approver = world.users["communications_officer"], world.users["release_approver"]
    release = newsdesk.draft_release(writer, world.event, {"title": "Opening",
                                                           "body": "[[signatures]] so far"})
    newsdesk.review_text(writer, release.texts.get(), TICKS)
    newsdesk.approve(approver, release)
    newsdesk.publish(writer, release)
    world.press_release = release
    world.press_text = release.texts.get()
    profile.user = world.users["journalist"]
    profile.save(update_fields=["user"])
    world.press_facility = centre.save_facility(press, world.event, {
        "kind": "interview_room", "name": "Interview room 1", "capacity": 1})
    centre.flag_spokesperson(organiser, world.member)
    world.press_interview = centre.request_interview(organiser, profile, world.viet_nam,
                                                       "Cybercrime")
    from convene.programme.models import Day, Session

    day = Day.objects.get_or_create(event=world.event, date=world.event.start_date)[0]
    from convene.press.models import GalleryPhoto

    world.press_photo = GalleryPhoto.objects.create(event=world.event, caption="Table",
                                                    credit="UN Photo")
    world.press_photo.web.save("web.jpg", ContentFile(photo_bytes()), save=False)
    world.press_photo.thumb.save("thumb.jpg", ContentFile(photo_bytes()), save=True)
    world.press_conference = Session.objects.create(
        event=world.event, day=day, title="Joint press conference", kind="press_conference",
        starts_at=now, ends_at=now + timedelta(hours=1))


def _plain(name):
    return lambda w: reverse(name)


def _pk(name, attr):
    return lambda w: reverse(name, kwargs={"pk": getattr(w, attr).pk})


PAGES = {
    "press:home": Page(HOME, _plain("press:home")),
    "press:outlet_create": Page(OFFICE, _plain("press:outlet_create"), "post",
                                lambda w: {"name": "New outlet", "kind": "radio", "tier": 2}),
    "press:outlet": Page(OUTLET, _pk("press:outlet", "press_outlet")),
    "press:nominate": Page(NOMINATE, _pk("press:nominate", "press_outlet")),
    "press:submit": Page(NOMINATE, _pk("press:submit", "press_profile"), "post"),
    "press:confirm": Page(NOMINATE, _pk("press:confirm", "press_profile"), "post"),
    "press:equipment_add": Page(NOMINATE, _pk("press:equipment_add", "press_profile"), "post",
                                lambda w: {"kind": "tripod", "serial": "T-9"}),
    "press:letter": Page(OUTLET, _pk("press:letter", "press_profile")),
    "press:visa_letter": Page(OFFICE, _pk("press:visa_letter", "press_profile")),
    # The public application form: no account needed.
    "press:apply": Page(EVERYONE, _plain("press:apply")),
    "press:equipment": Page(SECURITY, _plain("press:equipment")),
    "press:equipment_move": Page(SECURITY, _pk("press:equipment_move", "press_item"), "post",
                                 lambda w: {"direction": "in", "gate": "North"}),
    "press:undeclared": Page(SECURITY, _plain("press:undeclared"), "post",
                             lambda w: {"profile": w.press_profile.pk, "description": "Lens"}),
    "press:pools": Page(POOLS, _plain("press:pools")),
    "press:opportunity_create": Page(OFFICE, _plain("press:opportunity_create"), "post",
                                     lambda w: {"title": "Spray"}),
    "press:opportunity": Page(POOLS, _pk("press:opportunity", "press_opp")),
    "press:request_place": Page(NOMINATE, _pk("press:request_place", "press_opp"), "post",
                                lambda w: {"profile": w.press_profile.pk, "kind": "writer"}),
    "press:allocate": Page(OFFICE, _pk("press:allocate", "press_opp"), "post"),
    "press:publish_pool": Page(OFFICE, _pk("press:publish_pool", "press_opp"), "post"),
    "press:pool_csv": Page(POOLS, _pk("press:pool_csv", "press_opp")),
    "press:pool_pdf": Page(POOLS, _pk("press:pool_pdf", "press_opp")),
    # The newsroom and its feed are public.
    "press:newsroom": Page(EVERYONE, _plain("press:newsroom")),
    "press:feed": Page(EVERYONE, _plain("press:feed")),
    "press:release_public": Page(EVERYONE, lambda w: reverse(
        "press:release_public", args=[w.press_release.reference, "en"])),
    "press:newsroom_desk": Page(DESK, _plain("press:newsroom_desk")),
    "press:release_create": Page(WRITER, _plain("press:release_create"), "post",
                                 lambda w: {"kind": "release", "language": "en", "title": "T",
                                            "body": "[[journalists]] journalists"}),
    "press:release": Page(DESK, _pk("press:release", "press_release")),
    "press:text_save": Page(WRITER, _pk("press:text_save", "press_release"), "post",
                            lambda w: {"language": "fr", "title": "Ouverture", "body": "x"}),
    "press:approve": Page(["release_approver"], _pk("press:approve", "press_release"), "post"),
    "press:publish": Page(NEWSROOM, _pk("press:publish", "press_release"), "post"),
    "press:review": Page(NEWSROOM, _pk("press:review", "press_text"), "post",
                         lambda w: {"checklist": TICKS}),
    "press:correct": Page(NEWSROOM, _pk("press:correct", "press_text"), "post",
                          lambda w: {"title": "Opening", "body": "[[signatures]] signatures",
                                     "reason": "Wording"}),
}

CENTRE = [*OFFICE, "observer", "media_focal_point", "journalist"]
BOOK = [*OFFICE, "media_focal_point", "journalist"]
INTERVIEWS = [*OFFICE, "journalist", VNM_FOCAL, OTHER_FP]
CONFERENCE = [*OFFICE, "journalist"]
_start = {"starts_at": "2031-01-01T10:00", "ends_at": "2031-01-01T11:00"}

PAGES.update({
    "press:photo_add": Page(WRITER, _plain("press:photo_add"), "post",
                            lambda w: {"caption": "c", "credit": "c"}),
    # The gallery, its images and the media kit are public, like the newsroom.
    "press:gallery": Page(EVERYONE, _plain("press:gallery")),
    "press:gallery_image": Page(EVERYONE, lambda w: reverse(
        "press:gallery_image", kwargs={"pk": w.press_photo.pk, "size": "thumb"})),
    "press:media_kit": Page(EVERYONE, _plain("press:media_kit")),
    "press:media_centre": Page(CENTRE, _plain("press:media_centre")),
    "press:facility_create": Page(OFFICE, _plain("press:facility_create"), "post",
                                  lambda w: {"kind": "workstation", "name": "Desks A",
                                             "capacity": 40}),
    "press:book": Page(BOOK, _pk("press:book", "press_facility"), "post",
                       lambda w: {"profile": w.press_profile.pk, **_start}),
    "press:interviews": Page(INTERVIEWS, _plain("press:interviews")),
    "press:interview_request": Page([*OFFICE, "journalist"], _plain("press:interview_request"),
                                    "post", lambda w: {"profile": w.press_profile.pk,
                                                       "delegation": w.viet_nam.pk,
                                                       "topic": "Extradition"}),
    "press:interview_answer": Page(["organiser", VNM_FOCAL],
                                   _pk("press:interview_answer", "press_interview"), "post",
                                   lambda w: {"accept": "0"}),
    "press:spokesperson": Page(["organiser", VNM_FOCAL], _pk("press:spokesperson", "member"),
                               "post"),
    "press:conference": Page(CONFERENCE, _pk("press:conference", "press_conference")),
    "press:conference_queue": Page(OFFICE, _pk("press:conference_queue", "press_conference")),
    "press:ask": Page(["journalist"], _pk("press:ask", "press_conference"), "post"),
    "press:call_next": Page(OFFICE, _pk("press:call_next", "press_conference"), "post"),
})

OPERATIONS = {
    ("get", "/api/press/releases"): Operation(EVERYONE),
    ("get", "/api/press/pools/{pk}"): Operation(
        POOLS, url=lambda w: f"/api/press/pools/{w.press_opp.pk}"),
}
