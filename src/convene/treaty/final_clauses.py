"""A treaty's final clauses as parameters: where and until when it is open for signature, which
instruments exist, how it enters into force and what a State may declare.

Nothing here is specific to one treaty: the numbers come from the treaty's data file
(data/treaty/convention.json for the Convention against Cybercrime) and are checked on reading,
so a mistake in the file is reported with where it is, not discovered by a depositary later.
"""

from dataclasses import dataclass
from datetime import date

STATE, REIO = "state", "reio"
WHEN = ("signature", "deposit", "later")  # when a statement may be made
CATEGORIES = ("reservation", "declaration", "notification")


class FinalClausesError(ValueError):
    """The final clauses in a treaty's data file are incomplete or inconsistent."""


@dataclass(frozen=True)
class SignaturePeriod:
    place: str
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class InstrumentKind:
    code: str  # ratification, acceptance, approval, accession, succession
    mark: str  # the UN Treaty Collection's mark after the date: "", "A", "AA", "a", "d"
    needs_signature: bool  # ratification, acceptance, approval follow a signature
    article: str
    states_only: bool = False


@dataclass(frozen=True)
class StatementKind:
    code: str
    category: str  # reservation, declaration, notification
    article: str
    label: str
    when: tuple[str, ...]
    open_to: tuple[str, ...]


@dataclass(frozen=True)
class EntryIntoForceRule:
    article: str  # "65(1)"
    instruments_required: int  # 40
    days_after: int  # 90: the ninetieth day after the deposit of the fortieth instrument
    reio_counted_in_addition: bool  # False: a REIO's instrument is not an additional one
    later_article: str  # "65(2)"
    later_days_after: int  # 30: for a State depositing after the fortieth instrument
    later_not_before_general: bool  # "… or on the date this Convention enters into force"
    text: str = ""
    later_text: str = ""


@dataclass(frozen=True)
class DenunciationRule:
    """How a party leaves the treaty. For the Convention: art. 67(1), written notification to
    the Secretary-General, effective one year after its receipt; art. 67(2), a REIO ceases to
    be a party when all its member States have denounced. The reference marks art. 67 [U]
    (the UNTOC art. 40 formula): the numbers are data, so a correction is a data change."""

    article: str = ""  # "67"
    effect_article: str = ""  # "67(1)"
    months_after: int = 12  # effective this many months after the depositary receives it
    reio_article: str = ""  # "67(2)"
    verified: bool = False  # checked against the official text


@dataclass(frozen=True)
class FinalClauses:
    signature_article: str
    open_to: tuple[str, ...]
    periods: tuple[SignaturePeriod, ...]
    reio_signature_needs_member: bool
    reio_signature_article: str
    instrument_kinds: tuple[InstrumentKind, ...]
    reio_instrument_needs_member: bool
    reio_instrument_article: str
    entry_into_force: EntryIntoForceRule
    statements: tuple[StatementKind, ...]
    denunciation_article: str = ""
    denunciation: DenunciationRule = DenunciationRule()

    @property
    def opens(self) -> date:
        return self.periods[0].start

    @property
    def closes(self) -> date:
        return self.periods[-1].end

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(p.place for p in self.periods))

    def period_on(self, day: date) -> SignaturePeriod | None:
        return next((p for p in self.periods if p.covers(day)), None)

    def match_place(self, text: str) -> str | None:
        """The signature place `text` names ("New York" names "United Nations Headquarters,
        New York"), or None."""
        wanted = " ".join(text.split()).casefold()
        if not wanted:
            return None
        for place in self.places:
            name = place.casefold()
            if wanted == name or wanted in name:
                return place
        return None

    def instrument_kind(self, code: str) -> InstrumentKind | None:
        return next((k for k in self.instrument_kinds if k.code == code), None)

    def instrument_kind_by_mark(self, mark: str) -> InstrumentKind | None:
        return next((k for k in self.instrument_kinds if k.mark == mark), None)

    def statement_kind(self, code: str) -> StatementKind | None:
        return next((k for k in self.statements if k.code == code), None)


