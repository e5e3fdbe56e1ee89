"""What people do with the programme and the run-of-show: one transaction per action, with
its permission check and audit event. Views and the JSON API call these functions."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.audit.services import record, snapshot
from convene.delegations.models import Delegation, Member
from convene.programme import calendar, conflicts, runofshow
from convene.programme.models import (
    CalendarFeed,
    Cue,
    CueTiming,
    Day,
    Finding,
    FindingStatus,
    Participation,
    Room,
    Run,
    RunKind,
    Session,
    SessionKind,
)

SESSION_FIELDS = ["day", "kind", "title", "description", "starts_at", "ends_at", "room",
                  "expected_attendance", "allowed_zones", "is_public"]
CUE_FIELDS = ["planned_at", "duration_seconds", "what", "where", "task_force",
              "notes_interpreters", "notes_stage", "notes_media"]


class ProgrammeRefused(Exception):
    """A rule refuses the action; `message` is for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def touch(session_id: int) -> None:
    """Mark a session changed: followers' ETag changes and calendars see a new SEQUENCE."""
    Session.objects.filter(pk=session_id).update(version=F("version") + 1,
                                                 updated_at=timezone.now())


# --- Days, rooms, sessions, people ----------------------------------------------------------

@transaction.atomic
def save_day(user, event, data: dict, day: Day | None = None) -> Day:
    _require(user, "programme.manage_programme")
    before = snapshot(day) if day else None
    day = day or Day(event=event)
    day.date, day.title = data["date"], data.get("title", "")
    if not (event.start_date <= day.date <= event.end_date):
        raise ProgrammeRefused(_("The day must fall within the event (%(a)s – %(b)s).")
                               % {"a": event.start_date, "b": event.end_date}, "date")
    if Day.objects.filter(event=event, date=day.date).exclude(pk=day.pk).exists():
        raise ProgrammeRefused(_("This day is already in the programme."), "date")
    day.save()
    record(user, "programme.day_saved", day, before=before, after=snapshot(day), summary=str(day))
    return day


@transaction.atomic
def save_room(user, event, data: dict, room: Room | None = None) -> Room:
    _require(user, "programme.manage_programme")
    before = snapshot(room) if room else None
    room = room or Room(event=event)
    for name in ("name", "capacity", "rows", "seats_per_row", "location"):
        if name in data:
            setattr(room, name, data[name])
    if (room.rows is None) != (room.seats_per_row is None):
        raise ProgrammeRefused(_("Give both the rows and the seats per row, or neither."),
                               "seats_per_row")
    if Room.objects.filter(event=event, name=room.name).exclude(pk=room.pk).exists():
        raise ProgrammeRefused(_("There is already a room with this name."), "name")
    room.save()
    record(user, "programme.room_saved", room, before=before, after=snapshot(room),
           summary=room.name)
    return room


def _check_session(event, session: Session) -> None:
    if session.ends_at <= session.starts_at:
        raise ProgrammeRefused(_("A session must end after it starts."), "ends_at")
    if session.day.event_id != event.pk:
        raise ProgrammeRefused(_("Choose a day of this event."), "day")
    local_start = timezone.localtime(session.starts_at).date()
    if local_start != session.day.date:
        raise ProgrammeRefused(_("The session starts on %(d)s, not on the day chosen (%(day)s).")
                               % {"d": local_start, "day": session.day.date}, "starts_at")
    if session.room_id and session.room.event_id != event.pk:
        raise ProgrammeRefused(_("Choose a room of this event."), "room")


@transaction.atomic
def save_session(user, event, data: dict, session: Session | None = None) -> Session:
    _require(user, "programme.manage_programme")
    before = snapshot(session, SESSION_FIELDS) if session else None
    session = session or Session(event=event)
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    session.allowed_zones = sorted({z.strip().upper() for z in session.allowed_zones or []
                                    if z.strip()})
    _check_session(event, session)
    if session.pk:
        session.version += 1
    session.save()
    record(user, "programme.session_saved", session, before=before,
           after=snapshot(session, SESSION_FIELDS), summary=session.title)
    return session


