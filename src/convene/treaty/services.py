"""What the depositary does with a treaty: each action is one transaction, checked and audited,
and each issues its depositary notification (C.N.) in the same transaction.

Views, the JSON API and — for signatures made at the ceremony — the programme's signing schedule
call these functions, so they cannot disagree on the rules. The rules themselves are plain
functions: depositary_rules.py (what may be accepted) and entry_into_force.py (dates).

Integration point for the signing schedule (issue 4): call `record_signature(user, entity,
signed_on=…, place=…, signatory_name=…, capacity=capacity_for_rank(member.rank),
signatory_function=…, full_powers_checked=…, source=SignatureSource.CEREMONY,
schedule_ref="<slot reference>")`; `full_powers_required(capacity, entity)` says whether a
signatory may be scheduled without checked full powers.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.audit.services import record, snapshot
from convene.core.exports import csv_bytes
from convene.directory.models import Entity, EntityKind
from convene.treaty import depositary_rules as rules
from convene.treaty import entry_into_force as eif
from convene.treaty import status_import, treaty_data
from convene.treaty.depositary_rules import Participant, Refused
from convene.treaty.final_clauses import REIO, STATE
from convene.treaty.models import (
    ArticleTitleCheck,
    Denunciation,
    DepositaryNotification,
    Instrument,
    MadeAt,
    NotificationAction,
    Objection,
    SignatoryCapacity,
    Signature,
    SignatureSource,
    Statement,
    Treaty,
)

ActionRefused = Refused  # what callers catch: .message for the person, .field for the form
capacity_for_rank = rules.capacity_for_rank
PERMISSION = "treaty.record_action"
CONFIRM_TITLES = "treaty.confirm_article_titles"


# --- The treaty itself ----------------------------------------------------------------------

def current_treaty() -> Treaty | None:
    """The treaty this installation keeps the record of (the first one set up)."""
    return Treaty.objects.order_by("pk").first()


@transaction.atomic
def load_treaty(actor=None, path: Path = treaty_data.CONVENTION_FILE) -> Treaty:
    """Create or update the treaty from its data file; running it twice changes nothing."""
    data = treaty_data.load(path)
    values = {
        "short_title": data.short_title, "title": data.title, "concluded_at": data.concluded_at,
        "concluded_on": data.concluded_on, "adoption": data.adoption,
        "official_text": data.official_text, "depositary": data.depositary,
        "untc_reference": data.untc_reference, "cn_series": data.cn_series,
        "authentic_languages": list(data.authentic_languages), "sources": list(data.sources),
        "structure": [{"number": ch.number, "title": ch.title,
                       "articles": [{"number": a.number, "title": a.title,
                                     "title_verified": a.title_verified}
                                    for a in ch.articles]} for ch in data.chapters],
        "final_clauses": data.raw_final_clauses,
    }
    treaty = Treaty.objects.filter(code=data.code).first()
    if treaty is None:
        treaty = Treaty.objects.create(code=data.code, **values)
        record(actor, "treaty.loaded", treaty, after={"code": treaty.code,
                                                      "articles": treaty.article_count},
               summary=f"{treaty.short_title}: {treaty.article_count} articles")
    else:
        changed = [k for k, v in values.items() if getattr(treaty, k) != v]
        if changed:
            before = {k: getattr(treaty, k) for k in changed}
            for k in changed:
                setattr(treaty, k, values[k])
            treaty.save()
            record(actor, "treaty.updated", treaty, before=before,
                   after={k: values[k] for k in changed},
                   summary=f"{treaty.short_title} ({', '.join(changed)})")
    for n in data.notifications:
        if not DepositaryNotification.objects.filter(year=n.year, number=n.number).exists():
            DepositaryNotification.objects.create(
                treaty=treaty, year=n.year, number=n.number, issued_on=n.issued_on,
                action=n.action, subject=n.title.upper(),
                body=f"{n.title} ({treaty.short_title}).")
    return treaty


def _require(user) -> None:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def _locked(treaty: Treaty) -> Treaty:
    """Re-read the treaty under a row lock: one action at a time per treaty, so the rules see
    every earlier action and notification numbers do not collide."""
    return Treaty.objects.select_for_update().get(pk=treaty.pk)


def _today() -> date:
    return timezone.localdate()


def participant_kind(entity: Entity) -> str:
    if entity.kind in (EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE):
        return STATE
    return REIO if entity.kind == EntityKind.REIO else "other"


def full_powers_required(capacity: str, entity: Entity) -> bool:
    """Does a signatory in this capacity, for this State or REIO, need full powers?"""
    return rules.full_powers_required(capacity, participant_kind(entity))


def _participant(treaty: Treaty, entity: Entity) -> Participant:
    signature = Signature.objects.filter(treaty=treaty, entity=entity).first()
    instrument = Instrument.objects.filter(treaty=treaty, entity=entity,
                                           withdrawn_on__isnull=True).first()
    return Participant(entity.name_en, participant_kind(entity),
                       signature.signed_on if signature else None,
                       instrument.kind if instrument else None,
                       instrument.deposited_on if instrument else None)


def _member_codes(entity: Entity) -> frozenset[str]:
    return treaty_data.reio_members().get(entity.code, frozenset())


def _status_of(treaty: Treaty) -> eif.EntryIntoForce:
    deposits = [eif.Deposit(i.entity.code, i.deposited_on, i.entity.kind == EntityKind.REIO,
                            i.withdrawn_on)
                for i in Instrument.objects.filter(treaty=treaty).select_related("entity")]
    return eif.compute(treaty.clauses().entry_into_force, deposits)


# --- Depositary notifications ---------------------------------------------------------------
# A notification is a document the depositary issues, in English as the Secretary-General's
# are (with French); its text is therefore not translated with the interface.

def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _issue(actor, treaty: Treaty, *, action: str, entity: Entity | None, subject: str,
           body: str, obj, issued_on: date | None = None,
           is_demo: bool = False) -> DepositaryNotification:
    issued_on = issued_on or _today()
    year = issued_on.year
    number = (DepositaryNotification.objects.filter(year=year).aggregate(m=Max("number"))["m"]
              or 0) + 1
    opening = (f"The {treaty.depositary}, acting in the capacity of depositary, communicates "
               "the following:")
    cn = DepositaryNotification.objects.create(
        treaty=treaty, year=year, number=number, issued_on=issued_on, action=action,
        entity=entity, subject=subject, body=f"{opening}\n\n{body}",
        object_type=obj._meta.label_lower, object_id=str(obj.pk), is_demo=is_demo)
    record(actor, "treaty.notification_issued", cn,
           after={"reference": cn.reference, "subject": subject},
           summary=f"{cn.reference}: {subject}")
    return cn


def _article_text(article: str, text: str) -> str:
    return f"in accordance with its article {article}" + (
        f", which reads as follows:\n\n\"{text}\"" if text else ".")


# --- Signatures -----------------------------------------------------------------------------

def record_signature(user, entity: Entity, *, signed_on: date, place: str,
                     signatory_name: str, capacity: str, signatory_function: str = "",
                     full_powers_checked: bool = False, source: str = SignatureSource.DIRECT,
                     schedule_ref: str = "", treaty: Treaty | None = None) -> Signature:
    """Record a State's or REIO's signature, or raise ActionRefused saying why not."""
    _require(user)
    with transaction.atomic():
        return _sign(user, treaty or current_treaty(), entity, signed_on=signed_on, place=place,
                     signatory_name=signatory_name, capacity=capacity,
                     signatory_function=signatory_function,
                     full_powers_checked=full_powers_checked, source=source,
                     schedule_ref=schedule_ref)


def _sign(actor, treaty: Treaty, entity: Entity, *, signed_on: date, place: str,
          signatory_name: str, capacity: str, signatory_function: str = "",
          full_powers_checked: bool = False, source: str = SignatureSource.DIRECT,
          schedule_ref: str = "", is_demo: bool = False, notify: bool = True,
          issued_on: date | None = None, today: date | None = None) -> Signature:
    treaty = _locked(treaty)
    clauses = treaty.clauses()
    if capacity not in SignatoryCapacity.values:
        raise Refused(_("Choose the capacity in which the signatory signs."), "capacity")
    if source != SignatureSource.IMPORT and not signatory_name.strip():
        raise Refused(_("Give the name of the signatory."), "signatory_name")
    members = Signature.objects.filter(treaty=treaty, entity__code__in=_member_codes(entity))
    place = rules.check_signature(
        clauses, _participant(treaty, entity), signed_on=signed_on, place=place,
        capacity=capacity, full_powers_checked=full_powers_checked, today=today or _today(),
        member_signatures=members.values_list("signed_on", flat=True))
    signature = Signature.objects.create(
        treaty=treaty, entity=entity, signed_on=signed_on, place=place,
        signatory_name=signatory_name.strip(), signatory_capacity=capacity,
        signatory_function=signatory_function.strip(),
        full_powers_required=full_powers_required(capacity, entity),
        full_powers_checked=full_powers_checked, source=source, schedule_ref=schedule_ref,
        is_demo=is_demo, recorded_by=actor if actor is not None and actor.is_authenticated
        else None)
    record(actor, "treaty.signature_recorded", signature, after=snapshot(signature),
           summary=f"{entity.name_en} signed on {signed_on:%Y-%m-%d} at {place}")
    if notify:
        _issue(actor, treaty, action=NotificationAction.SIGNATURE, entity=entity,
               subject=f"{entity.name_en.upper()}: SIGNATURE",
               body=f"The above action was effected on {_long(signed_on)} at {place}.",
               obj=signature, issued_on=issued_on, is_demo=is_demo)
    return signature


# --- Instruments ----------------------------------------------------------------------------

def deposit_instrument(user, entity: Entity, *, kind: str, deposited_on: date,
                       treaty: Treaty | None = None) -> Instrument:
    """Record the deposit of an instrument, or raise ActionRefused saying why not."""
    _require(user)
    with transaction.atomic():
        return _deposit(user, treaty or current_treaty(), entity, kind=kind,
                        deposited_on=deposited_on)


def _deposit(actor, treaty: Treaty, entity: Entity, *, kind: str, deposited_on: date,
             is_demo: bool = False, notify: bool = True, issued_on: date | None = None,
             today: date | None = None) -> Instrument:
    treaty = _locked(treaty)
    clauses = treaty.clauses()
    members = Instrument.objects.filter(treaty=treaty, entity__code__in=_member_codes(entity),
                                        withdrawn_on__isnull=True)
    rules.check_instrument(
        clauses, _participant(treaty, entity), kind=kind, deposited_on=deposited_on,
        today=today or _today(), concluded_on=treaty.concluded_on,
        member_deposits=members.values_list("deposited_on", flat=True))
    instrument = Instrument.objects.create(
        treaty=treaty, entity=entity, kind=kind, deposited_on=deposited_on, is_demo=is_demo,
        recorded_by=actor if actor is not None and actor.is_authenticated else None)
    record(actor, "treaty.instrument_deposited", instrument, after=snapshot(instrument),
           summary=f"{entity.name_en}: {kind} deposited on {deposited_on:%Y-%m-%d}")
    if notify:
        status = _status_of(treaty)
        rule = clauses.entry_into_force
        body = f"The above action was effected on {_long(deposited_on)}."
        if status.trigger is not None and status.trigger.party == entity.code and (
                status.trigger.deposited_on == deposited_on):
            body += (f"\n\nThe Convention will enter into force on {_long(status.date)} "
                     + _article_text(rule.article, rule.text))
        elif entity.code in status.party_dates:
            body += (f"\n\nThe Convention will enter into force for {entity.name_en} on "
                     f"{_long(status.party_dates[entity.code])} "
                     + _article_text(rule.later_article, rule.later_text))
        _issue(actor, treaty, action=NotificationAction.INSTRUMENT, entity=entity,
               subject=f"{entity.name_en.upper()}: {kind.upper()}", body=body, obj=instrument,
               issued_on=issued_on, is_demo=is_demo)
    return instrument


def withdraw_instrument(user, instrument: Instrument, *, withdrawn_on: date | None) -> Instrument:
    """Record the withdrawal of an instrument before the treaty took effect for its party."""
    _require(user)
    with transaction.atomic():
        treaty = _locked(instrument.treaty)
        instrument = Instrument.objects.select_related("entity").get(pk=instrument.pk)
        status = _status_of(treaty)
        rules.check_instrument_withdrawal(
            name=instrument.entity.name_en, deposited_on=instrument.deposited_on,
            withdrawn_on=withdrawn_on, already_withdrawn_on=instrument.withdrawn_on,
            in_force_on=status.party_dates.get(instrument.entity.code) if instrument.withdrawn_on
            is None else None, today=_today(),
            denunciation_article=treaty.clauses().denunciation_article)
        before = snapshot(instrument, ["withdrawn_on"])
        instrument.withdrawn_on = withdrawn_on
        instrument.save(update_fields=["withdrawn_on"])
        record(user, "treaty.instrument_withdrawn", instrument, before=before,
               after=snapshot(instrument, ["withdrawn_on"]),
               summary=f"{instrument.entity.name_en}: {instrument.kind} withdrawn")
        entity = instrument.entity
        _issue(user, treaty, action=NotificationAction.INSTRUMENT_WITHDRAWAL, entity=entity,
               subject=f"{entity.name_en.upper()}: WITHDRAWAL OF INSTRUMENT OF "
                       f"{instrument.kind.upper()}",
               body=(f"On {_long(withdrawn_on)}, {entity.name_en} notified the "
                     f"{treaty.depositary} of the withdrawal of its instrument of "
                     f"{instrument.kind} deposited on {_long(instrument.deposited_on)}."),
               obj=instrument)
    return instrument


# --- Reservations, declarations, notifications ----------------------------------------------

def make_statement(user, entity: Entity, *, kind: str, made_at: str, made_on: date, text: str,
                   treaty: Treaty | None = None) -> Statement:
    """Record a reservation, declaration or notification, or raise ActionRefused."""
    _require(user)
    with transaction.atomic():
        return _state(user, treaty or current_treaty(), entity, kind=kind, made_at=made_at,
                      made_on=made_on, text=text)


def _state(actor, treaty: Treaty, entity: Entity, *, kind: str, made_at: str, made_on: date,
           text: str, is_demo: bool = False, issued_on: date | None = None,
           today: date | None = None) -> Statement:
    treaty = _locked(treaty)
    if not text.strip():
        raise Refused(_("Give the text as the State communicated it."), "text")
    if made_at not in MadeAt.values:
        raise Refused(_("Say when it was made."), "made_at")
    info = rules.check_statement(treaty.clauses(), _participant(treaty, entity), kind=kind,
                                 made_at=made_at, made_on=made_on, today=today or _today())
    statement = Statement.objects.create(
        treaty=treaty, entity=entity, kind=kind, made_at=made_at, made_on=made_on,
        text=text.strip(), is_demo=is_demo,
        recorded_by=actor if actor is not None and actor.is_authenticated else None)
    record(actor, "treaty.statement_made", statement, after=snapshot(statement),
           summary=f"{entity.name_en}: {info.label}")
    when = {"signature": "upon signature", "deposit": "upon deposit of its instrument",
            "later": "by notification"}[made_at]
    _issue(actor, treaty, action=NotificationAction.STATEMENT, entity=entity,
           subject=f"{entity.name_en.upper()}: {_statement_title(info)}",
           body=(f"On {_long(made_on)}, {when}, {entity.name_en} made the following "
                 f"{info.category}:\n\n\"{statement.text}\""),
           obj=statement, issued_on=issued_on, is_demo=is_demo)
    return statement


def _statement_title(info) -> str:
    return info.category.upper() + (f" UNDER ARTICLE {info.article}" if info.article else "")


def withdraw_statement(user, statement: Statement, *, withdrawn_on: date | None) -> Statement:
    _require(user)
    with transaction.atomic():
        return _withdraw_statement(user, statement, withdrawn_on=withdrawn_on)


def _withdraw_statement(actor, statement: Statement, *, withdrawn_on: date | None,
                        issued_on: date | None = None, today: date | None = None) -> Statement:
    treaty = _locked(statement.treaty)
    statement = Statement.objects.select_related("entity").get(pk=statement.pk)
    rules.check_statement_withdrawal(made_on=statement.made_on, withdrawn_on=withdrawn_on,
                                     already_withdrawn_on=statement.withdrawn_on,
                                     today=today or _today())
    before = snapshot(statement, ["withdrawn_on"])
    statement.withdrawn_on = withdrawn_on
    statement.save(update_fields=["withdrawn_on"])
    info = treaty.clauses().statement_kind(statement.kind)
    entity = statement.entity
    record(actor, "treaty.statement_withdrawn", statement, before=before,
           after=snapshot(statement, ["withdrawn_on"]),
           summary=f"{entity.name_en}: {info.label if info else statement.kind} withdrawn")
    title = _statement_title(info) if info else "STATEMENT"
    _issue(actor, treaty, action=NotificationAction.STATEMENT_WITHDRAWAL, entity=entity,
           subject=f"{entity.name_en.upper()}: WITHDRAWAL OF {title}",
           body=(f"On {_long(withdrawn_on)}, {entity.name_en} notified the {treaty.depositary} "
                 f"of its decision to withdraw the {info.category if info else 'statement'} "
                 f"it made on {_long(statement.made_on)}."),
           obj=statement, issued_on=issued_on, is_demo=statement.is_demo)
    return statement


# --- Denunciation (art. 67) -----------------------------------------------------------------

def denounce(user, entity: Entity, *, received_on: date | None,
             treaty: Treaty | None = None) -> Denunciation:
    """Record a party's notification of denunciation, or raise ActionRefused saying why not;
    the day it takes effect is the final clauses' (art. 67(1): one year after receipt)."""
    _require(user)
    with transaction.atomic():
        return _denounce(user, treaty or current_treaty(), entity, received_on=received_on)