def parse(data: dict) -> FinalClauses:
    """Read the `final_clauses` object of a treaty data file; FinalClausesError says what is
    wrong and where."""
    try:
        sig, ins = data["signature"], data["instruments"]
        eif, later = data["entry_into_force"], data["later_depositors"]
        periods = tuple(
            SignaturePeriod(p["place"], _date(p["from"], "signature.periods.from"),
                            _date(p["until"], "signature.periods.until"))
            for p in sig["periods"])
        kinds = tuple(
            InstrumentKind(k["code"], k.get("mark", ""), bool(k["needs_signature"]),
                           k.get("article", ""), bool(k.get("states_only", False)))
            for k in ins["kinds"])
        statements = tuple(
            StatementKind(s["code"], s["category"], s.get("article", ""), s["label"],
                          tuple(s["when"]), tuple(s.get("open_to", (STATE, REIO))))
            for s in data.get("statements", []))
        rule = EntryIntoForceRule(
            article=eif["article"], instruments_required=int(eif["instruments_required"]),
            days_after=int(eif["days_after"]),
            reio_counted_in_addition=bool(eif["reio_counted_in_addition"]),
            later_article=later["article"], later_days_after=int(later["days_after"]),
            later_not_before_general=bool(later.get("not_before_general_entry_into_force", True)),
            text=eif.get("text", ""), later_text=later.get("text", ""))
        clauses = FinalClauses(
            signature_article=sig["article"], open_to=tuple(sig["open_to"]), periods=periods,
            reio_signature_needs_member=bool(sig.get("reio_needs_member_state", False)),
            reio_signature_article=sig.get("reio_article", sig["article"]),
            instrument_kinds=kinds,
            reio_instrument_needs_member=bool(ins.get("reio_needs_member_state", False)),
            reio_instrument_article=ins.get("reio_article", ins["article"]),
            entry_into_force=rule, statements=statements,
            denunciation_article=data.get("denunciation", {}).get("article", ""),
            denunciation=_denunciation(data.get("denunciation", {})))
    except KeyError as exc:
        raise FinalClausesError(f"final_clauses: missing {exc.args[0]!r}") from None
    _check(clauses)
    return clauses


def _denunciation(d: dict) -> DenunciationRule:
    article = d.get("article", "")
    months = int(d.get("months_after", 12))
    if months < 0:
        raise FinalClausesError("final_clauses.denunciation.months_after: must be positive")
    return DenunciationRule(article=article, effect_article=d.get("effect_article", article),
                            months_after=months, reio_article=d.get("reio_article", article),
                            verified=bool(d.get("verified", False)))


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FinalClausesError(f"final_clauses.{where}: {value!r} is not a YYYY-MM-DD date") \
            from None


def _check(c: FinalClauses) -> None:
    if not c.periods:
        raise FinalClausesError("final_clauses.signature.periods: at least one period")
    for p in c.periods:
        if p.end < p.start:
            raise FinalClausesError(f"final_clauses.signature.periods: {p.place} ends before "
                                    "it starts")
    for a, b in zip(c.periods, c.periods[1:], strict=False):
        if b.start <= a.end:
            raise FinalClausesError("final_clauses.signature.periods: periods overlap or are "
                                    "out of order")
    if not set(c.open_to) <= {STATE, REIO}:
        raise FinalClausesError("final_clauses.signature.open_to: only 'state' and 'reio'")
    codes = [k.code for k in c.instrument_kinds]
    if len(set(codes)) != len(codes) or not codes:
        raise FinalClausesError("final_clauses.instruments.kinds: empty or repeated codes")
    marks = [k.mark for k in c.instrument_kinds]
    if len(set(marks)) != len(marks):
        raise FinalClausesError("final_clauses.instruments.kinds: repeated marks")
    rule = c.entry_into_force
    if rule.instruments_required < 1 or rule.days_after < 0 or rule.later_days_after < 0:
        raise FinalClausesError("final_clauses.entry_into_force: numbers must be positive")
    seen = set()
    for s in c.statements:
        if s.code in seen:
            raise FinalClausesError(f"final_clauses.statements: {s.code!r} twice")
        seen.add(s.code)
        if s.category not in CATEGORIES or not s.when or not set(s.when) <= set(WHEN):
            raise FinalClausesError(f"final_clauses.statements: {s.code!r} has a wrong "
                                    "category or 'when'")
