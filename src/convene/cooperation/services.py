"""The actions of a central authority's case officer and a 24/7 duty officer, and what a node
does with each message it receives. One transaction each, a permission check, an audit event;
the message to the other State is sealed in the same transaction and delivered by the outbox."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from convene.accounts.permissions import require
from convene.audit.services import record
from convene.cooperation import convention as rules
from convene.cooperation import directory as directory_service
from convene.cooperation import exchange
from convene.cooperation.models import Case, Message, OnwardTransfer, Side

CASE_FIELDS = ["kind", "requested_state", "language", "offence", "max_penalty_years",
               "urgent", "requested_by", "personal_data_conditions"]


class Incomplete(Exception):
    """The request lacks what the Convention requires; `missing` says what and why."""

    def __init__(self, missing: list[rules.Missing]):
        super().__init__("; ".join(m.message for m in missing))
        self.missing = missing


def _snap(case: Case) -> dict:
    return {"ref": str(case.ref), "kind": case.kind, "status": case.status,
            "requesting_state": case.requesting_state, "requested_state": case.requested_state,
            "preservation_until": case.preservation_until}


def accepted_languages(state: str) -> list[str] | None:
    entry = directory_service.entry_for_state(state)
    return None if entry is None else list(entry.get("languages") or [])


def as_draft(case: Case) -> rules.Draft:
    return rules.Draft(kind=case.kind, requested_state=case.requested_state,
                       language=case.language, offence=case.offence,
                       max_penalty_years=case.max_penalty_years, elements=case.elements)


def missing(case: Case) -> list[rules.Missing]:
    return rules.missing_elements(as_draft(case),
                                  accepted_languages(case.requested_state)
                                  if case.requested_state else [])


# --- drafts and sending -----------------------------------------------------------------------

def save_draft(user, data: dict, case: Case | None = None) -> Case:
    """Create or update a draft request (whatever it lacks: completeness is checked on send)."""
    if case is None:
        require(user, "cooperation.draft_request")
        case = Case(side=Side.REQUESTING, requesting_state=settings.CONVENE_NODE_STATE,
                    created_by=user)
    else:
        require(user, "cooperation.act_on_case", case)
        if case.status != rules.DRAFT or case.side != Side.REQUESTING:
            raise rules.TransitionError("only a draft can be changed")
    before = _snap(case) if case.pk else None
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    from convene.accounts.permissions import is_case_officer

    # What the 24/7 point of contact sends goes through the network for immediate assistance
    # (art. 41(1)): urgent, so that its duty officers keep seeing it.
    case.urgent = (bool(data.get("urgent")) or case.kind in rules.URGENT_KINDS
                   or not (user.is_superuser or is_case_officer(user)))
    case.elements = {k: v for k, v in (data.get("elements") or {}).items()
                     if v not in (None, "", False)}
    follow = data.get("follow_up_of")
    case.follow_up_of = follow if isinstance(follow, Case) else None
    entry = directory_service.entry_for_state(case.requested_state)
    case.peer_node_id = entry["node_id"] if entry else ""
    with transaction.atomic():
        case.save()
        record(user, "cooperation.draft_saved", case, before=before, after=_snap(case),
               summary=f"Draft {case.kind} request to {case.requested_state or '—'}")
    return case


def send_request(user, case: Case) -> Message:
    """Send a complete draft to the requested State's central authority (from the directory)."""
    require(user, "cooperation.act_on_case", case)
    problems = missing(case)
    if problems:
        raise Incomplete(problems)
    rules.next_status(case.status, "request", "requesting")
    body = {"case": {
        "ref": str(case.ref), "kind": case.kind, "requesting_state": case.requesting_state,
        "requested_state": case.requested_state, "language": case.language,
        "offence": case.offence, "max_penalty_years": case.max_penalty_years,
        "elements": case.elements, "urgent": case.urgent,
        "requested_by": case.requested_by.isoformat() if case.requested_by else None,
        "personal_data_conditions": case.personal_data_conditions,
        "follow_up_of": str(case.follow_up_of.ref) if case.follow_up_of else None,
    }}
    with transaction.atomic():
        case.status, case.sent_at = rules.SENT, timezone.now()
        case.save(update_fields=["status", "sent_at"])
        message = exchange.compose(case=case, type="request", body=body,
                                   peer_node_id=case.peer_node_id, actor=user)
        record(user, "cooperation.request_sent", case, after=_snap(case),
               summary=f"{case.get_kind_display()} request sent to {case.requested_state}")
        _schedule_deadline_checks(case)
    return message


