"""The event a Convene installation runs (a signing ceremony, a conference of States Parties…)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=300)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("host country"), max_length=100)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name


def current_event() -> Event | None:
    """The event the platform is serving now: the next or running one, else the latest."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Event.objects.filter(end_date__gte=today).order_by("start_date").first()
        or Event.objects.order_by("-start_date").first()
    )
