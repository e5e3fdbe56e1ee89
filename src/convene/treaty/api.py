"""The treaty record over JSON: the public status, structure and notifications, and the
depositary's actions — the same services and rules as the web pages."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.directory.models import Entity
from convene.treaty import services
from convene.treaty.models import (
    Denunciation,
    DepositaryNotification,
    Instrument,
    InstrumentKind,
    MadeAt,
    Objection,
    SignatoryCapacity,
    Statement,
)

router = Router(tags=["treaty"])


class Error(Schema):
    detail: str


class Refusal(Schema):
    detail: str
    field: str | None = None


DENIED = {401: Error, 403: Error, 404: Error}


def _treaty():
    treaty = services.current_treaty()
    if treaty is None:
        raise HttpError(404, "No treaty has been set up.")
    return treaty


def _entity(code: str) -> Entity:
    entity = Entity.objects.filter(code=code).first()
    if entity is None:
        raise HttpError(422, f"Unknown participant {code!r}.")
    return entity


def _require(request):
    if not request.user.has_perm(services.PERMISSION):
        raise HttpError(403, "You may not do this.")


# --- Public ---------------------------------------------------------------------------------

@router.get("/status", auth=None, response={200: dict, 404: Error},
            summary="The status table: signatures, instruments, statements, entry into force "
                    "(public)")
def status(request):
    return services.status_json(services.status(_treaty()))


class ArticleOut(Schema):
    number: int
    title: str
    title_verified: bool  # read in the official text, or confirmed by an organiser


class ChapterOut(Schema):
    number: str
    title: str
    articles: list[ArticleOut]


class ConventionOut(Schema):
    code: str
    short_title: str
    title: str
    concluded_at: str
    concluded_on: date
    adoption: str
    depositary: str
    chapters: list[ChapterOut]
    final_clauses: dict
    sources: list[dict]


@router.get("/convention", auth=None, response={200: ConventionOut, 404: Error},
            summary="The treaty's structure (chapters, articles) and final clauses (public)")
def convention(request):
    t = _treaty()
    return {"code": t.code, "short_title": t.short_title, "title": t.title,
            "concluded_at": t.concluded_at, "concluded_on": t.concluded_on,
            "adoption": t.adoption, "depositary": t.depositary,
            "chapters": [{"number": ch.number, "title": ch.title,
                          "articles": [{"number": a.number, "title": a.title,
                                        "title_verified": a.verified} for a in ch.articles]}
                         for ch in services.articles(t)],
            "final_clauses": t.final_clauses, "sources": t.sources}


class NotificationOut(Schema):
    id: int
    reference: str
    issued_on: date
    subject: str
    body: str
    participant: str | None
    demo: bool


@router.get("/notifications", auth=None, response={200: list[NotificationOut], 404: Error},
            summary="Depositary notifications, newest first (public)")
def notifications(request):
    qs = DepositaryNotification.objects.filter(treaty=_treaty()).select_related(
        "treaty", "entity")
    return [{"id": n.pk, "reference": n.reference, "issued_on": n.issued_on,
             "subject": n.subject, "body": n.body,
             "participant": n.entity.code if n.entity else None, "demo": n.is_demo}
            for n in qs]


# --- The depositary -------------------------------------------------------------------------

class SignatureIn(Schema):
    participant: str  # entity code
    signed_on: date
    place: str
    signatory_name: str
    capacity: SignatoryCapacity
    signatory_function: str = ""
    full_powers_checked: bool = False


class SignatureOut(Schema):
    id: int
    participant: str
    signed_on: date
    place: str
    signatory_name: str
    capacity: str
    full_powers_required: bool


@router.post("/signatures", response={201: SignatureOut, 409: Refusal, 422: Error, **DENIED},
             summary="Record a signature (depositary)")
def sign(request, payload: SignatureIn):
    _require(request)
    try:
        s = services.record_signature(
            request.user, _entity(payload.participant), signed_on=payload.signed_on,
            place=payload.place, signatory_name=payload.signatory_name,
            capacity=payload.capacity, signatory_function=payload.signatory_function,
            full_powers_checked=payload.full_powers_checked, treaty=_treaty())
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 201, {"id": s.pk, "participant": s.entity.code, "signed_on": s.signed_on,
                 "place": s.place, "signatory_name": s.signatory_name,
                 "capacity": s.signatory_capacity, "full_powers_required": s.full_powers_required}


class InstrumentIn(Schema):
    participant: str
    kind: InstrumentKind
    deposited_on: date


class InstrumentOut(Schema):
    id: int
    participant: str
    kind: str
    deposited_on: date
    withdrawn_on: date | None


def _instrument_out(i: Instrument) -> dict:
    return {"id": i.pk, "participant": i.entity.code, "kind": i.kind,
            "deposited_on": i.deposited_on, "withdrawn_on": i.withdrawn_on}


@router.post("/instruments", response={201: InstrumentOut, 409: Refusal, 422: Error, **DENIED},
             summary="Record the deposit of an instrument (depositary)")
def deposit(request, payload: InstrumentIn):
    _require(request)
    try:
        i = services.deposit_instrument(request.user, _entity(payload.participant),
                                        kind=payload.kind, deposited_on=payload.deposited_on,
                                        treaty=_treaty())
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 201, _instrument_out(i)


class Withdrawal(Schema):
    withdrawn_on: date


@router.post("/instruments/{pk}/withdraw", response={200: InstrumentOut, 409: Refusal,
                                                     **DENIED},
             summary="Record the withdrawal of an instrument (depositary)")
def withdraw_instrument(request, pk: int, payload: Withdrawal):
    _require(request)
    instrument = get_object_or_404(Instrument.objects.select_related("entity", "treaty"), pk=pk)
    try:
        i = services.withdraw_instrument(request.user, instrument,
                                         withdrawn_on=payload.withdrawn_on)
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 200, _instrument_out(i)


class StatementIn(Schema):
    participant: str
    kind: str
    made_at: MadeAt
    made_on: date
    text: str


class StatementOut(Schema):
    id: int
    participant: str
    kind: str
    made_at: str
    made_on: date
    text: str
    withdrawn_on: date | None


def _statement_out(s: Statement) -> dict:
    return {"id": s.pk, "participant": s.entity.code, "kind": s.kind, "made_at": s.made_at,
            "made_on": s.made_on, "text": s.text, "withdrawn_on": s.withdrawn_on}


@router.post("/statements", response={201: StatementOut, 409: Refusal, 422: Error, **DENIED},
             summary="Record a reservation, declaration or notification (depositary)")
def make_statement(request, payload: StatementIn):
    _require(request)
    try:
        s = services.make_statement(request.user, _entity(payload.participant),
                                    kind=payload.kind, made_at=payload.made_at,
                                    made_on=payload.made_on, text=payload.text,
                                    treaty=_treaty())
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 201, _statement_out(s)


@router.post("/statements/{pk}/withdraw", response={200: StatementOut, 409: Refusal,
                                                    **DENIED},
             summary="Record the withdrawal of a reservation or declaration (depositary)")
def withdraw_statement(request, pk: int, payload: Withdrawal):
    _require(request)
    statement = get_object_or_404(Statement.objects.select_related("entity", "treaty"), pk=pk)
    try:
        s = services.withdraw_statement(request.user, statement,
                                        withdrawn_on=payload.withdrawn_on)
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 200, _statement_out(s)


# --- Denunciations and objections -----------------------------------------------------------

class DenunciationIn(Schema):
    participant: str
    received_on: date  # the date the depositary received the written notification


class DenunciationOut(Schema):
    id: int
    participant: str
    received_on: date
    takes_effect_on: date  # art. 67(1): one year after receipt
    in_effect: bool
    demo: bool


def _denunciation_out(d: Denunciation) -> dict:
    from django.utils import timezone

    return {"id": d.pk, "participant": d.entity.code, "received_on": d.received_on,
            "takes_effect_on": d.takes_effect_on,
            "in_effect": d.takes_effect_on <= timezone.localdate(), "demo": d.is_demo}


@router.get("/denunciations", auth=None, response={200: list[DenunciationOut], 404: Error},
            summary="Denunciations and when each takes effect (public)")
def denunciations(request):
    qs = Denunciation.objects.filter(treaty=_treaty()).select_related("entity")
    return [_denunciation_out(d) for d in qs]


@router.post("/denunciations", response={201: DenunciationOut, 409: Refusal, 422: Error,
                                         **DENIED},
             summary="Record a denunciation (depositary)")
def denounce(request, payload: DenunciationIn):
    _require(request)
    try:
        d = services.denounce(request.user, _entity(payload.participant),
                              received_on=payload.received_on, treaty=_treaty())
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 201, _denunciation_out(d)


class ObjectionIn(Schema):
    statement: int  # id of the reservation or declaration objected to
    participant: str  # the objecting State or REIO
    made_on: date
    text: str
    precludes_entry_into_force: bool = False  # VCLT art. 20(4)(b)


class ObjectionOut(Schema):
    id: int
    statement: int
    statement_kind: str
    statement_by: str
    participant: str
    made_on: date
    text: str
    precludes_entry_into_force: bool
    within_twelve_months: bool  # VCLT art. 20(5)
    demo: bool


def _objection_out(o: Objection) -> dict:
    return {"id": o.pk, "statement": o.statement_id, "statement_kind": o.statement.kind,
            "statement_by": o.statement.entity.code, "participant": o.entity.code,
            "made_on": o.made_on, "text": o.text,
            "precludes_entry_into_force": o.precludes_entry_into_force,
            "within_twelve_months": services.objection_in_time(o), "demo": o.is_demo}


@router.get("/objections", auth=None, response={200: list[ObjectionOut], 404: Error},
            summary="Objections to reservations and declarations (public)")
def objections(request):
    qs = Objection.objects.filter(treaty=_treaty()).select_related("entity",
                                                                   "statement__entity")
    return [_objection_out(o) for o in qs]


@router.post("/objections", response={201: ObjectionOut, 409: Refusal, 422: Error, **DENIED},
             summary="Record an objection to a reservation or declaration (depositary)")
def object_to(request, payload: ObjectionIn):
    _require(request)
    treaty = _treaty()
    statement = Statement.objects.filter(pk=payload.statement, treaty=treaty).first()
    if statement is None:
        raise HttpError(422, f"Unknown statement {payload.statement}.")
    try:
        o = services.object_to(request.user, statement, _entity(payload.participant),
                               made_on=payload.made_on, text=payload.text,
                               precludes_entry_into_force=payload.precludes_entry_into_force)
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 201, _objection_out(o)


# --- Article titles -------------------------------------------------------------------------

class TitleCheckIn(Schema):
    title: str  # as the official text has it
    source: str  # which official text it was checked against


@router.post("/articles/{number}/confirm", response={200: ArticleOut, 409: Refusal, **DENIED},
             summary="Confirm an unverified article title against the official text "
                     "(organiser)")
def confirm_article(request, number: int, payload: TitleCheckIn):
    if not request.user.has_perm(services.CONFIRM_TITLES):
        raise HttpError(403, "You may not do this.")
    try:
        check = services.confirm_article_title(request.user, number, title=payload.title,
                                               source=payload.source, treaty=_treaty())
    except services.ActionRefused as exc:
        return 409, {"detail": exc.message, "field": exc.field}
    return 200, {"number": check.article, "title": check.title, "title_verified": True}