def _schedule_deadline_checks(case: Case) -> None:
    from convene.cooperation import tasks

    if not tasks.check_acknowledgement.get_backend().supports_defer:
        return  # a backend that runs tasks at once (tests) cannot wait for the deadline
    if case.urgent:
        when = case.sent_at + timedelta(minutes=settings.CONVENE_COOPERATION_ACK_ESCALATION_MINUTES)
        transaction.on_commit(lambda: tasks.check_acknowledgement.using(run_after=when)
                              .enqueue(case.pk))
    if case.requested_by:
        start = timezone.make_aware(timezone.datetime.combine(
            case.requested_by - timedelta(days=settings.CONVENE_COOPERATION_REMINDER_DAYS),
            timezone.datetime.min.time()))
        transaction.on_commit(lambda: tasks.remind_requested_date.using(
            run_after=max(start, timezone.now())).enqueue(case.pk))


# --- acting on a case -------------------------------------------------------------------------

@dataclass
class Action:
    type: str
    text: str = ""
    ground: str = ""
    files: tuple = ()  # (name, path)


def act(user, case: Case, action: Action) -> Message:
    """Send one message of the case's lifecycle to the other State (ack, execute, refuse …)."""
    require(user, "cooperation.act_on_case", case)
    side = case.side
    if action.type == "refuse":
        problems = rules.refusal_problems(action.ground, action.text, case.consulted)
        if problems:
            raise Incomplete(problems)
    if action.type in ("request", "preservation_extended", "transfer_decision"):
        raise rules.TransitionError(f"{action.type!r} is not sent this way")
    if action.type == "transfer_request" and case.side != Side.REQUESTED:
        raise rules.TransitionError("only the receiving State asks to transfer data onward")
    target = rules.next_status(case.status, action.type, side)
    if action.type in ("execute", "execute_partly") and not action.text.strip() and \
            not action.files:
        raise Incomplete([rules.Missing("text", "Describe the result or attach the evidence.",
                                        "40(3)")])
    body = {"text": action.text, "ground": action.ground}
    with transaction.atomic():
        before = _snap(case)
        _apply_status(case, action.type, target, body)
        case.save()
        if action.type == "transfer_request":
            t = OnwardTransfer.objects.create(case=case, recipient=action.ground or "—",
                                              purpose=action.text)
            body["transfer_id"] = str(t.transfer_id)
            body["recipient"] = t.recipient
        message = exchange.compose(case=case, type=action.type, body=body,
                                   peer_node_id=case.peer_node_id, actor=user,
                                   files=action.files)
        record(user, f"cooperation.{action.type}", case, before=before, after=_snap(case),
               summary=f"{action.type.replace('_', ' ')} — case {case.short_ref}")
    return message


def decide_transfer(user, transfer: OnwardTransfer, grant: bool) -> Message:
    """Art. 36: the State that sent personal data authorises (or not) its onward transfer."""
    case = transfer.case
    require(user, "cooperation.act_on_case", case)
    if transfer.status != "requested" or case.side != Side.REQUESTING:
        raise rules.TransitionError("this transfer is not awaiting your decision")
    with transaction.atomic():
        transfer.status = "granted" if grant else "refused"
        transfer.decided_at = timezone.now()
        transfer.save()
        message = exchange.compose(case=case, type="transfer_decision",
                                   body={"transfer_id": str(transfer.transfer_id),
                                         "decision": transfer.status},
                                   peer_node_id=case.peer_node_id, actor=user)
        record(user, "cooperation.transfer_decided", transfer,
               after={"status": transfer.status, "recipient": transfer.recipient},
               summary=f"Onward transfer to {transfer.recipient}: {transfer.status}")
    return message


def _apply_status(case: Case, type: str, target: str | None, body: dict) -> None:
    now = timezone.now()
    if type == "consult":
        case.consulted = True
    if target is None:
        return
    case.status = target
    if target == rules.ACKNOWLEDGED and case.acknowledged_at is None:
        case.acknowledged_at = now
    if target in rules.FINAL:
        case.closed_at = now
    if target == rules.REFUSED:
        case.refusal_ground, case.refusal_reasons = body.get("ground", ""), body.get("text", "")


