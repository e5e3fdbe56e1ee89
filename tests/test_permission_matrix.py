"""Every page and every API operation, for every role: allowed or denied, nothing in between.

The matrix lives in tests/matrix/ (one module per app). The lists of pages and operations
are read from the URLconf and the OpenAPI schema, so a new view or endpoint that is not in
the matrix fails the suite.
"""

import importlib
import pkgutil
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix
from convene.accounts.models import Role, TokenScope
from convene.accounts.services import create_api_token
from convene.api import api
from tests.conftest import make_user
from tests.matrix import ANON, EVERYONE, NO_ROLE, OTHER_FP, VNM_FOCAL

MODULES = [importlib.import_module(f"tests.matrix.{m.name}")
           for m in pkgutil.iter_modules(tests.matrix.__path__)]
PAGES = {name: (mod, page) for mod in MODULES for name, page in getattr(mod, "PAGES", {}).items()}
OPERATIONS = {key: (mod, op) for mod in MODULES
              for key, op in getattr(mod, "OPERATIONS", {}).items()}
# django-allauth's and the admin's pages have their own, tested, access rules.
FOREIGN_NAMESPACES = {"admin", "api"}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in FOREIGN_NAMESPACES or "accounts/" in str(p.pattern):
                continue
            yield from _named_patterns(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_page_is_in_the_matrix():
    assert set(_named_patterns()) == set(PAGES)


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found == set(OPERATIONS)


@pytest.fixture
def world(users_by_role, event, viet_nam, lao, member):
    users = dict(users_by_role)
    users[OTHER_FP] = make_user("focal.other", Role.FOCAL_POINT, lao)
    return SimpleNamespace(event=event, viet_nam=viet_nam, lao=lao, member=member, users=users)


def _prepared(world, module):
    if hasattr(module, "prepare"):
        module.prepare(world)
    return world


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _token_client(world, user, scope) -> Client:
    """A client that sends nothing but `Authorization: Bearer` with a token of `user`."""
    if user is None:
        return Client()
    tokens = world.__dict__.setdefault("tokens", {})
    if (user.pk, scope) not in tokens:
        tokens[user.pk, scope] = create_api_token(user, name=f"matrix {scope}", scope=scope)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk, scope]}")


def _as_each_role(world, call, judge, via=None):
    """Run `call(client)` once per role, each in a savepoint rolled back afterwards (what one
    role changes cannot decide another's result); return the mismatches for all roles.
    `via`: None for a logged-in session, else the scope of a personal API token to call with."""
    problems = []
    for role in EVERYONE:
        user = world.users[role]
        client = _client(user) if via is None else _token_client(world, user, via)
        with transaction.atomic():
            response = call(client)
            problem = judge(role, response)
            transaction.set_rollback(True)
        if problem:
            problems.append(f"{role or 'anonymous'}{f' (token: {via})' if via else ''}: "
                            f"{problem}")
    return problems


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(name, world):
    module, page = PAGES[name]
    w = _prepared(world, module)
    url = page.url(w)

    def call(client):
        if page.method == "post":
            return client.post(url, page.data(w) if page.data else {})
        return client.get(url)

    def judge(role, response):
        status = response.status_code
        if role in page.allowed:
            if status not in (200, 302):
                return f"allowed but got {status}"
            if status == 302 and "/accounts/login/" in response["Location"]:
                return "allowed but sent to the login page"
        elif role is ANON:
            if status != 302 or "/accounts/login/" not in response["Location"]:
                return f"anonymous must be sent to the login page, got {status}"
        elif status != 403:
            return f"must be refused with 403, got {status}"
        return None

    assert _as_each_role(w, call, judge) == [], url


@pytest.mark.parametrize("key", sorted(OPERATIONS), ids=lambda o: f"{o[0]} {o[1]}")
def test_api_permissions(key, world):
    module, op = OPERATIONS[key]
    method, path = key
    w = _prepared(world, module)
    url = op.url(w) if op.url else path

    def call(client):
        if op.body:
            return getattr(client, method)(url, op.body(w), content_type="application/json")
        return getattr(client, method)(url)

    def judge(role, response, allowed=op.allowed):
        status = response.status_code
        if role in allowed:
            if status not in op.ok:
                return f"allowed but got {status}: {response.content[:200]}"
            return None
        if role is ANON:
            return None if status == 401 else f"anonymous must get 401, got {status}"
        return None if status == 403 else f"must be refused with 403, got {status}"

    # A logged-in session, a token with its owner's role, and a read-only token: the same
    # answers, but that a read-only token is refused every unsafe method (403).
    read_only_allowed = op.allowed if method in ("get", "head") or ANON in op.allowed else []
    assert _as_each_role(w, call, judge) == [], url
    assert _as_each_role(w, call, judge, via=TokenScope.ROLE) == [], url
    if method not in ("get", "head"):  # a read-only token reads exactly as the other does
        assert _as_each_role(
            w, call, lambda role, response: judge(role, response, read_only_allowed),
            via=TokenScope.READ) == [], url


def test_api_list_is_scoped_to_what_each_role_may_see(world):
    def codes(role):
        return {d["entity_code"] for d in _client(world.users[role]).get("/api/delegations").json()}

    assert codes("organiser") == codes("press_officer") == {"VNM", "LAO"}
    assert codes(VNM_FOCAL) == {"VNM"}
    assert codes(OTHER_FP) == {"LAO"}
    assert codes(NO_ROLE) == set()


def test_delegation_list_page_is_scoped(world):
    page = _client(world.users[OTHER_FP]).get("/delegations/").content.decode()
    assert "Lao People" in page and "Viet Nam" not in page


def test_api_refuses_unsafe_requests_without_csrf_token(world):
    before = world.viet_nam.members.count()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[VNM_FOCAL])
    response = client.post(f"/api/delegations/{world.viet_nam.pk}/members",
                           {"family_name": "Tran"}, content_type="application/json")
    assert response.status_code == 403
    assert world.viet_nam.members.count() == before


def test_a_focal_point_cannot_tell_a_missing_delegation_from_a_forbidden_one(world):
    focal = _client(world.users[VNM_FOCAL])
    missing, forbidden = 999_999, world.lao.pk
    for url in ("/delegations/{}/", "/api/delegations/{}", "/api/delegations/{}/members"):
        assert focal.get(url.format(missing)).status_code == 403
        assert focal.get(url.format(forbidden)).status_code == 403
    organiser = _client(world.users["organiser"])
    assert organiser.get(f"/delegations/{missing}/").status_code == 404
    assert organiser.get(f"/api/delegations/{missing}").status_code == 404
