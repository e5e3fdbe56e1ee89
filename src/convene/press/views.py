"""Press pages: outlets and their staff, equipment at the gates, pools, the newsroom.

Thin: parse input, call a service, render. The public pages (application form, newsroom, its
Atom feed) need no login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from convene.core import exports
from convene.core.links import absolute_url
from convene.core.models import current_event
from convene.core.ratelimit import ratelimit, setting
from convene.press import centre, figures, newsdesk, services
from convene.press.forms import (
    ApplicationForm,
    CorrectionForm,
    EquipmentForm,
    OpportunityForm,
    OutletForm,
    PlaceRequestForm,
    ReleaseForm,
    StaffForm,
    TextForm,
)
from convene.press.models import (
    CoverageOpportunity,
    Equipment,
    MediaOutlet,
    MediaProfile,
    PoolRequest,
    Release,
    ReleaseText,
)
from convene.press.services import PressRefused


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _require(request, perm: str, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _refused(request, exc: PressRefused, form=None):
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def _staff_data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k not in ("letter", "photo", "outlet")}


# --- Outlets and staff -----------------------------------------------------------------------

def home(request):
    _require(request, "press.view_home")
    event = _event()
    outlets = services.visible_outlets(request.user, event)
    return render(request, "press/home.html", {
        "outlets": outlets, "form": OutletForm(),
        "can_manage": request.user.has_perm("press.manage_outlets"),
        "pending": MediaProfile.objects.filter(event=event, confirmed_at__isnull=True)
        .select_related("member__delegation__entity")
        if request.user.has_perm("press.manage_outlets") else []})


@require_POST
def outlet_create(request):
    _require(request, "press.manage_outlets")
    form = OutletForm(request.POST)
    if form.is_valid():
        try:
            outlet = services.create_outlet(request.user, _event(), form.cleaned_data)
        except PressRefused as exc:
            messages.error(request, exc.message)
        else:
            return redirect("press:outlet", pk=outlet.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("press:home")


def _outlet(request, pk):
    outlet = get_object_or_404(MediaOutlet.objects.select_related("delegation__entity"), pk=pk)
    _require(request, "press.view_outlet", outlet)
    return outlet


def outlet(request, pk: int):
    outlet = _outlet(request, pk)
    return render(request, "press/outlet.html", {
        "outlet": outlet, "staff": services.staff(outlet),
        "can_nominate": request.user.has_perm("press.nominate", outlet),
        "can_visa": request.user.has_perm("press.visa_letter"),
        "equipment_form": EquipmentForm()})


def nominate(request, pk: int):
    outlet = _outlet(request, pk)
    _require(request, "press.nominate", outlet)
    posted = request.method == "POST"
    form = StaffForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.nominate(
                request.user, outlet, _staff_data(form), letter=form.cleaned_data["letter"],
                photo=form.cleaned_data["photo"], submit="submit" in request.POST)
        except PressRefused as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("%(name)s nominated.") % {
                "name": profile.member.full_name})
            return redirect("press:outlet", pk=outlet.pk)
    return render(request, "press/nominate.html", {"outlet": outlet, "form": form},
                  status=400 if form.errors else 200)


def _profile(request, pk, perm="press.nominate"):
    profile = get_object_or_404(MediaProfile.objects.select_related(
        "member__delegation__media_outlet", "member__delegation__entity"), pk=pk)
    _require(request, perm, profile.member)
    return profile


@require_POST
def submit(request, pk: int):
    profile = _profile(request, pk)
    try:
        services.submit(request.user, profile.member)
        messages.success(request, _("Submitted for security vetting."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:outlet", pk=profile.outlet.pk)


@require_POST
def confirm(request, pk: int):
    profile = _profile(request, pk, "press.confirm_application")
    try:
        services.confirm_application(request.user, profile)
        messages.success(request, _("Assignment confirmed: the application goes to vetting."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:outlet", pk=profile.outlet.pk)


@require_POST
def equipment_add(request, pk: int):
    profile = _profile(request, pk)
    form = EquipmentForm(request.POST)
    if form.is_valid():
        try:
            item = services.declare_item(request.user, profile, form.cleaned_data)
            messages.success(request, _("%(item)s declared.") % {"item": item})
        except PressRefused as exc:
            messages.error(request, exc.message)
    else:
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
    return redirect("press:outlet", pk=profile.outlet.pk)


def letter(request, pk: int):
    profile = _profile(request, pk, "press.view_outlet")
    if not profile.letter:
        raise Http404
    return FileResponse(profile.letter.open("rb"), as_attachment=True,
                        filename=profile.letter.name.rsplit("/", 1)[-1])


def visa_letter(request, pk: int):
    _require(request, "press.visa_letter")
    profile = get_object_or_404(MediaProfile.objects.select_related(
        "member__delegation__media_outlet", "member__delegation__entity"), pk=pk)
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("press/visa_letter.html", {
        "profile": profile, "event": profile.event, "today": timezone.localdate()})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visa-letter-{profile.pk}.pdf"'
    return response


@login_not_required
@ratelimit("press_application", rate=setting("press_application"), methods=["POST"])
def apply(request):
    event = _event()
    posted = request.method == "POST"
    form = ApplicationForm(request.POST if posted else None, request.FILES if posted else None,
                           event=event)
    if request.method == "POST":
        if form.is_valid():
            try:
                profile = services.apply_publicly(
                    event, form.cleaned_data["outlet"], _staff_data(form),
                    letter=form.cleaned_data["letter"], photo=form.cleaned_data["photo"])
            except PressRefused as exc:
                _refused(request, exc, form)
            else:
                return render(request, "press/applied.html", {"profile": profile})
    return render(request, "press/apply.html", {"form": form, "event": event},
                  status=400 if form.errors else 200)


# --- Equipment at the gates -------------------------------------------------------------------

def equipment(request):
    _require(request, "press.check_equipment")
    event = _event()
    items = services.equipment_list(event)
    gate = request.GET.get("gate", "")
    from convene.gates.models import Checkpoint

    return render(request, "press/equipment.html", {
        "items": items, "gate": gate,
        "gates": Checkpoint.objects.filter(event=event).values_list("name", flat=True),
        "profiles": MediaProfile.objects.filter(event=event).select_related("member")})


@require_POST
def equipment_move(request, pk: int):
    _require(request, "press.check_equipment")
    item = get_object_or_404(Equipment, pk=pk)
    try:
        services.move_item(request.user, item, request.POST.get("direction") == "in",
                           request.POST.get("gate", ""))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('press:equipment')}?gate={request.POST.get('gate', '')}")


@require_POST
def undeclared(request):
    _require(request, "press.check_equipment")
    event = _event()
    profile = get_object_or_404(MediaProfile, pk=request.POST.get("profile") or 0, event=event)
    what = request.POST.get("description", "").strip()
    if not what:
        messages.error(request, _("Describe the item."))
    else:
        try:
            issue = services.report_undeclared(request.user, event, profile, what,
                                               request.POST.get("gate", ""))
            messages.success(request, _("Incident reported: %(t)s") % {"t": issue.title})
        except PressRefused as exc:
            messages.error(request, exc.message)
    return redirect("press:equipment")


# --- Pools -----------------------------------------------------------------------------------

def pools(request):
    _require(request, "press.view_pools")
    event = _event()
    return render(request, "press/pools.html", {
        "opportunities": CoverageOpportunity.objects.filter(event=event).select_related("zone"),
        "form": OpportunityForm(event=event),
        "can_manage": request.user.has_perm("press.manage_pools")})


@require_POST
def opportunity_create(request):
    _require(request, "press.manage_pools")
    event = _event()
    form = OpportunityForm(request.POST, event=event)
    if form.is_valid():
        try:
            opp = services.save_opportunity(request.user, event, form.cleaned_data)
            return redirect("press:opportunity", pk=opp.pk)
        except PressRefused as exc:
            messages.error(request, exc.message)
    for name, errors in form.errors.items():
        messages.error(request, f"{name}: {' '.join(errors)}")
    return redirect("press:pools")


def _opportunity(request, pk):
    _require(request, "press.view_pools")
    return get_object_or_404(CoverageOpportunity.objects.select_related("zone"), pk=pk)


def opportunity(request, pk: int):
    opp = _opportunity(request, pk)
    can_manage = request.user.has_perm("press.manage_pools")
    mine = services.visible_outlets(request.user, opp.event).filter(focal_points=request.user)
    own_staff = [p for o in mine for p in services.staff(o) if services.is_accredited(p)]
    explanations = opp.explanations if can_manage else {
        k: v for k, v in opp.explanations.items() if k in {str(o.pk) for o in mine}}
    names = {str(o.pk): str(o) for o in MediaOutlet.objects.filter(
        pk__in=[int(k) for k in explanations]).select_related("delegation__entity")}
    return render(request, "press/opportunity.html", {
        "opp": opp, "can_manage": can_manage,
        "places": services.pool_list(opp) if (opp.published_at or can_manage) else [],
        "requests": PoolRequest.objects.filter(opportunity=opp).select_related(
            "profile__member__delegation__entity") if can_manage else [],
        "explanations": [(names.get(k, k), v) for k, v in sorted(explanations.items())],
        "own_staff": own_staff, "request_form": PlaceRequestForm()})


@require_POST
def request_place(request, pk: int):
    opp = _opportunity(request, pk)
    profile = get_object_or_404(MediaProfile, pk=request.POST.get("profile") or 0)
    _require(request, "press.request_place", profile.member)
    try:
        services.request_place(request.user, opp, profile, request.POST.get("kind", ""))
        messages.success(request, _("Place requested."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:opportunity", pk=opp.pk)


@require_POST
def allocate(request, pk: int):
    _require(request, "press.manage_pools")
    opp = _opportunity(request, pk)
    result = services.run_allocation(request.user, opp,
                                     keep_published=request.POST.get("fresh") != "1",
                                     seed=request.POST.get("seed", ""))
    messages.success(request, _("%(n)d places allocated (seed %(seed)s).") % {
        "n": len(result.places), "seed": result.seed})
    return redirect("press:opportunity", pk=opp.pk)


@require_POST
def publish_pool(request, pk: int):
    _require(request, "press.manage_pools")
    opp = _opportunity(request, pk)
    try:
        services.publish_pool(request.user, opp)
        messages.success(request, _("Pool list published; its members are e-mailed."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:opportunity", pk=opp.pk)


def _published(request, pk):
    opp = _opportunity(request, pk)
    if not opp.published_at and not request.user.has_perm("press.manage_pools"):
        raise Http404
    return opp


def pool_csv(request, pk: int):
    opp = _published(request, pk)
    response = HttpResponse(exports.csv_bytes(services.POOL_CSV_HEADER, services.pool_rows(opp)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pool-{opp.pk}.csv"'
    return response


def pool_pdf(request, pk: int):
    opp = _published(request, pk)
    response = HttpResponse(services.pool_pdf(opp), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pool-{opp.pk}.pdf"'
    return response


# --- Newsroom (public) ------------------------------------------------------------------------

def _lang(text_or_code) -> dict:
    code = getattr(text_or_code, "language", text_or_code)
    return {"code": code, "bidi": translation.get_language_info(
        "zh-hans" if code == "zh-hans" else code)["bidi"]}


def _public_items(event, language=None):
    items = []
    for release in newsdesk.public_releases(event):
        texts = {t.language: t for t in release.texts.all() if t.revisions.all()}
        if not texts:
            continue
        lang = language if language in texts else ("en" if "en" in texts else next(iter(texts)))
        items.append({"release": release, "text": texts[lang], "revision": newsdesk.latest(
            texts[lang]), "languages": sorted(texts)})
    return items


@login_not_required
def newsroom(request):
    event = _event()
    return render(request, "press/newsroom.html", {
        "items": _public_items(event, translation.get_language()), "event": event})


@login_not_required
def release_public(request, reference: str, language: str):
    release = get_object_or_404(newsdesk.public_releases(), reference=reference)
    text = get_object_or_404(ReleaseText, release=release, language=language)
    revisions = list(text.revisions.all())
    if not revisions:
        raise Http404
    return render(request, "press/release_public.html", {
        "release": release, "text": text, "revision": revisions[-1], "history": revisions,
        "lang": _lang(text), "languages": [t.language for t in release.texts.all()
                                           if t.revisions.exists()]})


class NewsroomFeed(Feed):
    """The newsroom as Atom (RFC 4287): published releases past their embargo."""

    feed_type = Atom1Feed
    title = gettext_lazy("Newsroom")
    subtitle = gettext_lazy("Press releases, media advisories and fact sheets")

    # Absolute from SITE_URL (convene.core.links), never from the request's Host header.
    def link(self):
        return absolute_url("press:newsroom")

    def feed_url(self):
        return absolute_url("press:feed")

    def author_name(self):
        # RFC 4287 §4.1.1: a feed whose entries have no author names one itself.
        event = current_event()
        return f"{event.name} — {_('Press office')}" if event else _("Press office")

    def items(self):
        event = current_event()
        return _public_items(event, translation.get_language())[:50] if event else []

    def item_title(self, item):
        return item["revision"].title

    def item_description(self, item):
        return item["revision"].rendered

    def item_link(self, item):
        return absolute_url("press:release_public", item["release"].reference,
                            item["text"].language)

    def item_pubdate(self, item):
        return item["release"].published_at

    def item_updateddate(self, item):
        return item["revision"].created_at

    def item_guid(self, item):
        return f"urn:convene:release:{item['release'].reference}:{item['text'].language}"

    item_guid_is_permalink = False


feed = login_not_required(NewsroomFeed())


# --- Newsroom desk (communications) ------------------------------------------------------------

def desk(request):
    _require(request, "press.view_drafts")
    event = _event()
    return render(request, "press/desk.html", {
        "releases": Release.objects.filter(event=event).prefetch_related("texts"),
        "stale": newsdesk.stale_figures(event), "form": ReleaseForm(),
        "can_draft": request.user.has_perm("press.draft_release")})


@require_POST
def release_create(request):
    _require(request, "press.draft_release")
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            release = newsdesk.draft_release(request.user, _event(), form.cleaned_data)
            return redirect("press:release", pk=release.pk)
        except PressRefused as exc:
            messages.error(request, exc.message)
    for name, errors in form.errors.items():
        messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
    return redirect("press:newsroom_desk")


def _release(request, pk):
    _require(request, "press.view_drafts")
    return get_object_or_404(Release, pk=pk)


def release(request, pk: int):
    release = _release(request, pk)
    texts = []
    for text in release.texts.all():
        texts.append({"text": text, "figures": newsdesk.figures_for_review(text),
                      "revisions": list(text.revisions.all()),
                      "preview": figures.render(text.body, newsdesk.live_figures(release.event),
                                                text.language),
                      "correction": CorrectionForm(initial={"title": text.title,
                                                            "body": text.body})})
    return render(request, "press/release.html", {
        "release": release, "texts": texts, "checklist": newsdesk.CHECKLIST,
        "missing": newsdesk.translations_missing(release), "text_form": TextForm(),
        "known": figures.FIGURES})


def _act(request, release, action, success):
    try:
        action()
        messages.success(request, success)
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:release", pk=release.pk)


@require_POST
def text_save(request, pk: int):
    release = _release(request, pk)
    _require(request, "press.draft_release")
    form = TextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the language, title and text."))
        return redirect("press:release", pk=release.pk)
    d = form.cleaned_data
    return _act(request, release, lambda: newsdesk.save_text(
        request.user, release, d["language"], d["title"], d["body"]), _("Text saved."))


@require_POST
def review(request, pk: int):
    text = get_object_or_404(ReleaseText, pk=pk)
    release = _release(request, text.release_id)
    _require(request, "press.review_release")
    return _act(request, release, lambda: newsdesk.review_text(
        request.user, text, request.POST.getlist("checklist")), _("Review recorded."))


@require_POST
def approve(request, pk: int):
    release = _release(request, pk)
    _require(request, "press.approve_release")
    return _act(request, release, lambda: newsdesk.approve(request.user, release),
                _("Release approved."))


@require_POST
def publish(request, pk: int):
    release = _release(request, pk)
    _require(request, "press.publish_release")
    embargo = None
    if request.POST.get("embargo_until"):
        from django.utils.dateparse import parse_datetime

        embargo = parse_datetime(request.POST["embargo_until"])
        if embargo is not None and timezone.is_naive(embargo):
            embargo = timezone.make_aware(embargo)
    return _act(request, release, lambda: newsdesk.publish(request.user, release,
                                                           embargo_until=embargo),
                _("Release published."))


@require_POST
def correct(request, pk: int):
    text = get_object_or_404(ReleaseText, pk=pk)
    release = _release(request, text.release_id)
    _require(request, "press.correct_release")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the title, text and the reason for the correction."))
        return redirect("press:release", pk=release.pk)
    d = form.cleaned_data
    return _act(request, release, lambda: newsdesk.correct(
        request.user, text, title=d["title"], body=d["body"], reason=d["reason"],
        refresh_figures=d["refresh_figures"]), _("Correction published."))


# --- Media centre, interviews, press conferences -----------------------------------------------

def _dt(value):
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value or "")
    return timezone.make_aware(parsed) if parsed and timezone.is_naive(parsed) else parsed


def _my_profiles(user, event):
    if user.has_perm("press.manage_facilities"):
        return MediaProfile.objects.filter(event=event).select_related("member")
    return MediaProfile.objects.filter(event=event).filter(
        Q(user=user) | Q(member__delegation__media_outlet__focal_points=user)).select_related(
        "member").distinct()


def _conferences(event):
    from convene.programme.models import Session

    return Session.objects.filter(event=event, kind="press_conference")


def media_centre(request):
    _require(request, "press.view_media_centre")
    event = _event()
    from convene.press.models import Booking, Facility, FacilityKind

    return render(request, "press/media_centre.html", {
        "facilities": Facility.objects.filter(event=event),
        "bookings": Booking.objects.filter(facility__event=event, ends_at__gte=timezone.now())
        .select_related("facility", "profile__member"),
        "profiles": _my_profiles(request.user, event), "kinds": FacilityKind.choices,
        "conferences": _conferences(event) if request.user.has_perm("press.view_conference")
        else [],
        "can_manage": request.user.has_perm("press.manage_facilities")})


@require_POST
def facility_create(request):
    _require(request, "press.manage_facilities")
    try:
        centre.save_facility(request.user, _event(), {
            "kind": request.POST.get("kind"), "name": request.POST.get("name"),
            "capacity": int(request.POST.get("capacity") or 1)})
        messages.success(request, _("Facility added."))
    except (PressRefused, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Give a whole number.")))
    return redirect("press:media_centre")


@require_POST
def book(request, pk: int):
    _require(request, "press.view_media_centre")
    from convene.press.models import Facility

    facility = get_object_or_404(Facility, pk=pk)
    profile = get_object_or_404(MediaProfile, pk=request.POST.get("profile") or 0)
    _require(request, "press.book", profile)
    try:
        centre.book(request.user, facility, profile, _dt(request.POST.get("starts_at")),
                      _dt(request.POST.get("ends_at")))
        messages.success(request, _("Booked."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:media_centre")


def interviews(request):
    _require(request, "press.view_interviews")
    event = _event()
    from convene.delegations.models import Delegation, Member
    from convene.press.models import InterviewRequest, Spokesperson

    user = request.user
    qs = InterviewRequest.objects.filter(delegation__event=event).select_related(
        "profile__member__delegation__entity", "delegation__entity", "room")
    if not user.has_perm("press.manage_facilities"):
        qs = qs.filter(Q(profile__user=user) | Q(
            delegation_id__in=user.focal_point_delegation_ids()))
    own_members = Member.objects.filter(delegation_id__in=user.focal_point_delegation_ids())
    flagged = set(Spokesperson.objects.filter(member__in=own_members).values_list("member_id",
                                                                                 flat=True))
    return render(request, "press/interviews.html", {
        "requests": qs, "members": own_members, "flagged": flagged,
        "profiles": MediaProfile.objects.filter(user=user) if user.has_perm(
            "press.ask_question") else _my_profiles(user, event).none()
        if not user.has_perm("press.manage_facilities") else _my_profiles(user, event),
        "delegations": Delegation.objects.filter(
            event=event, members__spokesperson__isnull=False).select_related("entity")
        .distinct()})


@require_POST
def interview_request(request):
    _require(request, "press.view_interviews")
    from convene.delegations.models import Delegation

    profile = get_object_or_404(MediaProfile, pk=request.POST.get("profile") or 0)
    _require(request, "press.request_interview", profile)
    delegation = get_object_or_404(Delegation, pk=request.POST.get("delegation") or 0)
    try:
        centre.request_interview(request.user, profile, delegation,
                                   request.POST.get("topic", ""),
                                   int(request.POST.get("minutes") or 20))
        messages.success(request, _("Interview requested."))
    except (PressRefused, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("Give a whole number of minutes.")))
    return redirect("press:interviews")


@require_POST
def interview_answer(request, pk: int):
    from convene.press.models import InterviewRequest

    req = get_object_or_404(InterviewRequest, pk=pk)
    _require(request, "press.answer_interview", req)
    try:
        req = centre.answer_interview(request.user, req, request.POST.get("accept") == "1")
        messages.success(request, _("Answered."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:interviews")


@require_POST
def spokesperson(request, pk: int):
    from convene.delegations.models import Member

    member = get_object_or_404(Member, pk=pk)
    _require(request, "press.flag_spokesperson", member)
    centre.flag_spokesperson(request.user, member, request.POST.get("on") != "0")
    return redirect("press:interviews")


def _conference(request, pk):
    from convene.programme.models import Session

    return get_object_or_404(Session, pk=pk)


def conference(request, pk: int):
    _require(request, "press.view_conference")
    session = _conference(request, pk)
    queue = centre.question_queue(session)
    mine = [i for i, q in enumerate(queue, 1) if q.profile.user_id == request.user.pk]
    return render(request, "press/conference.html", {
        "session": session, "queue": queue, "position": mine[0] if mine else None,
        "can_moderate": request.user.has_perm("press.moderate"),
        "can_ask": request.user.has_perm("press.ask_question")})


def conference_queue(request, pk: int):
    _require(request, "press.moderate")
    session = _conference(request, pk)
    return render(request, "press/_queue.html", {"session": session,
                                                 "queue": centre.question_queue(session)})


@require_POST
def ask(request, pk: int):
    _require(request, "press.ask_question")
    session = _conference(request, pk)
    try:
        centre.ask(request.user, session)
        messages.success(request, _("You are in the queue."))
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:conference", pk=session.pk)


@require_POST
def call_next(request, pk: int):
    _require(request, "press.moderate")
    session = _conference(request, pk)
    try:
        q = centre.call_next(request.user, session)
        messages.success(request, _("The floor goes to %(name)s (%(outlet)s).") % {
            "name": q.profile.member.full_name, "outlet": q.profile.member.delegation.entity})
    except PressRefused as exc:
        messages.error(request, exc.message)
    return redirect("press:conference", pk=session.pk)


# --- Gallery and media kit -----------------------------------------------------------------------

@require_POST
def photo_add(request):
    _require(request, "press.draft_release")
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo."))
    else:
        try:
            newsdesk.add_photo(request.user, _event(), upload, request.POST.get("caption", ""),
                               request.POST.get("credit", ""))
            messages.success(request, _("Photo added; it is resized in the background."))
        except PressRefused as exc:
            messages.error(request, exc.message)
    return redirect("press:newsroom_desk")


@login_not_required
def gallery(request):
    event = _event()
    return render(request, "press/gallery.html", {"photos": newsdesk.public_photos(event)})


@login_not_required
def gallery_image(request, pk: int, size: str):
    from convene.press.models import GalleryPhoto

    if size not in ("web", "thumb"):
        raise Http404
    photo = get_object_or_404(GalleryPhoto, pk=pk, published=True)
    image = getattr(photo, size)
    if not image:
        raise Http404
    return FileResponse(image.open("rb"), content_type="image/jpeg")


@login_not_required
def media_kit(request):
    event = _event()
    response = HttpResponse(newsdesk.media_kit(event), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="media-kit.zip"'
    return response
