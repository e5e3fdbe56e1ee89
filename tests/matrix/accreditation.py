"""Accreditation and badge pages and API (issue 3)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from convene.accreditation import services
from convene.accreditation.models import BadgeBatch, BatchStatus, Category
from convene.accreditation.storage import private_storage
from convene.delegations.models import Member
from tests.accreditation.helpers import photo_bytes
from tests.matrix import ALL_DELEGATIONS, VNM_FOCAL, Operation, Page

ORGANISER = ["organiser"]
SECURITY = ["security_officer"]
FOCAL = ["organiser", VNM_FOCAL]
QUEUES = ["organiser", "observer", "security_officer"]
PHOTO = ["organiser", "observer", "security_officer", VNM_FOCAL]


def prepare(world):
    organiser = world.users["organiser"]
    security = world.users["security_officer"]
    services.ensure_defaults(world.event)
    services.upload_photo(organiser, world.member, photo_bytes())
    world.submitted = Member.objects.create(delegation=world.viet_nam, family_name="Submitted")
    services.upload_photo(organiser, world.submitted, photo_bytes())
    services.submit(organiser, world.submitted)
    world.cleared = Member.objects.create(delegation=world.viet_nam, family_name="Cleared")
    services.upload_photo(organiser, world.cleared, photo_bytes())
    services.submit(organiser, world.cleared)
    services.record_vetting(security, world.cleared, True)
    world.category = Category.objects.filter(event=world.event).first()
    world.batch = BadgeBatch.objects.create(event=world.event, scope="all_approved", total=1,
                                            done=1, parts=1, parts_done=1,
                                            status=BatchStatus.DONE)
    private_storage().save(services.batch_part_name(world.batch.pk, 0),
                           ContentFile(b"%PDF-1.7 badges"))


def _p(name, attr="member"):
    return lambda w: reverse(name, kwargs={"pk": getattr(w, attr).pk})


def _plain(name):
    return lambda w: reverse(name)


def _post(data=None):
    return lambda w: data or {}


PAGES = {
    "accreditation:queue": Page(QUEUES, _plain("accreditation:queue")),
    "accreditation:bulk": Page(["organiser", "security_officer"], _plain("accreditation:bulk"),
                               "post"),
    "accreditation:desk": Page(ORGANISER, _plain("accreditation:desk")),
    "accreditation:person": Page([*ALL_DELEGATIONS, VNM_FOCAL], _p("accreditation:person")),
    "accreditation:photo": Page(PHOTO, _p("accreditation:photo")),
    "accreditation:photo_upload": Page(FOCAL, _p("accreditation:photo_upload"), "post"),
    "accreditation:submit": Page(FOCAL, _p("accreditation:submit"), "post"),
    "accreditation:category": Page(FOCAL, _p("accreditation:category"), "post"),
    "accreditation:access": Page(ORGANISER, _p("accreditation:access"), "post"),
    "accreditation:vet": Page(SECURITY, _p("accreditation:vet", "submitted"), "post",
                              _post({"decision": "cleared"})),
    "accreditation:decide": Page(ORGANISER, _p("accreditation:decide", "cleared"), "post",
                                 _post({"decision": "approve"})),
    "accreditation:revoke": Page(["organiser", "security_officer"], _p("accreditation:revoke"),
                                 "post", _post({"reason": "Matrix test"})),
    "accreditation:collect": Page(ORGANISER, _p("accreditation:collect"), "post",
                                  _post({"id_document": "passport"})),
    "accreditation:print_one": Page(ORGANISER, _p("accreditation:print_one", "cleared"),
                                    "post"),
    "accreditation:badges": Page(ORGANISER, _plain("accreditation:badges")),
    "accreditation:batch_status": Page(ORGANISER, _p("accreditation:batch_status", "batch")),
    "accreditation:batch_download": Page(ORGANISER, lambda w: reverse(
        "accreditation:batch_download", kwargs={"pk": w.batch.pk, "part": 1})),
    "accreditation:configuration": Page(ORGANISER, _plain("accreditation:configuration")),
    "accreditation:category_new": Page(ORGANISER, _plain("accreditation:category_new")),
    "accreditation:category_edit": Page(ORGANISER, _p("accreditation:category_edit",
                                                      "category")),
    "accreditation:zone_create": Page(ORGANISER, _plain("accreditation:zone_create"), "post"),
    "accreditation:validity": Page(ORGANISER, _plain("accreditation:validity"), "post"),
}


def _api(path, attr="member"):
    return lambda w: path.replace("{pk}", str(getattr(w, attr).pk))


OPERATIONS = {
    ("get", "/api/accreditation/delegations/{pk}/people"): Operation(
        [*ALL_DELEGATIONS, VNM_FOCAL], _api("/api/accreditation/delegations/{pk}/people",
                                            "viet_nam")),
    ("post", "/api/accreditation/people/{pk}/submit"): Operation(
        FOCAL, _api("/api/accreditation/people/{pk}/submit")),
    ("post", "/api/accreditation/people/{pk}/vetting"): Operation(
        SECURITY, _api("/api/accreditation/people/{pk}/vetting", "submitted"),
        lambda w: {"cleared": True}),
    ("post", "/api/accreditation/people/{pk}/decision"): Operation(
        ORGANISER, _api("/api/accreditation/people/{pk}/decision", "cleared"),
        lambda w: {"approve": True}),
    ("post", "/api/accreditation/people/{pk}/revoke"): Operation(
        ["organiser", "security_officer"], _api("/api/accreditation/people/{pk}/revoke"),
        lambda w: {"reason": "Matrix test"}),
    ("get", "/api/accreditation/batches/{pk}"): Operation(
        ORGANISER, _api("/api/accreditation/batches/{pk}", "batch")),
}
