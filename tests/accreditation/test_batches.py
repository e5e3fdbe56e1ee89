"""Badge batches in the task queue: issued chunk by chunk by a worker, with a progress bar,
idempotent when run again (a restarted worker), resumed when their worker died."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convene.accreditation import services
from convene.accreditation.models import (
    Accreditation,
    Badge,
    BadgeBatch,
    BatchItem,
    BatchPart,
    ItemState,
)
from convene.accreditation.tasks import render_badge_part
from convene.accreditation.workflow import Stage
from convene.audit.models import AuditEvent
from convene.delegations.models import Member


@pytest.fixture
def crowd(defaults, event, viet_nam):
    """Sixty approved people: more than the request issues by itself."""
    members = Member.objects.bulk_create(
        [Member(delegation=viet_nam, given_name="Delegate", family_name=f"N{i:03d}")
         for i in range(60)])
    category = services.default_category(members[0])
    Accreditation.objects.bulk_create([Accreditation(member=m, category=category,
                                                     stage=Stage.APPROVED) for m in members])
    return members


def test_a_large_batch_is_issued_by_the_task_queue_not_the_request(
        crowd, organiser, event, settings, django_capture_on_commit_callbacks):
    settings.BADGE_ISSUE_CHUNK = 25
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = services.create_batch(organiser, event, "all_approved")
    # The request has recorded the work list, and issued nothing yet.
    assert (batch.status, batch.total, batch.issued) == ("issuing", 60, 0)
    assert BatchItem.objects.filter(batch=batch, state=ItemState.PENDING).count() == 60
    assert not Badge.objects.exists() and len(queued) == 1

    client = Client()
    client.force_login(organiser)
    row = client.get(f"/accreditation/badges/{batch.pk}/").content.decode()
    assert 'data-status="issuing"' in row and "0 of 60 issued" in row and "hx-trigger" in row

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the worker: issue_badges, then the parts it queues
    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.done, batch.parts_done) == ("done", 60, 60, 1)
    assert Badge.objects.count() == 60 == AuditEvent.objects.filter(action="badge.issued").count()
    row = client.get(f"/accreditation/badges/{batch.pk}/").content.decode()
    assert 'data-status="done"' in row and "hx-trigger" not in row and "Part 1" in row


def test_running_a_batch_again_issues_and_counts_nothing_twice(
        crowd, organiser, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.create_batch(organiser, event, "all_approved")
    # A restarted worker runs the same tasks again.
    assert services.issue_batch(batch.pk) == 0
    assert render_badge_part.call(batch.pk, 0) == 0
    batch.refresh_from_db()
    assert (batch.issued, batch.done, batch.parts_done, batch.status) == (60, 60, 1, "done")
    assert Badge.objects.count() == 60
    assert BatchPart.objects.get(batch=batch).rendered_at is not None


def test_someone_revoked_while_the_batch_waits_is_skipped(
        crowd, organiser, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        batch = services.create_batch(organiser, event, "all_approved")
    Accreditation.objects.filter(member=crowd[0]).update(stage=Stage.REVOKED)
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
    batch.refresh_from_db()
    assert (batch.issued, batch.skipped, batch.status) == (59, 1, "done")
    assert not Badge.objects.filter(accreditation__member=crowd[0]).exists()
    assert BatchItem.objects.get(batch=batch, accreditation__member=crowd[0]).state == "skipped"


def test_a_stalled_batch_is_resumed_by_the_page_watching_it(
        crowd, organiser, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.create_batch(organiser, event, "all_approved")  # its worker dies
    client = Client()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/accreditation/badges/{batch.pk}/")  # fresh: left to its worker
    assert BadgeBatch.objects.get(pk=batch.pk).issued == 0
    BadgeBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/accreditation/badges/{batch.pk}/")
    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.done) == ("done", 60, 60)
    assert Badge.objects.count() == 60
