"""The depositary's actions: one transaction each, permission checked, audited, notified."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.treaty import services
from convene.treaty.demo import load_demo
from convene.treaty.models import (
    DepositaryNotification,
    Instrument,
    Signature,
    SignatureSource,
    Statement,
)
from tests.conftest import make_entity, make_user
from tests.treaty.conftest import HANOI, NEW_YORK


def sign(user, entity, on=date(2025, 10, 25), place=HANOI, **kw):
    kw.setdefault("signatory_name", "H.E. Signatory")
    kw.setdefault("capacity", "head_of_state")
    return services.record_signature(user, entity, signed_on=on, place=place, **kw)


def fast_signatures(treaty, n, prefix="S"):
    """n States that signed in Hanoi (straight into the table: the rules are tested elsewhere)."""
    entities = [make_entity(f"{prefix}{i:02}", f"State {prefix}{i:02}") for i in range(n)]
    Signature.objects.bulk_create(Signature(treaty=treaty, entity=e, signed_on=date(2025, 10, 25),
                                            place=HANOI, full_powers_required=False)
                                  for e in entities)
    return entities


def test_a_signature_is_recorded_audited_and_notified(treaty, depositary, states):
    year = timezone.localdate().year
    signature = sign(depositary, states["VNM"], capacity="head_of_state",
                     signatory_function="President", source=SignatureSource.CEREMONY,
                     schedule_ref="programme.slot:7")
    assert (signature.place, signature.full_powers_required) == (HANOI, False)
    assert signature.recorded_by == depositary and signature.source == "ceremony"
    event = AuditEvent.objects.get(action="treaty.signature_recorded")
    assert event.actor == depositary and event.after["schedule_ref"] == "programme.slot:7"
    cn = DepositaryNotification.objects.get(action="signature")
    assert cn.reference == f"C.N.1.{year}.TREATIES-XVIII.16"
    assert cn.subject == "VIET NAM: SIGNATURE"
    assert "effected on 25 October 2025 at Hanoi" in cn.body
    assert cn.body.startswith("The Secretary-General of the United Nations, acting in the "
                              "capacity of depositary")
    sign(depositary, states["LAO"], on=date(2025, 10, 26))
    assert DepositaryNotification.objects.filter(year=year).order_by("number").last(
    ).reference == f"C.N.2.{year}.TREATIES-XVIII.16"
    assert verify_chain() == []


def test_only_the_depositary_records(treaty, states, organiser):
    for user in (organiser, make_user("watcher")):
        with pytest.raises(PermissionDenied):
            sign(user, states["VNM"])
        with pytest.raises(PermissionDenied):
            services.deposit_instrument(user, states["QAT"], kind="accession",
                                        deposited_on=date(2026, 2, 10))
    assert not Signature.objects.exists() and not Instrument.objects.exists()


def test_a_refused_action_leaves_no_trace(treaty, depositary, states):
    notifications, events = DepositaryNotification.objects.count(), AuditEvent.objects.count()
    with pytest.raises(services.ActionRefused) as exc:
        sign(depositary, states["FRA"], capacity="other", signatory_name="Ms. Envoy",
             full_powers_checked=False)
    assert exc.value.field == "full_powers_checked"
    with pytest.raises(services.ActionRefused, match="not yet open"):
        sign(depositary, states["FRA"], on=date(2025, 9, 1))
    with pytest.raises(services.ActionRefused, match="name of the signatory"):
        sign(depositary, states["FRA"], signatory_name="  ")
    assert not Signature.objects.exists()
    assert DepositaryNotification.objects.count() == notifications
    assert AuditEvent.objects.count() == events


def test_the_eu_signs_after_one_of_its_member_states(treaty, depositary, states):
    with pytest.raises(services.ActionRefused, match="art. 64\\(2\\)"):
        sign(depositary, states["EU"], capacity="other", full_powers_checked=True)
    sign(depositary, states["FRA"])
    eu = sign(depositary, states["EU"], capacity="other", full_powers_checked=True)
    assert eu.full_powers_required  # a REIO's representative always shows full powers


def test_instruments_and_the_entry_into_force_notifications(treaty, depositary, states):
    others = fast_signatures(treaty, 39)
    for i, entity in enumerate(others[:38]):
        Instrument.objects.create(treaty=treaty, entity=entity, kind="ratification",
                                  deposited_on=date(2026, 1, 5 + i % 20))
    sign(depositary, states["VNM"])
    services.deposit_instrument(depositary, states["VNM"], kind="ratification",
                                deposited_on=date(2026, 3, 2))
    assert "enter into force" not in DepositaryNotification.objects.get(
        action="instrument", entity=states["VNM"]).body  # 39: not yet determined
    # Qatar has not signed: it cannot ratify, it accedes — and its accession is the fortieth.
    with pytest.raises(services.ActionRefused, match="accession"):
        services.deposit_instrument(depositary, states["QAT"], kind="ratification",
                                    deposited_on=date(2026, 10, 3))
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 10, 3))
    cn = DepositaryNotification.objects.get(action="instrument", entity=states["QAT"])
    assert cn.subject == "QATAR: ACCESSION"
    assert "will enter into force on 1 January 2027 in accordance with its article 65(1)" in \
        cn.body
    assert "fortieth instrument" in cn.body  # the article is quoted
    # A later depositor: thirty days after its own deposit (art. 65(2)).
    services.deposit_instrument(depositary, others[38], kind="acceptance",
                                deposited_on=date(2026, 11, 20))
    late = DepositaryNotification.objects.get(action="instrument", entity=others[38])
    assert "for State S38 on 1 January 2027" in late.body and "article 65(2)" in late.body
    st = services.status(treaty)
    assert st.entry_into_force.date == date(2027, 1, 1)
    assert {r.entity.code: r.in_force_on for r in st.rows}["QAT"] == date(2027, 1, 1)


def test_withdrawing_an_instrument_before_entry_into_force(treaty, depositary, states):
    sign(depositary, states["VNM"])
    instrument = services.deposit_instrument(depositary, states["VNM"], kind="ratification",
                                             deposited_on=date(2026, 3, 2))
    with pytest.raises(services.ActionRefused, match="cannot be withdrawn before"):
        services.withdraw_instrument(depositary, instrument, withdrawn_on=date(2026, 3, 1))
    services.withdraw_instrument(depositary, instrument, withdrawn_on=date(2026, 4, 1))
    st = services.status(treaty)
    assert (st.parties, st.entry_into_force.counted) == (0, 0)
    assert st.rows[0].withdrawn == [instrument]
    assert DepositaryNotification.objects.filter(action="instrument_withdrawal").count() == 1
    # Withdrawn, Viet Nam may deposit again (one instrument in effect per State).
    services.deposit_instrument(depositary, states["VNM"], kind="ratification",
                                deposited_on=date(2026, 5, 4))
    assert services.status(treaty).parties == 1


def test_statements_and_their_withdrawal(treaty, depositary, states):
    sign(depositary, states["VNM"])
    services.deposit_instrument(depositary, states["VNM"], kind="ratification",
                                deposited_on=date(2026, 3, 2))
    reservation = services.make_statement(
        depositary, states["VNM"], kind="reservation-11-3", made_at="deposit",
        made_on=date(2026, 3, 2), text="Viet Nam will not apply article 11(1).")
    cn = DepositaryNotification.objects.get(action="statement")
    assert cn.subject == "VIET NAM: RESERVATION UNDER ARTICLE 11(3)"
    assert "upon deposit of its instrument" in cn.body and "article 11(1)" in cn.body
    with pytest.raises(services.ActionRefused, match="VCLT art. 19"):
        services.make_statement(depositary, states["VNM"], kind="reservation-11-3",
                                made_at="later", made_on=date(2026, 5, 1), text="Another.")
    services.withdraw_statement(depositary, reservation, withdrawn_on=date(2026, 9, 1))
    assert Statement.objects.get().withdrawn_on == date(2026, 9, 1)
    with pytest.raises(services.ActionRefused, match="withdrawn on 1 September 2026"):
        services.withdraw_statement(depositary, reservation, withdrawn_on=date(2026, 9, 2))
    cn = DepositaryNotification.objects.get(action="statement_withdrawal")
    assert cn.subject == "VIET NAM: WITHDRAWAL OF RESERVATION UNDER ARTICLE 11(3)"


def test_status_counts_and_marks(treaty, depositary, states):
    for code in ("VNM", "FRA", "IRL"):
        sign(depositary, states[code])
    sign(depositary, states["EU"], capacity="other", full_powers_checked=True)
    services.deposit_instrument(depositary, states["FRA"], kind="approval",
                                deposited_on=date(2026, 9, 30))
    services.deposit_instrument(depositary, states["EU"], kind="approval",
                                deposited_on=date(2026, 10, 5))
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 2, 10))
    st = services.status(treaty)
    assert (st.signatories, st.parties) == (4, 3)
    assert (st.entry_into_force.counted, st.entry_into_force.still_needed) == (2, 38)  # no EU
    marks = {r.entity.code: r.mark for r in st.rows if r.instrument}
    assert marks == {"FRA": "AA", "EU": "AA", "QAT": "a"}
    assert [r.entity.code for r in st.rows] == ["EU", "FRA", "IRL", "QAT", "VNM"]
    assert not st.has_demo


# --- Import of a status table ---------------------------------------------------------------

HEADER = "code,participant,signature,signature_place,signatory,capacity,instrument,kind\n"


def test_a_status_table_is_imported_whole(treaty, depositary, states):
    content = (HEADER
               + "VNM,Viet Nam,25 Oct 2025,,,,2026-06-18,\n"
               + ",France,2025-10-25,Hanoi,,,30 Sep 2026 AA,\n"
               + "EU,,2025-10-25,,,,2026-10-05,approval\n"  # after France, the same day
               + "QAT,,,,,,10 Feb 2026 a,\n").encode()
    result = services.import_status_table(depositary, content)
    assert result.ok, result.errors
    assert (result.signatures, result.instruments) == (3, 4)
    assert set(Instrument.objects.values_list("entity__code", "kind")) == {
        ("VNM", "ratification"), ("FRA", "approval"), ("EU", "approval"), ("QAT", "accession")}
    assert Signature.objects.filter(source="import").count() == 3
    assert not DepositaryNotification.objects.filter(action__in=["signature", "instrument"])
    assert AuditEvent.objects.filter(action="treaty.signature_recorded").count() == 3
    # The same file again: everything is already recorded, nothing changes.
    again = services.import_status_table(depositary, content)
    assert again.ok and (again.signatures, again.instruments, again.unchanged) == (0, 0, 4)


def test_a_status_table_with_any_faulty_row_changes_nothing(treaty, depositary, states):
    sign(depositary, states["IRL"], on=date(2025, 10, 26))
    make_entity("KHM", "Cambodia")
    content = (HEADER
               + "VNM,Viet Nam,2025-10-25,,,,,\n"                  # 2: fine
               + "XYZ,,2025-10-25,,,,,\n"                          # 3: unknown participant
               + "QAT,,,,,,2026-02-10,\n"                          # 4: ratifies unsigned
               + "FRA,,2025-10-27,Hanoi,,,,\n"                     # 5: Hanoi was over
               + "LAO,,2025-10-31,,,emperor,2026-01-01,\n"         # 6: bad capacity
               + "IRL,,2025-10-25,,,,,\n"                          # 7: signed the 26th
               + "VNM,,,,,,2026-03-01,\n"                          # 8: twice in the file
               + "UNODC,,2025-10-25,,,,,\n"                        # 9: not a State
               + "EU,,2025-10-25,,,,,\n"                           # 10: before any member
               + "KHM,Cambodia,31/12/2025,,,,,\n"                  # 11: unreadable date
               + "LAO,France,,,,,2026-01-01,a\n").encode()         # 12: name is not LAO
    result = services.import_status_table(depositary, content)
    found = [(e.line, e.field) for e in result.errors]
    assert found == [(3, "code"), (4, "kind"), (5, "signature_place"), (6, "capacity"),
                     (7, "code"), (8, "code"), (9, "code"), (10, "code"), (11, "signature"),
                     (12, "participant"), (12, "code")]
    messages = {(e.line, e.field): e.message for e in result.errors}
    assert "accession" in messages[4, "kind"]
    assert "United Nations Headquarters" in messages[5, "signature_place"]
    assert "26 October 2025" in messages[7, "code"] and "line 2" in messages[8, "code"]
    assert "neither" in messages[9, "code"]
    assert "art. 64(2)" in messages[10, "code"]  # no member State had signed by then
    assert "25 Oct 2025" in messages[11, "signature"]
    assert Signature.objects.count() == 1 and not Instrument.objects.exists()


def test_an_unreadable_file_is_one_error(treaty, depositary):
    result = services.import_status_table(depositary, b"name,date\nViet Nam,2025\n")
    assert [(e.line, e.field) for e in result.errors] == [(0, "file")]
    assert "code" in result.errors[0].message


def test_export_then_import_into_an_empty_record_gives_the_same_table(treaty, depositary,
                                                                       states):
    sign(depositary, states["FRA"], signatory_name="Mr. Minister", capacity="foreign_minister")
    sign(depositary, states["EU"], capacity="other", full_powers_checked=True)
    services.deposit_instrument(depositary, states["FRA"], kind="approval",
                                deposited_on=date(2026, 9, 30))
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 2, 10))
    exported = services.status_csv(services.status(treaty))
    before = services.status_json(services.status(treaty))["participants"]
    Instrument.objects.all().delete()
    Signature.objects.all().delete()
    result = services.import_status_table(depositary, exported)
    assert result.ok, result.errors
    after = services.status_json(services.status(treaty))["participants"]
    assert after == before


# --- Ceremony and demo ----------------------------------------------------------------------

def test_ceremony_rows_offer_each_state_delegation_with_its_head(treaty, event, viet_nam, lao,
                                                                  member):
    from tests.conftest import make_delegation

    make_delegation(event, "UNODC", "UNODC", kind="un_system")  # not a possible party
    member.is_head = True
    member.save()
    rows = {r.entity.code: r for r in services.ceremony_rows(event, treaty)}
    assert set(rows) == {"VNM", "LAO"}
    assert rows["VNM"].head == member and rows["VNM"].capacity == "other"  # a minister
    assert rows["VNM"].full_powers_required and rows["LAO"].head is None
    assert services.ceremony_period(event, treaty).place == HANOI


def test_demo_loads_once_marked_as_demo(db):
    from convene.directory.services import load_reference_data

    load_reference_data()
    load_demo(None)
    counts = (Signature.objects.count(), Instrument.objects.count(), Statement.objects.count(),
              DepositaryNotification.objects.count(), AuditEvent.objects.count())
    assert counts[:3] == (35, 5, 6)
    assert not Signature.objects.filter(is_demo=False).exists()
    assert not DepositaryNotification.objects.filter(is_demo=False).exclude(number=196,
                                                                             year=2025)
    load_demo(None)
    assert (Signature.objects.count(), Instrument.objects.count(), Statement.objects.count(),
            DepositaryNotification.objects.count(), AuditEvent.objects.count()) == counts
    st = services.status(services.current_treaty())
    assert st.has_demo and (st.signatories, st.parties) == (35, 5)
    assert st.entry_into_force.still_needed == 36  # the EU's approval is not counted
    # Notification numbers follow the dates of the actions, year by year.
    for year in (2025, 2026):
        issued = list(DepositaryNotification.objects.filter(year=year).order_by("number")
                      .values_list("issued_on", flat=True))
        assert issued == sorted(issued)
    assert verify_chain() == []


def test_new_york_signature_through_the_service(treaty, depositary, states):
    s = sign(depositary, states["LAO"], on=date(2026, 3, 10), place="New York")
    assert s.place == NEW_YORK


def test_ceremony_rows_follow_the_protocol_signing_schedule(treaty, event, viet_nam, lao,
                                                            focal_lao):
    """Issue 4 × issue 5: the depositary records ceremony signatures in the signing order."""
    from convene.delegations.models import Member
    from convene.protocol import services as protocol

    vnm_head = Member.objects.create(delegation=viet_nam, family_name="Head",
                                     rank="head_of_state", is_head=True)
    lao_president = Member.objects.create(delegation=lao, family_name="President",
                                          rank="head_of_state", is_head=True)
    protocol.book_signature(focal_lao, event, lao, lao_president)
    rows = services.ceremony_rows(event, treaty)
    # Scheduled first (Lao, although Viet Nam comes first alphabetically), then the others.
    assert [r.entity.code for r in rows] == ["LAO", "VNM"]
    assert rows[0].slot.number == 1 and rows[0].head == lao_president
    assert rows[1].slot is None and rows[1].head == vnm_head
