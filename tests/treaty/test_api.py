"""The treaty record over JSON: the same rules and refusals as the pages."""

from django.test import Client

from convene.treaty.models import DepositaryNotification, Instrument
from tests.treaty.conftest import as_user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_depositary_records_through_the_api(treaty, depositary, states):
    client = as_user(depositary)
    created = post(client, "/api/treaty/signatures", {
        "participant": "FRA", "signed_on": "2025-10-25", "place": "Hanoi",
        "signatory_name": "Mr. Minister", "capacity": "foreign_minister"})
    assert created.status_code == 201 and created.json()["full_powers_required"] is False
    refused = post(client, "/api/treaty/instruments", {
        "participant": "QAT", "kind": "ratification", "deposited_on": "2026-02-10"})
    assert refused.status_code == 409
    assert refused.json()["field"] == "kind" and "accession" in refused.json()["detail"]
    acceded = post(client, "/api/treaty/instruments", {
        "participant": "QAT", "kind": "accession", "deposited_on": "2026-02-10"})
    assert acceded.status_code == 201
    withdrawn = post(client, f"/api/treaty/instruments/{acceded.json()['id']}/withdraw",
                     {"withdrawn_on": "2026-03-01"})
    assert withdrawn.json()["withdrawn_on"] == "2026-03-01"
    assert Instrument.objects.get().withdrawn_on is not None
    unknown = post(client, "/api/treaty/signatures", {
        "participant": "XXX", "signed_on": "2025-10-25", "place": "Hanoi",
        "signatory_name": "X", "capacity": "head_of_state"})
    assert unknown.status_code == 422


def test_public_endpoints(treaty, depositary, states):
    post(as_user(depositary), "/api/treaty/signatures", {
        "participant": "VNM", "signed_on": "2025-10-25", "place": "Hanoi",
        "signatory_name": "H.E. President", "capacity": "head_of_state"})
    anonymous = Client()
    structure = anonymous.get("/api/treaty/convention").json()
    assert sum(len(ch["articles"]) for ch in structure["chapters"]) == 68
    assert structure["final_clauses"]["entry_into_force"]["instruments_required"] == 40
    notifications = anonymous.get("/api/treaty/notifications").json()
    assert [n["reference"].split(".")[2] for n in notifications] == ["1", "196"]
    assert notifications[0]["participant"] == "VNM"
    assert DepositaryNotification.objects.count() == 2
    status = anonymous.get("/api/treaty/status").json()
    assert status["signatories"] == 1 and status["participants"][0]["code"] == "VNM"