# --- what a received message does -------------------------------------------------------------

def apply_inbound(message: Message) -> bool:
    """Carry out a received message on this node's copy of the case (inside the receive
    transaction). Returns False when it changes nothing: a late (reordered) status message
    never moves a case back."""
    payload = message.body
    if message.type == "request":
        return _open_incoming_case(message, payload["body"]["case"])
    case = Case.objects.filter(ref=payload.get("case")).exclude(status=rules.DRAFT).first()
    if case is None or case.peer_node_id != message.peer_node_id:
        return False
    message.case = case
    message.save(update_fields=["case"])
    body = payload.get("body") or {}
    sender_side = "requested" if case.side == Side.REQUESTING else "requesting"
    before = _snap(case)
    if message.type == "preservation_extended":
        until = date.fromisoformat(body["until"])
        pending = body.get("pending_ref")
        if case.preserved_pending_ref and str(case.preserved_pending_ref) == pending and (
                case.preservation_until and until <= case.preservation_until):
            return False
        case.preservation_until = max(until, case.preservation_until or until)
        case.preserved_pending_ref = pending
        case.save(update_fields=["preservation_until", "preserved_pending_ref"])
        record(None, "cooperation.preservation_extended", case, before=before,
               after={**_snap(case), "pending": pending},
               summary=f"{case.requested_state} preserves the data until request "
                       f"{str(pending)[:8]} is decided")
        return True
    if message.type == "transfer_request":
        OnwardTransfer.objects.get_or_create(
            transfer_id=body["transfer_id"], defaults={
                "case": case, "recipient": body.get("recipient", ""), "purpose": body["text"]})
        return True
    if message.type == "transfer_decision":
        return bool(OnwardTransfer.objects.filter(
            case=case, transfer_id=body["transfer_id"], status="requested").update(
            status=body["decision"], decided_at=timezone.now()))
    try:
        target = rules.next_status(case.status, message.type, sender_side)
    except rules.TransitionError:
        return False
    _apply_status(case, message.type, target, body)
    case.save()
    record(None, f"cooperation.{message.type}_received", case, before=before, after=_snap(case),
           summary=f"{message.type.replace('_', ' ')} from {message.peer_node_id} — case "
                   f"{case.short_ref}")
    return True


def _open_incoming_case(message: Message, data: dict) -> bool:
    if data.get("requested_state") != settings.CONVENE_NODE_STATE:
        raise ValueError(f"the request is for {data.get('requested_state')!r}, this node acts "
                         f"for {settings.CONVENE_NODE_STATE!r}")
    # The requesting State is the one the directory lists for the signing node: a node cannot
    # send a request in another State's name.
    entry = directory_service.entry_for_node(message.peer_node_id)
    if entry is None or data.get("requesting_state") != entry["state"]:
        raise ValueError("the requesting State is not the sending node's")
    if data.get("kind") not in rules.KINDS:
        raise ValueError(f"unknown kind {data.get('kind')!r}")
    if Case.objects.filter(ref=data["ref"], side=Side.REQUESTED).exists():
        raise ValueError("a request with this reference exists")
    today = timezone.localdate()
    case = Case.objects.create(
        ref=data["ref"], side=Side.REQUESTED, kind=data["kind"],
        requesting_state=data["requesting_state"], requested_state=data["requested_state"],
        peer_node_id=message.peer_node_id, status=rules.SENT, language=data.get("language", ""),
        offence=data.get("offence", ""), max_penalty_years=data.get("max_penalty_years"),
        elements=data.get("elements") or {}, urgent=bool(data.get("urgent")),
        requested_by=date.fromisoformat(data["requested_by"]) if data.get("requested_by")
        else None, personal_data_conditions=data.get("personal_data_conditions", ""),
        sent_at=timezone.now(),
        # Art. 42: preserved for not less than the minimum period.
        preservation_until=rules.preservation_until(today)
        if data["kind"] == rules.PRESERVATION else None)
    message.case = case
    message.save(update_fields=["case"])
    record(None, "cooperation.request_received", case, after=_snap(case),
           summary=f"{case.get_kind_display()} request from {case.requesting_state}")
    follow = data.get("follow_up_of")
    if follow:
        earlier = Case.objects.filter(ref=follow, side=Side.REQUESTED,
                                      peer_node_id=message.peer_node_id).first()
        if earlier is not None:
            case.follow_up_of = earlier
            case.save(update_fields=["follow_up_of"])
            if earlier.kind == rules.PRESERVATION and earlier.preservation_until:
                _extend_preservation(earlier, case, today)
    return True


