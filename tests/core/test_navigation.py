"""The main menu by role: a focal point sees a short list of their own tasks; the staff see
labelled groups in a fixed order; reference and audit are for staff only; the menu is plain
HTML (a <details> that is open without JavaScript) with an accessible name."""

import re

import pytest
from django.apps import apps
from django.test import Client

from convene.accounts.models import Role
from convene.core.navigation import GROUPS, main_menu
from tests.conftest import make_user


def labels(menu):
    return [str(i["label"]) for g in menu["groups"] for i in g["items"]]


def group_keys(menu):
    return [g["key"] for g in menu["groups"]]


def test_a_focal_point_sees_their_tasks_not_the_secretariat_s_menu(focal_vnm, viet_nam):
    menu = main_menu(focal_vnm)
    assert menu["grouped"] is False
    assert labels(menu) == ["Our delegation", "Speakers", "Signature booking", "Bilaterals",
                            "Programme", "Travel and daily plan", "Interviews", "Treaty status"]
    urls = {str(i["label"]): i["url"] for g in menu["groups"] for i in g["items"]}
    assert urls["Our delegation"] == f"/delegations/{viet_nam.pk}/"
    assert urls["Signature booking"] == "/protocol/signing/"
    assert "Reference data" not in labels(menu) and "Audit trail" not in labels(menu)


def test_an_organiser_sees_groups_in_order_with_reference_and_audit_last(organiser):
    menu = main_menu(organiser)
    assert menu["grouped"] is True
    keys = group_keys(menu)
    assert keys == sorted(keys, key=lambda k: GROUPS[k].order)
    assert keys[:2] == ["delegations", "programme"] and keys[-1] == "reference"
    assert {"security", "operations", "treaty"} <= set(keys)
    assert "delegation" not in keys  # the focal point's own tasks are not the staff's
    by_group = {g["key"]: [str(i["label"]) for i in g["items"]] for g in menu["groups"]}
    assert by_group["delegations"] == ["Delegations", "Accreditation", "Badges"]
    assert by_group["programme"] == ["Programme", "Protocol", "Bilaterals"]
    assert by_group["reference"] == ["Reference data", "Audit trail"]
    assert by_group["operations"][0] == "Dashboard"


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.JOURNALIST, Role.MEDIA_FOCAL_POINT,
                                  Role.CASE_OFFICER, Role.DUTY_OFFICER, None])
def test_reference_and_audit_are_for_staff_only(role, viet_nam):
    user = make_user(f"user-{role}", role, viet_nam if role == Role.FOCAL_POINT else None)
    assert "reference" not in group_keys(main_menu(user))


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.OBSERVER, Role.DEPOSITARY,
                                  Role.SECURITY_OFFICER, Role.TASK_FORCE_LEAD])
def test_staff_see_the_reference_data(role, db):
    menu = main_menu(make_user(f"staff-{role}", role))
    assert "Reference data" in labels(menu)


def test_a_small_staff_menu_stays_one_list(db):
    writer = make_user("comms.officer", Role.COMMUNICATIONS_OFFICER)
    menu = main_menu(writer)
    assert len(labels(menu)) <= 6 and menu["grouped"] is False


def test_nobody_logged_in_has_no_menu(db):
    from django.contrib.auth.models import AnonymousUser

    assert main_menu(AnonymousUser()) == {"grouped": False, "groups": []}


def test_every_menu_item_names_a_known_group_and_audience():
    for config in apps.get_app_configs():
        for item in getattr(config, "menu", ()):
            assert item.group in GROUPS, (config.label, item.label)
            assert item.audience in ("all", "staff", "delegation"), (config.label, item.label)


def test_the_page_frame_renders_the_groups_accessibly(organiser, focal_vnm, event):
    client = Client()
    client.force_login(organiser)
    html = client.get("/delegations/").content.decode()
    assert re.search(r'<details class="menu" open>\s*<summary>Menu</summary>', html)
    nav = re.search(r'<nav aria-label="Main" class="menu-grouped">(.*?)</nav>', html, re.S)[1]
    assert 'id="menu-group-reference"' in nav and 'aria-labelledby="menu-group-reference"' in nav
    assert re.search(r'<a href="/delegations/" aria-current="page">Delegations</a>', nav)
    assert nav.count('aria-current="page"') == 1
    client.force_login(focal_vnm)
    html = client.get("/treaty/").content.decode()
    nav = re.search(r'<nav aria-label="Main" class="menu-flat">(.*?)</nav>', html, re.S)[1]
    assert "menu-group-label" not in nav
    assert re.search(r'<a href="/treaty/" aria-current="page">Treaty status</a>', nav)
    assert "Reference data" not in nav
    assert "<details" not in Client().get("/treaty/").content.decode().split("</header>")[0]
