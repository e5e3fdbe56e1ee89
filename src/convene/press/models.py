"""Press and communications: media outlets and their staff, equipment, pools, the newsroom.

A media outlet *is* a delegation (of an Entity of the private-sector kind) so that its staff
are delegation members and go through the one accreditation pipeline: vetting, approval,
badge batches, gates. What is particular to the press sits beside it here.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.accreditation.storage import private_storage


class OutletKind(models.TextChoices):
    AGENCY = "agency", _("News agency")
    NEWSPAPER = "newspaper", _("Newspaper or magazine")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    ONLINE = "online", _("Online media")
    PHOTO_AGENCY = "photo_agency", _("Photo agency")
    FREELANCE = "freelance", _("Freelance journalist")


class Reserved(models.TextChoices):
    NONE = "", _("No reserved places")
    HOST_BROADCASTER = "host_broadcaster", _("Host broadcaster")
    HOST_PHOTOGRAPHER = "host_photographer", _("Host photographer")


class MediaOutlet(models.Model):
    delegation = models.OneToOneField("delegations.Delegation", on_delete=models.CASCADE,
                                      related_name="media_outlet")
    kind = models.CharField(_("kind of outlet"), max_length=20, choices=OutletKind.choices)
    foreign = models.BooleanField(_("foreign media"), default=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    tier = models.PositiveSmallIntegerField(
        _("pool priority tier"), default=2,
        help_text=_("0: international agencies, 1: national agency, 2: other outlets."))
    reserved = models.CharField(_("reserved pool places"), max_length=20, blank=True,
                                choices=Reserved.choices, default=Reserved.NONE)
    travelling_with = models.ForeignKey(
        "delegations.Delegation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="travelling_press", verbose_name=_("travelling press of"))
    focal_points = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          related_name="media_outlets",
                                          verbose_name=_("media focal points"))

    class Meta:
        ordering = ["delegation__entity__name_en"]

    def __str__(self) -> str:
        return str(self.delegation.entity)

    @property
    def name(self) -> str:
        return self.delegation.entity.name_en


class Function(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    PHOTOGRAPHER = "photographer", _("Photographer")
    CAMERA = "camera", _("Camera operator")
    SOUND = "sound", _("Sound engineer")
    TECHNICIAN = "technician", _("Technician")
    FIXER = "fixer", _("Fixer")


def _letter_path(instance, filename: str) -> str:
    return f"press/letters/{uuid.uuid4().hex}-{filename}"


class MediaProfile(models.Model):
    """What the press office needs beside the accreditation: the assignment and passport."""

    member = models.OneToOneField("delegations.Member", on_delete=models.CASCADE,
                                  related_name="media_profile")
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    press_card = models.CharField(_("press card number"), max_length=60, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100)
    passport_number = models.CharField(_("passport number"), max_length=40)
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    letter = models.FileField(_("letter of assignment"), storage=private_storage,
                              upload_to=_letter_path, blank=True)
    applied_publicly = models.BooleanField(default=False)
    # The journalist's own account (role journalist), for bookings, interviews and questions.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="media_profile")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "passport_number"],
                                               name="one_media_application_per_passport")]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_function_display()})"

    @property
    def outlet(self):
        return self.member.delegation.media_outlet


class ItemKind(models.TextChoices):
    CAMERA = "camera", _("Camera")
    LENS = "lens", _("Lens")
    DRONE = "drone", _("Drone")
    UPLINK = "uplink", _("Satellite uplink")
    TRIPOD = "tripod", _("Tripod")
    OTHER = "other", pgettext_lazy("equipment", "Other")


class ItemStatus(models.TextChoices):
    DECLARED = "declared", pgettext_lazy("equipment item status", "Declared")
    REFUSED = "refused", pgettext_lazy("equipment item status", "Refused")


class Equipment(models.Model):
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="equipment")
    kind = models.CharField(_("item"), max_length=10, choices=ItemKind.choices)
    description = models.CharField(_("make and model"), max_length=120, blank=True)
    serial = models.CharField(_("serial number"), max_length=80)
    status = models.CharField(max_length=10, choices=ItemStatus.choices,
                              default=ItemStatus.DECLARED)
    inside = models.BooleanField(default=False)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_at_gate = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["profile_id", "kind", "serial"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class PositionKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    TV = "tv", _("TV camera")
    WRITER = "writer", _("Writer")
    AGENCY = "agency", _("Agency")


class CoverageOpportunity(models.Model):
    """A restricted moment covered by a pool (the signing table, an arrival, a photo spray)."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    session = models.ForeignKey("programme.Session", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("programme session"))
    meeting = models.ForeignKey("bilaterals.Meeting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("bilateral meeting"))
    zone = models.ForeignKey("accreditation.Zone", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("pool position (zone)"))
    starts_at = models.DateTimeField(_("access from"))
    ends_at = models.DateTimeField(_("access until"))
    photo = models.PositiveSmallIntegerField(_("photo places"), default=0)
    tv = models.PositiveSmallIntegerField(_("TV camera places"), default=0)
    writer = models.PositiveSmallIntegerField(_("writer places"), default=0)
    agency = models.PositiveSmallIntegerField(_("agency places"), default=0)
    seed = models.CharField(_("published seed"), max_length=64, blank=True)
    explanations = models.JSONField(default=dict, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F(
            "starts_at")), name="coverage_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title

    @property
    def positions(self) -> dict:
        return {k: getattr(self, k) for k in PositionKind.values}


class PoolRequest(models.Model):
    opportunity = models.ForeignKey(CoverageOpportunity, on_delete=models.CASCADE,
                                    related_name="requests")
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PositionKind.choices)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "profile", "kind"],
                                               name="one_pool_request_per_kind")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.kind} @ {self.opportunity_id}"


