"""What the Convention asks of a request, as plain data and functions (no database, no HTTP).

Articles and paragraphs are those of the United Nations Convention against Cybercrime (GA res.
79/243, annex), chapter V. Numbers follow the adopted text as recorded in
shared/reference/convention.md §3; where that record marks a paragraph as not yet checked
against the official text, docs/cooperation.md lists it ("To confirm").
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- kinds of request -----------------------------------------------------------------------

MLA = "mla"
CONTACT_24_7 = "24_7"
PRESERVATION = "preservation"
TRAFFIC_DISCLOSURE = "traffic_disclosure"
STORED_DATA = "stored_data"
REAL_TIME_TRAFFIC = "real_time_traffic"
INTERCEPTION = "interception"
EXTRADITION = "extradition"
SPONTANEOUS = "spontaneous"

KIND_LABELS = {
    MLA: (_("Mutual legal assistance"), "40"),
    CONTACT_24_7: (_("24/7 assistance"), "41"),
    PRESERVATION: (_("Expedited preservation of stored electronic data"), "42"),
    TRAFFIC_DISCLOSURE: (_("Expedited disclosure of preserved traffic data"), "43"),
    STORED_DATA: (_("Accessing stored electronic data"), "44"),
    REAL_TIME_TRAFFIC: (_("Real-time collection of traffic data"), "45"),
    INTERCEPTION: (_("Interception of content data"), "46"),
    EXTRADITION: (_("Extradition"), "37"),
    SPONTANEOUS: (_("Spontaneous information"), "40(4)"),
}
KINDS = list(KIND_LABELS)
# Urgent by nature: the 24/7 network exists for immediate assistance (art. 41(1)); preservation
# may be requested through it (art. 41(3)(b), art. 42(1)).
URGENT_KINDS = {CONTACT_24_7}


def kind_choices():
    return [(k, f"{label} (art. {art})") for k, (label, art) in KIND_LABELS.items()]


# --- offences: arts. 7–17, and electronic evidence of any serious crime (art. 2(h)) ----------

OFFENCES = {
    "art7": (_("Illegal access"), "7"),
    "art8": (_("Illegal interception"), "8"),
    "art9": (_("Interference with electronic data"), "9"),
    "art10": (_("Interference with an information and communications technology system"), "10"),
    "art11": (_("Misuse of devices"), "11"),
    "art12": (_("Information and communications technology system-related forgery"), "12"),
    "art13": (_("Information and communications technology system-related theft or fraud"),
              "13"),
    "art14": (_("Offences related to online child sexual abuse or child sexual exploitation "
                "material"), "14"),
    "art15": (_("Solicitation or grooming for the purpose of committing a sexual offence "
                "against a child"), "15"),
    "art16": (_("Non-consensual dissemination of intimate images"), "16"),
    "art17": (_("Laundering of proceeds of crime"), "17"),
    # Art. 35(1)(c) with art. 2(h): cooperation also covers collecting electronic evidence of
    # any serious crime, an offence punishable by at least four years' deprivation of liberty.
    "serious": (_("Electronic evidence of a serious crime"), "2(h)"),
}
SERIOUS_CRIME_MIN_YEARS = 4  # art. 2(h)


def offence_choices():
    return [(k, f"{label} (art. {art})") for k, (label, art) in OFFENCES.items()]


# --- the elements of a request --------------------------------------------------------------

@dataclass(frozen=True)
class Element:
    name: str
    label: str
    cite: str  # article and paragraph that asks for it
    why: str
    required: bool = True
    kind: str = "text"  # text | line | bool | date | int


def _e(name, label, cite, why, required=True, kind="text"):
    return Element(name, label, cite, why, required, kind)


AUTHORITY = _e("requesting_authority", _("Requesting authority"), "40(15)(a)",
               _("A request must identify the authority making it."), kind="line")
SUBJECT = _e("subject_matter", _("Subject matter and nature of the investigation"), "40(15)(b)",
             _("A request must state the subject matter and nature of the investigation, "
               "prosecution or judicial proceeding."))
CONDUCTING = _e("conducting_authority", _("Authority conducting the investigation"),
                "40(15)(b)", _("A request must name the authority conducting the "
                               "investigation, prosecution or proceeding."), kind="line")
FACTS = _e("facts_summary", _("Summary of the relevant facts"), "40(15)(c)",
           _("A request must summarise the relevant facts."))
ASSISTANCE = _e("assistance_sought", _("Assistance sought and any particular procedure"),
                "40(15)(d)", _("A request must describe the assistance sought and any "
                               "particular procedure the requesting State wishes followed."))
PERSON = _e("person_identity", _("Identity, location and nationality of any person concerned"),
            "40(15)(e)", _("Where possible, the identity, location and nationality of any "
                           "person concerned."), required=False)
PURPOSE = _e("purpose", _("Purpose of the evidence, information or action"), "40(15)(f)",
             _("A request must state the purpose for which the evidence, information or "
               "action is sought."))
DATA = _e("data_description", _("Stored electronic data to be preserved or obtained, and its "
                                "relationship to the offence"), "42(2)",
          _("A preservation request must describe the data and how it relates to the offence."))
CUSTODIAN = _e("custodian", _("Custodian of the data or location of the system"), "42(2)",
               _("Any available information identifying the custodian or the location of the "
                 "information and communications technology system."), required=False)
NECESSITY = _e("necessity", _("Why preservation is necessary"), "42(2)",
               _("A preservation request must say why preservation is necessary."))
INTENT_MLA = _e("intends_mla", _("A request for mutual legal assistance will follow"), "42(2)",
                _("A preservation request must state that the requesting State intends to "
                  "submit a request for search, seizure or disclosure of the data."),
                kind="bool")
CONFIDENTIAL = _e("confidentiality", _("Confidentiality; the user is not to be notified"),
                  "42(2)", _("As appropriate, the need to keep the request confidential and "
                             "not to notify the user."), required=False, kind="bool")
PRESERVATION_REF = _e("preservation_reference", _("Reference of the preservation request"),
                      "43(1)", _("Disclosure of traffic data is of data preserved under a "
                                 "request under art. 42."), kind="line")
PERIOD = _e("period", _("Period of the data or of the collection"), "45(1)",
            _("Real-time collection and interception are of specified communications: the "
              "period must be stated."), kind="line")
DOMESTIC_BASIS = _e("domestic_basis", _("Permission under the requested State's law or treaties "
                                        "in force"), "46(1)",
                    _("Interception is provided only to the extent permitted under the treaties "
                      "and domestic laws applicable."), kind="text")
EMERGENCY = _e("emergency", _("Emergency: significant and imminent risk to life or safety"),
               "2(m)", _("24/7 assistance to avert an emergency must say what the risk is."),
               required=False)
DUAL_CRIMINALITY = _e("dual_criminality", _("Conduct is an offence under the law of both "
                                            "States"), "37(1)",
                      _("Extradition requires the offence to be punishable under the law of "
                        "both States Parties."), kind="bool")
PERSON_SOUGHT = _e("person_identity", _("Identity, location and nationality of the person "
                                        "sought"), "37(1)",
                   _("Extradition is of a person: the person sought must be identified."))
WARRANT = _e("warrant", _("Arrest warrant or judgment and the applicable penalty"), "37(1)",
             _("Extradition is for an offence punishable in both States: the warrant or "
               "judgment and the penalty must be given."))
INFORMATION = _e("information", _("Information transmitted"), "40(4)",
                 _("Spontaneous information is information the sending authority believes could "
                   "assist an inquiry or proceeding."))

ELEMENTS = {
    MLA: [AUTHORITY, SUBJECT, CONDUCTING, FACTS, ASSISTANCE, PERSON, PURPOSE],
    # Art. 41(3): the point of contact's assistance; facts and purpose let the other point act.
    CONTACT_24_7: [AUTHORITY, FACTS, ASSISTANCE, EMERGENCY, PURPOSE],
    PRESERVATION: [AUTHORITY, FACTS, DATA, CUSTODIAN, NECESSITY, INTENT_MLA, CONFIDENTIAL],
    TRAFFIC_DISCLOSURE: [AUTHORITY, PRESERVATION_REF, FACTS, DATA],
    STORED_DATA: [AUTHORITY, SUBJECT, CONDUCTING, FACTS, ASSISTANCE, DATA, PERSON, PURPOSE],
    REAL_TIME_TRAFFIC: [AUTHORITY, SUBJECT, CONDUCTING, FACTS, ASSISTANCE, DATA, PERIOD, PURPOSE],
    INTERCEPTION: [AUTHORITY, SUBJECT, CONDUCTING, FACTS, ASSISTANCE, DATA, PERIOD,
                   DOMESTIC_BASIS, PURPOSE],
    EXTRADITION: [AUTHORITY, PERSON_SOUGHT, FACTS, WARRANT, DUAL_CRIMINALITY],
    SPONTANEOUS: [AUTHORITY, FACTS, INFORMATION],
}


@dataclass
class Missing:
    field: str
    message: str
    cite: str


@dataclass
class Draft:
    """What completeness is judged on: the form's content, no model."""

    kind: str
    requested_state: str = ""
    language: str = ""
    offence: str = ""
    max_penalty_years: int | None = None
    elements: dict = field(default_factory=dict)


