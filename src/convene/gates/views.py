"""Gate pages: the checkpoint screen (works offline), the checkpoint list, the live view."""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accreditation.models import Badge
from convene.core.models import current_event
from convene.gates import live as live_rules
from convene.gates import services
from convene.gates.forms import CheckpointForm
from convene.gates.models import Checkpoint
from convene.gates.reasons import REASONS


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _require(request, perm: str):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def index(request):
    _require(request, "gates.operate")
    event = _event()
    form = CheckpointForm(event=event)
    return render(request, "gates/index.html", {
        "checkpoints": Checkpoint.objects.filter(event=event).select_related("zone"),
        "form": form, "can_manage": request.user.has_perm("gates.manage_checkpoints")})


@require_POST
def checkpoint_create(request):
    _require(request, "gates.manage_checkpoints")
    event = _event()
    form = CheckpointForm(request.POST, event=event)
    if form.is_valid():
        checkpoint = services.create_checkpoint(request.user, event, form.cleaned_data["name"],
                                                form.cleaned_data["zone"],
                                                form.cleaned_data["direction"])
        messages.success(request, _("Checkpoint “%(name)s” created.") % {"name": checkpoint.name})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("gates:index")


# The gate page alone may compile WebAssembly: the vendored QR decoder (ZXing, in
# static/vendor/zxing-wasm-*) is a .wasm file, and browsers refuse WebAssembly.instantiate
# under `script-src 'self'`. 'wasm-unsafe-eval' allows compiling WebAssembly only, not eval()
# of JavaScript nor inline script; the .wasm itself still comes from 'self' (connect-src).
GATE_PAGE_CSP = {"script-src": ["'wasm-unsafe-eval'"]}


@csp_update(GATE_PAGE_CSP)
def gate(request, pk: int):
    _require(request, "gates.operate")
    checkpoint = get_object_or_404(Checkpoint.objects.select_related("zone"), pk=pk)
    return render(request, "gates/gate.html", {
        "checkpoint": checkpoint,
        "reasons": {k: str(v) for k, v in REASONS.items()},
        "can_override": request.user.has_perm("gates.override_passback"),
    })


@login_not_required
def service_worker(request):
    """The gate's service worker, served under /gates/ so that it may control the gate pages.
    Public: it is code, like any static file; what it caches is fetched with the login."""
    path = finders.find("gates/sw.js")
    with open(path, "rb") as f:
        response = HttpResponse(f.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/gates/"
    return response


def photo(request, badge_id):
    """A badge holder's photo for the gate screen (small; cached offline by the gate)."""
    _require(request, "gates.operate")
    badge = get_object_or_404(Badge.objects.select_related("accreditation"), pk=badge_id)
    field = badge.accreditation.photo_thumb
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _stale_minutes(request) -> int:
    try:
        return min(max(int(request.GET.get("stale", 5)), 1), 24 * 60)
    except ValueError:
        return 5


def live(request):
    _require(request, "gates.view_live")
    event = _event()
    stale = _stale_minutes(request)
    return render(request, "gates/live.html", {
        "summary": live_rules.summarise(event, timezone.now(), stale), "stale": stale})


def live_panel(request):
    _require(request, "gates.view_live")
    event = _event()
    stale = _stale_minutes(request)
    return render(request, "gates/live.html#panel", {
        "summary": live_rules.summarise(event, timezone.now(), stale), "stale": stale})