class PoolPlace(models.Model):
    opportunity = models.ForeignKey(CoverageOpportunity, on_delete=models.CASCADE,
                                    related_name="places")
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(max_length=10, choices=PositionKind.choices)
    basis = models.CharField(max_length=10)  # pools.RESERVED, KEPT or WON
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.kind} @ {self.opportunity_id} ({self.basis})"


class ReleaseKind(models.TextChoices):
    RELEASE = "release", _("Press release")
    ADVISORY = "advisory", _("Media advisory")
    FACT_SHEET = "fact_sheet", _("Fact sheet")


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("status of a press release", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("status of a press release", "In review")
    APPROVED = "approved", pgettext_lazy("status of a press release", "Approved")
    PUBLISHED = "published", pgettext_lazy("status of a press release", "Published")


class Release(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ReleaseKind.choices,
                            default=ReleaseKind.RELEASE)
    reference = models.SlugField(pgettext_lazy("reference of a press release", "reference"),
                                 max_length=60, unique=True)
    status = models.CharField(max_length=10, choices=ReleaseStatus.choices,
                              default=ReleaseStatus.DRAFT)
    embargo_until = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.reference


class ReleaseText(models.Model):
    """One language of a release: the draft with its figure references, and its review."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), help_text=_("Insert figures as [[name]], e.g. "
                                                   "[[signatures]]."))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["release", "language"]
        constraints = [models.UniqueConstraint(fields=["release", "language"],
                                               name="one_text_per_language")]

    def __str__(self) -> str:
        return f"{self.release_id} ({self.language})"


class Revision(models.Model):
    """A published version of one language: the text with its figures frozen. The first is
    the publication; each later one is a correction or an update, with its reason."""

    text = models.ForeignKey(ReleaseText, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    rendered = models.TextField()
    figures = models.JSONField(default=dict)  # name -> {"value", "at", "source"}
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["text", "number"]
        constraints = [models.UniqueConstraint(fields=["text", "number"],
                                               name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.text_id} #{self.number}"


# --- Media centre, interviews, press conferences ----------------------------------------------

class FacilityKind(models.TextChoices):
    WORKSTATION = "workstation", _("Media centre workstations")
    TV_BOOTH = "tv_booth", _("TV booth")
    INTERVIEW_ROOM = "interview_room", _("Interview room")


class Facility(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, help_text=_("Bookings at the same time (seats, booths)."))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="bookings")
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_at:%d %H:%M}"


class InterviewStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("status of an interview request", "Requested")
    ACCEPTED = "accepted", pgettext_lazy("status of an interview request", "Accepted")
    DECLINED = "declined", pgettext_lazy("status of an interview request", "Declined")


class Spokesperson(models.Model):
    """A delegation member flagged by the delegation as its spokesperson (press officer)."""

    member = models.OneToOneField("delegations.Member", on_delete=models.CASCADE,
                                  related_name="spokesperson")

    def __str__(self) -> str:
        return str(self.member)


class InterviewRequest(models.Model):
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="+")
    topic = models.CharField(_("topic"), max_length=300)
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=20)
    status = models.CharField(max_length=10, choices=InterviewStatus.choices,
                              default=InterviewStatus.REQUESTED)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    room = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.profile} → {self.delegation}"


class Question(models.Model):
    """A journalist asking for the floor at a press conference (a programme session)."""

    session = models.ForeignKey("programme.Session", on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(MediaProfile, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.session_id}"


# --- Photo gallery -----------------------------------------------------------------------------

def _gallery_path(instance, filename: str) -> str:
    return f"press/gallery/{uuid.uuid4().hex}.jpg"


class GalleryPhoto(models.Model):
    """A newsroom photo: the original as uploaded, and the web and thumbnail sizes made by a
    background task. Public once published and resized."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    original = models.ImageField(storage=private_storage, upload_to=_gallery_path)
    web = models.ImageField(storage=private_storage, upload_to=_gallery_path, blank=True)
    thumb = models.ImageField(storage=private_storage, upload_to=_gallery_path, blank=True)
    caption = models.CharField(_("caption"), max_length=300)
    credit = models.CharField(_("credit"), max_length=120)
    published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.caption
