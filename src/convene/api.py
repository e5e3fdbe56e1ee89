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


# What any operation may answer besides its own responses, in the shape it has: the schema
# says so, so that a client (and schemathesis, tests/test_api_schemathesis.py) is never
# surprised by an answer. Each applies where it can happen.
_ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_VALIDATION_ERROR = {"type": "object", "properties": {"detail": {"type": "array", "items": {
    "type": "object"}}}, "required": ["detail"]}
_COMMON_ERRORS = {
    # (status, description, body, applies to: "always" | "secured" | "path" | "input" | "body")
    "400": ("The request body is not JSON", _ERROR, "body"),
    "401": ("Not logged in, or no valid API token", _ERROR, "secured"),
    "403": ("Not allowed (the role, a read-only token, or a missing CSRF token)", _ERROR,
            "secured"),
    "404": ("Not found", _ERROR, "path"),
    "422": ("A parameter or a field of the body is not valid", _VALIDATION_ERROR, "input"),
    "429": ("Too many requests: wait for Retry-After seconds", _ERROR, "always"),
}


def _document_common_errors(schema: dict) -> dict:
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            applies = {"always": True, "secured": bool(operation.get("security")),
                       "path": "{" in path, "body": "requestBody" in operation,
                       "input": bool(operation.get("parameters") or "requestBody" in operation)}
            responses = operation.setdefault("responses", {})
            # An operation's own 422 (a rule refused, `detail` a sentence) may also be the
            # framework's (a field not valid, `detail` a list): the body is one or the other.
            for status in ("422", 422):
                if status in responses:
                    for content in responses[status].get("content", {}).values():
                        content["schema"] = {"anyOf": [content["schema"], _VALIDATION_ERROR]}
            for status, (description, body, when) in _COMMON_ERRORS.items():
                # django-ninja keys responses by int; JSON makes both the same string.
                if applies[when] and status not in responses and int(status) not in responses:
                    responses[int(status)] = {"description": description, "content": {
                        "application/json": {"schema": body}}}
    return schema


class ConveneAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return _document_common_errors(super().get_openapi_schema(*args, **kwargs))


api = ConveneAPI(
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
