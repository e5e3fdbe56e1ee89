"""schemathesis over the whole OpenAPI schema, with a personal API token of each role (issue 16).

Every operation of /api/openapi.json is called in-process (the WSGI app, the test database)
with generated requests, as each role in turn, against data like the demo's: the permission
matrix's world (tests/test_permission_matrix.py) with what each of its modules prepares. Half
of the generated requests point at objects that exist (the matrix's own URLs), the rest at
whatever the generator makes up. Checked: no server error (5xx), and every answer's status
code, content type and body are those the schema declares for the operation.

Bounded and deterministic: a fixed number of examples per operation, derandomised, no
shrinking, so it stays well under the suite's budget on two cores.
"""

import importlib
import json
import pkgutil
import re
import sys
from datetime import date
from types import SimpleNamespace

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

import tests.matrix
from convene.accounts.models import Role, TokenScope
from convene.accounts.services import create_api_token
from convene.core.models import Event
from convene.delegations.models import Member
from convene.wsgi import application
from tests.conftest import make_delegation, make_user
from tests.matrix import EVERYONE, OTHER_FP

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

MATRIX = [importlib.import_module(f"tests.matrix.{m.name}")
          for m in pkgutil.iter_modules(tests.matrix.__path__)]
ROLES = [role for role in EVERYONE if role is not None] + [None]  # anonymous last


def _world():
    """The permission matrix's world, built once for the module (tests/conftest.py)."""
    event = Event.objects.create(
        slug="hanoi-2025", name="Signing Ceremony of the United Nations Convention against "
        "Cybercrime and High-level Conference", venue="National Convention Centre",
        city="Hanoi", country="Viet Nam", start_date=date(2025, 10, 25),
        end_date=date(2025, 10, 26))
    viet_nam = make_delegation(event, "VNM", "Viet Nam")
    lao = make_delegation(event, "LAO", "Lao People's Democratic Republic")
    users = {None: None, "no_role": make_user("user-no-role"),
             OTHER_FP: make_user("focal.other", Role.FOCAL_POINT, lao)}
    for role in Role:
        users[role.value] = make_user(f"user-{role.value}", role,
                                      viet_nam if role == Role.FOCAL_POINT else None)
    member = Member.objects.create(delegation=viet_nam, family_name="Nguyen",
                                   given_name="Van A", rank="minister",
                                   function="Minister of Public Security")
    world = SimpleNamespace(event=event, viet_nam=viet_nam, lao=lao, member=member, users=users)
    for module in MATRIX:
        if hasattr(module, "prepare"):
            module.prepare(world)
    world.tokens = {role: create_api_token(user, name="schemathesis", scope=TokenScope.ROLE)[1]
                    for role, user in users.items() if user is not None}
    world.real_parameters = _real_parameters(world)
    return world


def _real_parameters(world) -> dict:
    """For each operation, the path parameters of an object that exists (the matrix's URL)."""
    found = {}
    for module in MATRIX:
        for (method, path), op in getattr(module, "OPERATIONS", {}).items():
            if op.url is None or "{" not in path:
                continue
            names = re.findall(r"{(\w+)}", path)
            pattern = "^" + re.sub(r"{\w+}", "([^/]+)", re.escape(path).replace(r"\{", "{")
                                   .replace(r"\}", "}")) + "$"
            match = re.match(pattern, op.url(world).split("?")[0])
            if match:
                found[method.upper(), path] = dict(zip(names, match.groups(), strict=True))
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, in one transaction rolled back after the module; each test adds a savepoint.
    Like Django's test client, the in-process WSGI calls must not close the connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


@pytest.fixture
def calls():
    """How many requests this operation's test has made (which role and target come next)."""
    return {"n": 0}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None,
          phases=[Phase.explicit, Phase.generate], database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_as_every_role(case, world, db, calls):
    n = calls["n"]
    calls["n"] += 1
    real = world.real_parameters.get((case.method.upper(), case.path))
    if real and n % 2 == 0:
        case.path_parameters = {**(case.path_parameters or {}), **real}
    # One role per generated request, in turn; an operation with nothing to generate (a
    # plain list) gets a single example, and is called by every role at once.
    roles = ROLES if not _has_inputs(case) else [ROLES[n % len(ROLES)]]
    for role in roles:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role else {}
        with transaction.atomic():
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            transaction.set_rollback(True)


def _has_inputs(case) -> bool:
    operation = case.operation
    return bool(list(operation.iter_parameters()) or operation.body)


def test_no_two_api_schemas_share_an_openapi_name():
    """django-ninja names an OpenAPI component after its class: two different classes of one
    name (gates' and the run-of-show's LiveOut did) silently publish one schema for both."""
    from pydantic import BaseModel

    by_name = {}
    for module_name in sorted(m for m in sys.modules if re.fullmatch(r"convene\.\w+\.api", m)):
        for obj in vars(sys.modules[module_name]).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and (
                    obj.__module__ == module_name):
                by_name.setdefault(obj.__name__, []).append(obj)
    clashes = {name: [c.__module__ for c in classes] for name, classes in by_name.items()
               if len({json.dumps(c.model_json_schema(), sort_keys=True) for c in classes}) > 1}
    assert clashes == {}
