"""Access zones, accreditation categories, each person's accreditation, badges and signing keys.

Photos and badge PDFs are private files (accreditation.storage): never under a public URL,
only served by views that check who asks.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.accreditation.storage import private_storage
from convene.accreditation.workflow import Stage, Vetting

# A signed badge carries zones as a 64-bit mask; bit 63 is left free so that the mask also fits
# a signed 64-bit database integer.
MAX_ZONE_BIT = 62


class Zone(models.Model):
    """A part of the venue with its own access points (plenary hall, VIP lounge…)."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(_("code"), max_length=4, validators=[RegexValidator(
        r"^[A-Z0-9]{1,4}$", _("One to four capital letters or digits."))],
        help_text=_("Printed on the badge, e.g. P for the plenary hall."))
    name = models.CharField(_("name"), max_length=100)
    bit = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(MAX_ZONE_BIT)], editable=False,
        help_text="Position of this zone in the signed zone mask; never reused in an event.")

    class Meta:
        ordering = ["bit"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="zone_code_unique"),
            models.UniqueConstraint(fields=["event", "bit"], name="zone_bit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Category(models.Model):
    """An accreditation category: a badge colour and a default set of access zones."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=40)
    number = models.PositiveSmallIntegerField(
        editable=False, help_text="The category's number in the signed credential (1-255).")
    name = models.CharField(_("name"), max_length=100)
    colour = models.CharField(_("badge colour"), max_length=7, validators=[RegexValidator(
        r"^#[0-9A-Fa-f]{6}$", _("A colour like #C0392B."))])
    zones = models.ManyToManyField(Zone, blank=True, related_name="categories",
                                   verbose_name=_("default access zones"))
    photo_required = models.BooleanField(_("photo required"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="category_code_unique"),
            models.UniqueConstraint(fields=["event", "number"], name="category_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def _photo_path(instance, filename: str) -> str:
    return f"accreditation/photos/{uuid.uuid4().hex}.jpg"


class Accreditation(models.Model):
    """One person's accreditation: category, zone exceptions, photo and where the workflow is."""

    member = models.OneToOneField("delegations.Member", on_delete=models.CASCADE,
                                  related_name="accreditation")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"))
    zones_granted = models.ManyToManyField(Zone, blank=True, related_name="+",
                                           verbose_name=_("extra zones"))
    zones_denied = models.ManyToManyField(Zone, blank=True, related_name="+",
                                          verbose_name=_("zones withheld"))
    photo = models.ImageField(storage=private_storage, upload_to=_photo_path, blank=True)
    photo_thumb = models.ImageField(storage=private_storage, upload_to=_photo_path, blank=True)
    stage = models.CharField(pgettext_lazy("accreditation stage", "stage"), max_length=12,
                             choices=Stage.choices,
                             default=Stage.NOMINATED)
    vetting = models.CharField(_("security vetting"), max_length=10, choices=Vetting.choices,
                               default=Vetting.NOT_STARTED, blank=True)
    # The vetting reason is for the secretariat and security only, never for focal points.
    vetting_reason = models.TextField(_("vetting note"), blank=True)
    vetted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    vetted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    collected_at = models.DateTimeField(null=True, blank=True)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    id_document = models.CharField(_("identity document checked"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["stage", "vetting"])]

    def __str__(self) -> str:
        return f"{self.member} ({self.category})"


class BadgeSettings(models.Model):
    """Per event: when badges are valid. Defaults: from three days before the first day
    (build-up and rehearsals) to the end of the last day, in the event's time zone."""

    event = models.OneToOneField("core.Event", on_delete=models.CASCADE,
                                 related_name="badge_settings")
    valid_from = models.DateTimeField(_("badges valid from"))
    valid_until = models.DateTimeField(_("badges valid until"))

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(valid_until__gt=models.F("valid_from")),
            name="badge_validity_ends_after_it_starts")]

    def __str__(self) -> str:
        return f"{self.event}: {self.valid_from:%Y-%m-%d} – {self.valid_until:%Y-%m-%d}"


