"""The treaty record over JSON: the public status, structure and notifications, and the
depositary's actions — the same services and rules as the web pages."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.directory.models import Entity
from convene.treaty import services
from convene.treaty.models import (
    DepositaryNotification,
    Instrument,
    InstrumentKind,
    MadeAt,
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
            "adoption": t.adoption, "depositary": t.depositary, "chapters": t.structure,
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
