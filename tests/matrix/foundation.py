"""Core, delegations, directory and audit pages and API."""

from django.core.files.base import ContentFile
from django.urls import reverse

from convene.accounts.services import create_api_token
from tests.accreditation.helpers import vetted_for_approval
from tests.matrix import (
    ALL_DELEGATIONS,
    DELEGATION_LIST_READERS,
    EVERYONE,
    LOGGED_IN,
    SUMMIT_ROLES,
    VNM_FOCAL,
    Operation,
    Page,
)


def prepare(world):
    world.viet_nam.note_verbale.save("nv.pdf", ContentFile(b"%PDF-1.4 note verbale"), save=True)
    # Approval is the accreditation decision, which follows security vetting (issue 3).
    vetted_for_approval(world.member)
    world.vnm_token, _ = create_api_token(world.users[VNM_FOCAL], name="Laptop", scope="read")


def _d(name, member=False):
    def url(w):
        kwargs = {"pk": w.viet_nam.pk}
        if member:
            kwargs["member_pk"] = w.member.pk
        return reverse(name, kwargs=kwargs)

    return url


def _plain(name):
    return lambda w: reverse(name)


ORGANISER, FOCAL = ["organiser"], ["organiser", VNM_FOCAL]

PAGES = {
    "core:home": Page(EVERYONE, _plain("core:home")),
    "core:after_login": Page(LOGGED_IN, _plain("core:after_login")),
    "core:dashboard": Page(["organiser", "observer", "task_force_lead"],
                           _plain("core:dashboard")),
    "delegations:list": Page(SUMMIT_ROLES, _plain("delegations:list")),
    "delegations:invite": Page(ORGANISER, _plain("delegations:invite")),
    "delegations:detail": Page([*DELEGATION_LIST_READERS, VNM_FOCAL],
                               _d("delegations:detail")),
    "delegations:settings": Page(ORGANISER, _d("delegations:settings")),
    "delegations:member_create": Page(FOCAL, _d("delegations:member_create")),
    "delegations:member_import": Page(FOCAL, _d("delegations:member_import")),
    "delegations:member_edit": Page(FOCAL, _d("delegations:member_edit", member=True)),
    "delegations:member_decide": Page(ORGANISER, _d("delegations:member_decide", member=True),
                                      "post", lambda w: {"decision": "approve"}),
    "delegations:note_verbale": Page(FOCAL, _d("delegations:note_verbale")),
    "delegations:note_verbale_download": Page([*ALL_DELEGATIONS, VNM_FOCAL],
                                              _d("delegations:note_verbale_download")),
    "entities": Page(LOGGED_IN, _plain("entities")),
    "audit_trail": Page(["organiser", "observer"], _plain("audit_trail")),
    "set_language": Page(EVERYONE, _plain("set_language"), "post",
                         lambda w: {"language": "ar", "next": "/"}),
}


def _api(path, member=False):
    def url(w):
        u = path.replace("{pk}", str(w.viet_nam.pk))
        return u.replace("{member_pk}", str(w.member.pk)) if member else u

    return url


OPERATIONS = {
    ("get", "/api/event"): Operation(EVERYONE),
    ("get", "/api/entities"): Operation(LOGGED_IN),
    ("get", "/api/delegations"): Operation(LOGGED_IN),  # scoped: see the scoping tests
    ("get", "/api/delegations/{pk}"): Operation(
        [*DELEGATION_LIST_READERS, VNM_FOCAL], _api("/api/delegations/{pk}")),
    ("get", "/api/delegations/{pk}/members"): Operation(
        [*ALL_DELEGATIONS, VNM_FOCAL], _api("/api/delegations/{pk}/members")),
    ("post", "/api/delegations/{pk}/members"): Operation(
        FOCAL, _api("/api/delegations/{pk}/members"), lambda w: {"family_name": "Tran"}),
    ("patch", "/api/delegations/{pk}/members/{member_pk}"): Operation(
        FOCAL, _api("/api/delegations/{pk}/members/{member_pk}", True),
        lambda w: {"function": "Adviser"}),
    ("post", "/api/delegations/{pk}/members/{member_pk}/decision"): Operation(
        ORGANISER, _api("/api/delegations/{pk}/members/{member_pk}/decision", True),
        lambda w: {"approve": True}),
}

PAGES["team:focal_point_add"] = Page(ORGANISER, _d("team:focal_point_add"))

# Personal API tokens (issue 16): everyone who logs in manages their own. The token revoked
# is Viet Nam's focal point's; anyone else is refused.
PAGES["team:api_tokens"] = Page(LOGGED_IN, _plain("team:api_tokens"))
PAGES["team:api_token_revoke"] = Page(
    [VNM_FOCAL], lambda w: reverse("team:api_token_revoke", args=[w.vnm_token.pk]), "post")
