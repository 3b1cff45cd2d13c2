"""Sorting a crawl's records into valid data and rejections, and keeping
the rejections.

A bad record is never silently dropped: it is stored with its reason, once
however often the registry sends it again, for operators to see. A known
product whose record arrives unreadable is *seen* (so it is not withdrawn)
and keeps its last good data; a streak of such crawls raises an alert,
because a record unreadable for a week needs a person.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.ocop.models import Certificate, CertificateStatus
from marketplace.registry.models import RejectedRecord, SyncRun
from marketplace.registry.records import (
    CertificateData,
    RecordRejected,
    raw_digest,
    record_id,
    record_validate,
    storable,
)


@dataclass
class Validated:
    """A crawl's records, sorted."""

    valid: list[CertificateData]
    rejections: list[RejectedRecord]
    # Known certificates whose record arrived unreadable: seen, kept as they were.
    kept_ids: set[int]


def records_validate(run: SyncRun, records: list) -> Validated:
    """Split records into valid data and unsaved rejections, the same way
    whatever the crawl's order.

    A rejected record that names a known certificate (even by an id sent as
    "123") marks it seen: it keeps its last good data. An id sent more than
    once is rejected every time, since which copy is right cannot be told.
    """
    ids = Counter(i for i in (record_id(r) for r in records) if i is not None)
    known = dict(
        Certificate.objects.filter(registry_id__in=list(ids))
        .exclude(status=CertificateStatus.WITHDRAWN)
        .values_list("registry_id", "pk")
    )
    result = Validated(valid=[], rejections=[], kept_ids=set())
    for raw in records:
        registry_id = record_id(raw)
        try:
            if registry_id is not None and ids[registry_id] > 1:
                raise RecordRejected(
                    f"id {registry_id} xuất hiện {ids[registry_id]} lần trong lượt thu thập "
                    "(duplicate id)"
                )
            result.valid.append(record_validate(raw))
        except RecordRejected as exc:
            certificate_pk = known.get(registry_id)
            reason = str(exc)
            if certificate_pk is not None:
                result.kept_ids.add(registry_id)
                reason += (
                    " — bản ghi của sản phẩm đã biết không đọc được; giữ dữ liệu tốt gần nhất "
                    "(record for a known product could not be read; kept the last good data)"
                )
            shown_id = (
                registry_id
                if registry_id is not None
                else (raw.get("id", "") if isinstance(raw, dict) else "")
            )
            result.rejections.append(
                RejectedRecord(
                    sync_run=run,
                    registry_id=str(shown_id)[:64],
                    certificate_id=certificate_pk,
                    raw=storable(raw if isinstance(raw, dict) else {"value": repr(raw)}),
                    reason=storable(reason),
                )
            )
    run.rejected = len(result.rejections)
    run.kept_unreadable = len(result.kept_ids)
    return result


def rejections_store(*, run: SyncRun, rejections: list[RejectedRecord]) -> None:
    """Store each distinct rejected record once: a record the registry sends
    again bumps its count and last sighting instead of adding a row."""
    now = timezone.now()
    distinct: dict[str, RejectedRecord] = {}
    for rejection in rejections:
        rejection.source_kind = run.source_kind
        rejection.digest = raw_digest(rejection.raw)
        distinct[rejection.digest] = rejection
    digests = list(distinct)
    for start in range(0, len(digests), 1000):
        chunk = digests[start : start + 1000]
        existing = {
            r.digest: r
            for r in RejectedRecord.objects.filter(source_kind=run.source_kind, digest__in=chunk)
        }
        for digest, known in existing.items():
            fresh = distinct[digest]
            known.sync_run = run
            known.last_seen_at = now
            known.seen_count += 1
            known.reason = fresh.reason
            known.certificate_id = fresh.certificate_id
        RejectedRecord.objects.bulk_update(
            existing.values(), ["sync_run", "last_seen_at", "seen_count", "reason", "certificate"]
        )
        fresh = [distinct[d] for d in chunk if d not in existing]
        for rejection in fresh:
            rejection.first_run, rejection.created_at, rejection.last_seen_at = run, now, now
        RejectedRecord.objects.bulk_create(fresh)


def unreadable_streaks(run: SyncRun, kept_ids: set[int]) -> str:
    """Count complete crawls in a row that sent a known certificate's record
    unreadable; the streak ends as soon as a good record (or none) comes.
    Returns an alert once a streak reaches REGISTRY_UNREADABLE_ALERT_CRAWLS:
    a record unreadable for a week needs a person, not a silent withdrawal."""
    now = timezone.now()
    Certificate.objects.filter(unreadable_crawls__gt=0).exclude(registry_id__in=kept_ids).update(
        unreadable_crawls=0, unreadable_since=None
    )
    Certificate.objects.filter(registry_id__in=kept_ids).update(
        unreadable_crawls=F("unreadable_crawls") + 1,
        unreadable_since=Coalesce("unreadable_since", now),
    )
    limit = settings.REGISTRY_UNREADABLE_ALERT_CRAWLS
    stuck = list(
        Certificate.objects.filter(unreadable_crawls__gte=limit)
        .order_by("registry_id")
        .values_list("registry_id", flat=True)
    )
    if not stuck:
        return ""
    shown = ", ".join(str(i) for i in stuck[:20]) + (" …" if len(stuck) > 20 else "")
    return (
        f"{len(stuck)} chứng nhận có bản ghi không đọc được từ {limit} lượt liên tiếp trở lên, "
        f"vẫn giữ dữ liệu cũ, cần kiểm tra với hệ thống quốc gia: {shown} "
        f"(unreadable for {limit}+ complete crawls)."
    )


def nothing_imported_reason(rejections: list[RejectedRecord]) -> str:
    """One reason for a list that imported nothing, said once, not per row."""
    reasons = Counter(r.reason.split(": ", 1)[-1] for r in rejections)
    reason, count = reasons.most_common(1)[0]
    return f"Không nhập được dòng nào: {reason} ({count}/{len(rejections)} dòng)."
