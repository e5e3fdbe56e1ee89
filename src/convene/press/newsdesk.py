"""The newsroom's actions: releases drafted with figures bound to the data, reviewed with a
checklist, approved by the designated approver, published (with embargoes), corrected with
their history; the photo gallery and the media kit. Each action is one transaction, checked
and audited.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.accounts.permissions import require as _require
from convene.accreditation.workflow import APPROVED_STAGES
from convene.audit.services import record
from convene.core import uploads
from convene.core.links import absolute_url
from convene.delegations.models import Delegation, Member
from convene.press import figures
from convene.press.models import (
    MediaProfile,
    Release,
    ReleaseStatus,
    ReleaseText,
    Revision,
)
from convene.press.services import (
    PressRefused,
)

# --- Newsroom: figures -----------------------------------------------------------------------

def live_figures(event) -> dict:
    """Each figure's value now, from the registry that keeps it."""
    from convene.treaty import services as treaty

    values = dict.fromkeys(figures.FIGURES)
    current = treaty.current_treaty()
    if current is not None:
        st = treaty.status(current)
        values["signatures"] = st.signatories
        values["instruments"] = st.parties
        values["instruments_needed"] = st.entry_into_force.still_needed
        eif_date = st.entry_into_force.date
        values["entry_into_force"] = eif_date.isoformat() if eif_date else None
        values["days_to_entry_into_force"] = (
            (eif_date - timezone.localdate()).days if eif_date else None)
    values["states_represented"] = Delegation.objects.filter(
        event=event, status="confirmed", entity__kind__in=["member_state", "observer_state"]
    ).count()
    values["heads_of_state"] = Member.objects.filter(
        delegation__event=event, rank__in=["head_of_state", "head_of_government"],
        accreditation__stage__in=APPROVED_STAGES).count()
    values["journalists"] = MediaProfile.objects.filter(
        event=event, member__accreditation__stage__in=APPROVED_STAGES).count()
    return values


def figures_for_review(text: ReleaseText) -> list[dict]:
    live = live_figures(text.release.event)
    return [{"name": n, "label": figures.FIGURES[n][0], "source": figures.FIGURES[n][1],
             "value": live.get(n), "shown": figures.format_value(live.get(n), text.language)}
            for n in figures.references(text.body) if n in figures.FIGURES]


# --- Newsroom: releases ----------------------------------------------------------------------

CHECKLIST = [
    ("facts", gettext_lazy("Facts and quotations checked against the sources")),
    ("figures", gettext_lazy("Each figure's value and source seen")),
    ("names", gettext_lazy("Names, titles and country names as in UN terminology")),
    ("embargo", gettext_lazy("Embargo time and audience right")),
]


def _check_text(title: str, body: str) -> None:
    if not title.strip():
        raise PressRefused(_("Give the title."), "title")
    if not body.strip():
        raise PressRefused(_("Write the text."), "body")
    try:
        figures.check(body)
    except figures.UnknownFigure as exc:
        raise PressRefused(_("Unknown figure: %(names)s. Known figures: %(known)s.") % {
            "names": ", ".join(exc.names), "known": ", ".join(figures.FIGURES)}, "body") from None


@transaction.atomic
def draft_release(user, event, data: dict) -> Release:
    _require(user, "press.draft_release")
    _check_text(data.get("title", ""), data.get("body", ""))
    base = slugify(data["title"])[:40] or "release"
    reference = f"{timezone.localdate():%Y%m%d}-{base}"
    n = 1
    while Release.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{timezone.localdate():%Y%m%d}-{base}-{n}"
    release = Release.objects.create(event=event, kind=data.get("kind") or "release",
                                     reference=reference, created_by=user,
                                     embargo_until=data.get("embargo_until"))
    ReleaseText.objects.create(release=release, language=data.get("language") or "en",
                               title=data["title"].strip(), body=data["body"])
    record(user, "press.release_drafted", release, after={"reference": reference},
           summary=data["title"][:100])
    return release