def missing_elements(draft: Draft, accepted_languages: list[str] | None) -> list[Missing]:
    """Everything a request lacks before it may be sent, each with the article asking for it.

    `accepted_languages` are the requested State's, from the directory (None: the State is not
    in the directory)."""
    out: list[Missing] = []
    if draft.kind not in ELEMENTS:
        return [Missing("kind", str(_("Choose the kind of request.")), "")]
    if not draft.requested_state:
        out.append(Missing("requested_state", str(_(
            "Choose the requested State from the directory: a request goes to the central "
            "authority it designated.")), "40(13)"))
    elif accepted_languages is None:
        out.append(Missing("requested_state", str(_(
            "This State is not in the directory: it has no designated central authority or "
            "point of contact to send to.")), "40(13)"))
    if not draft.language:
        out.append(Missing("language", str(_("Choose the language of the request.")),
                           "40(14)"))
    elif accepted_languages is not None and draft.language not in accepted_languages:
        out.append(Missing("language", str(_(
            "The requested State accepts requests only in: %(langs)s.") % {
                "langs": ", ".join(accepted_languages) or "—"}), "40(14)"))
    if draft.kind != SPONTANEOUS:
        if draft.offence not in OFFENCES:
            out.append(Missing("offence", str(_(
                "Name the offence (arts. 7–17) or state that electronic evidence of a serious "
                "crime is sought.")), "35(1)"))
        elif draft.offence == "serious" and (draft.max_penalty_years is None
                                             or draft.max_penalty_years < SERIOUS_CRIME_MIN_YEARS):
            out.append(Missing("max_penalty_years", str(_(
                "A serious crime is punishable by a maximum deprivation of liberty of at least "
                "four years: give the maximum penalty.")), "2(h)"))
    for el in ELEMENTS[draft.kind]:
        if not el.required:
            continue
        value = draft.elements.get(el.name)
        if el.kind == "bool":
            if value is not True:
                out.append(Missing(el.name, str(el.why), el.cite))
        elif not (isinstance(value, str) and value.strip()):
            out.append(Missing(el.name, str(el.why), el.cite))
    return out


