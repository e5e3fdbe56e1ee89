"""Protocol data of an event: its policy settings, the lot drawn for seating, speakers lists
and swaps, signatories and their full powers. The rules that use them are plain modules
(precedence.py, speakers.py, seating.py, signature.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.protocol import seating, signature, speakers


class HostSeating(models.TextChoices):
    IN_ORDER = seating.HOST_IN_ORDER, _("In its alphabetical place (UN practice)")
    FIRST = seating.HOST_FIRST, _("First, at the right end of the front row")


class SignatureOrder(models.TextChoices):
    BAND_APPOINTMENT = signature.ORDER_BAND_APPOINTMENT, _(
        "By precedence band, then booked appointment")
    ALPHABETICAL = signature.ORDER_ALPHABETICAL, _("English alphabetical order")


class ProtocolSettings(models.Model):
    """The protocol policy of one event; every field starts at a cited default."""

    event = models.OneToOneField("core.Event", on_delete=models.CASCADE,
                                 related_name="protocol_settings")
    host_delegation = models.ForeignKey("delegations.Delegation", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("host delegation"))
    rank_bands = models.JSONField(_("band of each rank"), default=dict, blank=True)
    kind_bands = models.JSONField(_("lowest band of each kind of participant"), default=dict,
                                  blank=True)
    speaker_time_limit = models.PositiveSmallIntegerField(
        _("speaking time (minutes)"), default=speakers.DEFAULT_TIME_LIMIT_MINUTES,
        help_text=_("Default 7 minutes (E/CN.6/2000/PC/9)."))
    seats_per_kind = models.JSONField(_("seats per delegation by category"), default=dict,
                                      blank=True)
    host_seating = models.CharField(_("host's seat"), max_length=10, choices=HostSeating.choices,
                                    default=HostSeating.IN_ORDER)
    signature_host_first = models.BooleanField(_("host signs first"), default=True)
    signature_order = models.CharField(_("order of signature"), max_length=20,
                                       choices=SignatureOrder.choices,
                                       default=SignatureOrder.BAND_APPOINTMENT)
    signing_slot_minutes = models.PositiveSmallIntegerField(_("minutes per signature"),
                                                            default=3)
    signing_session = models.ForeignKey("programme.Session", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("signing ceremony session"))

    def __str__(self) -> str:
        return f"Protocol settings of {self.event}"


class SeatingDraw(models.Model):
    """The lot that decides which Member State sits first (A/RES/71/323 para. 42). The latest
    draw of an event is the one in force; earlier ones stay as the record."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="seating_draws")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("Member State drawn"))
    drawn_by = models.CharField(_("drawn by"), max_length=200,
                                help_text=_("Who drew the lot, e.g. the Secretary-General."))
    drawn_at = models.DateTimeField(_("drawn at"))
    random = models.BooleanField(default=False, help_text="Drawn by Convene itself.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        get_latest_by = "recorded_at"

    def __str__(self) -> str:
        return f"{self.entity} drawn by {self.drawn_by}"


class SpeakersList(models.Model):
    session = models.OneToOneField("programme.Session", on_delete=models.CASCADE,
                                   related_name="speakers_list")
    time_limit = models.PositiveSmallIntegerField(
        _("speaking time (minutes)"), null=True, blank=True,
        help_text=_("Empty: the event's default."))
    closed = models.BooleanField(_("closed for inscription"), default=False)

    def __str__(self) -> str:
        return f"Speakers list of {self.session}"


class SpeakerEntry(models.Model):
    """A delegation's inscription on a speakers list."""

    speakers_list = models.ForeignKey(SpeakersList, on_delete=models.CASCADE,
                                      related_name="entries")
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="speaker_entries",
                                   verbose_name=_("delegation"))
    speaker = models.ForeignKey("delegations.Member", on_delete=models.PROTECT,
                                related_name="speaker_entries", verbose_name=_("speaker"))
    inscribed_at = models.DateTimeField(_("inscribed at"))
    time_limit = models.PositiveSmallIntegerField(_("speaking time (minutes)"), null=True,
                                                  blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    inscribed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")

    class Meta:
        ordering = ["inscribed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["speakers_list", "delegation"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="one_inscription_per_delegation"),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} — {self.speaker}"


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("status of a speaker swap", "Proposed")
    AGREED = "agreed", _("Agreed by both")
    DECLINED = "declined", pgettext_lazy("status of a speaker swap", "Declined")


class SpeakerSwap(models.Model):
    """Two delegations exchange their slots; it applies once the second one agrees."""

    first = models.ForeignKey(SpeakerEntry, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(SpeakerEntry, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=SwapStatus.choices,
                              default=SwapStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(first=models.F("second")),
                                              name="swap_needs_two_entries")]

    def __str__(self) -> str:
        return f"Swap {self.first_id} ⇄ {self.second_id} ({self.status})"


class Signatory(models.Model):
    """Who signs the treaty for a State or organisation, and the appointment booked."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="signatories")
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="signatories", verbose_name=_("delegation"))
    signer = models.ForeignKey("delegations.Member", on_delete=models.PROTECT,
                               related_name="signatures_planned", verbose_name=_("signer"))
    appointment = models.DateTimeField(_("booked appointment"), null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "delegation"],
                                               name="one_signatory_per_delegation")]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.signer}"


class FullPowersStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, not yet checked")
    CHECKED = signature.FP_CHECKED, _("Checked by the depositary")
    REJECTED = "rejected", _("Rejected by the depositary")


def full_powers_path(instance: "FullPowers", filename: str) -> str:
    return f"protocol/full-powers/{instance.signatory.delegation_id}/{filename}"


class FullPowers(models.Model):
    """Full powers for this treaty (VCLT art. 2(1)(c), 7(1)(a)); the latest one counts."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE,
                                  related_name="full_powers")
    document = models.FileField(_("full powers (PDF or image)"), upload_to=full_powers_path)
    status = models.CharField(max_length=10, choices=FullPowersStatus.choices,
                              default=FullPowersStatus.UPLOADED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Full powers of {self.signatory} ({self.status})"
