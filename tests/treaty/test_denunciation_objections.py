"""Denunciation (Convention art. 67) and objections to reservations and declarations (VCLT
arts. 20-23): the rules, the depositary's actions (audited, notified), the status table, the
pages and the API."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.treaty import depositary_rules as rules
from convene.treaty import services
from convene.treaty.depositary_rules import Participant, Refused
from convene.treaty.final_clauses import DenunciationRule
from convene.treaty.models import (
    Denunciation,
    DepositaryNotification,
    Instrument,
    Objection,
    Signature,
)
from tests.conftest import make_entity
from tests.treaty.conftest import HANOI, as_user

RULE = DenunciationRule(article="67", effect_article="67(1)", months_after=12,
                        reio_article="67(2)")
TODAY = date(2030, 1, 1)


# --- Rules ----------------------------------------------------------------------------------

def test_add_months_keeps_the_day_or_falls_on_the_last_of_the_month():
    assert rules.add_months(date(2027, 3, 15), 12) == date(2028, 3, 15)
    assert rules.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert rules.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def party(**kw):
    kw.setdefault("instrument_kind", "ratification")
    kw.setdefault("deposited_on", date(2026, 3, 2))
    return Participant("Viet Nam", "state", date(2025, 10, 25), kw["instrument_kind"],
                       kw["deposited_on"])


def test_a_denunciation_takes_effect_one_year_after_receipt():
    assert rules.check_denunciation(
        RULE, party(), received_on=date(2027, 5, 10), in_force_on=date(2026, 6, 1),
        already_received_on=None, today=TODAY) == date(2028, 5, 10)


@pytest.mark.parametrize("kw, field, words", [
    ({"in_force_on": None}, "received_on", "withdraws its instrument"),
    ({"in_force_on": date(2027, 6, 1)}, "received_on", "1 June 2027"),
    ({"received_on": date(2031, 1, 1)}, "received_on", "in the future"),
    ({"received_on": None}, "received_on", "Give the date"),
    ({"already_received_on": date(2027, 1, 1)}, "entity", "denounced the treaty"),
])
def test_a_denunciation_is_refused_with_the_reason(kw, field, words):
    args = {"received_on": date(2027, 5, 10), "in_force_on": date(2026, 6, 1),
            "already_received_on": None, "today": TODAY, **kw}
    with pytest.raises(Refused, match=words) as exc:
        rules.check_denunciation(RULE, party(), **args)
    assert exc.value.field == field


def test_only_a_party_denounces():
    not_bound = Participant("Qatar", "state")
    with pytest.raises(Refused, match="not a party") as exc:
        rules.check_denunciation(RULE, not_bound, received_on=date(2027, 5, 10),
                                 in_force_on=None, already_received_on=None, today=TODAY)
    assert exc.value.field == "entity"


def objection(**kw):
    args = {"author_name": "Azerbaijan", "is_author": False, "category": "reservation",
            "statement_made_on": date(2026, 4, 15), "statement_withdrawn_on": None,
            "made_on": date(2026, 9, 1), "already_on": None, "open_to": ("state", "reio"),
            "today": TODAY, **kw}
    return rules.check_objection(Participant("France", "state"), **args)


def test_an_objection_within_twelve_months_and_a_late_one():
    assert objection() is True
    assert objection(made_on=date(2027, 4, 16)) is False  # VCLT art. 20(5): still circulated


@pytest.mark.parametrize("kw, field, words", [
    ({"category": "notification"}, "statement", "notification"),
    ({"is_author": True}, "entity", "cannot object"),
    ({"made_on": date(2026, 4, 1)}, "made_on", "cannot be dated before"),
    ({"statement_withdrawn_on": date(2026, 8, 1)}, "statement", "withdrew it"),
    ({"already_on": date(2026, 8, 1)}, "entity", "objected to it on"),
    ({"made_on": None}, "made_on", "Give the date"),
])
def test_an_objection_is_refused_with_the_reason(kw, field, words):
    with pytest.raises(Refused, match=words) as exc:
        objection(**kw)
    assert exc.value.field == field


# --- The depositary's actions ----------------------------------------------------------------

def in_force(treaty, states):
    """Forty States ratified on 5 January 2026 (Viet Nam among them): in force on 5 April 2026
    (art. 65(1), the ninetieth day)."""
    entities = [states["VNM"]] + [make_entity(f"S{i:02}", f"State {i:02}") for i in range(39)]
    for e in entities:
        Signature.objects.create(treaty=treaty, entity=e, signed_on=date(2025, 10, 25),
                                 place=HANOI, full_powers_required=False)
        Instrument.objects.create(treaty=treaty, entity=e, kind="ratification",
                                  deposited_on=date(2026, 1, 5))
    assert services.status(treaty).entry_into_force.date == date(2026, 4, 5)
    return entities


def test_a_denunciation_is_recorded_audited_notified_and_shown(treaty, depositary, states):
    in_force(treaty, states)
    d = services.denounce(depositary, states["VNM"], received_on=date(2026, 6, 1))
    assert d.takes_effect_on == date(2027, 6, 1)
    assert AuditEvent.objects.get(action="treaty.denunciation_recorded").actor == depositary
    cn = DepositaryNotification.objects.get(action="denunciation")
    assert cn.subject == "VIET NAM: DENUNCIATION"
    assert "effected on 1 June 2026" in cn.body
    assert "take effect for Viet Nam on 1 June 2027 in accordance with article 67(1)" in cn.body
    assert verify_chain() == []
    # Until it takes effect, Viet Nam is still a party; afterwards it is not.
    assert services.status(treaty, today=date(2027, 5, 31)).parties == 40
    after = services.status(treaty, today=date(2027, 6, 1))
    assert after.parties == 39
    row = next(r for r in after.rows if r.entity.code == "VNM")
    assert row.denounced and row.denunciation == d
    data = services.status_json(after)
    vnm = next(p for p in data["participants"] if p["code"] == "VNM")
    assert vnm["denunciation"] == {"received_on": "2026-06-01", "takes_effect_on": "2027-06-01",
                                   "in_effect": True, "article": "67(1)"}
    with pytest.raises(services.ActionRefused, match="denounced the treaty"):
        services.denounce(depositary, states["VNM"], received_on=date(2026, 7, 1))
    assert Denunciation.objects.count() == 1


def test_before_entry_into_force_a_state_withdraws_rather_than_denounces(treaty, depositary,
                                                                         states):
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 2, 10))
    before = (DepositaryNotification.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.ActionRefused, match="withdraws its instrument"):
        services.denounce(depositary, states["QAT"], received_on=date(2026, 3, 1))
    assert (DepositaryNotification.objects.count(), AuditEvent.objects.count()) == before
    assert not Denunciation.objects.exists()


def test_only_the_depositary_records_denunciations_and_objections(treaty, states, organiser):
    with pytest.raises(PermissionDenied):
        services.denounce(organiser, states["VNM"], received_on=date(2026, 6, 1))


def reservation(depositary, states):
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 2, 10))
    return services.make_statement(depositary, states["QAT"], kind="reservation-11-3",
                                   made_at="deposit", made_on=date(2026, 2, 10),
                                   text="Qatar does not apply article 11(1).")


def test_an_objection_is_recorded_audited_notified_and_shown(treaty, depositary, states):
    statement = reservation(depositary, states)
    o = services.object_to(depositary, statement, states["FRA"], made_on=date(2026, 9, 1),
                           text="France objects to the reservation.",
                           precludes_entry_into_force=True)
    event = AuditEvent.objects.get(action="treaty.objection_recorded")
    assert event.actor == depositary and event.after["statement"] == statement.pk
    cn = DepositaryNotification.objects.get(action="objection")
    assert cn.subject == "FRANCE: OBJECTION TO THE RESERVATION UNDER ARTICLE 11(3) MADE BY QATAR"
    assert "objection to the reservation made by Qatar upon deposit of its instrument on " \
           "10 February 2026" in cn.body
    assert '"France objects to the reservation."' in cn.body and "art. 20(4)(b)" in cn.body
    st = services.status(treaty)
    qat = next(r for r in st.rows if r.entity.code == "QAT")
    assert qat.statements[0].objections_list == [o]
    fra = next(r for r in st.rows if r.entity.code == "FRA")
    assert fra.objections == [o]  # France has not signed, yet objects: a row of its own
    data = services.status_json(st)
    q = next(p for p in data["participants"] if p["code"] == "QAT")
    assert q["statements"][0]["objections"] == [{
        "by": "FRA", "made_on": "2026-09-01", "text": "France objects to the reservation.",
        "precludes_entry_into_force": True, "within_twelve_months": True}]
    # A notification (a central authority) is not objected to; the author does not object.
    central = services.make_statement(depositary, states["QAT"], kind="central-authority-40",
                                      made_at="later", made_on=date(2026, 3, 1), text="MoI")
    with pytest.raises(services.ActionRefused, match="notification"):
        services.object_to(depositary, central, states["FRA"], made_on=date(2026, 9, 1),
                           text="No.")
    with pytest.raises(services.ActionRefused, match="cannot object"):
        services.object_to(depositary, statement, states["QAT"], made_on=date(2026, 9, 1),
                           text="No.")
    assert Objection.objects.count() == 1 and verify_chain() == []


def test_a_late_objection_says_so_in_its_notification(treaty, depositary, states):
    statement = reservation(depositary, states)
    services.object_to(depositary, statement, states["IRL"], made_on=date(2026, 11, 1),
                       text="Ireland objects.")
    assert "twelve months" not in DepositaryNotification.objects.get(action="objection").body
    Objection.objects.all().delete()
    statement.made_on = date(2025, 10, 25)  # pretend it was made more than a year before
    statement.save()
    services.object_to(depositary, statement, states["IRL"], made_on=date(2026, 11, 1),
                       text="Ireland objects.")
    late = DepositaryNotification.objects.filter(action="objection").order_by("-pk").first()
    assert "more than twelve months" in late.body and "art. 20(5)" in late.body


# --- Pages and API ---------------------------------------------------------------------------

def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_depositary_records_both_on_its_pages_and_the_public_sees_them(
        treaty, depositary, states):
    in_force(treaty, states)
    statement = reservation(depositary, states)
    client = as_user(depositary)
    form = client.get("/treaty/depositary/denunciations/new/").content.decode()
    assert "12 months after the depositary receives the notification (art. 67(1))" in form
    refused = client.post("/treaty/depositary/denunciations/new/",
                          {"entity": states["QAT"].pk, "received_on": "2026-03-01"})
    assert refused.status_code == 200 and "withdraws its instrument" in refused.content.decode()
    done = client.post("/treaty/depositary/denunciations/new/",
                       {"entity": states["VNM"].pk, "received_on": "2026-06-01"})
    assert done.status_code == 302
    page = client.get("/treaty/depositary/objections/new/").content.decode()
    assert f'value="{statement.pk}"' in page
    done = client.post("/treaty/depositary/objections/new/", {
        "statement": statement.pk, "entity": states["FRA"].pk, "made_on": "2026-09-01",
        "text": "France objects."})
    assert done.status_code == 302
    public = Client().get("/treaty/").content.decode()
    rows = {code: text_of(row) for code, row in
            re.findall(r'<tr data-code="(\w+)">(.*?)</tr>', public, re.S)}
    assert "Denunciation received on 1 Jun 2026, takes effect on 1 Jun 2027 (art. 67(1))" \
        in rows["VNM"]
    assert "Objection by France, 1 Sep 2026" in rows["QAT"]
    assert "Objected to a statement of Qatar" in rows["FRA"]
    listing = text_of(Client().get("/treaty/notifications/").content.decode())
    assert "VIET NAM: DENUNCIATION" in listing and "FRANCE: OBJECTION TO THE RESERVATION" in \
        listing


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_api_records_and_lists_them(treaty, depositary, states):
    in_force(treaty, states)
    statement = reservation(depositary, states)
    client = as_user(depositary)
    d = post(client, "/api/treaty/denunciations", {"participant": "VNM",
                                                   "received_on": "2026-06-01"})
    assert d.status_code == 201
    assert d.json()["takes_effect_on"] == "2027-06-01" and d.json()["in_effect"] is False
    again = post(client, "/api/treaty/denunciations", {"participant": "VNM",
                                                       "received_on": "2026-06-02"})
    assert again.status_code == 409 and again.json()["field"] == "entity"
    o = post(client, "/api/treaty/objections", {
        "statement": statement.pk, "participant": "FRA", "made_on": "2026-09-01",
        "text": "France objects.", "precludes_entry_into_force": False})
    assert o.status_code == 201 and o.json()["statement_by"] == "QAT"
    assert post(client, "/api/treaty/objections", {
        "statement": 999999, "participant": "FRA", "made_on": "2026-09-01",
        "text": "x"}).status_code == 422
    anonymous = Client()
    assert [x["participant"] for x in anonymous.get("/api/treaty/denunciations").json()] == \
        ["VNM"]
    listed = anonymous.get("/api/treaty/objections").json()
    assert listed[0]["participant"] == "FRA" and listed[0]["within_twelve_months"] is True
    schema = anonymous.get("/api/openapi.json").json()
    names = schema["components"]["schemas"]
    assert {"DenunciationOut", "ObjectionOut", "ObjectionIn", "DenunciationIn"} <= set(names)
    assert "takes_effect_on" in names["DenunciationOut"]["properties"]


def test_a_reio_ceases_to_be_a_party_when_all_its_member_states_have_denounced():
    assert rules.reio_ceases_on(["FRA", "IRL"], {"FRA": date(2028, 1, 1)}) is None
    assert rules.reio_ceases_on(["FRA", "IRL"], {"FRA": date(2028, 1, 1),
                                                 "IRL": date(2028, 3, 1)}) == date(2028, 3, 1)
    assert rules.reio_ceases_on([], {}) is None


def test_the_status_table_applies_art_67_2_to_the_eu(treaty, depositary, states, monkeypatch):
    monkeypatch.setattr(services.treaty_data, "reio_members",
                        lambda: {"EU": frozenset({"FRA", "IRL"})})
    entities = in_force(treaty, states)
    for code in ("FRA", "IRL", "EU"):
        Signature.objects.create(treaty=treaty, entity=states[code],
                                 signed_on=date(2025, 10, 25), place=HANOI,
                                 full_powers_required=False)
        Instrument.objects.create(treaty=treaty, entity=states[code], kind="ratification",
                                  deposited_on=date(2026, 1, 5))
    assert len(entities) == 40
    services.denounce(depositary, states["FRA"], received_on=date(2026, 6, 1))
    services.denounce(depositary, states["IRL"], received_on=date(2026, 8, 1))
    parties = services.status(treaty, today=date(2027, 7, 1)).parties
    after = services.status(treaty, today=date(2027, 8, 1))
    eu = next(r for r in after.rows if r.entity.code == "EU")
    assert eu.reio_ceased_on == date(2027, 8, 1) and eu.denounced
    assert after.parties == parties - 2  # Ireland, and with it the EU
    data = {p["code"]: p for p in services.status_json(after)["participants"]}
    assert data["EU"]["ceased_to_be_party_on"] == "2027-08-01"
    assert data["FRA"]["denunciation"]["in_effect"] is True
