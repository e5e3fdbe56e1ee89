from django import template

register = template.Library()


@register.filter
def mmss(seconds) -> str:
    """A duration in seconds as m:ss (h:mm:ss when an hour or more)."""
    if seconds in (None, ""):
        return "—"
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
