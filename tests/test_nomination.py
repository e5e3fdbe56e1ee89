"""Nominating people one by one and by file, under the deadline, quota and head rules."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from convene.audit.models import AuditEvent
from convene.delegations import services
from convene.delegations.models import Member
from tests.accreditation.helpers import vetted_for_approval

GOOD_CSV = (
    "title,given_name,family_name,rank,function,email,is_head\n"
    "H.E. Mr.,Van A,Nguyen,Minister,Minister of Public Security,a@example.org,yes\n"
    "Ms.,Thi B,Tran,vice_minister,Vice-Minister,b@example.org,no\n"
    ",,Le,,Adviser,,\n"
)
BAD_CSV = (
    "title,given_name,family_name,rank,function,email,is_head\n"
    "Mr.,Van A,Nguyen,minister,Minister,a@example.org,yes\n"
    "Ms.,Thi B,,minister,Adviser,not-an-email,no\n"        # line 3: no family name, bad email
    "Mr.,C,Pham,emperor,Adviser,,maybe\n"                  # line 4: unknown rank, bad yes/no
    "Mr.,D,Vo,other,Adviser,,yes\n"                        # line 5: a second head
)


def test_focal_point_nominates_to_own_delegation(focal_vnm, viet_nam):
    member = services.nominate_member(focal_vnm, viet_nam, {"family_name": "Nguyen",
                                                           "rank": "minister"})
    assert member.delegation == viet_nam and member.status == "nominated"
    assert member.nominated_by == focal_vnm
    assert AuditEvent.objects.filter(action="member.nominated", object_id=str(member.pk)).exists()


def test_focal_point_cannot_touch_another_delegation(focal_lao, viet_nam, member):
    with pytest.raises(PermissionDenied):
        services.nominate_member(focal_lao, viet_nam, {"family_name": "Intruder"})
    with pytest.raises(PermissionDenied):
        services.update_member(focal_lao, member, {"family_name": "Changed"})
    with pytest.raises(PermissionDenied):
        services.import_members(focal_lao, viet_nam, "x.csv", GOOD_CSV.encode())
    member.refresh_from_db()
    assert member.family_name == "Nguyen" and viet_nam.members.count() == 1


def test_deadline_binds_focal_points_but_not_the_secretariat(focal_vnm, organiser, viet_nam):
    viet_nam.nomination_deadline = timezone.now() - timedelta(minutes=1)
    viet_nam.save()
    with pytest.raises(services.NominationRefused, match="closed"):
        services.nominate_member(focal_vnm, viet_nam, {"family_name": "Late"})
    services.nominate_member(organiser, viet_nam, {"family_name": "Correction"})
    assert list(viet_nam.members.values_list("family_name", flat=True)) == ["Correction"]


def test_quota_is_enforced_and_refused_people_free_their_place(organiser, focal_vnm, viet_nam):
    viet_nam.quota = 2
    viet_nam.save()
    first = services.nominate_member(focal_vnm, viet_nam, {"family_name": "One"})
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Two"})
    with pytest.raises(services.NominationRefused, match="quota of 2"):
        services.nominate_member(focal_vnm, viet_nam, {"family_name": "Three"})
    services.decide_member(organiser, first, approve=False)
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Three"})


def test_only_one_head_of_delegation(focal_vnm, viet_nam):
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Head", "is_head": True})
    with pytest.raises(services.NominationRefused) as exc:
        services.nominate_member(focal_vnm, viet_nam, {"family_name": "Other", "is_head": True})
    assert exc.value.field == "is_head"


def test_changing_an_approved_member_sends_them_back_for_approval(organiser, focal_vnm, member):
    vetted_for_approval(member)  # approval follows security vetting (accreditation, issue 3)
    services.decide_member(organiser, member, approve=True)
    member.refresh_from_db()
    assert member.status == "approved"
    services.update_member(focal_vnm, member, {"function": "Deputy Minister"})
    member.refresh_from_db()
    assert member.status == "nominated"
    event = AuditEvent.objects.filter(action="member.updated").get()
    assert event.before["function"] == "Minister of Public Security"
    assert event.after["function"] == "Deputy Minister"


def test_focal_point_cannot_approve(focal_vnm, member):
    with pytest.raises(PermissionDenied):
        services.decide_member(focal_vnm, member, approve=True)


def test_good_csv_nominates_everyone(focal_vnm, viet_nam):
    result = services.import_members(focal_vnm, viet_nam, "list.csv", GOOD_CSV.encode())
    assert result.ok and len(result.created) == 3
    head = viet_nam.members.get(is_head=True)
    assert (head.family_name, head.rank) == ("Nguyen", "minister")
    assert viet_nam.members.get(family_name="Le").rank == "other"
    assert AuditEvent.objects.filter(action="member.nominated").count() == 3


def test_bad_csv_reports_every_faulty_row_and_changes_nothing(focal_vnm, viet_nam):
    before = AuditEvent.objects.count()
    result = services.import_members(focal_vnm, viet_nam, "list.csv", BAD_CSV.encode())
    found = {(e.line, e.field) for e in result.errors}
    assert found == {(3, "family_name"), (3, "email"), (4, "rank"), (4, "is_head"),
                     (5, "is_head")}
    assert viet_nam.members.count() == 0 and AuditEvent.objects.count() == before


def test_file_over_quota_changes_nothing(focal_vnm, viet_nam):
    viet_nam.quota = 2
    viet_nam.save()
    result = services.import_members(focal_vnm, viet_nam, "list.csv", GOOD_CSV.encode())
    assert [e.field for e in result.errors] == ["file"] and "quota" in result.errors[0].message
    assert viet_nam.members.count() == 0


def test_file_with_a_head_when_delegation_has_one(focal_vnm, viet_nam):
    services.nominate_member(focal_vnm, viet_nam, {"family_name": "Head", "is_head": True})
    result = services.import_members(focal_vnm, viet_nam, "list.csv", GOOD_CSV.encode())
    assert [(e.line, e.field) for e in result.errors] == [(2, "is_head")]
    assert viet_nam.members.count() == 1


def test_xlsx_file_semicolon_csv_and_unreadable_files(focal_vnm, viet_nam):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in GOOD_CSV.strip().split("\n"):
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.import_members(focal_vnm, viet_nam, "list.xlsx", buffer.getvalue())
    assert result.ok and viet_nam.members.count() == 3
    Member.objects.all().delete()

    semicolons = GOOD_CSV.replace(",", ";").encode("utf-8-sig")
    assert services.import_members(focal_vnm, viet_nam, "list.csv", semicolons).ok

    for name, content, words in [
        ("list.pdf", b"%PDF-1.4 a letter", "or an Excel workbook (.xlsx)"),
        ("list.xlsx", b"PK\x03\x04 cut short", "may be damaged"),
        ("list.csv", "family_name\nNguyễn\n".encode("utf-16"), "UTF-8"),
        ("list.csv", b"name,surname\nA,B\n", "missing: family_name"),
        ("list.csv", b"family_name\n", "no people"),
    ]:
        result = services.import_members(focal_vnm, viet_nam, name, content)
        assert not result.ok and words in result.errors[0].message, name


def test_names_in_every_script_survive_import(focal_vnm, viet_nam):
    csv = "family_name,given_name\nعبد الرحمن,محمد\n王,小明\nИванов,Сергей\nNguyễn,Thị Ánh\n"
    assert services.import_members(focal_vnm, viet_nam, "list.csv", csv.encode()).ok
    assert set(viet_nam.members.values_list("family_name", flat=True)) == {
        "عبد الرحمن", "王", "Иванов", "Nguyễn"}


def test_organiser_adds_a_focal_point_who_gets_a_password_link(organiser, viet_nam, mailoutbox):
    from django.test import Client

    client = Client()
    client.force_login(organiser)
    response = client.post(f"/team/delegations/{viet_nam.pk}/focal-points/new/", {
        "username": "focal.new", "email": "new@mofa.example.org", "first_name": "An"})
    assert response.status_code == 302
    from convene.accounts.models import User

    user = User.objects.get(username="focal.new")
    assert user.focal_point_delegation_ids() == {viet_nam.pk}
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new@mofa.example.org"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="role.assigned").exists()
    duplicate = client.post(f"/team/delegations/{viet_nam.pk}/focal-points/new/", {
        "username": "FOCAL.NEW", "email": "x@example.org"})
    assert "This login name is taken." in duplicate.content.decode()