@transaction.atomic
def save_text(user, release: Release, language: str, title: str, body: str) -> ReleaseText:
    """A draft text or a translation; after publication changes go through correct()."""
    _require(user, "press.draft_release")
    if language not in dict(settings.LANGUAGES):
        raise PressRefused(_("Choose a language."), "language")
    _check_text(title, body)
    text = ReleaseText.objects.filter(release=release, language=language).first()
    if text is not None and text.revisions.exists():
        raise PressRefused(_("This language is published: issue a correction instead."))
    text = text or ReleaseText(release=release, language=language)
    text.title, text.body = title.strip(), body
    text.reviewed_by, text.reviewed_at = None, None
    text.save()
    if release.status == ReleaseStatus.APPROVED and not release.published_at:
        release.status = ReleaseStatus.IN_REVIEW  # approved text changed: approve again
        release.save(update_fields=["status"])
    record(user, "press.text_saved", text, after={"language": language, "title": title},
           summary=f"{release} ({language})")
    return text


@transaction.atomic
def review_text(user, text: ReleaseText, ticked) -> ReleaseText:
    _require(user, "press.review_release")
    missing = [str(label) for key, label in CHECKLIST if key not in set(ticked)]
    if missing:
        raise PressRefused(_("Tick every item of the checklist: %(items)s.")
                           % {"items": "; ".join(missing)}, "checklist")
    text.reviewed_by, text.reviewed_at = user, timezone.now()
    text.save(update_fields=["reviewed_by", "reviewed_at"])
    release = text.release
    release.checklist[text.language] = {"by": user.get_username(),
                                        "figures": figures_for_review(text)}
    if release.status == ReleaseStatus.DRAFT:
        release.status = ReleaseStatus.IN_REVIEW
    release.save(update_fields=["checklist", "status"])
    record(user, "press.text_reviewed", text, after={"language": text.language,
                                                     "checklist": sorted(ticked)},
           summary=f"{release} ({text.language})")
    return text


@transaction.atomic
def approve(user, release: Release) -> Release:
    _require(user, "press.approve_release")
    texts = list(release.texts.all())
    if not texts or any(t.reviewed_at is None for t in texts if not t.revisions.exists()):
        raise PressRefused(_("Every language must be reviewed before approval."))
    # A language added after publication is approved in turn; the release stays public.
    status = (ReleaseStatus.PUBLISHED if release.status == ReleaseStatus.PUBLISHED
              else ReleaseStatus.APPROVED)
    release.status, release.approved_by, release.approved_at = status, user, timezone.now()
    release.save(update_fields=["status", "approved_by", "approved_at"])
    record(user, "press.release_approved", release, summary=str(release))
    return release


def _freeze(text: ReleaseText, live: dict, now) -> dict:
    return {n: {"value": live.get(n), "at": now.isoformat(), "source": figures.FIGURES[n][1]}
            for n in figures.references(text.body)}


@transaction.atomic
def publish(user, release: Release, *, embargo_until: datetime | None = None) -> Release:
    """Publish every approved, reviewed language, freezing its figures now. With an embargo
    the release stays invisible (page, feed, API) until that time."""
    _require(user, "press.publish_release")
    release = Release.objects.select_for_update().get(pk=release.pk)
    waiting = [t for t in release.texts.filter(reviewed_at__isnull=False)
               if not t.revisions.exists()]
    approved_now = release.status == ReleaseStatus.APPROVED or (
        release.status == ReleaseStatus.PUBLISHED and release.approved_at is not None
        and waiting and all(t.reviewed_at <= release.approved_at for t in waiting))
    if not approved_now:
        raise PressRefused(_("Only an approved release can be published."))
    now = timezone.now()
    live = live_figures(release.event)
    published = []
    for text in release.texts.filter(reviewed_at__isnull=False):
        if text.revisions.exists():
            continue
        Revision.objects.create(text=text, number=1, title=text.title,
                                rendered=figures.render(text.body, live, text.language),
                                figures=_freeze(text, live, now), created_by=user,
                                created_at=now)
        published.append(text.language)
    if release.status != ReleaseStatus.PUBLISHED:
        release.embargo_until = embargo_until or release.embargo_until
        release.status = ReleaseStatus.PUBLISHED
        release.published_at = (max(now, release.embargo_until) if release.embargo_until
                                else now)
    release.save(update_fields=["status", "published_at", "embargo_until"])
    if release.published_at > now and published:
        _send_embargoed_copies(release, published)
    record(user, "press.release_published", release,
           after={"languages": published, "embargo_until": release.embargo_until,
                  "figures": live}, summary=str(release))
    return release


