"""Protocol services: inscription and swaps by the delegations themselves, the lot, the
seating chart, signatories and full powers checked by the depositary."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from convene.audit.models import AuditEvent
from convene.programme.models import Cue
from convene.protocol import services
from convene.protocol.models import SwapStatus
from tests.conftest import make_delegation, make_entity, make_user
from tests.programme.builders import make_member, pdf_file


@pytest.fixture
def delegates(viet_nam, lao):
    return {"vnm_minister": make_member(viet_nam, "Tran", "minister"),
            "lao_president": make_member(lao, "Phommavong", "head_of_state"),
            "lao_adviser": make_member(lao, "Keo", "other")}


def test_speakers_by_band_then_inscription(organiser, focal_vnm, focal_lao, plenary,
                                           viet_nam, lao, delegates):
    services.inscribe_speaker(focal_vnm, plenary, viet_nam, delegates["vnm_minister"])
    services.inscribe_speaker(focal_lao, plenary, lao, delegates["lao_president"])
    view = services.speakers_view(plenary)
    assert [s.inscription.name for s in view.slots] == [str(lao), str(viet_nam)]
    assert [s.minutes for s in view.slots] == [7, 7]  # E/CN.6/2000/PC/9
    assert view.slots[0].planned_start == plenary.starts_at
    assert (view.slots[1].planned_start - view.slots[0].planned_start).seconds == 7 * 60


def test_focal_points_inscribe_only_their_own_delegation(focal_lao, plenary, viet_nam,
                                                         delegates):
    with pytest.raises(PermissionDenied):
        services.inscribe_speaker(focal_lao, plenary, viet_nam, delegates["vnm_minister"])


def test_inscription_rules(organiser, plenary, opening, viet_nam, lao, delegates):
    services.inscribe_speaker(organiser, plenary, viet_nam, delegates["vnm_minister"])
    with pytest.raises(services.ProtocolRefused):  # once per list
        services.inscribe_speaker(organiser, plenary, viet_nam, delegates["vnm_minister"])
    with pytest.raises(services.ProtocolRefused):  # the speaker must be of the delegation
        services.inscribe_speaker(organiser, plenary, viet_nam, delegates["lao_president"])
    refused = make_member(lao, "Refused", status="refused")
    with pytest.raises(services.ProtocolRefused):
        services.inscribe_speaker(organiser, plenary, lao, refused)
    opening.kind = "signing"
    opening.save()
    with pytest.raises(services.ProtocolRefused):  # a signing ceremony has no speakers list
        services.inscribe_speaker(organiser, opening, lao, delegates["lao_president"])


def test_a_swap_needs_the_other_delegation(organiser, focal_vnm, focal_lao, plenary, viet_nam,
                                           lao, delegates):
    vnm = services.inscribe_speaker(focal_vnm, plenary, viet_nam, delegates["vnm_minister"])
    lao_entry = services.inscribe_speaker(focal_lao, plenary, lao, delegates["lao_adviser"])
    # Same band? No: minister (3) before "other" (5). Viet Nam offers Lao its earlier slot.
    swap = services.propose_swap(focal_vnm, vnm, lao_entry)
    assert swap.status == SwapStatus.PROPOSED
    assert [s.inscription.name for s in services.speakers_view(plenary).slots][0] == str(
        viet_nam)
    with pytest.raises(PermissionDenied):  # Viet Nam cannot agree on Lao's behalf
        services.decide_swap(focal_vnm, swap, True)
    services.decide_swap(focal_lao, swap, True)
    slots = services.speakers_view(plenary).slots
    assert [s.inscription.name for s in slots] == [str(lao), str(viet_nam)]
    assert all(s.swapped for s in slots)
    with pytest.raises(services.ProtocolRefused):
        services.decide_swap(focal_lao, swap, False)  # already decided


def test_the_secretariat_records_a_jointly_notified_swap(organiser, plenary, viet_nam, lao,
                                                         delegates):
    a = services.inscribe_speaker(organiser, plenary, viet_nam, delegates["vnm_minister"])
    b = services.inscribe_speaker(organiser, plenary, lao, delegates["lao_adviser"])
    assert services.propose_swap(organiser, a, b).status == SwapStatus.AGREED
    with pytest.raises(services.ProtocolRefused):
        services.propose_swap(organiser, a, a)


def test_speakers_list_into_the_script(organiser, plenary, viet_nam, lao, delegates):
    services.inscribe_speaker(organiser, plenary, viet_nam, delegates["vnm_minister"], 5)
    entry = services.inscribe_speaker(organiser, plenary, lao, delegates["lao_president"])
    created = services.put_speakers_in_script(organiser, plenary)
    assert [c.duration_seconds for c in created] == [420, 300]
    assert "Phommavong" in created[0].what
    services.withdraw_speaker(organiser, entry)
    services.put_speakers_in_script(organiser, plenary)  # replaces statements not yet run
    assert list(Cue.objects.filter(session=plenary).values_list("position", "duration_seconds")
                ) == [(1, 300)]


def test_the_lot_is_drawn_among_member_states_and_recorded(organiser, event, plenary,
                                                           viet_nam, lao):
    eu = make_entity("EU", "European Union", "reio")
    with pytest.raises(services.ProtocolRefused):
        services.record_draw(organiser, event, eu, "The Secretary-General")
    with pytest.raises(PermissionDenied):
        services.record_draw(make_user("tf", "task_force_lead"), event, lao.entity, "X")
    draw = services.record_draw(organiser, event, lao.entity, "The Secretary-General")
    assert services.current_draw(event) == draw
    assert draw.recorded_by == organiser and draw.drawn_at is not None
    assert AuditEvent.objects.filter(action="protocol.lot_drawn").exists()
    for code in ("AFG", "ZWE", "FRA"):
        make_entity(code, code)
    random_draw = services.draw_by_lot(organiser, event)
    assert random_draw.random and random_draw.entity.kind == "member_state"
    assert services.current_draw(event) == random_draw


def test_seating_chart_from_the_lot_and_the_host(organiser, event, plenary, viet_nam, lao):
    for d in (viet_nam, lao):
        d.status = "confirmed"
        d.save()
    cam = make_delegation(event, "KHM", "Cambodia")
    cam.status = "confirmed"
    cam.save()
    services.record_draw(organiser, event, lao.entity, "The Secretary-General")
    order = [b.seatable.name for b in services.seating_view(plenary).plan.blocks]
    assert order == ["Lao People's Democratic Republic", "Viet Nam", "Cambodia"]
    services.update_settings(organiser, event, {"host_delegation": viet_nam,
                                                "host_seating": "first"})
    plan = services.seating_view(plenary).plan
    assert [b.seatable.name for b in plan.blocks] == [
        "Viet Nam", "Lao People's Democratic Republic", "Cambodia"]
    assert (plan.blocks[0].row, plan.blocks[0].first_seat) == (1, 1)


def test_signature_and_full_powers(organiser, focal_vnm, focal_lao, users_by_role, event,
                                   viet_nam, lao, delegates):
    depositary = users_by_role["depositary"]
    president = services.book_signature(focal_lao, event, lao, delegates["lao_president"])
    minister = services.book_signature(focal_vnm, event, viet_nam, delegates["vnm_minister"])
    view = services.signing_schedule_view(event)
    assert [s.signer.name for s in view.schedule.slots] == [lao.entity.name_en]
    assert [b.signer.id for b in view.schedule.blocked] == [minister.pk]

    fp = services.upload_full_powers(focal_vnm, minister, pdf_file())
    with pytest.raises(PermissionDenied):  # examined by the depositary alone
        services.check_full_powers(organiser, fp, True)
    with pytest.raises(services.ProtocolRefused):  # a rejection says why
        services.check_full_powers(depositary, fp, False)
    assert services.signing_schedule_view(event).schedule.blocked  # uploaded is not enough
    services.check_full_powers(depositary, fp, True)
    schedule = services.signing_schedule(event)  # what the treaty app reads
    assert [(s.entity_code, s.full_powers_needed) for s in schedule] == [("LAO", False),
                                                                          ("VNM", True)]
    assert schedule[1].starts_at == schedule[0].ends_at
    assert schedule[0].delegation_id == president.delegation_id


def test_organisations_other_than_reio_do_not_sign(organiser, event):
    unodc = make_delegation(event, "UNODC", "UNODC", kind="un_system")
    with pytest.raises(services.ProtocolRefused):
        services.book_signature(organiser, event, unodc, make_member(unodc, "Waly"))


def test_full_powers_document_is_not_for_other_delegations(focal_vnm, focal_lao, event,
                                                           viet_nam, delegates):
    signatory = services.book_signature(focal_vnm, event, viet_nam, delegates["vnm_minister"])
    fp = services.upload_full_powers(focal_vnm, signatory, pdf_file())
    url = f"/protocol/full-powers/{fp.pk}/download/"
    mine, theirs = Client(), Client()
    mine.force_login(focal_vnm)
    theirs.force_login(focal_lao)
    assert mine.get(url).status_code == 200
    assert theirs.get(url).status_code == 403


def test_settings_change_the_bands(organiser, event, plenary, viet_nam, lao, delegates):
    services.inscribe_speaker(organiser, plenary, viet_nam, delegates["vnm_minister"])
    services.inscribe_speaker(organiser, plenary, lao, delegates["lao_adviser"])
    assert services.speakers_view(plenary).slots[0].inscription.name == str(viet_nam)
    services.update_settings(organiser, event, {"rank_bands": {"minister": 9}})
    assert services.speakers_view(plenary).slots[0].inscription.name == str(lao)