@transaction.atomic
def add_participation(user, session: Session, *, role: str, member: Member | None = None,
                      name: str = "") -> Participation:
    _require(user, "programme.manage_programme")
    if member is None and not name.strip():
        raise ProgrammeRefused(_("Choose a person or write a name."), "member")
    if member is not None and member.delegation.event_id != session.event_id:
        raise ProgrammeRefused(_("This person is not in a delegation to this event."), "member")
    if member is not None and session.participations.filter(member=member, role=role).exists():
        raise ProgrammeRefused(_("%(name)s already has this role in the session.")
                               % {"name": member.full_name}, "member")
    position = (session.participations.aggregate(m=Max("position"))["m"] or 0) + 1
    part = Participation.objects.create(session=session, member=member, name=name.strip(),
                                        role=role, position=position)
    touch(session.pk)
    record(user, "programme.participant_added", part, after=snapshot(part),
           summary=f"{part.display_name} — {part.get_role_display()} — {session.title}")
    return part


@transaction.atomic
def remove_participation(user, part: Participation) -> None:
    _require(user, "programme.manage_programme")
    before = snapshot(part)
    session_id, label = part.session_id, part.display_name
    part.delete()
    touch(session_id)
    record(user, "programme.participant_removed", None, before=before,
           object_type="programme.participation", object_id=str(before["id"]), summary=label)


def sessions_for_listing(event):
    """The event's sessions with their day, room and people, in a fixed number of queries."""
    return (Session.objects.filter(event=event).select_related("day", "room")
            .prefetch_related(Prefetch(
                "participations",
                queryset=Participation.objects.select_related("member__delegation__entity"))))


def find_conflicts(event) -> list[conflicts.Conflict]:
    data = []
    for s in sessions_for_listing(event):
        people = tuple(conflicts.PersonIn(
            p.member_id, p.display_name, p.role, p.member.status if p.member_id else None)
            for p in s.participations.all())
        data.append(conflicts.SessionIn(
            s.pk, s.title, s.starts_at, s.ends_at, s.room_id, s.room.name if s.room else "",
            s.room.capacity if s.room else None, s.expected_attendance, people))
    return conflicts.find_conflicts(data)


# --- The script -----------------------------------------------------------------------------

def _check_cue(session: Session, cue: Cue) -> None:
    if not cue.what.strip():
        raise ProgrammeRefused(_("Say what happens."), "what")
    day_start = session.starts_at - timedelta(hours=12)
    if not (day_start <= cue.planned_at <= session.ends_at + timedelta(hours=12)):
        raise ProgrammeRefused(_("The planned time is far from the session (%(s)s).")
                               % {"s": timezone.localtime(session.starts_at)
                                  .strftime("%d %b %H:%M")}, "planned_at")


@transaction.atomic
def add_cue(user, session: Session, data: dict) -> Cue:
    _require(user, "programme.edit_script", session)
    session = Session.objects.select_for_update().get(pk=session.pk)
    position = (session.cues.aggregate(m=Max("position"))["m"] or 0) + 1
    cue = Cue(session=session, position=position,
              **{k: v for k, v in data.items() if k in CUE_FIELDS})
    _check_cue(session, cue)
    cue.save()
    touch(session.pk)
    record(user, "programme.cue_added", cue, after=snapshot(cue), summary=f"{session}: {cue}")
    return cue


@transaction.atomic
def update_cue(user, cue: Cue, data: dict) -> Cue:
    _require(user, "programme.edit_script", cue.session)
    before = snapshot(cue)
    for name in CUE_FIELDS:
        if name in data:
            setattr(cue, name, data[name])
    _check_cue(cue.session, cue)
    cue.save()
    touch(cue.session_id)
    record(user, "programme.cue_updated", cue, before=before, after=snapshot(cue),
           summary=str(cue))
    return cue


@transaction.atomic
def delete_cue(user, cue: Cue) -> None:
    _require(user, "programme.edit_script", cue.session)
    if cue.timings.exists():
        raise ProgrammeRefused(_("This cue has been run; it stays in the record of the run."))
    before = snapshot(cue)
    session_id = cue.session_id
    cue.delete()
    touch(session_id)
    record(user, "programme.cue_deleted", None, before=before, object_type="programme.cue",
           object_id=str(before["id"]), summary=before["what"])


@transaction.atomic
def move_cue(user, cue: Cue, step: int) -> Cue:
    """Move a cue one place up (step -1) or down (+1) in the script."""
    _require(user, "programme.edit_script", cue.session)
    cues = list(Session.objects.select_for_update().get(pk=cue.session_id).cues.order_by(
        "position"))
    index = next(i for i, c in enumerate(cues) if c.pk == cue.pk)
    other_index = index + (1 if step > 0 else -1)
    if not 0 <= other_index < len(cues):
        return cue
    other = cues[other_index]
    a, b = cue.position, other.position
    top = cues[-1].position + 1  # a free place, so the unique (session, position) holds
    Cue.objects.filter(pk=cue.pk).update(position=top)
    Cue.objects.filter(pk=other.pk).update(position=a)
    Cue.objects.filter(pk=cue.pk).update(position=b)
    cue.position = b
    touch(cue.session_id)
    record(user, "programme.cue_moved", cue, before={"position": a}, after={"position": b},
           summary=str(cue))
    return cue