def _denounce(actor, treaty: Treaty, entity: Entity, *, received_on: date | None,
              is_demo: bool = False, issued_on: date | None = None,
              today: date | None = None) -> Denunciation:
    treaty = _locked(treaty)
    rule = treaty.clauses().denunciation
    instrument = Instrument.objects.filter(treaty=treaty, entity=entity,
                                           withdrawn_on__isnull=True).first()
    earlier = Denunciation.objects.filter(instrument=instrument).first() if instrument else None
    status = _status_of(treaty)
    takes_effect_on = rules.check_denunciation(
        rule, _participant(treaty, entity), received_on=received_on,
        in_force_on=status.party_dates.get(entity.code),
        already_received_on=earlier.received_on if earlier else None, today=today or _today())
    denunciation = Denunciation.objects.create(
        treaty=treaty, entity=entity, instrument=instrument, received_on=received_on,
        takes_effect_on=takes_effect_on, is_demo=is_demo,
        recorded_by=actor if actor is not None and actor.is_authenticated else None)
    record(actor, "treaty.denunciation_recorded", denunciation, after=snapshot(denunciation),
           summary=f"{entity.name_en} denounced (received {received_on:%Y-%m-%d}, effective "
                   f"{takes_effect_on:%Y-%m-%d})")
    art = rule.effect_article or rule.article
    _issue(actor, treaty, action=NotificationAction.DENUNCIATION, entity=entity,
           subject=f"{entity.name_en.upper()}: DENUNCIATION",
           body=(f"The above action was effected on {_long(received_on)}.\n\n"
                 f"The denunciation will take effect for {entity.name_en} on "
                 f"{_long(takes_effect_on)} in accordance with article {art} of the "
                 f"Convention."),
           obj=denunciation, issued_on=issued_on, is_demo=is_demo)
    return denunciation


