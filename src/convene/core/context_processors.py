from django.conf import settings

from convene.core.models import current_event
from convene.core.navigation import main_menu


def convene(request):
    """What every page's frame shows: the event, the user's roles, the language menu."""
    user = getattr(request, "user", None)
    roles = user.role_set() if user is not None and user.is_authenticated else frozenset()
    return {
        "event": current_event(),
        "user_roles": roles,
        "ui_languages": settings.LANGUAGES,
        "main_menu": main_menu(user, request.path) if user is not None else main_menu(None),
    }