def _send_embargoed_copies(release: Release, languages: list[str]) -> None:
    """Embargoed copies go to accredited journalists only, marked with the embargo."""
    emails = sorted(set(Member.objects.filter(
        delegation__event=release.event, media_profile__isnull=False,
        accreditation__stage__in=APPROVED_STAGES).exclude(email="")
        .values_list("email", flat=True)))
    texts = [latest(t) for t in release.texts.filter(language__in=languages)]
    until = timezone.localtime(release.published_at).strftime("%d %B %Y %H:%M %Z")

    def send():
        from django.core.mail import EmailMessage

        body = "\n\n---\n\n".join(f"{r.title}\n\n{r.rendered}" for r in texts if r)
        for email in emails:  # one message each: no journalist sees the others' addresses
            EmailMessage(f"EMBARGOED UNTIL {until}: {texts[0].title if texts else release}",
                         f"EMBARGOED UNTIL {until}. Not for publication before that time.\n\n"
                         f"{body}", settings.DEFAULT_FROM_EMAIL, [email]).send()

    transaction.on_commit(send)


@transaction.atomic
def correct(user, text: ReleaseText, *, title: str, body: str, reason: str,
            refresh_figures: bool = False) -> Revision:
    """A correction (or, refreshing the figures, an update) after publication: a new
    revision with its reason, the earlier ones kept and shown; never a silent edit."""
    _require(user, "press.correct_release")
    if not reason.strip():
        raise PressRefused(_("Give the reason for the correction."), "reason")
    _check_text(title, body)
    last = text.revisions.order_by("-number").first()
    if last is None:
        raise PressRefused(_("This language is not published yet: edit the draft."))
    now = timezone.now()
    if refresh_figures:
        live, frozen = live_figures(text.release.event), None
        frozen = _freeze(ReleaseText(body=body), live, now)
    else:
        frozen = {n: last.figures[n] for n in figures.references(body) if n in last.figures}
        missing = [n for n in figures.references(body) if n not in frozen]
        if missing:
            live = live_figures(text.release.event)
            frozen.update({n: {"value": live.get(n), "at": now.isoformat(),
                               "source": figures.FIGURES[n][1]} for n in missing})
    values = {n: f["value"] for n, f in frozen.items()}
    text.title, text.body = title.strip(), body
    text.save(update_fields=["title", "body"])
    revision = Revision.objects.create(
        text=text, number=last.number + 1, title=title.strip(),
        rendered=figures.render(body, values, text.language), figures=frozen,
        reason=reason.strip(), created_by=user, created_at=now)
    record(user, "press.release_corrected", revision,
           before={"number": last.number, "rendered": last.rendered},
           after={"number": revision.number, "rendered": revision.rendered,
                  "reason": revision.reason}, summary=f"{text.release} ({text.language})")
    return revision


def public_releases(event=None, now=None):
    """Published releases whose embargo has passed: what the newsroom, feed and API show."""
    now = now or timezone.now()
    qs = Release.objects.filter(status=ReleaseStatus.PUBLISHED, published_at__lte=now)
    if event is not None:
        qs = qs.filter(event=event)
    return qs.prefetch_related("texts__revisions").order_by("-published_at")


def latest(text: ReleaseText) -> Revision | None:
    revisions = list(text.revisions.all())
    return revisions[-1] if revisions else None


@dataclass
class StaleFigure:
    release: Release
    language: str
    name: str
    published: object
    now: object


