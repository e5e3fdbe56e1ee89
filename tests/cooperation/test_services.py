"""A case officer's actions on one node: drafts, the refusal of an incomplete request, what
each officer sees, the audit of every read, statistics with no case content."""

import pytest
from django.core.exceptions import PermissionDenied

from convene.audit.models import AuditEvent
from convene.cooperation import services
from convene.cooperation.models import Case, Message

pytestmark = pytest.mark.django_db

COMPLETE = {"requesting_authority": "A police", "facts_summary": "Intrusion.",
            "data_description": "Logs of account x.", "necessity": "Logs rotate.",
            "intends_mla": True}


def test_an_incomplete_request_is_refused_and_says_what_is_missing(joined, case_officer):
    case = services.save_draft(case_officer, {"kind": "preservation", "requested_state": "BBB",
                                              "language": "fr", "offence": "art7",
                                              "elements": {"facts_summary": "Intrusion."}})
    with pytest.raises(services.Incomplete) as exc:
        services.send_request(case_officer, case)
    fields = {m.field: m.cite for m in exc.value.missing}
    assert fields["language"] == "40(14)"  # State B accepts only English
    assert fields["requesting_authority"] == "40(15)(a)" and fields["intends_mla"] == "42(2)"
    case.refresh_from_db()
    assert case.status == "draft" and not Message.objects.exists()


def test_a_complete_request_is_sealed_for_the_directorys_node(joined, case_officer):
    case = services.save_draft(case_officer, {"kind": "preservation", "requested_state": "BBB",
                                              "language": "en", "offence": "art7",
                                              "elements": COMPLETE})
    message = services.send_request(case_officer, case)
    case.refresh_from_db()
    assert case.status == "sent" and case.peer_node_id == "node-b"
    assert message.status == "queued" and message.jwe.count(".") == 4
    assert message.body["body"]["case"]["elements"]["intends_mla"] is True


def test_duty_officers_see_urgent_cases_only_and_every_read_is_audited(joined, case_officer,
                                                                       duty_officer):
    plain = Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                                requested_state="AAA", status="sent")
    urgent = Case.objects.create(side="requested", kind="24_7", requesting_state="BBB",
                                 requested_state="AAA", status="sent", urgent=True)
    assert set(services.visible_cases(case_officer)) == {plain, urgent}
    assert list(services.visible_cases(duty_officer)) == [urgent]
    services.read_case(duty_officer, urgent)
    with pytest.raises(PermissionDenied):
        services.read_case(duty_officer, plain)
    assert AuditEvent.objects.filter(action="cooperation.case_read",
                                     actor_name="duty.officer").count() == 1


def test_statistics_hold_counts_and_times_but_no_case_content(joined, case_officer):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                        requested_state="AAA", status="executed", sent_at=now - timedelta(
                            days=10), acknowledged_at=now - timedelta(days=9), closed_at=now,
                        elements={"facts_summary": "SECRET FACTS"})
    Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                        requested_state="AAA", status="refused", sent_at=now,
                        refusal_ground="essential_interests", refusal_reasons="SECRET")
    [row] = services.statistics()
    assert row["requests"] == 2 and row["exec_days_median"] == 10.0
    assert row["ack_hours_median"] == 24.0 and row["refusals"] == {"essential_interests": 1}
    assert "SECRET" not in repr(row)


def test_refusal_waits_for_consultation_and_names_a_listed_ground(joined, case_officer):
    case = Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                               requested_state="AAA", status="acknowledged",
                               peer_node_id="node-b")
    with pytest.raises(services.Incomplete) as exc:
        services.act(case_officer, case, services.Action("refuse", text="No.",
                                                         ground="bank_secrecy"))
    assert {m.field for m in exc.value.missing} == {"ground", "consultation"}
    services.act(case_officer, case, services.Action("consult", text="Could you narrow it?"))
    case.refresh_from_db()
    assert case.consulted and case.status == "acknowledged"
    services.act(case_officer, case, services.Action("refuse", text="Essential interests.",
                                                     ground="essential_interests"))
    case.refresh_from_db()
    assert case.status == "refused" and case.refusal_ground == "essential_interests"
    assert list(Message.objects.filter(case=case).values_list("type", flat=True)) == [
        "consult", "refuse"]