class SigningKey(models.Model):
    """The public half of a badge signing key. The private half lives in a file (keys.py)."""

    key_id = models.CharField(max_length=8, unique=True)  # hex of the 4-byte key id
    public_key = models.CharField(max_length=64)  # hex of the raw 32-byte Ed25519 key
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn: gates refuse every badge signed with it (a lost or stolen private key).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.key_id


class BatchScope(models.TextChoices):
    ALL_APPROVED = "all_approved", _("Everyone approved and not yet printed")
    DELEGATION = "delegation", _("One delegation (approved, not yet printed)")
    CATEGORY = "category", _("One category (approved, not yet printed)")
    REPRINT = "reprint", _("Reprints (replace issued badges)")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    ISSUING = "issuing", _("Issuing")
    RUNNING = "running", _("Printing")
    DONE = "done", pgettext_lazy("badge batch status", "Ready")
    FAILED = "failed", pgettext_lazy("badge batch status", "Failed")


class BadgeBatch(models.Model):
    """A print run of badges, rendered in parts by background tasks."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=20, choices=BatchScope.choices)
    delegation = models.ForeignKey("delegations.Delegation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=BatchStatus.choices,
                              default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    parts = models.PositiveSmallIntegerField(default=0)
    parts_done = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Issuing runs in the task queue, chunk by chunk: `issued` badges signed so far, and the
    # last time a worker moved this batch on (a batch silent for long has lost its worker).
    issued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Badge batch {self.pk} ({self.total})"

    @property
    def part_numbers(self) -> range:
        return range(1, self.parts + 1)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def issuing(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.ISSUING)

    @property
    def in_progress(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.ISSUING, BatchStatus.RUNNING)


class ItemState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ISSUED = "issued", pgettext_lazy("badge batch state", "Issued")
    SKIPPED = "skipped", _("Skipped (no longer in scope)")


class BatchItem(models.Model):
    """One person of a batch: the work list a worker resumes from. Its state changes in the
    same transaction as the badge it issues, so a killed worker leaves it pending or issued,
    never half; (batch, accreditation) is unique here and on Badge: issued once per batch."""

    batch = models.ForeignKey(BadgeBatch, on_delete=models.CASCADE, related_name="items")
    accreditation = models.ForeignKey("Accreditation", on_delete=models.CASCADE,
                                      related_name="+")
    position = models.PositiveIntegerField()  # print order: delegation, head first, name
    part = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=ItemState.choices,
                             default=ItemState.PENDING)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "accreditation"],
                                               name="one_item_per_accreditation_per_batch")]
        indexes = [models.Index(fields=["batch", "state", "position"])]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.position} {self.state}"


class BatchPart(models.Model):
    """One PDF of a batch; `rendered_at` makes a re-run of its task a no-op."""

    batch = models.ForeignKey(BadgeBatch, on_delete=models.CASCADE, related_name="part_rows")
    number = models.PositiveSmallIntegerField()  # from 0
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "number"],
                                               name="one_row_per_batch_part")]

    def __str__(self) -> str:
        return f"{self.batch_id}/part {self.number + 1}"


class Badge(models.Model):
    """A printed credential. Its id is the badge id signed into the QR code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE,
                                      related_name="badges")
    batch = models.ForeignKey(BadgeBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="badges")
    part = models.PositiveSmallIntegerField(default=0)
    key_id = models.CharField(max_length=8)
    category_number = models.PositiveSmallIntegerField()
    zones_mask = models.BigIntegerField()
    zone_codes = models.CharField(max_length=200)  # as printed, e.g. "P S B V D"
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    token = models.CharField(max_length=200)  # the QR text; printed on the badge, not secret
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["accreditation"],
                                    condition=models.Q(revoked_at__isnull=True),
                                    name="one_valid_badge_per_accreditation"),
            # A batch re-run after a killed worker cannot issue anyone a second badge.
            models.UniqueConstraint(fields=["batch", "accreditation"],
                                    name="one_badge_per_accreditation_per_batch"),
        ]
        indexes = [models.Index(fields=["revoked_at"])]

    def __str__(self) -> str:
        return self.short_id

    @property
    def short_id(self) -> str:
        return self.id.hex[:8].upper()