# --- lifecycle ------------------------------------------------------------------------------

DRAFT = "draft"
SENT = "sent"
ACKNOWLEDGED = "acknowledged"
MORE_INFO = "more_information_requested"
IN_EXECUTION = "in_execution"
EXECUTED = "executed"
PARTLY_EXECUTED = "partly_executed"
REFUSED = "refused"
POSTPONED = "postponed"
WITHDRAWN = "withdrawn"

STATUS_LABELS = {
    DRAFT: pgettext_lazy("request status", "Draft"),
    SENT: pgettext_lazy("request status", "Sent"),
    ACKNOWLEDGED: pgettext_lazy("request status", "Acknowledged"),
    MORE_INFO: pgettext_lazy("request status", "More information requested"),
    IN_EXECUTION: pgettext_lazy("request status", "In execution"),
    EXECUTED: pgettext_lazy("request status", "Executed"),
    PARTLY_EXECUTED: pgettext_lazy("request status", "Partly executed"),
    REFUSED: pgettext_lazy("request status", "Refused"),
    POSTPONED: pgettext_lazy("request status", "Postponed"),
    WITHDRAWN: pgettext_lazy("request status", "Withdrawn"),
}
FINAL = {EXECUTED, PARTLY_EXECUTED, REFUSED, WITHDRAWN}

