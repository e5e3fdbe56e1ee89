"""Participating entities: States, the EU, international organisations, NGOs, companies.

States and organisations come from the reference data under data/ (see data/SOURCES.md);
NGOs and private-sector companies are added by the secretariat.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("UN Member State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    REIO = "reio", _("Regional economic integration organisation")
    UN_SYSTEM = "un_system", _("United Nations system")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")


STATE_KINDS = (EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE)

# Django language code -> key in Entity.names (the six UN languages).
_NAME_KEY = {"zh-hans": "zh", "zh-hant": "zh"}


class Entity(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True,
                            help_text=_("ISO 3166 alpha-3 for States; an acronym otherwise."))
    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    names = models.JSONField(_("names in the UN languages"), default=dict)
    iso2 = models.CharField(max_length=2, blank=True)
    acronym = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=300, blank=True)
    is_reference = models.BooleanField(default=False, editable=False,
                                       help_text="Loaded from data/, not entered by hand.")

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "entities"

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en").lower()
        key = _NAME_KEY.get(language, language.split("-")[0])
        return self.names.get(key) or self.name_en

    @property
    def is_state(self) -> bool:
        return self.kind in STATE_KINDS
