"""Background work: issuing a badge batch, then rendering it part by part (several workers
share the parts). Both are idempotent, so a batch whose worker was killed is simply run again
(services.resume_stalled_batches): nothing is issued or counted twice."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from convene.accreditation import badges as badge_pdf
from convene.accreditation import services
from convene.accreditation.models import Badge, BadgeBatch, BatchPart, BatchStatus
from convene.accreditation.services import batch_part_name
from convene.accreditation.storage import private_storage

log = logging.getLogger(__name__)


def badge_data(badge: Badge) -> badge_pdf.BadgeData:
    acc = badge.accreditation
    member = acc.member
    event = member.delegation.event
    photo = None
    if acc.photo:
        with acc.photo.open("rb") as f:
            photo = f.read()
    valid = (f"{badge.valid_from.astimezone():%d %b %Y} – "
             f"{badge.valid_until.astimezone():%d %b %Y}")
    return badge_pdf.BadgeData(
        badge_id=badge.short_id, title=member.title,
        name=badge_pdf.display_name(member.given_name, member.family_name),
        delegation=member.delegation.entity.name_en, category=acc.category.name,
        category_number=acc.category.number, colour=acc.category.colour,
        zone_codes=badge.zone_codes.split(), token=badge.token, event=event.name,
        valid=valid, photo=photo)


def part_badges(batch_id: int, part: int):
    return list(Badge.objects.filter(batch_id=batch_id, part=part).select_related(
        "accreditation__member__delegation__entity", "accreditation__member__delegation__event",
        "accreditation__category").order_by("accreditation__member__delegation__entity__name_en",
                                            "-accreditation__member__is_head",
                                            "accreditation__member__family_name", "pk"))


@task()
def issue_badges(batch_id: int) -> int:
    """Sign and record every pending badge of a batch, a committed chunk at a time."""
    try:
        return services.issue_batch(batch_id)
    except Exception as exc:
        log.exception("badge batch %s: issuing failed", batch_id)
        BadgeBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=f"issuing: {type(exc).__name__}")
        raise


@task()
def render_badge_part(batch_id: int, part: int) -> int:
    """Render one part of a batch to its PDF file and move the progress bar on. A part
    already rendered (a task queued again after a restart) is left alone."""
    row, _ = BatchPart.objects.get_or_create(batch_id=batch_id, number=part)
    if row.rendered_at is not None:
        return 0
    BadgeBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING)
    BadgeBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now())
    try:
        rows = part_badges(batch_id, part)
        storage = private_storage()
        name = batch_part_name(batch_id, part)
        if rows:
            pdf = badge_pdf.render_pdf([badge_data(b) for b in rows])
            if storage.exists(name):  # a retried part replaces its earlier file
                storage.delete(name)
            storage.save(name, ContentFile(pdf))
    except Exception as exc:
        log.exception("badge batch %s part %s failed", batch_id, part)
        BadgeBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=f"part {part + 1}: {type(exc).__name__}")
        raise
    with transaction.atomic():
        # Counted once: only the run that marks the part rendered moves the counters.
        if not BatchPart.objects.filter(pk=row.pk, rendered_at__isnull=True).update(
                rendered_at=timezone.now()):
            return 0
        BadgeBatch.objects.filter(pk=batch_id).update(
            done=F("done") + len(rows), parts_done=F("parts_done") + 1,
            heartbeat_at=timezone.now())
        BadgeBatch.objects.filter(pk=batch_id, parts_done__gte=F("parts")).exclude(
            status=BatchStatus.FAILED).update(status=BatchStatus.DONE)
    return len(rows)
