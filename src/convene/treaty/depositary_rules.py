"""What the depositary may accept: signatures, instruments, statements and their withdrawal.

Plain functions on plain data. Each check raises `Refused` with a message for the treaty
officer, naming the rule and its source, and the form field at fault.

Sources: the treaty's final clauses (for the Convention against Cybercrime, art. 64 and 65, read
from its data file), the Vienna Convention on the Law of Treaties of 1969 (VCLT) for full powers
(art. 7) and reservations (art. 19), and the 1986 Vienna Convention (treaties of international
organizations) art. 7(3) for the full powers of a REIO's representative.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from convene.treaty.final_clauses import (
    REIO,
    STATE,
    DenunciationRule,
    FinalClauses,
    InstrumentKind,
    StatementKind,
)

# VCLT art. 7(2)(a): "Heads of State, Heads of Government and Ministers for Foreign Affairs, for
# the purpose of performing all acts relating to the conclusion of a treaty" need no full powers.
# Everyone else produces appropriate full powers (art. 7(1)(a)).
CAPACITIES_WITHOUT_FULL_POWERS = frozenset({"head_of_state", "head_of_government",
                                            "foreign_minister"})


class Refused(Exception):
    """A rule refuses the action; `message` is for the person who tried, `field` the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Participant:
    """What the record already holds about one State or REIO."""

    name: str
    kind: str  # STATE, REIO, or anything else (not a possible party)
    signed_on: date | None = None
    instrument_kind: str | None = None  # its instrument in effect, if any
    deposited_on: date | None = None


def _d(day: date) -> str:
    return date_format(day, "j F Y")


def full_powers_required(capacity: str, participant_kind: str) -> bool:
    """Must the signatory produce full powers? VCLT art. 7(2)(a) for States; a REIO's
    representative always does (1986 Vienna Convention art. 7(3)(a))."""
    if participant_kind == REIO:
        return True
    return capacity not in CAPACITIES_WITHOUT_FULL_POWERS


def capacity_for_rank(rank: str) -> str:
    """The signing capacity of a delegate of this rank (convene.delegations Rank values)."""
    return rank if rank in CAPACITIES_WITHOUT_FULL_POWERS else "other"


# Literal contexts: makemessages extracts only literals.
_KIND_WORDS = {"ratification": pgettext_lazy("kind of instrument, in a sentence", "ratification"),
               "acceptance": pgettext_lazy("kind of instrument, in a sentence", "acceptance"),
               "approval": pgettext_lazy("kind of instrument, in a sentence", "approval"),
               "accession": pgettext_lazy("kind of instrument, in a sentence", "accession"),
               "succession": pgettext_lazy("kind of instrument, in a sentence", "succession")}
_WHEN_WORDS = {"signature": gettext_lazy("on signature"),
               "deposit": gettext_lazy("on deposit of the instrument"),
               "later": gettext_lazy("later, by notification")}


def _check_party_kind(clauses: FinalClauses, p: Participant, signing: bool) -> None:
    if p.kind not in (STATE, REIO) or p.kind not in clauses.open_to:
        message = _("Only States and regional economic integration organizations may sign the "
                    "treaty (art. %(art)s); %(name)s is neither.") if signing else _(
            "Only States and regional economic integration organizations may become parties "
            "to the treaty (art. %(art)s); %(name)s is neither.")
        raise Refused(message % {"art": clauses.signature_article, "name": p.name}, "entity")


def _not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise Refused(_("%(day)s is in the future: record an action once it has taken place.")
                      % {"day": _d(day)}, field)


