"""Programme and run-of-show pages: thin, they check the permission, call a service, render."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from convene.accounts.permissions import visible_delegations
from convene.core.models import current_event
from convene.delegations.models import Delegation, Member
from convene.programme import runofshow, services
from convene.programme.forms import (
    CueForm,
    DayForm,
    FindingForm,
    ParticipationForm,
    RoomForm,
    RunStartForm,
    SessionForm,
)
from convene.programme.models import (
    CalendarFeed,
    Cue,
    Day,
    Finding,
    FindingStatus,
    Participation,
    Room,
    Run,
    Session,
)
from convene.programme.pdf import pdf_response


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _event_or_404():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _session(request, pk: int, perm: str) -> Session:
    session = get_object_or_404(Session.objects.select_related("event", "day", "room"), pk=pk)
    _need(request, perm, session)
    return session


def _by_day(sessions):
    return [(day, list(items)) for day, items in groupby(sessions, key=lambda s: s.day)]


# --- Public agenda --------------------------------------------------------------------------

@login_not_required
def agenda(request):
    event = current_event()
    sessions = []
    if event is not None:
        sessions = [s for s in services.sessions_for_listing(event).order_by("day__date",
                                                                             "starts_at")
                    if s.is_public]
    return render(request, "programme/agenda.html", {"days": _by_day(sessions)})


# --- The internal programme -----------------------------------------------------------------

def index(request):
    _need(request, "programme.view_programme")
    event = _event_or_404()
    sessions = services.sessions_for_listing(event).order_by("day__date", "starts_at")
    can_conflicts = request.user.has_perm("programme.view_conflicts")
    found = services.find_conflicts(event) if can_conflicts else []
    flagged: dict[int, str] = {}
    for c in found:  # sorted critical first, so a session keeps its worst severity
        for sid in c.session_ids:
            flagged.setdefault(sid, c.severity)
    days = _by_day(sessions)
    for _day, items in days:
        for s in items:
            s.flag = flagged.get(s.pk)
    return render(request, "programme/index.html", {
        "days": days, "conflicts": found,
        "can_manage": request.user.has_perm("programme.manage_programme"),
        "can_script": request.user.has_perm("programme.view_script"),
        "can_conflicts": can_conflicts,
    })


def conflicts_view(request):
    _need(request, "programme.view_conflicts")
    event = _event_or_404()
    return render(request, "programme/conflicts.html",
                  {"conflicts": services.find_conflicts(event)})


def rooms(request):
    """Days and rooms of the event, and the forms to add them (organiser)."""
    _need(request, "programme.view_programme")
    event = _event_or_404()
    can_manage = request.user.has_perm("programme.manage_programme")
    day_form, room_form = DayForm(prefix="day"), RoomForm(prefix="room")
    if request.method == "POST":
        _need(request, "programme.manage_programme")
        which = request.POST.get("form")
        form = DayForm(request.POST, prefix="day") if which == "day" else RoomForm(
            request.POST, prefix="room")
        if which == "day":
            day_form = form
        else:
            room_form = form
        if form.is_valid():
            try:
                if which == "day":
                    services.save_day(request.user, event, form.cleaned_data)
                else:
                    services.save_room(request.user, event, form.cleaned_data)
            except services.ProgrammeRefused as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("programme:rooms")
    return render(request, "programme/rooms.html", {
        "days": Day.objects.filter(event=event), "rooms": Room.objects.filter(event=event),
        "day_form": day_form, "room_form": room_form, "can_manage": can_manage})


def session_form(request, pk: int | None = None):
    _need(request, "programme.manage_programme")
    event = _event_or_404()
    session = get_object_or_404(Session, pk=pk, event=event) if pk else None
    form = SessionForm(request.POST or None, instance=Session.objects.get(pk=pk) if pk else None,
                       event=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_session(request.user, event, form.cleaned_data, session)
        except services.ProgrammeRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("programme:session", pk=saved.pk)
    return render(request, "programme/session_form.html", {"form": form, "session": session})


def session_detail(request, pk: int):
    session = _session(request, pk, "programme.view_programme")
    can_manage = request.user.has_perm("programme.manage_programme")
    form = ParticipationForm(request.POST or None, event=session.event) if can_manage else None
    if request.method == "POST":
        _need(request, "programme.manage_programme")
        if form.is_valid():
            try:
                services.add_participation(request.user, session, role=form.cleaned_data["role"],
                                           member=form.cleaned_data["member"],
                                           name=form.cleaned_data["name"])
            except services.ProgrammeRefused as exc:
                form.add_error(exc.field, exc.message)
            else:
                return redirect("programme:session", pk=session.pk)
    return render(request, "programme/session_detail.html", {
        "session": session,
        "participations": session.participations.select_related("member__delegation__entity"),
        "form": form, "can_manage": can_manage,
        "can_script": request.user.has_perm("programme.view_script", session),
        "has_speakers": session.kind in ("plenary", "high_level", "opening"),
    })


@require_POST
def participation_remove(request, pk: int, part_pk: int):
    _need(request, "programme.manage_programme")
    part = get_object_or_404(Participation, pk=part_pk, session_id=pk)
    services.remove_participation(request.user, part)
    return redirect("programme:session", pk=pk)


# --- The script -----------------------------------------------------------------------------

def script(request, pk: int):
    session = _session(request, pk, "programme.view_script")
    can_edit = request.user.has_perm("programme.edit_script", session)
    cues = list(session.cues.all())
    form = None
    if can_edit:
        last = cues[-1] if cues else None
        initial = {"planned_at": timezone.localtime(
            last.planned_at + timezone.timedelta(seconds=last.duration_seconds)
            if last else session.starts_at)}
        form = CueForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _need(request, "programme.edit_script", session)
        if form.is_valid():
            try:
                services.add_cue(request.user, session, form.cue_data())
            except services.ProgrammeRefused as exc:
                form.add_error(exc.field, exc.message)
            else:
                return redirect("programme:script", pk=session.pk)
    return render(request, "programme/script.html", {
        "session": session, "cues": cues, "form": form, "can_edit": can_edit,
        "can_operate": request.user.has_perm("programme.operate_console", session)})


def cue_edit(request, pk: int, cue_pk: int):
    session = _session(request, pk, "programme.edit_script")
    cue = get_object_or_404(Cue, pk=cue_pk, session=session)
    form = CueForm(request.POST or None, instance=Cue.objects.get(pk=cue.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cue(request.user, cue, form.cue_data())
        except services.ProgrammeRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("programme:script", pk=session.pk)
    return render(request, "programme/cue_form.html", {"session": session, "cue": cue,
                                                       "form": form})


@require_POST
def cue_action(request, pk: int, cue_pk: int):
    """Move a cue up or down, or delete it."""
    session = _session(request, pk, "programme.edit_script")
    cue = get_object_or_404(Cue, pk=cue_pk, session=session)
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.delete_cue(request.user, cue)
        else:
            services.move_cue(request.user, cue, -1 if action == "up" else 1)
    except services.ProgrammeRefused as exc:
        messages.error(request, exc.message)
    return redirect("programme:script", pk=session.pk)


def script_pdf(request, pk: int):
    session = _session(request, pk, "programme.view_script")
    return pdf_response(request, "programme/script_print.html", {
        "session": session, "cues": session.cues.all(), "printed_at": timezone.now()},
        f"script-session-{session.pk}.pdf", "programme/print-script.css")


# --- Console, followers, runs ---------------------------------------------------------------

def _live_context(request, session, view=None, operator=False):
    view = view or services.live_view(session)
    state = view.state
    rows = []
    if state:
        current_id = state.current.plan.id if state.current else None
        for cs in state.cues:
            rows.append({"cue": view.cues[cs.plan.id], "state": cs,
                         "is_current": cs.plan.id == current_id,
                         "drift": runofshow.format_delta(cs.drift),
                         "actual": runofshow.format_delta(cs.actual_duration, signed=False)})
    return {
        "session": session, "run": view.run, "state": state, "rows": rows,
        "next_cue": view.next_cue,
        "current_cue": view.cues[state.current.plan.id] if state and state.current else None,
        "upcoming": [view.cues[c.plan.id] for c in state.upcoming] if state else [],
        "drift": runofshow.format_delta(state.drift) if state else "—",
        "drift_late": bool(state and state.drift and state.drift.total_seconds() > 0),
        "overrun": runofshow.format_delta(state.overrun) if state and state.overrun else None,
        "elapsed": runofshow.format_delta(state.elapsed, signed=False) if state else "",
        "now": timezone.now(),
        "operator": operator,
        "etag": services.stamp_of(session),
        "poll_url": reverse("programme:live_panel", args=[session.pk])
        + ("?console=1" if operator else ""),
        "speaker_rows": [r for r in rows if r["cue"].speaker_entry_id],
    }


def console(request, pk: int):
    session = _session(request, pk, "programme.operate_console")
    context = _live_context(request, session, operator=True)
    context["start_form"] = RunStartForm()
    context["finding_form"] = FindingForm(session=session) if context["run"] else None
    context["can_start"] = services.open_run(session) is None
    from convene.protocol import services as protocol

    if session.kind in protocol.SPEAKING_KINDS:
        context["speakers"] = protocol.speakers_view(session)
    return render(request, "programme/console.html", context)


@require_POST
def run_start(request, pk: int):
    session = _session(request, pk, "programme.operate_console")
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            services.start_run(request.user, session, form.cleaned_data["kind"],
                               form.cleaned_data["label"])
        except services.ProgrammeRefused as exc:
            messages.error(request, exc.message)
    return redirect("programme:console", pk=session.pk)


@require_POST
def run_go(request, pk: int, run_pk: int):
    session = _session(request, pk, "programme.operate_console")
    run = get_object_or_404(Run, pk=run_pk, session=session)
    expected = request.POST.get("expected")
    try:
        services.go(request.user, run, int(expected) if expected not in (None, "") else None)
    except services.ProgrammeRefused as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("The console sent an unreadable cue number."))
    if request.htmx:
        return render(request, "programme/_live.html",
                      _live_context(request, Session.objects.get(pk=session.pk), operator=True))
    return redirect("programme:console", pk=session.pk)


@require_POST
def run_stop(request, pk: int, run_pk: int):
    session = _session(request, pk, "programme.operate_console")
    run = get_object_or_404(Run, pk=run_pk, session=session)
    services.stop_run(request.user, run)
    messages.success(request, _("The run has ended."))
    return redirect("programme:console", pk=session.pk)


def follow(request, pk: int):
    """A screen that follows the session: the current cue and the next ones, kept up to date."""
    session = _session(request, pk, "programme.view_script")
    return render(request, "programme/follow.html", _live_context(request, session))


def _stamp(request, pk, *args, **kwargs):
    # Permission first: a 304 must not be a way round the check.
    if not request.user.has_perm("programme.view_script"):
        return None
    return services.session_stamp(pk)


@condition(etag_func=_stamp)
def live_panel(request, pk: int):
    """The part of the follow page that htmx polls every 2 s. While nothing changes it answers
    304 Not Modified (the ETag is the session's version), so a hall full of screens costs one
    tiny query each."""
    session = _session(request, pk, "programme.view_script")
    operator = request.GET.get("console") == "1"
    if operator:
        _need(request, "programme.operate_console", session)
    response = render(request, "programme/_live.html",
                      _live_context(request, session, operator=operator))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def runs(request, pk: int):
    """Runs side by side: each cue's actual start and length in every rehearsal and live run."""
    session = _session(request, pk, "programme.view_script")
    all_runs, rows = services.compare_runs(session)
    table = [{"cue": r.plan, "planned_offset": runofshow.format_delta(r.planned_offset,
                                                                      signed=False),
              "planned_duration": runofshow.format_delta(r.plan.duration, signed=False),
              "cells": [{"offset": runofshow.format_delta(c.offset, signed=False),
                         "duration": runofshow.format_delta(c.duration, signed=False),
                         "delta": runofshow.format_delta(c.delta),
                         "late": bool(c.delta and c.delta.total_seconds() > 0)}
                        for c in r.cells]} for r in rows]
    return render(request, "programme/runs.html", {"session": session, "runs": all_runs,
                                                   "table": table})


@require_POST
def finding_add(request, pk: int, run_pk: int):
    session = _session(request, pk, "programme.record_finding")
    run = get_object_or_404(Run, pk=run_pk, session=session)
    form = FindingForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.record_finding(request.user, run, text=form.cleaned_data["text"],
                                    owner=form.cleaned_data["owner"],
                                    cue=form.cleaned_data["cue"])
        except services.ProgrammeRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Finding recorded."))
    else:
        messages.error(request, _("The finding was not recorded: %(e)s")
                       % {"e": "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())})
    return redirect("programme:console", pk=session.pk)


def followups(request):
    """Findings of every run, with their owners: the follow-up items of the rehearsals."""
    user = request.user
    event = _event_or_404()
    qs = Finding.objects.filter(run__session__event=event).select_related(
        "run__session", "cue", "owner")
    if not user.has_perm("programme.view_script"):
        qs = qs.filter(owner=user)
        if not user.has_perm("programme.view_programme"):
            raise PermissionDenied
    return render(request, "programme/followups.html", {
        "findings": qs.order_by("status", "created_at"),
        "can_record": user.has_perm("programme.record_finding"),
        "can_hand_over": user.has_perm("programme.manage_programme")})


@require_POST
def findings_hand_over(request):
    """The organiser hands every open rehearsal finding to the task forces' checklists."""
    if not request.user.has_perm("programme.manage_programme"):
        raise PermissionDenied
    event = _event_or_404()
    handed = 0
    for run in Run.objects.filter(session__event=event, findings__status=FindingStatus.OPEN,
                                  findings__operations_ref="").distinct():
        handed += services.hand_over_findings(request.user, run)
    messages.success(request, _("%(n)d findings are now readiness items of the task forces.")
                     % {"n": handed})
    return redirect("programme:followups")


@require_POST
def finding_status(request, finding_pk: int):
    finding = get_object_or_404(Finding.objects.select_related("run__session"), pk=finding_pk)
    status = request.POST.get("status", FindingStatus.DONE)
    try:
        services.set_finding_status(request.user, finding, status)
    except services.ProgrammeRefused as exc:
        messages.error(request, exc.message)
    return redirect("programme:followups")


# --- Calendar feeds -------------------------------------------------------------------------

def feeds(request):
    """The calendar URLs of the delegations the user acts for (all of them for the organiser)."""
    user = request.user
    event = _event_or_404()
    delegations = visible_delegations(user, Delegation.objects.filter(event=event)) \
        .select_related("entity")
    delegations = [d for d in delegations if user.has_perm("programme.calendar_feed", d)]
    if not delegations:
        raise PermissionDenied
    ids = [d.pk for d in delegations]
    feed_list = (CalendarFeed.objects.filter(revoked_at__isnull=True)
                 .filter(delegation_id__in=ids) | CalendarFeed.objects.filter(
                     revoked_at__isnull=True, member__delegation_id__in=ids)) \
        .select_related("delegation__entity", "member__delegation__entity")
    members = Member.objects.filter(delegation_id__in=ids).select_related("delegation__entity")
    return render(request, "programme/feeds.html", {
        "delegations": delegations, "feeds": feed_list, "members": members})


@require_POST
def feed_create(request):
    user = request.user
    delegation = member = None
    if request.POST.get("member"):
        member = get_object_or_404(Member, pk=request.POST["member"])
    else:
        delegation = get_object_or_404(Delegation, pk=request.POST.get("delegation") or 0)
    _need(request, "programme.calendar_feed", delegation or member)
    services.create_feed(user, delegation=delegation, member=member)
    messages.success(request, _("A new calendar address has been made."))
    return redirect("programme:feeds")


@require_POST
def feed_revoke(request, feed_pk: int):
    feed = get_object_or_404(CalendarFeed, pk=feed_pk)
    _need(request, "programme.calendar_feed", feed.delegation or feed.member)
    services.revoke_feed(request.user, feed)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("programme:feeds")


@login_not_required
def ical(request, token: str):
    """A calendar application's request: the secret token is the only credential."""
    body = services.feed_ics(token)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="programme.ics"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
