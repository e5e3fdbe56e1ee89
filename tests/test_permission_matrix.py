"""Every page and every API operation, for every role: allowed or denied, nothing in between.

The lists of pages and operations are read from the URLconf and the OpenAPI schema, so a new
view or endpoint that is not added to the matrix below fails the suite.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from convene.accounts.models import Role
from convene.api import api
from tests.conftest import make_user

ANON, NO_ROLE, OTHER_FP = None, "no_role", "focal_point_other"
ALL_ROLES = [r.value for r in Role] + [OTHER_FP]
EVERYONE = [ANON, NO_ROLE, *ALL_ROLES]
ALL_DELEGATIONS = ["organiser", "observer", "security_officer", "task_force_lead", "depositary"]
VNM_FOCAL = "focal_point"  # focal point of Viet Nam, the delegation every URL below points at

# page name -> (method, roles allowed). Anonymous users are sent to the login page otherwise.
PAGES = {
    "core:home": ("get", EVERYONE),
    "core:after_login": ("get", [NO_ROLE, *ALL_ROLES]),
    "core:dashboard": ("get", ["organiser", "observer", "task_force_lead"]),
    "delegations:list": ("get", ALL_ROLES),
    "delegations:invite": ("get", ["organiser"]),
    "delegations:detail": ("get", [*ALL_DELEGATIONS, "press_officer", VNM_FOCAL]),
    "delegations:settings": ("get", ["organiser"]),
    "delegations:member_create": ("get", ["organiser", VNM_FOCAL]),
    "delegations:member_import": ("get", ["organiser", VNM_FOCAL]),
    "delegations:member_edit": ("get", ["organiser", VNM_FOCAL]),
    "delegations:member_decide": ("post", ["organiser"]),
    "delegations:note_verbale": ("get", ["organiser", VNM_FOCAL]),
    "delegations:note_verbale_download": ("get", [*ALL_DELEGATIONS, VNM_FOCAL]),
    "entities": ("get", [NO_ROLE, *ALL_ROLES]),
    "audit_trail": ("get", ["organiser", "observer"]),
    "set_language": ("post", EVERYONE),
}
# Pages served by django-allauth and Django's admin have their own, tested, access rules.
FOREIGN_NAMESPACES = {"admin", "api"}

# (method, path) -> roles allowed; anonymous callers get 401 unless public.
OPERATIONS = {
    ("get", "/api/event"): EVERYONE,
    ("get", "/api/entities"): [NO_ROLE, *ALL_ROLES],
    ("get", "/api/delegations"): [NO_ROLE, *ALL_ROLES],  # scoped: see test_api_list_is_scoped
    ("get", "/api/delegations/{pk}"): [*ALL_DELEGATIONS, "press_officer", VNM_FOCAL],
    ("get", "/api/delegations/{pk}/members"): [*ALL_DELEGATIONS, VNM_FOCAL],
    ("post", "/api/delegations/{pk}/members"): ["organiser", VNM_FOCAL],
    ("patch", "/api/delegations/{pk}/members/{member_pk}"): ["organiser", VNM_FOCAL],
    ("post", "/api/delegations/{pk}/members/{member_pk}/decision"): ["organiser"],
}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            if ns in FOREIGN_NAMESPACES or (p.app_name or "").startswith("allauth") or (
                "accounts" in str(p.pattern)
            ):
                continue
            yield from _named_patterns(p, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_page_is_in_the_matrix():
    assert set(_named_patterns()) == set(PAGES)


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    found = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert found == set(OPERATIONS)


@pytest.fixture
def actors(users_by_role, lao, viet_nam):
    actors = dict(users_by_role)
    actors[OTHER_FP] = make_user("focal.other", Role.FOCAL_POINT, lao)
    viet_nam.note_verbale.save("nv.pdf", ContentFile(b"%PDF-1.4 note verbale"), save=True)
    return actors


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _page_url(name, viet_nam, member):
    from django.urls import reverse

    kwargs = {}
    if name.startswith("delegations:") and name not in ("delegations:list", "delegations:invite"):
        kwargs["pk"] = viet_nam.pk
    if name in ("delegations:member_edit", "delegations:member_decide"):
        kwargs["member_pk"] = member.pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", EVERYONE, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(name, role, actors, viet_nam, member):
    method, allowed = PAGES[name]
    url = _page_url(name, viet_nam, member)
    data = {"decision": "approve"} if name == "delegations:member_decide" else {
        "language": "ar", "next": "/"}
    response = getattr(_client(actors[role]), method)(url, data if method == "post" else None)
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"], (name, role)
    elif role is ANON:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403, (name, role, response.status_code)


def _operation_call(method, path, viet_nam, member):
    url = path.replace("{pk}", str(viet_nam.pk)).replace("{member_pk}", str(member.pk))
    body = {
        ("post", "/api/delegations/{pk}/members"): {"family_name": "Tran"},
        ("patch", "/api/delegations/{pk}/members/{member_pk}"): {"function": "Adviser"},
        ("post", "/api/delegations/{pk}/members/{member_pk}/decision"): {"approve": True},
    }.get((method, path))
    return url, body


@pytest.mark.parametrize("role", EVERYONE, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=lambda o: f"{o[0]} {o[1]}")
def test_api_permissions(operation, role, actors, viet_nam, member):
    method, path = operation
    url, body = _operation_call(method, path, viet_nam, member)
    client = _client(actors[role])
    response = getattr(client, method)(url, body, content_type="application/json") if body \
        else getattr(client, method)(url)
    if role in OPERATIONS[operation]:
        assert response.status_code in (200, 201), (operation, role, response.content)
    elif role is ANON:
        assert response.status_code == 401
    else:
        assert response.status_code == 403, (operation, role, response.status_code)
        assert response.json() == {"detail": "You may not do this."}


def test_api_list_is_scoped_to_what_each_role_may_see(actors, viet_nam, lao):
    def codes(role):
        return {d["entity_code"] for d in _client(actors[role]).get("/api/delegations").json()}

    assert codes("organiser") == codes("press_officer") == {"VNM", "LAO"}
    assert codes(VNM_FOCAL) == {"VNM"}
    assert codes(OTHER_FP) == {"LAO"}
    assert codes(NO_ROLE) == set()


def test_delegation_list_page_is_scoped(actors, viet_nam, lao):
    page = _client(actors[OTHER_FP]).get("/delegations/").content.decode()
    assert "Lao People" in page and "Viet Nam" not in page


def test_api_refuses_unsafe_requests_without_csrf_token(actors, viet_nam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors[VNM_FOCAL])
    response = client.post(f"/api/delegations/{viet_nam.pk}/members",
                           {"family_name": "Tran"}, content_type="application/json")
    assert response.status_code == 403
    assert viet_nam.members.count() == 0