# --- Objections to reservations and declarations --------------------------------------------

def object_to(user, statement: Statement, entity: Entity, *, made_on: date | None, text: str,
              precludes_entry_into_force: bool = False) -> Objection:
    """Record a State's objection to a reservation or declaration, or raise ActionRefused."""
    _require(user)
    with transaction.atomic():
        return _object(user, statement, entity, made_on=made_on, text=text,
                       precludes_entry_into_force=precludes_entry_into_force)


def _object(actor, statement: Statement, entity: Entity, *, made_on: date | None, text: str,
            precludes_entry_into_force: bool = False, is_demo: bool = False,
            issued_on: date | None = None, today: date | None = None) -> Objection:
    treaty = _locked(statement.treaty)
    statement = Statement.objects.select_related("entity").get(pk=statement.pk)
    clauses = treaty.clauses()
    info = clauses.statement_kind(statement.kind)
    category = info.category if info else "declaration"
    if not text.strip():
        raise Refused(_("Give the text of the objection as the State communicated it."), "text")
    earlier = Objection.objects.filter(statement=statement, entity=entity).first()
    author = statement.entity
    in_time = rules.check_objection(
        _participant(treaty, entity), author_name=author.name_en,
        is_author=author.pk == entity.pk, category=category,
        statement_made_on=statement.made_on, statement_withdrawn_on=statement.withdrawn_on,
        made_on=made_on, already_on=earlier.made_on if earlier else None,
        open_to=clauses.open_to, today=today or _today())
    objection = Objection.objects.create(
        treaty=treaty, statement=statement, entity=entity, made_on=made_on, text=text.strip(),
        precludes_entry_into_force=precludes_entry_into_force, is_demo=is_demo,
        recorded_by=actor if actor is not None and actor.is_authenticated else None)
    record(actor, "treaty.objection_recorded", objection, after=snapshot(objection),
           summary=f"{entity.name_en} objected to the {category} of {author.name_en} "
                   f"({statement.made_on:%Y-%m-%d})")
    when = {"signature": "upon signature", "deposit": "upon deposit of its instrument",
            "later": "by notification"}.get(statement.made_at, "")
    body = (f"On {_long(made_on)}, {entity.name_en} communicated to the {treaty.depositary} "
            f"the following objection to the {category} made by {author.name_en} "
            f"{when} on {_long(statement.made_on)}:\n\n\"{objection.text}\"")
    if precludes_entry_into_force:
        body += (f"\n\n{entity.name_en} has stated that its objection precludes the entry "
                 f"into force of the Convention between {entity.name_en} and "
                 f"{author.name_en} (Vienna Convention on the Law of Treaties, art. 20(4)(b)).")
    if not in_time:
        body += ("\n\nThe objection was communicated more than twelve months after the "
                 f"{category} was notified (Vienna Convention on the Law of Treaties, "
                 "art. 20(5)).")
    title = _statement_title(info) if info else category.upper()
    _issue(actor, treaty, action=NotificationAction.OBJECTION, entity=entity,
           subject=f"{entity.name_en.upper()}: OBJECTION TO THE {title} MADE BY "
                   f"{author.name_en.upper()}",
           body=body, obj=objection, issued_on=issued_on, is_demo=is_demo)
    return objection