def check_signature(clauses: FinalClauses, p: Participant, *, signed_on: date, place: str,
                    capacity: str, full_powers_checked: bool, today: date,
                    member_signatures: Iterable[date] = ()) -> str:
    """Accept a signature or raise Refused; returns the place as the final clauses name it."""
    _check_party_kind(clauses, p, signing=True)
    _not_future(signed_on, today, "signed_on")
    if p.signed_on is not None:
        raise Refused(_("%(name)s signed the treaty on %(day)s; it signs once.")
                      % {"name": p.name, "day": _d(p.signed_on)}, "entity")
    if p.instrument_kind is not None:
        raise Refused(_("%(name)s is already bound by the instrument it deposited on %(day)s; "
                        "it no longer signs.")
                      % {"name": p.name, "day": _d(p.deposited_on)}, "entity")
    period = clauses.period_on(signed_on)
    art = clauses.signature_article
    if period is None:
        if signed_on < clauses.opens:
            message = _("The treaty was not yet open for signature on %(day)s: it opened at "
                        "%(place)s on %(opens)s (art. %(art)s).") % {
                "day": _d(signed_on), "place": clauses.periods[0].place,
                "opens": _d(clauses.opens), "art": art}
        elif signed_on > clauses.closes:
            message = _("The treaty was open for signature until %(closes)s (art. %(art)s); "
                        "since then a State becomes a party by accession.") % {
                "closes": _d(clauses.closes), "art": art}
        else:
            message = _("The treaty was not open for signature on %(day)s (art. %(art)s).") % {
                "day": _d(signed_on), "art": art}
        raise Refused(message, "signed_on")
    named = clauses.match_place(place)
    if named != period.place:
        raise Refused(_("On %(day)s the treaty was open for signature at %(open)s, not at "
                        "%(place)s (art. %(art)s).")
                      % {"day": _d(signed_on), "open": period.place,
                         "place": place or "—", "art": art}, "place")
    if p.kind == REIO and clauses.reio_signature_needs_member and not any(
            d <= signed_on for d in member_signatures):
        raise Refused(_("A regional economic integration organization may sign only once at "
                        "least one of its member States has signed (art. %(art)s); no member "
                        "State of %(name)s had signed by %(day)s.")
                      % {"art": clauses.reio_signature_article, "name": p.name,
                         "day": _d(signed_on)}, "entity")
    if full_powers_required(capacity, p.kind) and not full_powers_checked:
        if p.kind == REIO:
            message = _("The representative of a regional economic integration organization "
                        "signs with full powers (1986 Vienna Convention art. 7(3)); check them "
                        "before recording the signature.")
        else:
            message = _("Only a Head of State, a Head of Government or a Minister for Foreign "
                        "Affairs signs without full powers (Vienna Convention on the Law of "
                        "Treaties, art. 7(2)(a)); check the signatory's full powers before "
                        "recording the signature.")
        raise Refused(message, "full_powers_checked")
    return period.place


def check_instrument(clauses: FinalClauses, p: Participant, *, kind: str, deposited_on: date,
                     today: date, concluded_on: date,
                     member_deposits: Iterable[date] = ()) -> InstrumentKind:
    """Accept the deposit of an instrument or raise Refused."""
    _check_party_kind(clauses, p, signing=False)
    info = clauses.instrument_kind(kind)
    if info is None:
        raise Refused(_("This treaty knows no instrument of that kind."), "kind")
    _not_future(deposited_on, today, "deposited_on")
    if deposited_on < concluded_on:
        raise Refused(_("The treaty was adopted on %(day)s; no instrument is deposited before.")
                      % {"day": _d(concluded_on)}, "deposited_on")
    if p.instrument_kind is not None:
        raise Refused(_("%(name)s deposited its instrument on %(day)s; a State deposits one "
                        "instrument (withdraw that one first if it was deposited in error).")
                      % {"name": p.name, "day": _d(p.deposited_on)}, "entity")
    if info.states_only and p.kind != STATE:
        raise Refused(_("Only a State notifies succession."), "kind")
    if info.needs_signature and p.signed_on is None:
        raise Refused(_("%(name)s has not signed the treaty, so it cannot deposit an instrument "
                        "of %(kind)s: a State that has not signed becomes a party by accession "
                        "(art. %(art)s).")
                      % {"name": p.name, "kind": _KIND_WORDS.get(kind, kind),
                         "art": _accession_article(clauses)},
                      "kind")
    if info.needs_signature and p.signed_on > deposited_on:
        raise Refused(_("%(name)s signed on %(day)s; its instrument cannot be dated before.")
                      % {"name": p.name, "day": _d(p.signed_on)}, "deposited_on")
    if kind == "accession" and p.signed_on is not None:
        raise Refused(_("%(name)s signed the treaty on %(day)s: a signatory becomes a party by "
                        "ratification, acceptance or approval (art. %(art)s), not by accession.")
                      % {"name": p.name, "day": _d(p.signed_on), "art": _ratification_article(
                          clauses)}, "kind")
    if p.kind == REIO and clauses.reio_instrument_needs_member and not any(
            d <= deposited_on for d in member_deposits):
        raise Refused(_("A regional economic integration organization may deposit its "
                        "instrument only once at least one of its member States has done so "
                        "(art. %(art)s); no member State of %(name)s had by %(day)s.")
                      % {"art": clauses.reio_instrument_article, "name": p.name,
                         "day": _d(deposited_on)}, "entity")
    return info


def _accession_article(clauses: FinalClauses) -> str:
    kind = clauses.instrument_kind("accession")
    return kind.article if kind and kind.article else clauses.signature_article


