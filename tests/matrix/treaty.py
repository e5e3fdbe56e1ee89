"""Treaty record pages and API: public status, structure and notifications; the depositary's
workspace and actions for the depositary alone."""

from datetime import date

from django.urls import reverse

from convene.treaty import services
from convene.treaty.models import Instrument, Signature, Statement
from tests.matrix import EVERYONE, Operation, Page

DEPOSITARY = ["depositary"]
ORGANISER = ["organiser"]  # confirms unverified article titles against the official text
HANOI_DAY = date(2025, 10, 25)


def prepare(world):
    treaty = services.load_treaty()
    world.treaty = treaty
    vnm = world.viet_nam.entity
    Signature.objects.create(treaty=treaty, entity=vnm, signed_on=HANOI_DAY, place="Hanoi",
                             signatory_name="Nguyen Van A", signatory_capacity="head_of_state",
                             full_powers_required=False)
    world.instrument = Instrument.objects.create(treaty=treaty, entity=vnm, kind="ratification",
                                                 deposited_on=date(2026, 3, 2))
    world.statement = Statement.objects.create(
        treaty=treaty, entity=vnm, kind="central-authority-40", made_at="deposit",
        made_on=date(2026, 3, 2), text="Ministry of Public Security")
    world.reservation = Statement.objects.create(
        treaty=treaty, entity=vnm, kind="reservation-11-3", made_at="deposit",
        made_on=date(2026, 3, 2), text="Article 11(1) not applied.")
    world.notification = treaty.notifications.first()


def _plain(name):
    return lambda w: reverse(name)


def _pk(name, attr):
    return lambda w: reverse(name, kwargs={"pk": getattr(w, attr).pk})


WITHDRAW = {"withdrawn_on": "2026-04-01"}

PAGES = {
    "treaty:status": Page(EVERYONE, _plain("treaty:status")),
    "treaty:status_csv": Page(EVERYONE, _plain("treaty:status_csv")),
    "treaty:status_json": Page(EVERYONE, _plain("treaty:status_json")),
    "treaty:convention": Page(EVERYONE, _plain("treaty:convention")),
    "treaty:notifications": Page(EVERYONE, _plain("treaty:notifications")),
    "treaty:notification": Page(EVERYONE, _pk("treaty:notification", "notification")),
    "treaty:depositary": Page(DEPOSITARY, _plain("treaty:depositary")),
    "treaty:ceremony": Page(DEPOSITARY, _plain("treaty:ceremony")),
    "treaty:ceremony_sign": Page(
        DEPOSITARY, lambda w: reverse("treaty:ceremony_sign",
                                      kwargs={"delegation_pk": w.lao.pk}), "post",
        lambda w: {"signed_on": "2025-10-25", "signatory_name": "Demo Phommavong",
                   "signatory_capacity": "head_of_state"}),
    "treaty:signature_new": Page(DEPOSITARY, _plain("treaty:signature_new")),
    "treaty:instrument_new": Page(DEPOSITARY, _plain("treaty:instrument_new")),
    "treaty:instrument_withdraw": Page(DEPOSITARY, _pk("treaty:instrument_withdraw",
                                                       "instrument"), "post",
                                       lambda w: WITHDRAW),
    "treaty:statement_new": Page(DEPOSITARY, _plain("treaty:statement_new")),
    "treaty:statement_withdraw": Page(DEPOSITARY, _pk("treaty:statement_withdraw",
                                                      "statement"), "post",
                                      lambda w: WITHDRAW),
    "treaty:import": Page(DEPOSITARY, _plain("treaty:import")),
    "treaty:denunciation_new": Page(DEPOSITARY, _plain("treaty:denunciation_new")),
    "treaty:objection_new": Page(DEPOSITARY, _plain("treaty:objection_new")),
    "treaty:article_confirm": Page(ORGANISER, lambda w: reverse("treaty:article_confirm",
                                                                kwargs={"number": 30})),
}


def _api(path, attr=None):
    return lambda w: path.replace("{pk}", str(getattr(w, attr).pk)) if attr else path


OPERATIONS = {
    ("get", "/api/treaty/status"): Operation(EVERYONE),
    ("get", "/api/treaty/convention"): Operation(EVERYONE),
    ("get", "/api/treaty/notifications"): Operation(EVERYONE),
    ("post", "/api/treaty/signatures"): Operation(
        DEPOSITARY, body=lambda w: {
            "participant": w.lao.entity.code, "signed_on": "2025-10-26", "place": "Hanoi",
            "signatory_name": "Demo Phommavong", "capacity": "head_of_state"}, ok=(201,)),
    ("post", "/api/treaty/instruments"): Operation(
        DEPOSITARY, body=lambda w: {"participant": w.lao.entity.code, "kind": "accession",
                                    "deposited_on": "2026-05-04"}, ok=(201,)),
    ("post", "/api/treaty/instruments/{pk}/withdraw"): Operation(
        DEPOSITARY, _api("/api/treaty/instruments/{pk}/withdraw", "instrument"),
        lambda w: WITHDRAW, ok=(200,)),
    ("post", "/api/treaty/statements"): Operation(
        DEPOSITARY, body=lambda w: {"participant": w.viet_nam.entity.code,
                                    "kind": "contact-point-41", "made_at": "later",
                                    "made_on": "2026-04-01", "text": "24/7 desk"}, ok=(201,)),
    ("get", "/api/treaty/denunciations"): Operation(EVERYONE),
    ("get", "/api/treaty/objections"): Operation(EVERYONE),
    # Viet Nam's instrument is deposited but the Convention is not in force: the rules answer
    # 409 (withdraw, do not denounce) once the permission let the call through.
    ("post", "/api/treaty/denunciations"): Operation(
        DEPOSITARY, body=lambda w: {"participant": w.viet_nam.entity.code,
                                    "received_on": "2026-04-01"}, ok=(201, 409)),
    ("post", "/api/treaty/objections"): Operation(
        DEPOSITARY, body=lambda w: {"statement": w.reservation.pk,
                                    "participant": w.lao.entity.code, "made_on": "2026-04-01",
                                    "text": "Objection."}, ok=(201,)),
    ("post", "/api/treaty/articles/{number}/confirm"): Operation(
        ORGANISER, lambda w: "/api/treaty/articles/30/confirm",
        lambda w: {"title": "Interception of content data", "source": "A/RES/79/243"},
        ok=(200,)),
    ("post", "/api/treaty/statements/{pk}/withdraw"): Operation(
        DEPOSITARY, _api("/api/treaty/statements/{pk}/withdraw", "statement"),
        lambda w: WITHDRAW, ok=(200,)),
}