def objection_in_time(objection: Objection) -> bool:
    return objection.made_on <= rules.add_months(objection.statement.made_on,
                                                 rules.OBJECTION_PERIOD_MONTHS)


# --- Article titles checked against the official text ---------------------------------------

@dataclass
class ArticleView:
    number: int
    title: str
    verified: bool  # in the data file as read in the official text, or confirmed here
    check: ArticleTitleCheck | None = None
    data_title: str = ""


@dataclass
class ChapterView:
    number: str
    title: str
    articles: list[ArticleView]


def articles(treaty: Treaty) -> list[ChapterView]:
    """The treaty's chapters and articles as shown: an organiser's confirmed title replaces the
    data file's; a title neither verified in the data file nor confirmed is unverified."""
    checks = {c.article: c for c in ArticleTitleCheck.objects.filter(treaty=treaty)}
    chapters = []
    for ch in treaty.structure:
        items = []
        for a in ch["articles"]:
            check = checks.get(a["number"])
            items.append(ArticleView(
                a["number"], check.title if check else a["title"],
                bool(a.get("title_verified")) or check is not None, check, a["title"]))
        chapters.append(ChapterView(ch["number"], ch["title"], items))
    return chapters


def confirm_article_title(user, number: int, *, title: str, source: str,
                          treaty: Treaty | None = None) -> ArticleTitleCheck:
    """An organiser confirms (or corrects) an article's title against the official text."""
    if not user.has_perm(CONFIRM_TITLES):
        raise PermissionDenied
    with transaction.atomic():
        treaty = _locked(treaty or current_treaty())
        known = {a.number: a for ch in articles(treaty) for a in ch.articles}
        article = known.get(number)
        if article is None:
            raise Refused(_("The treaty has no article %(n)s.") % {"n": number}, "article")
        if article.verified:
            raise Refused(_("The title of article %(n)s is already verified.") % {"n": number},
                          "article")
        title, source = " ".join(title.split()), source.strip()
        if not title:
            raise Refused(_("Give the title as the official text has it."), "title")
        if not source:
            raise Refused(_("Say which official text you checked it against."), "source")
        check = ArticleTitleCheck.objects.create(treaty=treaty, article=number, title=title,
                                                 source=source, confirmed_by=user)
        record(user, "treaty.article_title_confirmed", check,
               before={"title": article.data_title},
               after={"article": number, "title": title, "source": source},
               summary=f"art. {number}: “{title}” confirmed against {source}"
                       + ("" if title == article.data_title else " (corrected)"))
    return check


