"""Delegations to an event and the people in them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.delegations.names import personal_name


class DelegationStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("status of a delegation", "Invited")
    CONFIRMED = "confirmed", _("Participation confirmed")
    DECLINED = "declined", pgettext_lazy("status of a delegation", "Declined")


class Rank(models.TextChoices):
    """Levels of representation, as UN protocol distinguishes them (E/CN.6/2000/PC/9 para. 5;
    A/CN.4/L.129). The order of precedence built on them lives in the protocol rules."""

    HEAD_OF_STATE = "head_of_state", _("Head of State")
    HEAD_OF_GOVERNMENT = "head_of_government", _("Head of Government")
    VICE_PRESIDENT = "vice_president", _("Vice-President")
    CROWN_PRINCE = "crown_prince", _("Crown Prince / Crown Princess")
    DEPUTY_PRIME_MINISTER = "deputy_prime_minister", _("Deputy Prime Minister")
    FOREIGN_MINISTER = "foreign_minister", _("Minister for Foreign Affairs")
    MINISTER = "minister", _("Minister")
    VICE_MINISTER = "vice_minister", _("Vice-Minister")
    AMBASSADOR = "ambassador", _("Ambassador / Permanent Representative")
    OTHER = "other", _("Other")


class MemberStatus(models.TextChoices):
    NOMINATED = "nominated", pgettext_lazy("status of a delegation member", "Nominated")
    APPROVED = "approved", pgettext_lazy("status of a delegation member", "Approved")
    REFUSED = "refused", pgettext_lazy("status of a delegation member", "Refused")


def note_verbale_path(delegation: "Delegation", filename: str) -> str:
    return f"delegations/{delegation.pk}/note-verbale/{filename}"


class Delegation(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.PROTECT, related_name="delegations")
    entity = models.ForeignKey("directory.Entity", on_delete=models.PROTECT,
                               related_name="delegations", verbose_name=_("participant"))
    status = models.CharField(pgettext_lazy("status of a delegation", "status"),
                              max_length=20, choices=DelegationStatus.choices,
                              default=DelegationStatus.INVITED)
    quota = models.PositiveSmallIntegerField(
        _("quota"), default=6, help_text=_("How many people this delegation may nominate."))
    nomination_deadline = models.DateTimeField(_("nomination deadline"))
    note_verbale = models.FileField(_("nomination letter / note verbale"),
                                    upload_to=note_verbale_path, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["event", "entity"], name="one_delegation_per_entity")
        ]

    def __str__(self) -> str:
        return str(self.entity)

    @property
    def nominations_open(self) -> bool:
        return timezone.now() <= self.nomination_deadline


class Member(models.Model):
    """A person nominated to a delegation: the head of delegation or one of its members."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    title = models.CharField(_("title"), max_length=40, blank=True,
                             help_text=_("e.g. H.E. Mr., Ms., Dr."))
    given_name = models.CharField(_("given name(s)"), max_length=120, blank=True)
    family_name = models.CharField(_("family name"), max_length=120)
    rank = models.CharField(_("rank"), max_length=32, choices=Rank.choices, default=Rank.OTHER)
    function = models.CharField(_("function"), max_length=200, blank=True,
                                help_text=_("e.g. Minister of Public Security"))
    email = models.EmailField(_("email"), blank=True)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    status = models.CharField(pgettext_lazy("status of a delegation member", "status"),
                              max_length=20, choices=MemberStatus.choices,
                              default=MemberStatus.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_head", "family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation"], condition=models.Q(is_head=True),
                                    name="one_head_per_delegation"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = personal_name(self.given_name, self.family_name)
        return " ".join(p for p in (self.title, name) if p)