@transaction.atomic
def set_speaker_cues(user, session: Session, items: list[dict]) -> list[Cue]:
    """Put the speakers list in the script: one cue per statement, after the last cue.
    Statements already in the script and not yet run are replaced (the list may have changed);
    those that have run stay as they are. `items`: dicts with speaker_entry, what, planned_at,
    duration_seconds, where."""
    _require(user, "programme.edit_script", session)
    session = Session.objects.select_for_update().get(pk=session.pk)
    stale = session.cues.filter(speaker_entry__isnull=False, timings__isnull=True)
    removed = list(stale.values_list("pk", flat=True))
    stale.delete()
    ran = set(session.cues.filter(speaker_entry__isnull=False)
              .values_list("speaker_entry_id", flat=True))
    position = (session.cues.aggregate(m=Max("position"))["m"] or 0)
    created = []
    for item in items:
        if item["speaker_entry"].pk in ran:
            continue
        position += 1
        created.append(Cue(session=session, position=position, task_force=_("Protocol"),
                           **item))
    Cue.objects.bulk_create(created)
    touch(session.pk)
    record(user, "programme.speaker_cues_set", session,
           after={"removed": removed, "added": len(created)},
           summary=_("%(n)d statements put in the script of %(s)s")
           % {"n": len(created), "s": session.title})
    return created


# --- Runs: rehearsals and the ceremony ------------------------------------------------------

def open_run(session: Session) -> Run | None:
    return session.runs.filter(ended_at__isnull=True).first()


@transaction.atomic
def start_run(user, session: Session, kind: str, label: str = "") -> Run:
    """Put the script on standby for a run; the first "go" starts its first cue."""
    _require(user, "programme.operate_console", session)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if open_run(session):
        raise ProgrammeRefused(_("A run of this session is already under way."))
    if not session.cues.exists():
        raise ProgrammeRefused(_("The script has no cues yet."))
    if kind not in RunKind.values:
        raise ProgrammeRefused(_("Choose live or rehearsal."), "kind")
    run = Run.objects.create(session=session, kind=kind, label=label.strip(), started_by=user)
    touch(session.pk)
    record(user, "programme.run_started", run, after=snapshot(run),
           summary=f"{session.title}: {run}")
    return run


def _plans(session: Session) -> list[runofshow.CuePlan]:
    return [runofshow.CuePlan(c.pk, c.position, c.planned_at,
                              timedelta(seconds=c.duration_seconds), c.what)
            for c in session.cues.all()]


def _actuals(run: Run) -> list[runofshow.CueActual]:
    return [runofshow.CueActual(t.cue_id, t.started_at, t.ended_at) for t in run.timings.all()]


@transaction.atomic
def go(user, run: Run, expected_cue_id: int | None = None) -> Run:
    """End the running cue and start the next one (or finish the run after the last cue).

    `expected_cue_id` is the cue the operator saw as next (0: the end of the run): if another
    console has advanced in between, the press is refused instead of skipping a cue."""
    _require(user, "programme.operate_console", run.session)
    run = Run.objects.select_for_update().select_related("session").get(pk=run.pk)
    if not run.is_open:
        raise ProgrammeRefused(_("This run has ended."))
    now = timezone.now()
    nxt = runofshow.next_cue(_plans(run.session), _actuals(run))
    if expected_cue_id is not None and (nxt.id if nxt else 0) != expected_cue_id:
        raise ProgrammeRefused(_("The script moved on from another console; look again."))
    running = run.timings.filter(ended_at__isnull=True)
    ended = list(running.values_list("cue_id", flat=True))
    running.update(ended_at=now)
    if nxt is None:
        run.ended_at = now
        run.save(update_fields=["ended_at"])
    else:
        CueTiming.objects.create(run=run, cue_id=nxt.id, started_at=now)
        if run.started_at is None:
            run.started_at = now
            run.save(update_fields=["started_at"])
    touch(run.session_id)
    record(user, "programme.run_go", run, after={"ended": ended, "started": nxt.id if nxt else None,
                                                 "at": now},
           summary=f"{run.session.title}: " + (nxt.what if nxt else _("end of the run")))
    return run


