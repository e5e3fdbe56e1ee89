"""The JSON API (django-ninja): OpenAPI schema at /api/openapi.json, docs at /api/docs.

Endpoints live in each app's api.py and call the same services as the web pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from convene.accreditation.api import router as accreditation_router
from convene.bilaterals.api import router as bilaterals_router
from convene.cooperation.api import router as cooperation_router
from convene.delegations.api import router as delegations_router
from convene.directory.api import router as directory_router
from convene.gates.api import router as gates_router
from convene.operations.api import router as operations_router
from convene.press.api import router as press_router
from convene.programme.api import router as programme_router
from convene.protocol.api import router as protocol_router
from convene.reception.api import router as reception_router
from convene.treaty.api import router as treaty_router

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class PersonalToken(HttpBearer):
    """`Authorization: Bearer cvn_…`: a personal API token (accounts/tokens.py), acting with
    exactly its owner's permissions; a read-only token is refused every unsafe method. No CSRF
    token is needed: a browser never sends this header by itself."""

    def authenticate(self, request, token):
        from convene.accounts import services as accounts
        from convene.accounts.models import TokenScope
        from convene.core.ratelimit import client_ip

        api_token = getattr(request, "convene_api_token", None) or accounts.active_api_token(
            token)
        if api_token is None:
            return None
        if api_token.scope == TokenScope.READ and request.method not in _SAFE_METHODS:
            raise HttpError(403, "This token is read-only.")
        accounts.note_api_token_use(api_token, client_ip(request))
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


api = NinjaAPI(
    title="Convene API",
    version="1",
    description="Delegations, accreditation and the treaty record of a Convene event. "
                "Call it as a logged-in user (session cookie; unsafe methods need the CSRF "
                "token) or with a personal API token: `Authorization: Bearer cvn_…`.",
    # A bearer token first; else the session login (CSRF token required for unsafe methods).
    auth=[PersonalToken(), django_auth],
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
api.add_router("/accreditation", accreditation_router)
api.add_router("/gates", gates_router)
api.add_router("/programme", programme_router)
api.add_router("/protocol", protocol_router)
api.add_router("/bilaterals", bilaterals_router)
api.add_router("/operations", operations_router)
api.add_router("/treaty", treaty_router)
api.add_router("/reception", reception_router)
api.add_router("/press", press_router)
api.add_router("/cooperation", cooperation_router)