# Which message moves a case from which status to which; the same table on both nodes, so the
# two copies of a case cannot disagree. Who may send it: "requesting" or "requested" State.
TRANSITIONS = {
    # message type: (sender side, from statuses, to status)
    "request": ("requesting", {DRAFT}, SENT),
    "acknowledge": ("requested", {SENT}, ACKNOWLEDGED),
    "start_execution": ("requested", {ACKNOWLEDGED, POSTPONED}, IN_EXECUTION),
    # Art. 40(16): the requested State may ask for additional information.
    "request_information": ("requested", {SENT, ACKNOWLEDGED, IN_EXECUTION}, MORE_INFO),
    "reply": ("requesting", {MORE_INFO}, IN_EXECUTION),
    "execute": ("requested", {IN_EXECUTION}, EXECUTED),
    "execute_partly": ("requested", {IN_EXECUTION}, PARTLY_EXECUTED),
    "refuse": ("requested", {SENT, ACKNOWLEDGED, IN_EXECUTION, MORE_INFO, POSTPONED}, REFUSED),
    # Art. 40(21)–(24): execution may be postponed where it would interfere with an ongoing
    # investigation, prosecution or proceeding.
    "postpone": ("requested", {ACKNOWLEDGED, IN_EXECUTION}, POSTPONED),
    # Art. 40(25): the requesting State says when assistance is no longer needed.
    "withdraw": ("requesting", {SENT, ACKNOWLEDGED, IN_EXECUTION, MORE_INFO, POSTPONED},
                 WITHDRAWN),
}
# Messages that change no status: consultation (before refusal or postponement, art.
# 40(21)–(24)), a progress question (art. 40(25)), onward-transfer authorisation (art. 36).
NON_STATUS = {"consult", "progress", "transfer_request", "transfer_decision", "note",
              "preservation_extended"}
MESSAGE_TYPES = set(TRANSITIONS) | NON_STATUS

ACTION_LABELS = {
    "acknowledge": _("Acknowledge receipt"),
    "start_execution": _("Start execution"),
    "request_information": _("Ask for more information (art. 40(16))"),
    "reply": _("Reply with the information asked for"),
    "execute": _("Executed: send the result"),
    "execute_partly": _("Partly executed: send the result"),
    "refuse": _("Refuse (ground and reasons; after consultation)"),
    "postpone": _("Postpone (ongoing investigation or proceeding)"),
    "withdraw": _("Withdraw: assistance no longer needed (art. 40(25))"),
    "consult": _("Consult the other State"),
    "progress": _("Ask about or report progress (art. 40(25))"),
    "note": pgettext_lazy("note accompanying a cooperation request", "Note"),
    "transfer_request": _("Ask to transfer personal data onward (art. 36)"),
}

# The order statuses go in: a message that arrives late (reordered) never moves a case back.
RANK = {DRAFT: 0, SENT: 1, ACKNOWLEDGED: 2, MORE_INFO: 3, POSTPONED: 3, IN_EXECUTION: 4,
        EXECUTED: 9, PARTLY_EXECUTED: 9, REFUSED: 9, WITHDRAWN: 9}


class TransitionError(Exception):
    pass


def next_status(current: str, message_type: str, side: str) -> str | None:
    """The status after `message_type` sent by `side`; None when it changes no status.
    Raises TransitionError when the message is not allowed now."""
    if message_type in NON_STATUS:
        return None
    if message_type not in TRANSITIONS:
        raise TransitionError(f"unknown message type {message_type!r}")
    who, sources, target = TRANSITIONS[message_type]
    if side != who:
        raise TransitionError(f"the {side} State does not send {message_type!r}")
    if current not in sources:
        raise TransitionError(f"{message_type!r} is not possible from {current!r}")
    return target


