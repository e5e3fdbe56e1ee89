"""Labels and durations for the operations templates (translatable, no logic beyond words)."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from convene.operations.models import ItemStatus, Priority, Severity

register = template.Library()


@register.filter
def risk_label(code: str) -> str:
    return {
        "late_chain": _("the work it waits on ends after its deadline"),
        "waits_on_overdue": _("it waits on an overdue item"),
        "not_started": _("due soon and not started"),
    }.get(code, code)


@register.filter
def change_label(kind: str) -> str:
    return {
        "item_added": _("New item"),
        "item_status": _("Status changed"),
        "item_deadline": _("Deadline moved"),
        "item_removed": _("Item removed"),
        "issue_added": _("New issue"),
        "issue_resolved": _("Issue resolved"),
        "issue_escalated": _("Escalated to the committee"),
    }.get(kind, kind)


@register.filter
def status_label(code: str) -> str:
    labels = {**dict(Priority.choices), **dict(ItemStatus.choices), **dict(Severity.choices),
              "open": pgettext("status of a readiness issue", "Open"),
              "resolved": pgettext("status of a readiness issue", "Resolved")}
    return str(labels.get(code, code))


@register.filter
def duration(value: timedelta | None) -> str:
    """e.g. "2 days 3 h", "1 h 05 min", "12 min"; negative durations are shown as positive."""
    if value is None:
        return ""
    seconds = abs(int(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
        return f"{text} {hours} h" if hours else text
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


@register.filter
def is_negative(value: timedelta | None) -> bool:
    return value is not None and value < timedelta(0)


@register.filter
def minus(a, b):
    return a - b
