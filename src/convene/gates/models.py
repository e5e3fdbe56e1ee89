"""Checkpoints, the scans they record, and who is inside each zone (for anti-passback)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Direction(models.TextChoices):
    ENTRY = "entry", pgettext_lazy("direction through a gate", "Entry")
    EXIT = "exit", pgettext_lazy("direction through a gate", "Exit")


class Checkpoint(models.Model):
    """An access point into or out of one zone, staffed with a phone or laptop."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="checkpoints")
    name = models.CharField(_("name"), max_length=100)
    zone = models.ForeignKey("accreditation.Zone", on_delete=models.PROTECT,
                             related_name="checkpoints", verbose_name=_("zone"))
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices,
                                 default=Direction.ENTRY)
    # Last contact of any kind (page load, online scan, sync) and last upload of offline scans.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["zone__bit", "direction", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"],
                                               name="checkpoint_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.zone.code}, {self.get_direction_display()})"


class Scan(models.Model):
    """One badge presented at one checkpoint, and the verdict given there.

    `uuid` is made by the gate device for each scan, so uploading a scan twice stores it once.
    `badge` points at a Badge without a database constraint: a forged or unknown badge id is
    still recorded as it was scanned.
    """

    uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="scans")
    zone = models.ForeignKey("accreditation.Zone", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=5, choices=Direction.choices)
    badge = models.ForeignKey("accreditation.Badge", null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="scans")
    scanned_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    accepted = models.BooleanField()
    reason = models.CharField(max_length=20)
    offline = models.BooleanField(default=False, help_text="Decided on the device, uploaded later.")
    override = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=300, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    # An accepted entry made while the badge was already inside the zone through another gate,
    # found when the gates' offline scans were merged (gates/passback.py); `conflict_with` is
    # the entry that had let the badge in.
    passback_conflict = models.BooleanField(default=False)
    conflict_with = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      db_constraint=False, related_name="+")

    class Meta:
        ordering = ["-scanned_at"]
        indexes = [models.Index(fields=["accepted", "scanned_at"]),
                   models.Index(fields=["badge", "zone"]),
                   models.Index(fields=["passback_conflict", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.scanned_at:%H:%M:%S} {self.reason}"

    @property
    def reason_label(self) -> str:
        from convene.gates.reasons import label

        return label(self.reason)


class Presence(models.Model):
    """Whether a badge is inside a zone, after its latest accepted scan there."""

    badge = models.ForeignKey("accreditation.Badge", on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    zone = models.ForeignKey("accreditation.Zone", on_delete=models.CASCADE, related_name="+")
    inside = models.BooleanField(default=False)
    last_scan_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["badge", "zone"],
                                               name="one_presence_per_badge_and_zone")]
        indexes = [models.Index(fields=["zone", "inside"])]

    def __str__(self) -> str:
        return f"{self.badge_id} {'in' if self.inside else 'out'} {self.zone_id}"
