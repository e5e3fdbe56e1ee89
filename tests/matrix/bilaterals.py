"""Bilateral meetings: pages and API. URLs point at Viet Nam's side (VNM_FOCAL concerned):
a request received from Lao, a request Viet Nam made to Cambodia (accepted, for the organiser's
placing), its calendar feed, a room and a finished scheduler run."""

from datetime import date

from django.urls import reverse

from convene.bilaterals import services
from convene.bilaterals.models import RunStatus, ScheduleRun
from tests.conftest import make_delegation
from tests.matrix import EVERYONE, LOGGED_IN, OTHER_FP, VNM_FOCAL, Operation, Page

ORGANISER = ["organiser"]
SCHEDULE = ["organiser", "observer", "task_force_lead"]
VNM_SIDE = ["organiser", VNM_FOCAL]


def prepare(world):
    organiser = world.users["organiser"]
    services.configure(organiser, world.event, services.GridSpec(
        date(2025, 10, 25), date(2025, 10, 25), "09:00-11:00", 30, 10, False))
    world.bil_room = services.save_room(organiser, world.event, {"name": "Lotus", "seats": 10})
    world.khm = make_delegation(world.event, "KHM", "Cambodia")
    world.tha = make_delegation(world.event, "THA", "Thailand")
    world.bil_incoming = services.request_meeting(
        organiser, world.lao, {"counterpart": world.viet_nam, "topic": "Mutual legal assistance"})
    made = services.request_meeting(organiser, world.viet_nam,
                                    {"counterpart": world.khm, "topic": "Extradition"})
    world.bil_accepted = services.answer_request(organiser, made, True)
    world.bil_token = services.feed_of(world.viet_nam).token
    world.bil_run = ScheduleRun.objects.create(event=world.event, status=RunStatus.DONE,
                                               created_by=organiser)


def _plain(name):
    return lambda w: reverse(name)


def _vnm(name):
    return lambda w: reverse(name, kwargs={"pk": w.viet_nam.pk})


def _pk(name, attr):
    return lambda w: reverse(name, kwargs={"pk": getattr(w, attr).pk})


PAGES = {
    "bilaterals:home": Page([*SCHEDULE, VNM_FOCAL, OTHER_FP], _plain("bilaterals:home")),
    "bilaterals:delegation": Page([*SCHEDULE, VNM_FOCAL], _vnm("bilaterals:delegation")),
    "bilaterals:request_create": Page(VNM_SIDE, _vnm("bilaterals:request_create")),
    "bilaterals:availability": Page(VNM_SIDE, _vnm("bilaterals:availability")),
    "bilaterals:feed_reset": Page(VNM_SIDE, _vnm("bilaterals:feed_reset"), "post"),
    # Calendar apps cannot log in: the secret token in the address is the permission.
    "bilaterals:feed": Page(EVERYONE, lambda w: reverse(
        "bilaterals:feed", kwargs={"pk": w.viet_nam.pk, "token": w.bil_token})),
    "bilaterals:request_answer": Page(VNM_SIDE, _pk("bilaterals:request_answer",
                                                    "bil_incoming")),
    # Either side may call a request off: Lao asked, Viet Nam was asked.
    "bilaterals:request_cancel": Page([*VNM_SIDE, OTHER_FP],
                                      _pk("bilaterals:request_cancel", "bil_incoming"), "post"),
    "bilaterals:place": Page(ORGANISER, _pk("bilaterals:place", "bil_accepted")),
    "bilaterals:unplace": Page(ORGANISER, _pk("bilaterals:unplace", "bil_accepted"), "post"),
    "bilaterals:setup": Page(ORGANISER, _plain("bilaterals:setup")),
    "bilaterals:room_create": Page(ORGANISER, _plain("bilaterals:room_create"), "post",
                                   lambda w: {"name": "Orchid", "seats": 12}),
    "bilaterals:room_edit": Page(ORGANISER, _pk("bilaterals:room_edit", "bil_room")),
    "bilaterals:room_delete": Page(ORGANISER, _pk("bilaterals:room_delete", "bil_room"),
                                   "post"),
    "bilaterals:schedule": Page(SCHEDULE, _plain("bilaterals:schedule")),
    "bilaterals:instance": Page(ORGANISER, _plain("bilaterals:instance")),
    "bilaterals:run_start": Page(ORGANISER, _plain("bilaterals:run_start"), "post",
                                 lambda w: {"time_limit": 5}),
    "bilaterals:run_status": Page(SCHEDULE, _pk("bilaterals:run_status", "bil_run")),
    "bilaterals:publish": Page(ORGANISER, _plain("bilaterals:publish"), "post"),
}

OPERATIONS = {
    ("get", "/api/bilaterals/requests"): Operation(LOGGED_IN),  # scoped: see test_api
    ("post", "/api/bilaterals/requests"): Operation(
        VNM_SIDE, body=lambda w: {"requester_id": w.viet_nam.pk, "counterpart_id": w.tha.pk,
                                  "topic": "Capacity building"}),
    ("post", "/api/bilaterals/requests/{pk}/decision"): Operation(
        VNM_SIDE, lambda w: f"/api/bilaterals/requests/{w.bil_incoming.pk}/decision",
        lambda w: {"accept": True}),
    ("get", "/api/bilaterals/delegations/{pk}/agenda"): Operation(
        [*SCHEDULE, VNM_FOCAL], lambda w: f"/api/bilaterals/delegations/{w.viet_nam.pk}/agenda"),
    ("post", "/api/bilaterals/runs"): Operation(ORGANISER, body=lambda w: {"time_limit": 5}),
    ("get", "/api/bilaterals/runs/{pk}"): Operation(
        SCHEDULE, lambda w: f"/api/bilaterals/runs/{w.bil_run.pk}"),
}