def _extend_preservation(preservation: Case, follow_up: Case, received_on: date) -> None:
    """Art. 42: once the follow-up request is received, the data stays preserved until a
    decision on it is taken (never less than the minimum period); the requesting State's node
    is told, so both copies of the case say the same."""
    before = _snap(preservation)
    preservation.preservation_until = rules.extended_preservation(
        preservation.preservation_until, received_on)
    preservation.preserved_pending_ref = follow_up.ref
    preservation.save(update_fields=["preservation_until", "preserved_pending_ref"])
    record(None, "cooperation.preservation_extended", preservation, before=before,
           after={**_snap(preservation), "pending": str(follow_up.ref)},
           summary=f"Preservation extended until request {follow_up.short_ref} is decided")
    exchange.compose(case=preservation, type="preservation_extended",
                     body={"until": preservation.preservation_until.isoformat(),
                           "pending_ref": str(follow_up.ref)},
                     peer_node_id=preservation.peer_node_id)


# --- reading --------------------------------------------------------------------------------

def visible_cases(user):
    """Case officers see their authority's cases (this node's); duty officers the urgent ones."""
    from convene.accounts.permissions import is_case_officer, is_duty_officer

    qs = Case.objects.all()
    if user.is_superuser or is_case_officer(user):
        return qs
    if is_duty_officer(user):
        return qs.filter(urgent=True)
    return qs.none()


def read_case(user, case: Case) -> Case:
    """Every read of a case is audited (who, when, which case)."""
    require(user, "cooperation.view_case", case)
    record(user, "cooperation.case_read", case, summary=f"Case {case.short_ref} read")
    return case


# --- statistics for the Conference of the States Parties ------------------------------------

def statistics() -> list[dict]:
    """Per State pair: volumes, hours to acknowledge and days to execute (median, 90th
    percentile), refusal grounds. Counts and durations only: no case content."""
    pairs: dict = {}
    for c in Case.objects.exclude(status=rules.DRAFT).values(
            "requesting_state", "requested_state", "kind", "status", "sent_at",
            "acknowledged_at", "closed_at", "refusal_ground", "side"):
        key = (c["requesting_state"], c["requested_state"])
        p = pairs.setdefault(key, {"requesting_state": key[0], "requested_state": key[1],
                                   "requests": 0, "by_kind": {}, "ack_hours": [],
                                   "exec_days": [], "refusals": {}, "open": 0})
        p["requests"] += 1
        p["by_kind"][c["kind"]] = p["by_kind"].get(c["kind"], 0) + 1
        if c["acknowledged_at"] and c["sent_at"]:
            p["ack_hours"].append((c["acknowledged_at"] - c["sent_at"]).total_seconds() / 3600)
        if c["status"] in (rules.EXECUTED, rules.PARTLY_EXECUTED) and c["closed_at"]:
            p["exec_days"].append((c["closed_at"] - c["sent_at"]).total_seconds() / 86400)
        if c["status"] == rules.REFUSED:
            g = c["refusal_ground"] or "unspecified"
            p["refusals"][g] = p["refusals"].get(g, 0) + 1
        if c["status"] not in rules.FINAL:
            p["open"] += 1
    out = []
    for p in pairs.values():
        ack, ex = p.pop("ack_hours"), p.pop("exec_days")
        p.update(ack_hours_median=_r(rules.median(ack)),
                 ack_hours_p90=_r(rules.percentile(ack, 90)),
                 exec_days_median=_r(rules.median(ex)),
                 exec_days_p90=_r(rules.percentile(ex, 90)))
        out.append(p)
    return sorted(out, key=lambda p: (p["requesting_state"], p["requested_state"]))


def _r(v):
    return None if v is None else round(v, 2)
