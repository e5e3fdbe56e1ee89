"""The JSON API (django-ninja): OpenAPI schema at /api/openapi.json, docs at /api/docs.

Endpoints live in each app's api.py and call the same services as the web pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from convene.delegations.api import router as delegations_router
from convene.directory.api import router as directory_router

api = NinjaAPI(
    title="Convene API",
    version="1",
    description="Delegations, accreditation and the treaty record of a Convene event.",
    auth=django_auth,  # session login; CSRF token required for unsafe methods
    urls_namespace="api",
)


class Error(Schema):
    detail: str


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/", directory_router)
api.add_router("/delegations", delegations_router)