def stale_figures(event) -> list[StaleFigure]:
    """Figures that changed since they were published: the communications team may update."""
    live = live_figures(event)
    out = []
    for release in Release.objects.filter(event=event, status=ReleaseStatus.PUBLISHED
                                          ).prefetch_related("texts__revisions"):
        for text in release.texts.all():
            last = latest(text)
            if last is None:
                continue
            for change in figures.changed(last.figures, live):
                out.append(StaleFigure(release, text.language, change.name, change.published,
                                       change.now))
    return out


def notify_stale_figures(event) -> int:
    """Tell the communications team once per changed figure (press check_figures)."""
    from django.core.cache import cache

    from convene.accounts.models import Role, User

    stale = [s for s in stale_figures(event)
             if cache.add(f"press-stale:{s.release.pk}:{s.language}:{s.name}:{s.now}", 1,
                          60 * 60 * 24 * 30)]
    if not stale:
        return 0
    emails = list(User.objects.filter(role_assignments__role__in=[
        Role.COMMUNICATIONS_OFFICER, Role.RELEASE_APPROVER]).exclude(email="")
        .values_list("email", flat=True).distinct())
    lines = [f"{s.release} ({s.language}): {s.name} was {s.published}, is now {s.now}"
             for s in stale]
    if emails:
        send_mail(_("Figures changed in published releases"),
                  "\n".join(lines) + "\n\n" + absolute_url("press:newsroom_desk"),
                  settings.DEFAULT_FROM_EMAIL, emails)
    return len(stale)


def translations_missing(release: Release) -> list[str]:
    have = {t.language for t in release.texts.all()}
    return [code for code, _name in settings.LANGUAGES if code not in have]


# --- Photo gallery and media kit -------------------------------------------------------------

@transaction.atomic
def add_photo(user, event, upload, caption: str, credit: str):
    """A newsroom photo with its caption and credit; resized in the background."""
    from convene.press.models import GalleryPhoto

    _require(user, "press.draft_release")
    if not caption.strip():
        raise PressRefused(_("Give the caption."), "caption")
    if not credit.strip():
        raise PressRefused(_("Give the photographer's credit."), "credit")
    try:
        checked = uploads.check_image(uploads.read_bounded(upload, uploads.limit(
            "image_max_bytes")), name=getattr(upload, "name", ""))
    except uploads.UploadRefused as exc:
        raise PressRefused(exc.message, "photo") from None
    photo = GalleryPhoto(event=event, caption=caption.strip()[:300], credit=credit.strip()[:120],
                         created_by=user)
    from convene.press.tasks import resized

    # Stored re-encoded at its own size: the original's metadata (GPS …) never leaves.
    photo.original.save("original.jpg", ContentFile(resized(checked.content, 4000)), save=False)
    photo.save()
    record(user, "press.photo_added", photo, after={"caption": photo.caption,
                                                    "credit": photo.credit}, summary=caption)

    def enqueue():
        from convene.press.tasks import resize_gallery_photo

        resize_gallery_photo.enqueue(photo.pk)

    transaction.on_commit(enqueue)
    return photo


def public_photos(event):
    from convene.press.models import GalleryPhoto

    return GalleryPhoto.objects.filter(event=event, published=True).exclude(web="")


def media_kit(event) -> bytes:
    """A ZIP of what the newsroom has published: each release in each language (latest
    revision), the fact sheets among them, and the gallery photos with their credits."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kit:
        for release in public_releases(event):
            for text in release.texts.all():
                last = latest(text)
                if last is None:
                    continue
                note = (f"\n\nCorrected {last.created_at:%Y-%m-%d %H:%M}: {last.reason}"
                        if last.number > 1 else "")
                kit.writestr(f"{release.kind}/{release.reference}-{text.language}.txt",
                             f"{last.title}\n\n{last.rendered}{note}\n")
        credits = []
        for photo in public_photos(event):
            name = f"photos/{photo.pk:04d}.jpg"
            with photo.web.open("rb") as fh:
                kit.writestr(name, fh.read())
            credits.append(f"{name}\t{photo.caption}\t© {photo.credit}")
        kit.writestr("photos/CREDITS.txt", "\n".join(credits) + "\n")
    return out.getvalue()
