"""The programme and the run-of-show over JSON; the same services as the pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.core.models import current_event
from convene.programme import services
from convene.programme.models import Run, Session

router = Router(tags=["programme"])


class Error(Schema):
    detail: str


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str | None
    is_public: bool
    allowed_zones: list[str]


class CueOut(Schema):
    id: int
    position: int
    what: str
    where: str
    planned_at: datetime
    duration_seconds: int


class LiveOut(Schema):
    session_id: int
    version: int
    run_id: int | None
    run_kind: str | None
    current: CueOut | None
    started_at: datetime | None
    next: list[CueOut]
    drift_seconds: float | None
    overrun_seconds: float | None
    finished: bool


class Go(Schema):
    expected_cue_id: int | None = None


DENIED = {401: Error, 403: Error, 404: Error}


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise HttpError(403, "You may not do this.")


@router.get("/sessions", response={200: list[SessionOut], 401: Error, 403: Error},
            summary="The sessions of the event")
def list_sessions(request):
    _need(request, "programme.view_programme")
    return [{"id": s.pk, "kind": s.kind, "title": s.title, "starts_at": s.starts_at,
             "ends_at": s.ends_at, "room": s.room.name if s.room else None,
             "is_public": s.is_public, "allowed_zones": s.allowed_zones}
            for s in Session.objects.filter(event=current_event()).select_related("room")]


def _cue(c) -> dict:
    return {"id": c.pk, "position": c.position, "what": c.what, "where": c.where,
            "planned_at": c.planned_at, "duration_seconds": c.duration_seconds}


def _live(session: Session) -> dict:
    view = services.live_view(session)
    state = view.state
    current = view.cues[state.current.plan.id] if state and state.current else None
    return {
        "session_id": session.pk, "version": session.version,
        "run_id": view.run.pk if view.run else None,
        "run_kind": view.run.kind if view.run else None,
        "current": _cue(current) if current else None,
        "started_at": state.current.started_at if current else None,
        "next": [_cue(view.cues[c.plan.id]) for c in state.upcoming] if state else [],
        "drift_seconds": state.drift.total_seconds() if state and state.drift is not None
        else None,
        "overrun_seconds": state.overrun.total_seconds() if state and state.overrun else None,
        "finished": bool(state and state.finished),
    }


@router.get("/sessions/{pk}/live", response={200: LiveOut, **DENIED},
            summary="Where the session's run stands (current cue, next cues, drift)")
def live(request, pk: int):
    _need(request, "programme.view_script")
    return _live(get_object_or_404(Session, pk=pk))


@router.post("/runs/{pk}/go", response={200: LiveOut, 409: Error, **DENIED},
             summary="End the running cue and start the next one")
def go(request, pk: int, payload: Go):
    run = get_object_or_404(Run.objects.select_related("session"), pk=pk)
    _need(request, "programme.operate_console", run.session)
    try:
        services.go(request.user, run, payload.expected_cue_id)
    except services.ProgrammeRefused as exc:
        return 409, {"detail": exc.message}
    return 200, _live(Session.objects.get(pk=run.session_id))