def allowed_messages(current: str, side: str) -> list[str]:
    out = [t for t, (who, sources, _t) in TRANSITIONS.items()
           if who == side and current in sources and t != "request"]
    if current not in FINAL and current != DRAFT:
        out += ["consult", "progress", "note"]
        if side == "requested":
            out.append("transfer_request")
    return out


# --- refusal (art. 40(21)–(24); extradition art. 37) -------------------------------------------

REFUSAL_GROUNDS = {
    "non_compliant": (_("The request is not made in conformity with the article"),
                      "40(21)(a)"),
    "essential_interests": (_("Execution is likely to prejudice sovereignty, security, ordre "
                              "public or other essential interests"), "40(21)(b)"),
    "domestic_prohibition": (_("Domestic law would prohibit the action for a similar offence "
                               "under its own jurisdiction"), "40(21)(c)"),
    "legal_system": (_("Granting the request would be contrary to the legal system of the "
                       "requested State"), "40(21)(d)"),
    "discrimination": (_("Substantial grounds to believe the request is made to prosecute or "
                         "punish a person on account of sex, race, language, religion, "
                         "nationality, ethnic origin or political opinions"), "40(22)"),
    # Preservation (art. 42): dual criminality is not required to preserve, but a State that
    # requires it for disclosure may refuse where it will not be met at that stage.
    "dual_criminality_disclosure": (_("Dual criminality will not be fulfilled at the time of "
                                      "disclosure"), "42(4)"),
    "extradition_dual_criminality": (_("The offence is not punishable under the law of both "
                                       "States Parties"), "37(1)"),
}
# Grounds a State may not refuse on, whatever it says (art. 40(8), art. 40(23); art. 37).
FORBIDDEN_GROUNDS = {
    "bank_secrecy": (_("Bank secrecy"), "40(8)"),
    "fiscal": (_("The offence is also considered to involve fiscal matters"), "40(23)"),
}


def refusal_problems(ground: str, reasons: str, consulted: bool) -> list[Missing]:
    """Why a refusal may not be sent yet; empty when it may."""
    out = []
    if ground in FORBIDDEN_GROUNDS:
        label, cite = FORBIDDEN_GROUNDS[ground]
        out.append(Missing("ground", str(_("%(ground)s is not a ground for refusal.") % {
            "ground": label}), cite))
    elif ground not in REFUSAL_GROUNDS:
        out.append(Missing("ground", str(_("Choose a ground the Convention lists.")),
                           "40(21)"))
    if not (reasons or "").strip():
        out.append(Missing("reasons", str(_("Reasons must be given for any refusal.")),
                           "40(21)–(24)"))
    if not consulted:
        out.append(Missing("consultation", str(_(
            "Before refusing, consult the requesting State to consider whether assistance may "
            "be granted subject to terms and conditions.")), "40(21)–(24)"))
    return out


# --- deadlines ------------------------------------------------------------------------------

# Art. 42: preservation for a period of not less than 60 days, so that the requesting State can
# submit its request for search, seizure or disclosure; once that request is received, the data
# stays preserved until a decision on it is taken.
PRESERVATION_MIN_DAYS = 60


def preservation_until(received_on: date, requested_days: int | None = None) -> date:
    """The earliest date preservation may end: never before the Convention's minimum."""
    days = max(PRESERVATION_MIN_DAYS, requested_days or 0)
    return received_on + timedelta(days=days)


def extended_preservation(current_until: date, mla_received_on: date) -> date:
    """When the follow-up MLA request arrives, preservation continues until it is decided; the
    working date is never shorter than the minimum period, counted from the later of the
    current date and the follow-up's arrival."""
    return max(current_until, mla_received_on + timedelta(days=PRESERVATION_MIN_DAYS))


def reminder_due(requested_by: date | None, today: date, days_before: int) -> bool:
    return requested_by is not None and today <= requested_by <= today + timedelta(
        days=days_before)


# --- statistics (for the Conference of the States Parties, art. 57) ----------------------------

def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    s = sorted(values)
    import math

    k = max(1, math.ceil(p / 100 * len(s)))
    return s[k - 1]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