def name_key(name: str) -> str:
    """Sort key for English names as the UN lists them: accents ignored (Côte d'Ivoire
    after Costa Rica, not after Czechia)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- The status table -----------------------------------------------------------------------

@dataclass
class StatusRow:
    entity: Entity
    signature: Signature | None = None
    instrument: Instrument | None = None  # the one in effect
    withdrawn: list[Instrument] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)  # each with .objections_list
    in_force_on: date | None = None
    denunciation: Denunciation | None = None  # of the instrument in effect
    objections: list[Objection] = field(default_factory=list)  # made by this participant
    denounced: bool = False  # its denunciation has taken effect: no longer a party (art. 67(1))
    reio_ceased_on: date | None = None  # a REIO whose member States all denounced (art. 67(2))

    @property
    def mark(self) -> str:
        return {"acceptance": "A", "approval": "AA", "accession": "a",
                "succession": "d"}.get(self.instrument.kind, "") if self.instrument else ""


@dataclass
class Status:
    treaty: Treaty
    rows: list[StatusRow]
    entry_into_force: eif.EntryIntoForce
    signatories: int
    parties: int
    has_demo: bool

    @property
    def required(self) -> int:
        return self.treaty.clauses().entry_into_force.instruments_required


def status(treaty: Treaty, today: date | None = None) -> Status:
    """The status table: one row per State or REIO that has acted, in a fixed number of
    queries whatever their number."""
    rows: dict[int, StatusRow] = {}

    def row(entity: Entity) -> StatusRow:
        return rows.setdefault(entity.pk, StatusRow(entity))

    has_demo = False
    for s in Signature.objects.filter(treaty=treaty).select_related("entity"):
        row(s.entity).signature = s
        has_demo |= s.is_demo
    instruments = list(Instrument.objects.filter(treaty=treaty).select_related("entity"))
    for i in instruments:
        has_demo |= i.is_demo
        if i.withdrawn_on is None:
            row(i.entity).instrument = i
        else:
            row(i.entity).withdrawn.append(i)
    statements = {}
    for st in Statement.objects.filter(treaty=treaty).select_related("entity"):
        st.objections_list = []
        statements[st.pk] = st
        row(st.entity).statements.append(st)
        has_demo |= st.is_demo
    for o in Objection.objects.filter(treaty=treaty).select_related("entity"):
        o.statement = statements[o.statement_id]
        o.in_time = objection_in_time(o)
        o.statement.objections_list.append(o)
        row(o.entity).objections.append(o)
        has_demo |= o.is_demo
    in_effect = {}
    for d in Denunciation.objects.filter(treaty=treaty).select_related("entity"):
        r = row(d.entity)
        if r.instrument is not None and r.instrument.pk == d.instrument_id:
            r.denunciation = d
            r.denounced = d.takes_effect_on <= (today or _today())
            if r.denounced:
                in_effect[d.entity.code] = d.takes_effect_on
        has_demo |= d.is_demo
    if in_effect:
        members = treaty_data.reio_members()
        for r in rows.values():
            if r.instrument is not None and r.entity.kind == EntityKind.REIO and not r.denounced:
                r.reio_ceased_on = rules.reio_ceases_on(members.get(r.entity.code, ()),
                                                        in_effect)
                r.denounced = r.reio_ceased_on is not None
    state = eif.compute(treaty.clauses().entry_into_force, [
        eif.Deposit(i.entity.code, i.deposited_on, i.entity.kind == EntityKind.REIO,
                    i.withdrawn_on) for i in instruments])
    for r in rows.values():
        if r.instrument is not None:
            r.in_force_on = state.party_dates.get(r.entity.code)
    ordered = sorted(rows.values(), key=lambda r: name_key(r.entity.name_en))
    return Status(treaty, ordered, state,
                  signatories=sum(1 for r in ordered if r.signature),
                  parties=sum(1 for r in ordered if r.instrument and not r.denounced),
                  has_demo=has_demo)


def chart_changes(st: Status) -> tuple[list, list]:
    signatures = [(r.signature.signed_on, 1) for r in st.rows if r.signature]
    instruments = []
    for r in st.rows:
        for i in ([r.instrument] if r.instrument else []) + r.withdrawn:
            instruments.append((i.deposited_on, 1))
            if i.withdrawn_on:
                instruments.append((i.withdrawn_on, -1))
    return signatures, instruments


EXPORT_COLUMNS = ["code", "participant", "signature", "signature_place", "signatory",
                  "capacity", "instrument", "kind", "entry_into_force", "declarations"]


def status_csv(st: Status) -> bytes:
    """The status table as CSV, through convene.core.exports: a signatory's name typed as
    "=HYPERLINK(…)" stays text in a spreadsheet; the import reads the file back as it was."""
    rows = []
    for r in st.rows:
        s, i = r.signature, r.instrument
        rows.append([
            r.entity.code, r.entity.name_en,
            s.signed_on.isoformat() if s else "", s.place if s else "",
            s.signatory_name if s else "", s.signatory_capacity if s else "",
            i.deposited_on.isoformat() if i else "", i.kind if i else "",
            r.in_force_on.isoformat() if r.in_force_on else "",
            "; ".join(f"{x.kind} ({x.made_on.isoformat()}"
                      + (f", withdrawn {x.withdrawn_on.isoformat()})" if x.withdrawn_on else ")")
                      for x in r.statements),
        ])
    return csv_bytes(EXPORT_COLUMNS, rows)


def status_json(st: Status) -> dict:
    treaty, clauses = st.treaty, st.treaty.clauses()
    state = st.entry_into_force

    def iso(day):
        return day.isoformat() if day else None

    return {
        "treaty": {"code": treaty.code, "title": treaty.title, "short_title": treaty.short_title,
                   "concluded_at": treaty.concluded_at, "concluded_on": iso(treaty.concluded_on),
                   "adoption": treaty.adoption, "depositary": treaty.depositary},
        "demo": st.has_demo,
        "signatories": st.signatories,
        "parties": st.parties,
        "entry_into_force": {
            "article": clauses.entry_into_force.article,
            "instruments_required": clauses.entry_into_force.instruments_required,
            "instruments_counted": state.counted, "instruments_still_needed": state.still_needed,
            "date": iso(state.date),
            "triggered_by": {"code": state.trigger.party,
                             "deposited_on": iso(state.trigger.deposited_on)}
            if state.trigger else None,
        },
        "participants": [{
            "code": r.entity.code, "name": r.entity.name_en,
            "signature": {"date": iso(r.signature.signed_on), "place": r.signature.place,
                          "signatory": r.signature.signatory_name,
                          "capacity": r.signature.signatory_capacity} if r.signature else None,
            "instrument": {"kind": r.instrument.kind, "mark": r.mark,
                           "date": iso(r.instrument.deposited_on)} if r.instrument else None,
            "withdrawn_instruments": [{"kind": i.kind, "date": iso(i.deposited_on),
                                       "withdrawn_on": iso(i.withdrawn_on)} for i in r.withdrawn],
            "entry_into_force": iso(r.in_force_on),
            "denunciation": {"received_on": iso(r.denunciation.received_on),
                             "takes_effect_on": iso(r.denunciation.takes_effect_on),
                             "in_effect": r.denounced,
                             "article": clauses.denunciation.effect_article}
            if r.denunciation else None,
            "ceased_to_be_party_on": iso(r.reio_ceased_on),
            "statements": [{"kind": x.kind, "category": _category(clauses, x.kind),
                            "article": _article(clauses, x.kind), "made_at": x.made_at,
                            "made_on": iso(x.made_on), "text": x.text,
                            "withdrawn_on": iso(x.withdrawn_on),
                            "objections": [_objection_json(o) for o in x.objections_list]}
                           for x in r.statements],
            "objections_made": [{**_objection_json(o), "to": o.statement.entity.code,
                                 "statement_kind": o.statement.kind} for o in r.objections],
        } for r in st.rows],
    }


def _objection_json(o: Objection) -> dict:
    return {"by": o.entity.code, "made_on": o.made_on.isoformat(), "text": o.text,
            "precludes_entry_into_force": o.precludes_entry_into_force,
            "within_twelve_months": o.in_time}


def _category(clauses, kind: str) -> str:
    info = clauses.statement_kind(kind)
    return info.category if info else ""


def _article(clauses, kind: str) -> str:
    info = clauses.statement_kind(kind)
    return info.article if info else ""


# --- Import of a status table ---------------------------------------------------------------

@dataclass
class ImportResult:
    signatures: int = 0
    instruments: int = 0
    unchanged: int = 0
    errors: list[status_import.RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_status_table(user, content: bytes, treaty: Treaty | None = None) -> ImportResult:
    """Record every signature and instrument of a CSV status table, or none: any faulty row
    refuses the whole file. Imported actions issue no notification (they were notified when
    they happened); each is in the audit trail."""
    _require(user)
    return _import(user, treaty or current_treaty(), content)


def _import(actor, treaty: Treaty, content: bytes, *, is_demo: bool = False,
            notify: bool = False, today: date | None = None) -> ImportResult:
    today = today or _today()
    with transaction.atomic():
        treaty = _locked(treaty)
        checked = _check_table(treaty, content, today)
        result = ImportResult(unchanged=checked.unchanged, errors=checked.errors)
        if checked.errors:
            return result
        try:
            for action in table_actions(checked):
                apply_action(actor, treaty, action, is_demo=is_demo, notify=notify, today=today)
                if action.what == "sign":
                    result.signatures += 1
                else:
                    result.instruments += 1
        except Refused as exc:  # the rows were checked together; one by one, one failed
            transaction.set_rollback(True)
            return ImportResult(errors=[status_import.RowError(0, "file", exc.message)])
    return result


def _check_table(treaty: Treaty, content: bytes, today: date) -> status_import.CheckedTable:
    try:
        rows = status_import.read_table(content)
    except status_import.ImportFileError as exc:
        return status_import.CheckedTable(errors=[status_import.RowError(0, "file", str(exc))])
    known = {}
    for e in Entity.objects.all():
        k = status_import.Known(e.code, e.name_en, participant_kind(e))
        known[e.name_en.casefold()] = k
        known[e.code.casefold()] = k
    recorded = {}
    for s in Signature.objects.filter(treaty=treaty).select_related("entity"):
        recorded[s.entity.code] = Participant(s.entity.name_en, participant_kind(s.entity),
                                              signed_on=s.signed_on)
    for i in Instrument.objects.filter(treaty=treaty, withdrawn_on__isnull=True
                                       ).select_related("entity"):
        p = recorded.get(i.entity.code)
        recorded[i.entity.code] = Participant(
            i.entity.name_en, participant_kind(i.entity), p.signed_on if p else None,
            i.kind, i.deposited_on)
    return status_import.check_rows(
        rows, clauses=treaty.clauses(), known=known, record=recorded,
        reio_members=treaty_data.reio_members(), concluded_on=treaty.concluded_on, today=today)


@dataclass(frozen=True)
class Action:
    """One action of a status table or a demo, to apply in the order things happened."""

    day: date
    order: int  # on the same day: signatures, then instruments, then statements, withdrawals
    is_reio: bool  # a REIO acts after its member States the same day
    line: int
    code: str
    what: str  # sign, deposit, state, withdraw
    data: object


_ORDER = {"sign": 0, "deposit": 1, "state": 2, "withdraw": 3}


def table_actions(checked: status_import.CheckedTable) -> list[Action]:
    reio = set(Entity.objects.filter(code__in=[r.code for r in checked.rows],
                                     kind=EntityKind.REIO).values_list("code", flat=True))
    actions = []
    for r in checked.rows:
        if r.signature:
            actions.append(Action(r.signature.signed_on, _ORDER["sign"], r.code in reio, r.line,
                                  r.code, "sign", r.signature))
        if r.instrument:
            actions.append(Action(r.instrument.deposited_on, _ORDER["deposit"], r.code in reio,
                                  r.line, r.code, "deposit", r.instrument))
    return sorted(actions, key=lambda a: (a.day, a.order, a.is_reio, a.line))


def apply_action(actor, treaty: Treaty, action: Action, *, is_demo: bool, notify: bool,
                 today: date):
    """Apply one imported or demo action with the same rules as one-by-one entry; the
    notification, if any, is dated the day of the action."""
    entity = Entity.objects.get(code=action.code)
    issued = action.day if notify else None
    item = action.data
    if action.what == "sign":
        return _sign(actor, treaty, entity, signed_on=action.day, place=item.place,
                     signatory_name=item.signatory_name, capacity=item.capacity,
                     full_powers_checked=True, source=SignatureSource.IMPORT, is_demo=is_demo,
                     notify=notify, issued_on=issued, today=today)
    if action.what == "deposit":
        return _deposit(actor, treaty, entity, kind=item.kind, deposited_on=action.day,
                        is_demo=is_demo, notify=notify, issued_on=issued, today=today)
    if action.what == "state":
        return _state(actor, treaty, entity, kind=item["kind"], made_at=item["made_at"],
                      made_on=action.day, text=item["text"], is_demo=is_demo,
                      issued_on=action.day, today=today)
    statement = Statement.objects.get(treaty=treaty, entity=entity, kind=item["kind"],
                                      made_on=date.fromisoformat(item["made_on"]))
    return _withdraw_statement(actor, statement, withdrawn_on=action.day, issued_on=action.day,
                               today=today)


# --- The signing ceremony -------------------------------------------------------------------

@dataclass
class CeremonyRow:
    delegation: object
    entity: Entity
    head: object | None  # the head of delegation (a delegations Member), if nominated
    capacity: str
    full_powers_required: bool
    signature: Signature | None
    slot: object | None = None  # the line of the protocol's signing schedule, if scheduled


def ceremony_rows(event, treaty: Treaty) -> list[CeremonyRow]:
    """The States and REIOs of the event's delegations, for recording ceremony signatures.

    In the order of the protocol's signing schedule (issue 4), with the signatory it names;
    delegations not (yet) on it follow in alphabetical order with their head of delegation.
    A fixed number of queries whatever the number of delegations."""
    from convene.delegations.models import Delegation, Member
    from convene.protocol.services import signing_schedule

    schedule = {line.delegation_id: line for line in signing_schedule(event)}
    signers = Member.objects.in_bulk([line.signer_member_id for line in schedule.values()])

    heads = Prefetch("members", queryset=Member.objects.filter(is_head=True), to_attr="heads")
    delegations = sorted(
        Delegation.objects.filter(event=event, entity__kind__in=[
            EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE, EntityKind.REIO])
        .select_related("entity").prefetch_related(heads),
        key=lambda d: (schedule[d.pk].number if d.pk in schedule else 10**6,
                       name_key(d.entity.name_en)))
    signed = {s.entity_id: s for s in Signature.objects.filter(treaty=treaty)}
    rows = []
    for d in delegations:
        slot = schedule.get(d.pk)
        head = signers.get(slot.signer_member_id) if slot else (d.heads[0] if d.heads else None)
        capacity = capacity_for_rank(head.rank) if head else SignatoryCapacity.OTHER
        rows.append(CeremonyRow(d, d.entity, head, capacity,
                                full_powers_required(capacity, d.entity),
                                signed.get(d.entity_id), slot))
    return rows


def ceremony_period(event, treaty: Treaty):
    """The signature period of the ceremony: the one held in the event's city, else the first."""
    clauses = treaty.clauses()
    place = clauses.match_place(event.city) if event else None
    return next((p for p in clauses.periods if p.place == place), clauses.periods[0])