def _ratification_article(clauses: FinalClauses) -> str:
    kind = clauses.instrument_kind("ratification")
    return kind.article if kind and kind.article else clauses.signature_article


def check_statement(clauses: FinalClauses, p: Participant, *, kind: str, made_at: str,
                    made_on: date, today: date) -> StatementKind:
    """Accept a reservation, declaration or notification, or raise Refused."""
    info = clauses.statement_kind(kind)
    if info is None:
        raise Refused(_("Choose what is declared or notified."), "kind")
    if p.kind not in info.open_to:
        raise Refused(_("“%(label)s” is not open to %(name)s.")
                      % {"label": info.label, "name": p.name}, "entity")
    if made_at not in info.when:
        whens = ", ".join(str(_WHEN_WORDS[w]) for w in info.when)
        reason = _(" (a reservation is formulated when signing or consenting to be bound, VCLT "
                   "art. 19)") if info.category == "reservation" else ""
        raise Refused(_("“%(label)s” is made only: %(whens)s%(reason)s.")
                      % {"label": info.label, "whens": whens, "reason": reason}, "made_at")
    _not_future(made_on, today, "made_on")
    if made_at == "signature":
        if p.signed_on is None:
            raise Refused(_("%(name)s has not signed the treaty.") % {"name": p.name}, "made_at")
        if made_on != p.signed_on:
            raise Refused(_("Made on signature: the date is that of the signature, %(day)s.")
                          % {"day": _d(p.signed_on)}, "made_on")
    elif made_at == "deposit":
        if p.instrument_kind is None:
            raise Refused(_("%(name)s has not deposited an instrument.") % {"name": p.name},
                          "made_at")
        if made_on != p.deposited_on:
            raise Refused(_("Made on deposit: the date is that of the instrument, %(day)s.")
                          % {"day": _d(p.deposited_on)}, "made_on")
    else:
        known = [d for d in (p.signed_on, p.deposited_on) if d is not None]
        if not known:
            raise Refused(_("%(name)s has neither signed the treaty nor deposited an "
                            "instrument.") % {"name": p.name}, "entity")
        if made_on < min(known):
            raise Refused(_("%(name)s can notify only from %(day)s, when it first acted on the "
                            "treaty.") % {"name": p.name, "day": _d(min(known))}, "made_on")
    return info


def check_statement_withdrawal(*, made_on: date, withdrawn_on: date | None,
                               already_withdrawn_on: date | None, today: date) -> None:
    if already_withdrawn_on is not None:
        raise Refused(_("It was withdrawn on %(day)s.") % {"day": _d(already_withdrawn_on)})
    if withdrawn_on is None:
        raise Refused(_("Give the date of the withdrawal."), "withdrawn_on")
    _not_future(withdrawn_on, today, "withdrawn_on")
    if withdrawn_on < made_on:
        raise Refused(_("It was made on %(day)s; it cannot be withdrawn before.")
                      % {"day": _d(made_on)}, "withdrawn_on")


def check_instrument_withdrawal(*, name: str, deposited_on: date, withdrawn_on: date | None,
                                already_withdrawn_on: date | None, in_force_on: date | None,
                                today: date, denunciation_article: str = "") -> None:
    """An instrument may be withdrawn only before the treaty has entered into force for the
    party that deposited it; after that, the party leaves by denunciation."""
    if already_withdrawn_on is not None:
        raise Refused(_("It was withdrawn on %(day)s.") % {"day": _d(already_withdrawn_on)})
    if withdrawn_on is None:
        raise Refused(_("Give the date of the withdrawal."), "withdrawn_on")
    _not_future(withdrawn_on, today, "withdrawn_on")
    if withdrawn_on < deposited_on:
        raise Refused(_("It was deposited on %(day)s; it cannot be withdrawn before.")
                      % {"day": _d(deposited_on)}, "withdrawn_on")
    if in_force_on is not None and in_force_on <= withdrawn_on:
        raise Refused(_("The treaty entered into force for %(name)s on %(day)s; a party leaves "
                        "it by denunciation (art. %(art)s), not by withdrawing its instrument.")
                      % {"name": name, "day": _d(in_force_on), "art": denunciation_article or "—"},
                      "withdrawn_on")