def test_onward_transfer_is_asked_of_the_sender_and_decided_by_it(joined, case_officer):
    from convene.cooperation.models import OnwardTransfer

    received = Case.objects.create(side="requested", kind="spontaneous",
                                   requesting_state="BBB", requested_state="AAA",
                                   status="acknowledged", peer_node_id="node-b",
                                   personal_data_conditions="Use for case 12 only.")
    services.act(case_officer, received, services.Action(
        "transfer_request", text="Share with State C's prosecutor.", ground="State C"))
    [msg] = Message.objects.filter(case=received, type="transfer_request")
    assert msg.body["body"]["recipient"] == "State C"
    sent = Case.objects.create(side="requesting", kind="spontaneous", requesting_state="AAA",
                               requested_state="BBB", status="acknowledged",
                               peer_node_id="node-b")
    t = OnwardTransfer.objects.create(case=sent, recipient="State C", purpose="x")
    services.decide_transfer(case_officer, t, grant=True)
    t.refresh_from_db()
    assert t.status == "granted"
    assert Message.objects.filter(case=sent, type="transfer_decision").count() == 1


def test_an_unacknowledged_urgent_request_escalates_to_who_is_on_call(joined, mailoutbox):
    from django.utils import timezone

    from convene.cooperation.models import OnCallEntry
    from convene.cooperation.tasks import check_acknowledgement

    OnCallEntry.objects.create(name="Prosecutor on call", email="oncall@example.org")
    OnCallEntry.objects.create(name="Off duty", email="off@example.org", active=False)
    case = Case.objects.create(side="requesting", kind="24_7", requesting_state="AAA",
                               requested_state="BBB", status="sent", urgent=True,
                               sent_at=timezone.now(), peer_node_id="node-b")
    assert check_acknowledgement.call(case.pk) is True
    assert [m.to for m in mailoutbox] == [["oncall@example.org"]]
    assert check_acknowledgement.call(case.pk) is False  # once
    acked = Case.objects.create(side="requesting", kind="24_7", requesting_state="AAA",
                                requested_state="BBB", status="acknowledged", urgent=True,
                                sent_at=timezone.now(), peer_node_id="node-b")
    assert check_acknowledgement.call(acked.pk) is False
    assert len(mailoutbox) == 1


def test_the_statistics_export_is_a_csv_of_counts(joined, case_officer):
    from django.test import Client

    Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                        requested_state="AAA", status="sent", elements={"facts_summary": "S3"})
    client = Client()
    client.force_login(case_officer)
    response = client.get("/cooperation/statistics/export.csv")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and text.startswith("requesting_state,requested_state")
    assert "BBB,AAA,1,1" in text and "S3" not in text


def test_the_case_page_offers_only_what_this_side_may_send_and_audits_the_read(joined,
                                                                              case_officer):
    from django.test import Client

    case = Case.objects.create(side="requested", kind="mla", requesting_state="BBB",
                               requested_state="AAA", status="sent", peer_node_id="node-b")
    client = Client()
    client.force_login(case_officer)
    html = client.get(f"/cooperation/cases/{case.pk}/").content.decode()
    assert 'value="acknowledge"' in html and 'value="withdraw"' not in html
    assert AuditEvent.objects.filter(action="cooperation.case_read",
                                     object_id=str(case.pk)).count() == 1


def test_what_a_duty_officer_drafts_is_urgent_so_they_can_send_and_follow_it(joined,
                                                                            duty_officer):
    case = services.save_draft(duty_officer, {"kind": "preservation", "requested_state": "BBB",
                                              "language": "en", "offence": "art7",
                                              "elements": COMPLETE})
    assert case.urgent
    services.send_request(duty_officer, case)
    assert list(services.visible_cases(duty_officer)) == [case]
