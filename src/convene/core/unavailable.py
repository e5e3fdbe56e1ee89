"""When the database cannot be reached: a clear 503 for people and for the API, no traceback.

Django turns an exception raised anywhere in a request (a view, or a middleware that reads the
session or the user) into a call of the 500 handler, inside the `except` block, so the handler
can tell a database that is down (OperationalError, InterfaceError: refused connection, server
gone away, unreadable SQLite file) from a programming error. The first is not the request's
fault and passes: 503 Service Unavailable with Retry-After, an HTML page that needs nothing
from the database (no request context, so no context processor queries), or JSON under /api/.
Anything else stays Django's plain 500. The full error goes to the server log only.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

log = logging.getLogger("convene.unavailable")
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is temporarily unavailable (the database cannot be "
                         "reached). Try again in a minute."),
             "code": "database_unavailable"}, status=503)
    else:
        html = render_to_string("core/unavailable.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        log.error("database unavailable while serving %s %s: %s", request.method,
                  request.path, exc)
        return unavailable_response(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Internal server error."), "code": "server_error"},
                            status=500)
    return django_server_error(request, template_name)