@transaction.atomic
def stop_run(user, run: Run) -> Run:
    _require(user, "programme.operate_console", run.session)
    run = Run.objects.select_for_update().get(pk=run.pk)
    if not run.is_open:
        return run
    now = timezone.now()
    run.timings.filter(ended_at__isnull=True).update(ended_at=now)
    run.ended_at = now
    run.save(update_fields=["ended_at"])
    touch(run.session_id)
    record(user, "programme.run_stopped", run, after={"ended_at": now}, summary=str(run))
    return run


@dataclass
class LiveView:
    session: Session
    run: Run | None
    state: runofshow.RunState | None
    next_cue: Cue | None
    cues: dict[int, Cue]


def latest_run(session: Session) -> Run | None:
    """The run under way, else the last one that started (so screens show how it ended)."""
    return open_run(session) or session.runs.filter(started_at__isnull=False).order_by(
        "-started_at").first()


def live_view(session: Session, run: Run | None = None) -> LiveView:
    """Where the session's latest run (or `run`) stands now."""
    cues = {c.pk: c for c in session.cues.all()}
    run = run or latest_run(session)
    if run is None:
        return LiveView(session, None, None, None, cues)
    plans = [runofshow.CuePlan(c.pk, c.position, c.planned_at,
                               timedelta(seconds=c.duration_seconds), c.what)
             for c in cues.values()]
    actuals = _actuals(run)
    state = runofshow.run_state(run.kind, plans, actuals, run.started_at, timezone.now())
    nxt = runofshow.next_cue(plans, actuals)
    return LiveView(session, run, state, cues[nxt.id] if nxt else None, cues)


def stamp_of(session: Session) -> str:
    return f'"s{session.pk}v{session.version}"'


def session_stamp(session_id: int) -> str | None:
    """The ETag of everything a follower sees of a session (one small query)."""
    version = Session.objects.filter(pk=session_id).values_list("version", flat=True).first()
    return None if version is None else f'"s{session_id}v{version}"'


def compare_runs(session: Session):
    runs = list(session.runs.filter(started_at__isnull=False).prefetch_related(
        "timings", "findings__owner", "findings__cue"))
    rows = runofshow.compare_runs(_plans(session), [(r.started_at, _actuals(r)) for r in runs])
    return runs, rows


# --- Findings: follow-up items with an owner -----------------------------------------------

@transaction.atomic
def record_finding(user, run: Run, *, text: str, owner, cue: Cue | None = None,
                   task_force: str = "") -> Finding:
    _require(user, "programme.record_finding", run.session)
    if not text.strip():
        raise ProgrammeRefused(_("Describe what was found."), "text")
    if cue is not None and cue.session_id != run.session_id:
        raise ProgrammeRefused(_("This cue is not in the script of the run."), "cue")
    finding = Finding.objects.create(run=run, cue=cue, text=text.strip(), owner=owner,
                                     task_force=task_force or (cue.task_force if cue else ""),
                                     created_by=user)
    record(user, "programme.finding_recorded", finding, after=snapshot(finding),
           summary=f"{finding.text[:120]} → {owner.get_username()}")
    return finding


@transaction.atomic
def set_finding_status(user, finding: Finding, status: str) -> Finding:
    if not (user.has_perm("programme.record_finding", finding.run.session)
            or finding.owner_id == user.pk):
        raise PermissionDenied
    if status not in FindingStatus.values:
        raise ProgrammeRefused(_("Unknown status."), "status")
    before = snapshot(finding, ["status"])
    finding.status = status
    finding.save(update_fields=["status"])
    record(user, "programme.finding_status", finding, before=before,
           after=snapshot(finding, ["status"]), summary=finding.text[:120])
    return finding


