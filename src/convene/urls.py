from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from convene.api import api
from convene.audit import views as audit_views
from convene.directory import views as directory_views


def _public(patterns):
    """The API answers 401 in JSON itself; the login redirect is for pages, not for it."""
    for p in patterns:
        if hasattr(p, "url_patterns"):
            _public(p.url_patterns)
        else:
            p.callback = login_not_required(p.callback)
    return patterns


api_patterns, app_name, namespace = api.urls
urlpatterns = [
    path("", include("convene.core.urls")),
    path("delegations/", include("convene.delegations.urls")),
    path("accreditation/", include("convene.accreditation.urls")),
    path("gates/", include("convene.gates.urls")),
    path("programme/", include("convene.programme.urls")),
    path("protocol/", include("convene.protocol.urls")),
    path("bilaterals/", include("convene.bilaterals.urls")),
    path("operations/", include("convene.operations.urls")),
    path("treaty/", include("convene.treaty.urls")),
    path("reception/", include("convene.reception.urls")),
    path("press/", include("convene.press.urls")),
    path("cooperation/", include("convene.cooperation.urls")),
    path("reference/", directory_views.entity_list, name="entities"),
    path("audit/", audit_views.trail, name="audit_trail"),
    path("team/", include("convene.accounts.urls")),
    path("api/", include((_public(api_patterns), app_name), namespace=namespace)),
    path("accounts/", include("allauth.urls")),
    # Public: a visitor must be able to read the home page in their language.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
# Uploaded documents (notes verbales, later photos) are never served as public media: each has
# a view that checks who is asking.

# The database unreachable: a clear 503 page (and JSON under /api/), not a traceback or a bare 500.
handler500 = "convene.core.unavailable.server_error"
