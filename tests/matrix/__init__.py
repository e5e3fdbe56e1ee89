"""The permission matrix, one module per app: which role may call which page and API operation.

Each module in this package defines
    PAGES = {url name: Page(...)}            every named URL of the app
    OPERATIONS = {(method, path): Operation(...)}   every API operation of the app (OpenAPI path)
    def prepare(world): ...                   optional: create what its URLs point at
and tests/test_permission_matrix.py checks that together they cover every URL and operation.
`world` has: event, viet_nam, lao, member (of Viet Nam), users (role -> user), and whatever
`prepare` adds. URLs point at Viet Nam's objects, so VNM_FOCAL is "the focal point concerned".
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from convene.accounts.models import Role

ANON, NO_ROLE, OTHER_FP = None, "no_role", "focal_point_other"
VNM_FOCAL = "focal_point"  # focal point of Viet Nam
ALL_ROLES = [r.value for r in Role] + [OTHER_FP]
LOGGED_IN = [NO_ROLE, *ALL_ROLES]
EVERYONE = [ANON, *LOGGED_IN]
# Every role of the summit's own staff and delegations: not the press outside it (journalists,
# media focal points) nor the cooperation channel's officers.
SUMMIT_ROLES = [r for r in ALL_ROLES
                if r not in ("media_focal_point", "journalist", "case_officer", "duty_officer")]
ALL_DELEGATIONS = ["organiser", "observer", "security_officer", "task_force_lead", "depositary"]
# Who sees the names and status of every delegation (accounts/permissions.py).
DELEGATION_LIST_READERS = [*ALL_DELEGATIONS, "press_officer", "reception_officer",
                           "liaison_officer", "dispatcher", "communications_officer",
                           "release_approver"]


@dataclass
class Page:
    allowed: list
    url: Callable  # world -> str
    method: str = "get"
    data: Callable | None = None  # world -> dict, for POST


@dataclass
class Operation:
    allowed: list
    url: Callable | None = None  # world -> str; default: the OpenAPI path as is
    body: Callable | None = None  # world -> JSON body
    ok: tuple = field(default=(200, 201))  # what "allowed" answers
