"""Writes that come from the registry: the certificate sync.

`certificate_sync` crawls a source to the end before it changes anything,
so a crawl that fails part-way changes nothing. It then validates each
record on its own (rejecting bad ones with a reason), upserts producers,
certificates and their catalogue products in batches inside one
transaction, and withdraws absent certificates only after a complete crawl
that did not shrink suspiciously.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.core.utils import slugify as oscar_slugify

from marketplace.registry.client import RegistrySource, RegistryUnavailable
from marketplace.registry.models import (
    Certificate,
    CertificateChange,
    CertificateStatus,
    Producer,
    ProductType,
    RejectedRecord,
    Sector,
    SyncRun,
    SyncStatus,
)
from marketplace.registry.records import (
    CertificateData,
    ProducerData,
    RecordRejected,
    record_validate,
)
from search.tasks import reindex_on_commit
from search.text import product_search_text, search_text_refresh

logger = logging.getLogger(__name__)

SHRINK_GUARD_RATIO = 0.9
BATCH_SIZE = 500
TRACKED_FIELDS = (
    "name",
    "number",
    "stars",
    "is_potential_five_star",
    "is_national",
    "issued_on",
    "expiry_date",
    "product_type",
    "sector",
)


@dataclass
class _Crawl:
    records: list = field(default_factory=list)
    expected: int | None = None
    error: str = ""

    @property
    def complete(self) -> bool:
        return not self.error and self.expected is not None and len(self.records) >= self.expected


Progress = Callable[[int, int | None], None]


def _crawl(client: RegistrySource, progress: Progress | None) -> _Crawl:
    crawl = _Crawl()
    try:
        for page in client.iter_pages():
            if crawl.expected is None:
                crawl.expected = page.count
            crawl.records.extend(page.results)
            if progress:
                progress(len(crawl.records), crawl.expected)
    except RegistryUnavailable as exc:
        crawl.error = str(exc)
    return crawl


def _last_good_count() -> int | None:
    run = (
        SyncRun.objects.filter(status=SyncStatus.SUCCEEDED, complete_crawl=True, dry_run=False)
        .order_by("-started_at")
        .first()
    )
    return run.seen if run else None


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _CatalogueWriter:
    """Creates and renames the Oscar products that sell certificates.

    The product class, category and title are registry-owned; price and
    stock are the producer's, so a new product starts without a price and
    is not listable until its producer sets one.
    """

    def __init__(self) -> None:
        self.Product = get_model("catalogue", "Product")
        self.ProductClass = get_model("catalogue", "ProductClass")
        self.Category = get_model("catalogue", "Category")
        self.ProductCategory = get_model("catalogue", "ProductCategory")
        self.StockRecord = get_model("partner", "StockRecord")
        self._classes: dict[bool, object] = {}
        self._categories: dict[str, object] = {}

    def product_class(self, is_service: bool):
        if is_service not in self._classes:
            slug, name = (
                ("dich-vu-du-lich-ocop", "Dịch vụ du lịch OCOP")
                if is_service
                else ("san-pham-ocop", "Sản phẩm OCOP")
            )
            self._classes[is_service], _ = self.ProductClass.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "requires_shipping": not is_service, "track_stock": True},
            )
        return self._classes[is_service]

    def category(self, sector: str):
        if sector not in self._categories:
            name = str(Sector(sector).label)
            existing = self.Category.objects.filter(name=name, depth=1).first()
            self._categories[sector] = existing or self.Category.add_root(
                name=name, slug=oscar_slugify(name)
            )
        return self._categories[sector]

    def create_for(self, pairs: list[tuple[Certificate, CertificateData]]) -> None:
        """Bulk-create one product, stock record and category link per new
        certificate (bulk, because a first sync creates thousands)."""
        products = [
            self.Product(
                title=data.name,
                slug=oscar_slugify(data.name)[:128] or f"ocop-{data.registry_id}",
                description=data.description,
                story=data.story,
                search_text=product_search_text(
                    title=data.name, producer=data.producer.name, description=data.description
                ),
                structure=self.Product.STANDALONE,
                product_class=self.product_class(data.product_type == ProductType.TRAVEL),
                is_public=True,
                certificate=cert,
            )
            for cert, data in pairs
        ]
        self.Product.objects.bulk_create(products)
        self.StockRecord.objects.bulk_create(
            [
                self.StockRecord(
                    product=product,
                    partner_id=cert.producer.partner_id,
                    partner_sku=f"OCOP-{cert.registry_id}",
                    price_currency="VND",
                    price=None,
                    num_in_stock=0,
                )
                for product, (cert, _data) in zip(products, pairs, strict=True)
            ]
        )
        self.ProductCategory.objects.bulk_create(
            [
                self.ProductCategory(product=product, category=self.category(data.sector))
                for product, (_cert, data) in zip(products, pairs, strict=True)
            ]
        )

    def rename(self, cert: Certificate) -> None:
        products = self.Product.objects.filter(certificate=cert)
        products.update(title=cert.name)
        search_text_refresh(products)


class _Applier:
    """Upserts validated records; counts what it did."""

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.now = timezone.now()
        self.catalogue = _CatalogueWriter()
        self.producers = {p.registry_key: p for p in Producer.objects.all()}
        self.refreshed_producers: set[str] = set()
        self.touched_certificates: set[int] = set()
        # The raw JSON is compared by digest, so 20,000 raws need not be decoded.
        self.certificates = {
            c.registry_id: c for c in Certificate.objects.select_related("producer").defer("raw")
        }

    @staticmethod
    def _producer_values(data: ProducerData) -> dict:
        return {
            "name": data.name,
            "kind": data.kind,
            "representative": data.representative,
            "phone": data.phone,
            "email": data.email,
            "address_raw": data.address.raw,
            "province": data.address.province,
            "district": data.address.district,
            "ward": data.address.ward,
        }

    @staticmethod
    def _partner_code(data: ProducerData) -> str:
        """A unique partner code computed up front, so Oscar's AutoSlugField
        need not query for uniqueness once per new producer."""
        digest = hashlib.blake2b(data.registry_key.encode(), digest_size=5).hexdigest()
        stem = oscar_slugify(data.name)[:100]
        return f"{stem}-{digest}"

    def producers_upsert(self, batch: list[CertificateData]) -> None:
        """Create the batch's new producers (with their partners) in bulk and
        refresh changed ones. Records of one producer may disagree on its
        address or phone; the first record of the crawl wins, so a re-sync is
        stable."""
        Partner = get_model("partner", "Partner")
        new: dict[str, ProducerData] = {}
        for data in batch:
            key = data.producer.registry_key
            if key in self.refreshed_producers:
                continue
            self.refreshed_producers.add(key)
            producer = self.producers.get(key)
            values = self._producer_values(data.producer)
            if producer is None:
                new[key] = data.producer
            elif any(getattr(producer, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(producer, name, value)
                producer.save()
        if not new:
            return
        partners = Partner.objects.bulk_create(
            [Partner(name=d.name[:128], code=self._partner_code(d)) for d in new.values()]
        )
        producers = Producer.objects.bulk_create(
            [
                Producer(registry_key=key, partner=partner, **self._producer_values(d))
                for (key, d), partner in zip(new.items(), partners, strict=True)
            ]
        )
        self.producers.update({p.registry_key: p for p in producers})

    def apply_batch(self, batch: list[CertificateData]) -> None:
        new_pairs: list[tuple[Certificate, CertificateData]] = []
        seen_unchanged: list[int] = []
        self.producers_upsert(batch)
        for data in batch:
            producer = self.producers[data.producer.registry_key]
            cert = self.certificates.get(data.registry_id)
            if cert is None:
                cert = Certificate(
                    registry_id=data.registry_id,
                    producer=producer,
                    raw=data.raw,
                    raw_digest=data.raw_digest,
                    first_seen_at=self.now,
                    last_seen_at=self.now,
                    **{f: getattr(data, f) for f in TRACKED_FIELDS},
                )
                new_pairs.append((cert, data))
                continue
            if self._update(cert, data, producer):
                self.run.updated += 1
            else:
                seen_unchanged.append(cert.pk)
                self.run.unchanged += 1
        if new_pairs:
            Certificate.objects.bulk_create([cert for cert, _ in new_pairs])
            for cert, _data in new_pairs:
                self.certificates[cert.registry_id] = cert
            self.catalogue.create_for(new_pairs)
            self.run.created += len(new_pairs)
            self.touched_certificates.update(cert.pk for cert, _data in new_pairs)
        if seen_unchanged:
            Certificate.objects.filter(pk__in=seen_unchanged).update(last_seen_at=self.now)

    def _update(self, cert: Certificate, data: CertificateData, producer: Producer) -> bool:
        changes = [
            (f, getattr(cert, f), getattr(data, f))
            for f in TRACKED_FIELDS
            if getattr(cert, f) != getattr(data, f)
        ]
        if cert.status != CertificateStatus.VALID:
            changes.append(("status", cert.status, CertificateStatus.VALID))
        if cert.producer_id != producer.pk:
            changes.append(("producer", cert.producer.name, producer.name))
        if not changes and cert.raw_digest == data.raw_digest:
            return False
        for name, _old, new in changes:
            if name == "status":
                cert.status_changed_at = self.now
            if name == "producer":
                cert.producer = producer
            else:
                setattr(cert, name, new)
        self.touched_certificates.add(cert.pk)
        cert.raw = data.raw
        cert.raw_digest = data.raw_digest
        cert.last_seen_at = self.now
        cert.save()
        CertificateChange.objects.bulk_create(
            [
                CertificateChange(
                    certificate=cert,
                    field=name,
                    old_value=str(old)[:255],
                    new_value=str(new)[:255],
                    sync_run=self.run,
                    changed_at=self.now,
                )
                for name, old, new in changes
            ]
        )
        if any(name == "name" for name, _o, _n in changes):
            self.catalogue.rename(cert)
        return True

    def touched_product_ids(self) -> list[int]:
        """Products whose certificate this sync created, changed or withdrew."""
        Product = get_model("catalogue", "Product")
        return list(
            Product.objects.filter(certificate_id__in=self.touched_certificates).values_list(
                "pk", flat=True
            )
        )

    def withdraw_absent(self, seen_ids: set[int]) -> None:
        absent = [
            cert
            for registry_id, cert in self.certificates.items()
            if registry_id not in seen_ids and cert.status != CertificateStatus.WITHDRAWN
        ]
        for cert in absent:
            CertificateChange.objects.create(
                certificate=cert,
                field="status",
                old_value=cert.status,
                new_value=CertificateStatus.WITHDRAWN,
                sync_run=self.run,
                changed_at=self.now,
            )
        self.touched_certificates.update(c.pk for c in absent)
        Certificate.objects.filter(pk__in=[c.pk for c in absent]).update(
            status=CertificateStatus.WITHDRAWN, status_changed_at=self.now
        )
        self.run.withdrawn = len(absent)


def _validate(run: SyncRun, records: list) -> tuple[list[CertificateData], list[RejectedRecord]]:
    """Split records into valid data and unsaved rejections. The caller saves
    the rejections outside the apply transaction, so they are kept even
    when a dry run or a failure rolls the rest back."""
    valid: list[CertificateData] = []
    seen: set[int] = set()
    rejections: list[RejectedRecord] = []
    for raw in records:
        try:
            data = record_validate(raw)
            if data.registry_id in seen:
                raise RecordRejected(f"id {data.registry_id} xuất hiện hai lần (duplicate id)")
        except RecordRejected as exc:
            registry_id = raw.get("id") if isinstance(raw, dict) else None
            rejections.append(
                RejectedRecord(
                    sync_run=run,
                    registry_id=str(registry_id if registry_id is not None else "")[:64],
                    raw=raw if isinstance(raw, dict) else {"value": repr(raw)},
                    reason=str(exc),
                )
            )
            continue
        seen.add(data.registry_id)
        valid.append(data)
    run.rejected = len(rejections)
    return valid, rejections


def _finish(run: SyncRun, status: str) -> SyncRun:
    run.status = status
    run.finished_at = timezone.now()
    run.save()
    log = logger.warning if status in (SyncStatus.ALERT, SyncStatus.FAILED) else logger.info
    log("registry sync %s from %s: %s %s", status, run.source, run.summary(), run.alert)
    return run


def certificate_sync(
    *,
    client: RegistrySource,
    dry_run: bool = False,
    reconcile_absences: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> SyncRun:
    """Sync certificates from a registry source; returns the recorded SyncRun.

    `reconcile_absences` is False for partial sources (a province's
    decision list), which say nothing about certificates they do not list.
    With `dry_run`, everything is computed and counted, then rolled back.
    """
    run = SyncRun.objects.create(source=str(client.source)[:500], dry_run=dry_run)
    crawl = _crawl(client, progress)
    run.expected_count = crawl.expected
    run.seen = len(crawl.records)
    run.complete_crawl = crawl.complete

    if not crawl.complete:
        run.error = crawl.error or (
            f"crawl ended after {len(crawl.records)} of {crawl.expected} records"
        )
        run.alert = "Thu thập không đầy đủ: không thay đổi dữ liệu nào (incomplete crawl)."
        RejectedRecord.objects.bulk_create(_validate(run, crawl.records)[1])
        return _finish(run, SyncStatus.FAILED)

    last_good = _last_good_count()
    shrunk = last_good is not None and run.seen < SHRINK_GUARD_RATIO * last_good
    if shrunk:
        run.alert = (
            f"Số bản ghi giảm bất thường: {run.seen} so với {last_good} lần trước; "
            f"không thu hồi chứng nhận nào (shrank below {SHRINK_GUARD_RATIO:.0%})."
        )

    valid, rejections = _validate(run, crawl.records)
    RejectedRecord.objects.bulk_create(rejections)
    try:
        with transaction.atomic():
            applier = _Applier(run)
            for batch in _chunks(valid, batch_size):
                with transaction.atomic():
                    applier.apply_batch(batch)
            if reconcile_absences and not shrunk:
                applier.withdraw_absent({d.registry_id for d in valid})
            if dry_run:
                transaction.set_rollback(True)
            else:
                reindex_on_commit(applier.touched_product_ids())
    except Exception as exc:  # a failed apply rolls back whole; record why
        logger.exception("registry sync failed while applying %s", client.source)
        run.error = f"{type(exc).__name__}: {exc}"
        run.alert = "Đồng bộ thất bại: không thay đổi dữ liệu nào (sync failed, nothing changed)."
        run.created = run.updated = run.unchanged = run.withdrawn = 0
        return _finish(run, SyncStatus.FAILED)
    return _finish(run, SyncStatus.ALERT if shrunk else SyncStatus.SUCCEEDED)


EXPIRY_WARNING_DAYS = (7, 30, 90)


def expiry_warnings_send(*, today=None) -> int:
    """Mail each producer once per threshold (90, 30, 7 days) before a
    certificate expires; returns how many mails went out.

    Only the nearest threshold applies, so a certificate first seen with 20
    days left gets the 30-day warning and never a late 90-day one. The
    warning row is written in the same transaction as the send, so a retry
    after a crash cannot mail twice for the same threshold.
    """
    from datetime import timedelta

    from django.core.mail import send_mail
    from django.utils.formats import date_format

    from catalogue.managers import today_in_vietnam
    from marketplace.registry.models import ExpiryWarning

    today = today or today_in_vietnam()
    horizon = today + timedelta(days=max(EXPIRY_WARNING_DAYS))
    sent = 0
    candidates = Certificate.objects.expiring_between(today, horizon).select_related("producer")
    for cert in candidates:
        days_left = (cert.expiry_date - today).days
        threshold = min(t for t in EXPIRY_WARNING_DAYS if days_left <= t)
        if not cert.producer.email:
            continue
        with transaction.atomic():
            _warning, created = ExpiryWarning.objects.get_or_create(
                certificate=cert, days_before=threshold, expiry_date=cert.expiry_date
            )
            if not created:
                continue
            expiry = date_format(cert.expiry_date, "SHORT_DATE_FORMAT")
            send_mail(
                subject=f"[Chợ OCOP] Chứng nhận {cert.number} hết hạn sau {days_left} ngày",
                message=(
                    f"Kính gửi {cert.producer.name},\n\n"
                    f"Chứng nhận OCOP số {cert.number} của sản phẩm “{cert.name}” "
                    f"({cert.stars} sao) sẽ hết hạn vào ngày {expiry}, còn {days_left} ngày.\n"
                    "Sau ngày này sản phẩm sẽ tự động ngừng bán trên Chợ OCOP và không được "
                    "sử dụng nhãn OCOP. Vui lòng liên hệ cơ quan cấp chứng nhận để đánh giá lại.\n"
                ),
                from_email=None,
                recipient_list=[cert.producer.email],
            )
            sent += 1
    return sent