@transaction.atomic
def hand_over_findings(user, run: Run) -> int:
    """Give the run's open findings to the task forces as readiness items (issue 7).

    Each finding goes to the task force it names (by area or name), else to protocol, whose
    script it is; its owner stays the owner. Handing over twice makes no second item. Returns
    how many findings were handed over.
    """
    from convene.operations import services as operations

    _require(user, "programme.manage_programme")
    event = run.session.event
    findings = list(run.findings.filter(status=FindingStatus.OPEN, operations_ref="")
                    .select_related("owner", "cue"))
    fallback = operations.task_force_area(event, "protocol")
    handed = []
    for f in findings:
        area = operations.task_force_area(event, f.task_force) if f.task_force else None
        if area or fallback:
            handed.append((f, area or fallback))
    if not handed:
        return 0
    items = operations.create_items_from_findings(user, event, [
        operations.Finding(
            title=f.text[:300], area=area, ref=f"programme-finding-{f.pk}", owner=f.owner,
            description=_("Found in %(run)s of %(session)s%(cue)s.") % {
                "run": run, "session": run.session.title,
                "cue": f" (cue {f.cue.position}: {f.cue.what})" if f.cue else ""})
        for f, area in handed])
    for (finding, _area), item in zip(handed, items, strict=True):
        finding.operations_ref = str(item.pk)
        finding.save(update_fields=["operations_ref"])
    record(user, "programme.findings_handed_over", run,
           after={"items": [item.pk for item in items]},
           summary=f"{len(items)} findings of {run} handed over to the task forces")
    return len(items)


# --- Calendar feeds -------------------------------------------------------------------------

@transaction.atomic
def create_feed(user, *, delegation: Delegation | None = None,
                member: Member | None = None) -> CalendarFeed:
    owner = delegation if delegation is not None else member
    _require(user, "programme.calendar_feed", owner)
    feed = CalendarFeed.objects.create(delegation=delegation, member=member, created_by=user)
    record(user, "programme.feed_created", feed,
           after={"delegation": feed.delegation_id, "member": feed.member_id},
           summary=str(owner))
    return feed


@transaction.atomic
def revoke_feed(user, feed: CalendarFeed) -> CalendarFeed:
    _require(user, "programme.calendar_feed", feed.delegation or feed.member)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(user, "programme.feed_revoked", feed, after={"revoked_at": feed.revoked_at},
           summary=str(feed.delegation or feed.member))
    return feed


def feed_sessions(feed: CalendarFeed):
    """A delegation's feed: the public programme and every session one of its people is in.
    A person's feed: the sessions that person is in."""
    from django.db.models import Q

    base = Session.objects.select_related("room").order_by("starts_at")
    if feed.member_id:
        return base.filter(Q(participations__member_id=feed.member_id)
                           | Q(speakers_list__entries__speaker_id=feed.member_id,
                               speakers_list__entries__withdrawn_at__isnull=True)).distinct()
    delegation = feed.delegation
    return base.filter(Q(event_id=delegation.event_id, is_public=True)
                       | Q(participations__member__delegation=delegation)).distinct()


def feed_ics(token: str) -> bytes | None:
    feed = (CalendarFeed.objects.select_related("delegation__entity", "member__delegation__entity")
            .filter(token=token, revoked_at__isnull=True).first())
    if feed is None:
        return None
    name = (f"{feed.member.full_name} — {feed.member.delegation}" if feed.member_id
            else str(feed.delegation))
    items = [calendar.CalendarItem(
        uid=f"session-{s.pk}@convene", title=s.title, starts_at=s.starts_at, ends_at=s.ends_at,
        location=s.room.name if s.room else "", description=s.description,
        sequence=s.version, updated_at=s.updated_at) for s in feed_sessions(feed)]
    return calendar.build_calendar(name, items, timezone.now())


# --- For the bilateral scheduler (issue 6) -------------------------------------------------

@dataclass(frozen=True)
class BusyTime:
    start: object  # aware datetime
    end: object
    delegation_id: int | None  # None: every principal
    reason: str


# Every principal attends these; no bilateral may be set against them.
ALL_PRINCIPALS_ATTEND = (SessionKind.OPENING, SessionKind.SIGNING)


def principal_busy_times(event) -> list[BusyTime]:
    """When heads of delegation are taken by the programme: the opening session and the
    signing ceremony for all of them, and any session where a head has a part (chair,
    speaker, principal attending) for that delegation. Read by bilaterals/availability.py."""
    busy = [BusyTime(s.starts_at, s.ends_at, None, s.title)
            for s in Session.objects.filter(event=event, kind__in=ALL_PRINCIPALS_ATTEND)]
    parts = (Participation.objects.filter(session__event=event, member__is_head=True)
             .exclude(session__kind__in=ALL_PRINCIPALS_ATTEND)
             .select_related("session", "member"))
    busy += [BusyTime(p.session.starts_at, p.session.ends_at, p.member.delegation_id,
                      f"{p.session.title} ({p.get_role_display()})") for p in parts]
    return busy
