"""The JSON API: same rules as the pages, clear errors, a published OpenAPI schema."""

from django.test import Client

from convene.delegations import services


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_openapi_schema_is_published(db):
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Convene API"
    assert "/api/delegations/{pk}/members" in schema["paths"]


def test_public_event_endpoint(event):
    data = Client().get("/api/event").json()
    assert data["venue"] == "National Convention Centre" and data["start_date"] == "2025-10-25"


def test_nominate_and_update_through_the_api(focal_vnm, viet_nam):
    client = _as(focal_vnm)
    created = client.post(f"/api/delegations/{viet_nam.pk}/members",
                          {"family_name": "Tran", "rank": "minister", "is_head": True},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "nominated"
    pk = created.json()["id"]
    patched = client.patch(f"/api/delegations/{viet_nam.pk}/members/{pk}",
                           {"function": "Minister of Public Security"},
                           content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["function"] == "Minister of Public Security"
    assert patched.json()["family_name"] == "Tran"  # untouched fields stay


def test_api_reports_field_errors_and_rule_refusals(focal_vnm, viet_nam):
    client = _as(focal_vnm)
    url = f"/api/delegations/{viet_nam.pk}/members"
    bad = client.post(url, {"family_name": "Tran", "email": "not-an-email"},
                      content_type="application/json")
    assert bad.status_code == 422 and "email" in bad.json()["errors"]
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Head", "is_head": True})
    refused = client.post(url, {"family_name": "Other", "is_head": True},
                          content_type="application/json")
    assert refused.status_code == 409 and "head of delegation" in refused.json()["detail"]
    assert viet_nam.members.count() == 1


def test_entities_carry_names_in_six_languages(organiser, viet_nam):
    from convene.directory.services import load_reference_data

    load_reference_data()
    rows = _as(organiser).get("/api/entities?kind=member_state").json()
    assert len(rows) == 193
    vnm = next(r for r in rows if r["code"] == "VNM")
    assert vnm["name_en"] == "Viet Nam"
    assert set(vnm["names"]) == {"en", "fr", "es", "ru", "zh", "ar"}
