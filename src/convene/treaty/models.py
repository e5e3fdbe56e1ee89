"""The depositary's record of a treaty: signatures, instruments, declarations and notifications.

A row holds what happened; the rules about what may happen are in depositary_rules.py and
entry_into_force.py, and the final clauses they apply are the treaty's data (Treaty.final_clauses),
so a second treaty is set up with a data file, not with code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.treaty import final_clauses as fc


class Treaty(models.Model):
    code = models.SlugField(unique=True)
    short_title = models.CharField(_("short title"), max_length=200)
    title = models.TextField(_("title"))
    concluded_at = models.CharField(_("concluded at"), max_length=100)
    concluded_on = models.DateField(_("concluded on"))
    adoption = models.CharField(_("adoption"), max_length=300)
    official_text = models.CharField(_("official text"), max_length=200, blank=True)
    depositary = models.CharField(_("depositary"), max_length=200)
    untc_reference = models.CharField(max_length=100, blank=True)
    cn_series = models.CharField(
        _("notification series"), max_length=60,
        help_text=_("Suffix of depositary notification numbers, e.g. TREATIES-XVIII.16."))
    authentic_languages = models.JSONField(default=list)
    sources = models.JSONField(default=list)
    structure = models.JSONField(_("chapters and articles"), default=list)
    final_clauses = models.JSONField(_("final clauses"), default=dict)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "treaties"

    def __str__(self) -> str:
        return self.short_title

    def clauses(self) -> fc.FinalClauses:
        if not hasattr(self, "_clauses"):
            self._clauses = fc.parse(self.final_clauses)
        return self._clauses

    @property
    def article_count(self) -> int:
        return sum(len(ch["articles"]) for ch in self.structure)


class SignatoryCapacity(models.TextChoices):
    """In what capacity a person signs; decides whether full powers are needed (VCLT art. 7)."""

    HEAD_OF_STATE = "head_of_state", _("Head of State")
    HEAD_OF_GOVERNMENT = "head_of_government", _("Head of Government")
    FOREIGN_MINISTER = "foreign_minister", _("Minister for Foreign Affairs")
    OTHER = "other", _("Other representative (with full powers)")


class SignatureSource(models.TextChoices):
    CEREMONY = "ceremony", _("Signing ceremony")
    DIRECT = "direct", _("Entered by the depositary")
    IMPORT = "import", _("Imported status table")


class Signature(models.Model):
    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="signatures")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="treaty_signatures", verbose_name=_("participant"))
    signed_on = models.DateField(_("date of signature"))
    place = models.CharField(_("place"), max_length=200)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_capacity = models.CharField(_("capacity"), max_length=32,
                                          choices=SignatoryCapacity.choices,
                                          default=SignatoryCapacity.OTHER)
    signatory_function = models.CharField(_("function"), max_length=200, blank=True,
                                          help_text=_("e.g. Minister of Public Security"))
    full_powers_required = models.BooleanField(_("full powers required"), default=True)
    full_powers_checked = models.BooleanField(_("full powers checked"), default=False)
    source = models.CharField(max_length=20, choices=SignatureSource.choices,
                              default=SignatureSource.DIRECT)
    schedule_ref = models.CharField(
        max_length=100, blank=True,
        help_text="The programme's signing-schedule slot this signature was made in, if any.")
    is_demo = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "entity__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "entity"], name="one_signature_per_party"),
            # Full powers required and not checked: the signature is refused (VCLT art. 7).
            models.CheckConstraint(
                condition=models.Q(full_powers_required=False) | models.Q(
                    full_powers_checked=True),
                name="signature_full_powers_checked"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.signed_on:%Y-%m-%d}"


class InstrumentKind(models.TextChoices):
    RATIFICATION = "ratification", pgettext_lazy("kind of instrument", "Ratification")
    ACCEPTANCE = "acceptance", pgettext_lazy("kind of instrument", "Acceptance")
    APPROVAL = "approval", pgettext_lazy("kind of instrument", "Approval")
    ACCESSION = "accession", pgettext_lazy("kind of instrument", "Accession")
    SUCCESSION = "succession", pgettext_lazy("kind of instrument", "Succession")


class Instrument(models.Model):
    """An instrument of ratification, acceptance, approval or accession, or a notification of
    succession, deposited with the depositary."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="instruments")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="treaty_instruments", verbose_name=_("participant"))
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    deposited_on = models.DateField(_("date of deposit"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deposited_on", "entity__name_en"]
        constraints = [
            # One instrument per State: a withdrawn one may be followed by a new one.
            models.UniqueConstraint(fields=["treaty", "entity"],
                                    condition=models.Q(withdrawn_on__isnull=True),
                                    name="one_instrument_per_party"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(
                    withdrawn_on__gte=models.F("deposited_on")),
                name="instrument_withdrawn_after_deposit"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.get_kind_display()} {self.deposited_on:%Y-%m-%d}"


class MadeAt(models.TextChoices):
    SIGNATURE = "signature", _("on signature")
    DEPOSIT = "deposit", _("on deposit of the instrument")
    LATER = "later", _("later, by notification")


class Statement(models.Model):
    """A reservation, declaration or notification made by a State or REIO; each may be withdrawn.

    Its kind is one of the treaty's `final_clauses.statements` (e.g. the art. 11(3) reservation,
    the art. 63(3) dispute-settlement declaration, the 24/7 point of contact of art. 41)."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="statements")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="treaty_statements", verbose_name=_("participant"))
    kind = models.CharField(_("kind"), max_length=60)
    made_at = models.CharField(pgettext_lazy("when a statement was made", "made"), max_length=20,
                               choices=MadeAt.choices)
    made_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(
                    withdrawn_on__gte=models.F("made_on")),
                name="statement_withdrawn_after_made"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.kind} {self.made_on:%Y-%m-%d}"

    def kind_info(self):
        return self.treaty.clauses().statement_kind(self.kind)


class NotificationAction(models.TextChoices):
    OPENING = "opening", _("Opening for signature")
    SIGNATURE = "signature", pgettext_lazy("kind of depositary notification", "Signature")
    INSTRUMENT = "instrument", _("Deposit of an instrument")
    INSTRUMENT_WITHDRAWAL = "instrument_withdrawal", _("Withdrawal of an instrument")
    STATEMENT = "statement", _("Reservation, declaration or notification")
    STATEMENT_WITHDRAWAL = "statement_withdrawal", _("Withdrawal of a reservation or declaration")
    OBJECTION = "objection", _("Objection to a reservation or declaration")
    DENUNCIATION = "denunciation", _("Denunciation")


class Denunciation(models.Model):
    """A party's written notification that it denounces the treaty (Convention art. 67(1)): it
    takes effect a fixed time after the depositary receives it (one year, per the data file)."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="denunciations")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="treaty_denunciations",
                               verbose_name=_("participant"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT,
                                   related_name="denunciations")
    received_on = models.DateField(_("date of receipt"))
    takes_effect_on = models.DateField(_("takes effect on"))
    is_demo = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            # One denunciation of the instrument in effect.
            models.UniqueConstraint(fields=["instrument"], name="one_denunciation_per_instrument"),
            models.CheckConstraint(condition=models.Q(takes_effect_on__gte=models.F(
                "received_on")), name="denunciation_takes_effect_after_receipt"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — denunciation {self.received_on:%Y-%m-%d}"


class Objection(models.Model):
    """A State's objection to another's reservation or declaration (VCLT arts. 20(4)(b), 21(3),
    23(1)): the depositary circulates it like the reservation itself."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="objections")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT,
                                  related_name="objections",
                                  verbose_name=_("reservation or declaration"))
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="treaty_objections",
                               verbose_name=_("objecting State"))
    made_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    precludes_entry_into_force = models.BooleanField(
        _("precludes entry into force between them"), default=False,
        help_text=_("The objecting State definitely expressed that the treaty does not enter "
                    "into force between it and the reserving State (VCLT art. 20(4)(b))."))
    is_demo = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "entity"],
                                    name="one_objection_per_state_and_statement"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — objection {self.made_on:%Y-%m-%d}"


class ArticleTitleCheck(models.Model):
    """An organiser's confirmation that an article's title matches the official text; until
    there is one, a title the reference marks unverified is shown as unverified."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="title_checks")
    article = models.PositiveSmallIntegerField(_("article"))
    title = models.CharField(_("title in the official text"), max_length=300)
    source = models.CharField(_("checked against"), max_length=300)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "article"], name="one_check_per_article"),
        ]

    def __str__(self) -> str:
        return f"art. {self.article}: {self.title}"


class DepositaryNotification(models.Model):
    """A depositary notification ("C.N."), numbered C.N.<number>.<year>.<treaty's series>.

    Numbers run per calendar year across the depositary's notifications, as the Secretary-
    General's do (UNTC: C.N.196.2025.TREATIES-XVIII.16 of 13 May 2025)."""

    treaty = models.ForeignKey(Treaty, on_delete=models.PROTECT, related_name="notifications")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_on = models.DateField(_("date"))
    action = models.CharField(max_length=30, choices=NotificationAction.choices)
    entity = models.ForeignKey("directory.Entity", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField()
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=30, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_cn_number_per_year"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C.N.{self.number}.{self.year}.{self.treaty.cn_series}"