# --- Denunciation and objections ------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks (29 February) falls on its last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_denunciation(rule: DenunciationRule, p: Participant, *, received_on: date | None,
                       in_force_on: date | None, already_received_on: date | None,
                       today: date) -> date:
    """Accept a denunciation or raise Refused; returns the day it takes effect.

    Convention art. 67(1) (from the reference, marked unverified there; the numbers are the
    data file's): a State Party denounces by written notification to the Secretary-General,
    effective one year after the date of its receipt. Only a party denounces: before the
    treaty has entered into force for a State, it withdraws its instrument instead (the
    complement of check_instrument_withdrawal)."""
    art = rule.effect_article or rule.article or "—"
    if p.kind not in (STATE, REIO):
        raise Refused(_("Only a State or a regional economic integration organization that is "
                        "a party denounces the treaty (art. %(art)s).") % {"art": art}, "entity")
    if received_on is None:
        raise Refused(_("Give the date on which the depositary received the notification."),
                      "received_on")
    _not_future(received_on, today, "received_on")
    if p.instrument_kind is None:
        raise Refused(_("%(name)s is not a party: it has no instrument in effect, so it has "
                        "nothing to denounce (art. %(art)s).") % {"name": p.name, "art": art},
                      "entity")
    if already_received_on is not None:
        raise Refused(_("%(name)s denounced the treaty by a notification received on %(day)s.")
                      % {"name": p.name, "day": _d(already_received_on)}, "entity")
    if received_on < p.deposited_on:
        raise Refused(_("%(name)s deposited its instrument on %(day)s; its denunciation cannot "
                        "be received before.") % {"name": p.name, "day": _d(p.deposited_on)},
                      "received_on")
    if in_force_on is None or in_force_on > received_on:
        when = _d(in_force_on) if in_force_on else _("a date not yet determined")
        raise Refused(_("The treaty enters into force for %(name)s on %(when)s; until then "
                        "%(name)s withdraws its instrument rather than denouncing the treaty "
                        "(art. %(art)s).") % {"name": p.name, "when": when, "art": art},
                      "received_on")
    return add_months(received_on, rule.months_after)


def reio_ceases_on(member_states: Iterable[str], denounced: dict[str, date]) -> date | None:
    """The day a REIO ceases to be a party, or None: Convention art. 67(2) (the reference's
    reading, the UNTOC art. 40(2) formula), "when all of its member States have denounced it" —
    the day the last of those denunciations takes effect. `denounced`: member State code ->
    the day its denunciation took effect."""
    members = list(member_states)
    if not members or any(m not in denounced for m in members):
        return None
    return max(denounced[m] for m in members)


OBJECTION_PERIOD_MONTHS = 12  # VCLT art. 20(5)


def check_objection(objector: Participant, *, author_name: str, is_author: bool,
                    category: str, statement_made_on: date,
                    statement_withdrawn_on: date | None, made_on: date | None,
                    already_on: date | None, open_to: Iterable[str], today: date) -> bool:
    """Accept an objection to a reservation or declaration or raise Refused; returns whether
    it was made within the twelve months of VCLT art. 20(5) (a later one is still circulated
    by the depositary, as UN practice does, but the reservation counts as accepted).

    VCLT art. 20(4)(b) and 21(3): States object to reservations; the depositary also
    circulates objections to declarations that States regard as reservations. A notification
    (a central authority, a contact point) is not objected to."""
    if category not in ("reservation", "declaration"):
        raise Refused(_("Only a reservation or a declaration can be objected to; this is a "
                        "notification."), "statement")
    if objector.kind not in (STATE, REIO) or objector.kind not in tuple(open_to):
        raise Refused(_("Only a State or a regional economic integration organization may "
                        "object; %(name)s is neither.") % {"name": objector.name}, "entity")
    if is_author:
        raise Refused(_("%(name)s made this %(what)s; it cannot object to it.")
                      % {"name": objector.name, "what": _category_word(category)}, "entity")
    if made_on is None:
        raise Refused(_("Give the date of the objection."), "made_on")
    _not_future(made_on, today, "made_on")
    if made_on < statement_made_on:
        raise Refused(_("The %(what)s of %(author)s was made on %(day)s; an objection to it "
                        "cannot be dated before.")
                      % {"what": _category_word(category), "author": author_name,
                         "day": _d(statement_made_on)}, "made_on")
    if statement_withdrawn_on is not None and statement_withdrawn_on <= made_on:
        raise Refused(_("%(author)s withdrew it on %(day)s; there is nothing left to object "
                        "to.") % {"author": author_name, "day": _d(statement_withdrawn_on)},
                      "statement")
    if already_on is not None:
        raise Refused(_("%(name)s objected to it on %(day)s.")
                      % {"name": objector.name, "day": _d(already_on)}, "entity")
    return made_on <= add_months(statement_made_on, OBJECTION_PERIOD_MONTHS)


def _category_word(category: str) -> str:
    return str({"reservation": gettext_lazy("reservation"),
                "declaration": gettext_lazy("declaration")}.get(category, category))
