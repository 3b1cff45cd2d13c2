"""Writes that come from the registry: the certificate sync.

`certificate_sync` crawls a source to the end before it changes anything,
so a crawl that fails part-way changes nothing. It then validates each
record on its own (rejecting bad ones with a reason), upserts producers,
certificates and their catalogue products in batches inside one
transaction, and withdraws absent certificates only after a complete
national crawl that did not shrink suspiciously.

Three rules keep national-scale data honest:
- only absence withdraws: a known product whose record arrives unreadable
  is *seen*, and keeps its last good data;
- a producer is (folded name, 2025 province), and its data comes from a
  preferred record, not the first one crawled (`producer_identity`);
- two sources, one truth: a province's decision list and the national API
  match each other's certificates, and each source's absences and shrink
  guard concern only what that source holds.
"""

import hashlib
import io
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.core.utils import slugify as oscar_slugify

from marketplace.registry.addresses import province_2025
from marketplace.registry.client import (
    FetchedImage,
    ImageRefused,
    ImageUnavailable,
    RegistrySource,
    RegistryUnavailable,
)
from marketplace.registry.decision_lists import DecisionListError
from marketplace.registry.models import (
    Certificate,
    CertificateChange,
    CertificateStatus,
    PhotoStatus,
    Producer,
    ProducerSplit,
    ProductType,
    RecordSource,
    RegistryPhoto,
    RejectedRecord,
    Sector,
    SyncRun,
    SyncStatus,
)
from marketplace.registry.producer_identity import (
    producer_preferred,
    producer_values,
    producers_choose,
)
from marketplace.registry.records import (
    CertificateData,
    ProducerData,
    RecordRejected,
    certificate_match_keys,
    producer_key,
    raw_digest,
    record_id,
    record_validate,
    storable,
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
PROGRESS_KEY = "registry-sync-progress-{pk}"


@dataclass
class _Crawl:
    records: list = field(default_factory=list)
    expected: int | None = None
    error: str = ""

    @property
    def complete(self) -> bool:
        return not self.error and self.expected is not None and len(self.records) >= self.expected


Progress = Callable[[int, int | None], None]


def sync_progress(run: SyncRun) -> dict | None:
    """How far a running sync has got: {"phase", "done", "total"}, or None.

    Kept in the cache, not the run's row: the run is written inside the
    sync's transaction, which no other connection sees until it commits.
    """
    return cache.get(PROGRESS_KEY.format(pk=run.pk))


def _progress_set(run: SyncRun, phase: str, done: int, total: int | None) -> None:
    cache.set(PROGRESS_KEY.format(pk=run.pk), {"phase": phase, "done": done, "total": total}, 3600)


def _crawl(client: RegistrySource, run: SyncRun, progress: Progress | None) -> _Crawl:
    """Read the whole source. Any failure to read it (network, a file that is
    no spreadsheet, a broken snapshot) ends the crawl as incomplete with a
    reason, never as a traceback."""
    crawl = _Crawl()
    try:
        for page in client.iter_pages():
            if crawl.expected is None:
                crawl.expected = page.count
            crawl.records.extend(page.results)
            _progress_set(run, "crawl", len(crawl.records), crawl.expected)
            if progress:
                progress(len(crawl.records), crawl.expected)
    except (RegistryUnavailable, DecisionListError) as exc:
        crawl.error = str(exc)
    except Exception as exc:  # a source we cannot read must not leave the run hanging
        logger.exception("registry source %s could not be read", client.source)
        crawl.error = f"Không đọc được nguồn dữ liệu ({type(exc).__name__}: {exc})"
    return crawl


def _last_good_count(kind: str) -> int | None:
    """The size of the last good complete crawl of this kind of source: a
    12-row decision list says nothing about how big the national API is. A
    run that alerted for another reason (an unreadable streak) still counts;
    one whose own crawl shrank does not."""
    run = (
        SyncRun.objects.filter(
            status__in=[SyncStatus.SUCCEEDED, SyncStatus.ALERT],
            shrink_guarded=False,
            complete_crawl=True,
            dry_run=False,
            source_kind=kind,
        )
        .order_by("-started_at")
        .first()
    )
    return run.seen if run else None


def _stale_runs_fail() -> None:
    """A run still "running" long after any sync could take was killed
    mid-way (its transaction rolled back, so it changed nothing); say so."""
    cutoff = timezone.now() - timedelta(minutes=settings.REGISTRY_SYNC_STALE_MINUTES)
    SyncRun.objects.filter(status=SyncStatus.RUNNING, started_at__lt=cutoff).update(
        status=SyncStatus.FAILED,
        finished_at=timezone.now(),
        error="Lượt đồng bộ bị gián đoạn, không thay đổi dữ liệu nào (interrupted).",
    )


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

    def reassign(self, certificates: Iterable[Certificate], producer: Producer) -> None:
        """The products of these certificates are now sold by `producer`."""
        self.StockRecord.objects.filter(product__certificate__in=list(certificates)).update(
            partner_id=producer.partner_id
        )


def _partner_code(name: str, identity: tuple[str, str]) -> str:
    """A unique partner code computed up front, so Oscar's AutoSlugField
    need not query for uniqueness once per new producer; the province is in
    the digest because two producers may share a name."""
    digest = hashlib.blake2b("\x1f".join(identity).encode(), digest_size=5).hexdigest()
    return f"{oscar_slugify(name)[:100]}-{digest}"


def _producers_create(chosen: dict[tuple[str, str], ProducerData]) -> list[Producer]:
    """Create producers (with their Oscar partners) in bulk."""
    Partner = get_model("partner", "Partner")
    if not chosen:
        return []
    partners = Partner.objects.bulk_create(
        [Partner(name=d.name[:128], code=_partner_code(d.name, key)) for key, d in chosen.items()]
    )
    return Producer.objects.bulk_create(
        [
            Producer(
                registry_key=key[0], registry_province=key[1], partner=partner, **producer_values(d)
            )
            for (key, d), partner in zip(chosen.items(), partners, strict=True)
        ]
    )


def _certificate_keys(cert: Certificate) -> tuple[tuple, tuple]:
    producer = cert.producer
    return certificate_match_keys(
        number=cert.number,
        name=cert.name,
        producer=(producer.registry_key, producer.registry_province or ""),
        issued_on=cert.issued_on,
    )


def _url_digest(url: str) -> str:
    return hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


class _PhotoBook:
    """The sync's half of photos: which URLs each certificate's record names.

    It only writes `RegistryPhoto` rows, in the sync's transaction: new URLs
    wait as pending, URLs the record dropped are marked dropped, a reordered
    list moves the pictures. Nothing is downloaded or deleted here; that is
    `photos_fetch`'s work once the sync has committed (the model says why).
    A URL already known, fetched or refused, is left alone: re-syncing the
    same record fetches nothing.
    """

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.known: dict[int, dict[str, RegistryPhoto]] = defaultdict(dict)
        for photo in RegistryPhoto.objects.only(
            "pk", "certificate", "url", "position", "status", "image"
        ):
            self.known[photo.certificate_id][photo.url] = photo
        self._new: list[RegistryPhoto] = []
        self._changed: dict[int, RegistryPhoto] = {}

    def want(self, certificate_pk: int, urls: tuple[str, ...]) -> None:
        known = self.known.get(certificate_pk, {})
        if not urls and not known:
            return
        wanted = {url: position for position, url in enumerate(urls)}
        for url, photo in known.items():
            position = wanted.get(url)
            if position is None:
                if photo.status != PhotoStatus.DROPPED:
                    photo.status = PhotoStatus.DROPPED
                    self._mark(photo)
                continue
            if photo.status == PhotoStatus.DROPPED:  # named again before it was removed
                photo.status = PhotoStatus.IMPORTED if photo.image_id else PhotoStatus.PENDING
                self._mark(photo)
            if photo.position != position:
                photo.position = position
                self._mark(photo)
        for url, position in wanted.items():
            if url not in known:
                photo = RegistryPhoto(
                    certificate_id=certificate_pk,
                    url=url,
                    url_digest=_url_digest(url),
                    position=position,
                    sync_run=self.run,
                )
                self._new.append(photo)
                self.known[certificate_pk][url] = photo

    def _mark(self, photo: RegistryPhoto) -> None:
        if photo.pk is not None:  # a row not yet created is written as it is
            self._changed[photo.pk] = photo

    def write(self) -> None:
        """Store this batch's new and changed rows (a few queries a batch)."""
        if self._new:
            RegistryPhoto.objects.bulk_create(self._new)
        if self._changed:
            changed = list(self._changed.values())
            RegistryPhoto.objects.bulk_update(changed, ["status", "position"])
            ProductImage = get_model("catalogue", "ProductImage")
            moved = [p for p in changed if p.image_id and p.status == PhotoStatus.IMPORTED]
            images = ProductImage.objects.in_bulk([p.image_id for p in moved])
            for photo in moved:
                images[photo.image_id].display_order = photo.position
            ProductImage.objects.bulk_update(list(images.values()), ["display_order"])
        self._new, self._changed = [], {}


class _Applier:
    """Upserts one source's validated records; counts what it did."""

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.kind = run.source_kind
        self.now = timezone.now()
        self.catalogue = _CatalogueWriter()
        self.producers = {(p.registry_key, p.registry_province): p for p in Producer.objects.all()}
        self.touched_certificates: set[int] = set()
        self.moved_producers: set[int] = set()
        self.photos = _PhotoBook(run)
        # The raw JSON is compared by digest, so 20,000 raws need not be
        # decoded; producers come from the map above, not a join, which a
        # planner with stale statistics (right after a first sync) can turn
        # into a 30-second nested loop.
        by_pk = {p.pk: p for p in self.producers.values()}
        self.certificates = {}
        for cert in Certificate.objects.defer("raw", "list_record"):
            cert.producer = by_pk[cert.producer_id]
            self.certificates[cert.registry_id] = cert
        # Across sources a certification is matched by producer, name and
        # decision number or date; national certificates come first, so they
        # win a tie.
        self.by_match: dict[tuple, Certificate] = {}
        for cert in sorted(
            self.certificates.values(),
            key=lambda c: (c.source != RecordSource.NATIONAL, c.registry_id),
        ):
            for key in _certificate_keys(cert):
                self.by_match.setdefault(key, cert)

    def identities_resolve(self, valid: list[CertificateData]) -> list[CertificateData]:
        """A province's own list often omits the province from addresses
        ("Xã Bát Tràng, Huyện Gia Lâm"). Such a row belongs to the one known
        producer of that name, when there is exactly one."""
        if self.kind != RecordSource.DECISION_LIST:
            return valid
        by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.producers:
            by_name[key[0]].append(key)
        resolved = []
        for data in valid:
            known = by_name.get(data.producer.registry_key, [])
            if not data.producer.registry_province and len(known) == 1 and known[0][1]:
                data = replace(data, producer=replace(data.producer, registry_province=known[0][1]))
            resolved.append(data)
        return resolved

    def producers_sync(self, valid: list[CertificateData]) -> None:
        """Create new producers and rewrite changed ones, each from its
        preferred record, so a re-sync in another order writes nothing.

        A decision list creates producers but leaves those the national
        registry speaks for alone: the national record wins.
        """
        chosen = producers_choose(valid)
        if self.kind == RecordSource.NATIONAL:
            self._moves_apply(valid, chosen)
        national = (
            set(
                Certificate.objects.filter(source=RecordSource.NATIONAL).values_list(
                    "producer_id", flat=True
                )
            )
            if self.kind == RecordSource.DECISION_LIST
            else set()
        )
        new: dict[tuple[str, str], ProducerData] = {}
        for identity, data in sorted(chosen.items()):
            producer = self.producers.get(identity)
            if producer is None:
                new[identity] = data
                continue
            if producer.pk in national:
                continue
            values = producer_values(data)
            moved = producer.pk in self.moved_producers
            if moved or any(getattr(producer, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(producer, name, value)
                producer.save()  # the search receiver reindexes its products
        for producer in _producers_create(new):
            self.producers[(producer.registry_key, producer.registry_province)] = producer

    def _moves_apply(
        self, valid: list[CertificateData], chosen: dict[tuple[str, str], ProducerData]
    ) -> None:
        """A producer the registry now places in another province (often a
        corrected typo) stays the same row, with its account, story and
        orders, rather than leaving them on an empty row: when every one of
        its certificates in the crawl names one new, unknown identity of the
        same name, and its old identity is absent, the row moves there."""
        crawl_identity = {d.registry_id: d.producer.identity for d in valid}
        targets: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for registry_id, cert in self.certificates.items():
            if registry_id in crawl_identity:
                targets[cert.producer_id].add(crawl_identity[registry_id])
        candidates: dict[tuple[str, str], list[Producer]] = defaultdict(list)
        for identity, producer in self.producers.items():
            found = targets.get(producer.pk, set())
            if identity in chosen or len(found) != 1:
                continue
            (new,) = found
            if new[0] == identity[0] and new not in self.producers:
                candidates[new].append(producer)
        for new, producers in sorted(candidates.items()):
            if len(producers) != 1:
                continue
            (producer,) = producers
            del self.producers[(producer.registry_key, producer.registry_province)]
            producer.registry_province = new[1]
            self.producers[new] = producer  # saved with its new data just below
            self.moved_producers.add(producer.pk)

    def _existing(self, data: CertificateData) -> Certificate | None:
        """The certificate this record speaks for: by registry id within a
        source, else by number, name and producer across sources."""
        cert = self.certificates.get(data.registry_id)
        if cert is not None:
            return cert
        identities = [data.producer.identity]
        if self.kind == RecordSource.NATIONAL:
            # a list row may have named no province; the national record does
            identities.append((data.producer.registry_key, ""))
        keys = [
            key
            for identity in identities
            for key in certificate_match_keys(
                number=data.number, name=data.name, producer=identity, issued_on=data.issued_on
            )
        ]
        match = next((self.by_match[k] for k in keys if k in self.by_match), None)
        if match is None:
            return None
        if self.kind == RecordSource.NATIONAL and match.source == RecordSource.NATIONAL:
            return None  # two national ids are two certifications
        return match

    def apply_batch(self, batch: list[CertificateData]) -> None:
        new_pairs: list[tuple[Certificate, CertificateData]] = []
        seen_unchanged: list[int] = []
        for data in batch:
            producer = self.producers[data.producer.identity]
            cert = self._existing(data)
            if cert is None:
                cert = Certificate(
                    registry_id=data.registry_id,
                    producer=producer,
                    source=self.kind,
                    raw=data.raw,
                    raw_digest=data.raw_digest,
                    first_seen_at=self.now,
                    last_seen_at=self.now,
                    **{f: getattr(data, f) for f in TRACKED_FIELDS},
                )
                new_pairs.append((cert, data))
                continue
            if self.kind == RecordSource.DECISION_LIST and cert.source == RecordSource.NATIONAL:
                self._provenance_keep(cert, data)
                continue
            if self.kind == RecordSource.NATIONAL and cert.source == RecordSource.DECISION_LIST:
                self._adopt(cert, data)
            self.photos.want(cert.pk, data.photos)
            if self._update(cert, data, producer):
                self.run.updated += 1
            else:
                seen_unchanged.append(cert.pk)
                self.run.unchanged += 1
        if new_pairs:
            Certificate.objects.bulk_create([cert for cert, _ in new_pairs])
            for cert, _data in new_pairs:
                self.certificates[cert.registry_id] = cert
                for key in _certificate_keys(cert):
                    self.by_match.setdefault(key, cert)
            self.catalogue.create_for(new_pairs)
            self.run.created += len(new_pairs)
            self.touched_certificates.update(cert.pk for cert, _data in new_pairs)
            for cert, data in new_pairs:
                self.photos.want(cert.pk, data.photos)
        if seen_unchanged:
            Certificate.objects.filter(pk__in=seen_unchanged).update(last_seen_at=self.now)
        self.photos.write()

    def _provenance_keep(self, cert: Certificate, data: CertificateData) -> None:
        """A list row for a product the national registry holds: the
        national record wins; the row is kept as provenance, nothing else."""
        self.run.matched_national += 1
        Certificate.objects.filter(pk=cert.pk).update(list_record=data.raw)

    def _adopt(self, cert: Certificate, data: CertificateData) -> None:
        """The national registry now holds a product first known from a
        province's list: the same certificate (and shop product) becomes the
        national one, and the list row stays as provenance."""
        CertificateChange.objects.create(
            certificate=cert,
            field="source",
            old_value=f"{cert.source} {cert.registry_id}",
            new_value=f"{RecordSource.NATIONAL} {data.registry_id}",
            sync_run=self.run,
            changed_at=self.now,
        )
        self.certificates.pop(cert.registry_id, None)
        cert.list_record = cert.raw
        cert.registry_id = data.registry_id
        cert.source = RecordSource.NATIONAL
        cert.raw_digest = ""  # forces the update below to save
        self.certificates[cert.registry_id] = cert

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
                self.catalogue.reassign([cert], producer)
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
        """Withdraw national certificates absent from a complete national
        crawl. A list's certificates are not the national registry's to
        withdraw: it never held them."""
        absent = [
            cert
            for registry_id, cert in self.certificates.items()
            if registry_id not in seen_ids
            and cert.source == RecordSource.NATIONAL
            and cert.status != CertificateStatus.WITHDRAWN
        ]
        CertificateChange.objects.bulk_create(
            [
                CertificateChange(
                    certificate=cert,
                    field="status",
                    old_value=cert.status,
                    new_value=CertificateStatus.WITHDRAWN,
                    sync_run=self.run,
                    changed_at=self.now,
                )
                for cert in absent
            ]
        )
        self.touched_certificates.update(c.pk for c in absent)
        Certificate.objects.filter(pk__in=[c.pk for c in absent]).update(
            status=CertificateStatus.WITHDRAWN, status_changed_at=self.now
        )
        self.run.withdrawn = len(absent)


def _stored_record(raw: dict) -> CertificateData | None:
    """A stored raw record read again, or None if it no longer reads."""
    try:
        return record_validate(raw)
    except RecordRejected:
        return None


def producers_heal(*, run: SyncRun) -> list[ProducerSplit]:
    """Split producer rows that merged same-name producers of different
    provinces, from before identity included the province.

    Runs at the start of every sync, and finds work only on rows without a
    `registry_province`. Each such row keeps the province most of its
    certificates carry (then its own, then by name) and whatever belongs to
    the row: its account, its orders' parcels, its story. The other
    provinces' certificates, products and stock records move to their own
    producer and partner; each move is recorded as a ProducerSplit.
    """
    catalogue = _CatalogueWriter()
    splits: list[ProducerSplit] = []
    moved_certificates: list[int] = []
    for producer in Producer.objects.filter(registry_province__isnull=True).order_by("pk"):
        # A certificate whose stored record no longer reads says nothing of
        # its province: it stays with the row.
        groups: dict[str, list[tuple[Certificate, CertificateData]]] = defaultdict(list)
        for cert in producer.certificates.order_by("pk"):
            data = _stored_record(cert.raw)
            if data is not None:
                groups[data.producer.registry_province].append((cert, data))
        own = province_2025(producer.province)
        keep = max(groups, key=lambda p: (len(groups[p]), p == own, p), default=own)
        producer.registry_province = keep
        # The key now also evens out tone placement ("Hoà" ≡ "Hòa").
        key = producer_key(producer.name)
        if not Producer.objects.filter(registry_key=key, registry_province=keep).exists():
            producer.registry_key = key
        producer.save(update_fields=["registry_key", "registry_province"])
        for province, pairs in sorted(groups.items()):
            if province == keep:
                continue
            certificates = [cert for cert, _data in pairs]
            identity = (producer.registry_key, province)
            target = Producer.objects.filter(
                registry_key=identity[0], registry_province=province
            ).first()
            if target is None:
                data = producer_preferred([data for _cert, data in pairs])
                (target,) = _producers_create({identity: data})
            Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(producer=target)
            catalogue.reassign(certificates, target)
            moved_certificates.extend(c.pk for c in certificates)
            splits.append(
                ProducerSplit.objects.create(
                    sync_run=run,
                    producer=producer,
                    new_producer=target,
                    province=province,
                    certificates_moved=len(certificates),
                )
            )
    if moved_certificates:
        Product = get_model("catalogue", "Product")
        reindex_on_commit(
            Product.objects.filter(certificate_id__in=moved_certificates).values_list(
                "pk", flat=True
            )
        )
    return splits


@dataclass
class _Validated:
    valid: list[CertificateData]
    rejections: list[RejectedRecord]
    # Known certificates whose record arrived unreadable: seen, kept as they were.
    kept_ids: set[int]


def _validate(run: SyncRun, records: list) -> _Validated:
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
    result = _Validated(valid=[], rejections=[], kept_ids=set())
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
    for chunk in _chunks(list(distinct), 1000):
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


def _unreadable_streaks(run: SyncRun, kept_ids: set[int]) -> str:
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


def _nothing_imported_reason(rejections: list[RejectedRecord]) -> str:
    """One reason for a list that imported nothing, said once, not per row."""
    reasons = Counter(r.reason.split(": ", 1)[-1] for r in rejections)
    reason, count = reasons.most_common(1)[0]
    return f"Không nhập được dòng nào: {reason} ({count}/{len(rejections)} dòng)."


def _finish(run: SyncRun, status: str) -> SyncRun:
    run.status = status
    run.finished_at = timezone.now()
    run.save()
    cache.delete(PROGRESS_KEY.format(pk=run.pk))
    log = logger.warning if status in (SyncStatus.ALERT, SyncStatus.FAILED) else logger.info
    log("registry sync %s from %s: %s %s", status, run.source, run.summary(), run.alert)
    return run


def _alert_add(run: SyncRun, text: str) -> None:
    if text:
        run.alert = f"{run.alert}\n{text}".strip()


def certificate_sync(
    *,
    client: RegistrySource,
    dry_run: bool = False,
    reconcile_absences: bool = True,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    run: SyncRun | None = None,
) -> SyncRun:
    """Sync certificates from a registry source; returns the recorded SyncRun.

    The source's `source_kind` (national unless it says otherwise) scopes
    withdrawal and the shrink guard. `reconcile_absences` is False for
    partial sources, which say nothing about certificates they do not list.
    With `dry_run`, everything is computed and counted, then rolled back.
    Pass `run` to fill a run created beforehand (an operator's upload).
    Whatever happens, the run ends succeeded, alert or failed, never running.
    """
    _stale_runs_fail()
    kind = getattr(client, "source_kind", RecordSource.NATIONAL)
    if run is None:
        run = SyncRun.objects.create(
            source=str(client.source)[:500], source_kind=kind, dry_run=dry_run
        )
    try:
        return _sync(client, run, dry_run, reconcile_absences, batch_size, progress)
    except Exception as exc:
        logger.exception("registry sync failed on %s", client.source)
        run.error = f"{type(exc).__name__}: {str(exc)[:500]}"
        run.alert = "Đồng bộ thất bại: không thay đổi dữ liệu nào (sync failed, nothing changed)."
        run.created = run.updated = run.unchanged = run.withdrawn = run.matched_national = 0
        return _finish(run, SyncStatus.FAILED)
    except BaseException:  # Ctrl-C or a worker's shutdown: say so, then stop
        run.error = "Bị dừng giữa chừng; không thay đổi dữ liệu nào (interrupted, nothing changed)."
        run.created = run.updated = run.unchanged = run.withdrawn = run.matched_national = 0
        _finish(run, SyncStatus.FAILED)
        raise


SYNC_LOCK_KEY = 0x0C0B_5A11
"""PostgreSQL advisory lock that lets one sync apply at a time."""


def _apply_lock() -> None:
    """Wait for any other sync's apply to commit first (a beat sync beside
    an operator's upload would otherwise both create the same producer).
    Released with the transaction; SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SYNC_LOCK_KEY])


def _sync(client, run, dry_run, reconcile_absences, batch_size, progress) -> SyncRun:
    national = run.source_kind == RecordSource.NATIONAL
    crawl = _crawl(client, run, progress)
    run.expected_count = crawl.expected
    run.seen = len(crawl.records)
    run.complete_crawl = crawl.complete
    run.skipped = getattr(client, "skipped_count", 0)

    if not crawl.complete:
        run.error = crawl.error or (
            f"crawl ended after {len(crawl.records)} of {crawl.expected} records"
        )
        run.alert = "Thu thập không đầy đủ: không thay đổi dữ liệu nào (incomplete crawl)."
        rejections_store(run=run, rejections=_validate(run, crawl.records).rejections)
        return _finish(run, SyncStatus.FAILED)

    checked = _validate(run, crawl.records)
    rejections_store(run=run, rejections=checked.rejections)
    if not national and crawl.records and not checked.valid:
        run.error = _nothing_imported_reason(checked.rejections)
        run.alert = "Không nhập được sản phẩm nào từ danh sách (nothing imported)."
        return _finish(run, SyncStatus.FAILED)

    reconcile = national and reconcile_absences
    last_good = _last_good_count(run.source_kind) if reconcile else None
    shrunk = last_good is not None and run.seen < SHRINK_GUARD_RATIO * last_good
    run.shrink_guarded = shrunk
    if shrunk:
        _alert_add(
            run,
            f"Số bản ghi giảm bất thường: {run.seen} so với {last_good} lần trước; "
            f"không thu hồi chứng nhận nào (shrank below {SHRINK_GUARD_RATIO:.0%}).",
        )
    if run.kept_unreadable:
        _alert_add(
            run,
            f"{run.kept_unreadable} bản ghi của sản phẩm đã biết không đọc được; giữ dữ liệu tốt "
            "gần nhất (known products' records unreadable; kept the last good data).",
        )
    stuck = ""
    with transaction.atomic():
        _apply_lock()
        splits = producers_heal(run=run)
        if splits:
            _alert_add(
                run,
                f"Đã tách {len(splits)} chủ thể trùng tên ở tỉnh khác "
                f"(split {len(splits)} same-name producers by province).",
            )
        applier = _Applier(run)
        valid = applier.identities_resolve(checked.valid)
        applier.producers_sync(valid)
        for done, batch in enumerate(_chunks(valid, batch_size), start=1):
            with transaction.atomic():
                applier.apply_batch(batch)
            _progress_set(run, "apply", min(done * batch_size, len(valid)), len(valid))
        if reconcile and not shrunk:
            applier.withdraw_absent({d.registry_id for d in valid} | checked.kept_ids)
        if reconcile:
            stuck = _unreadable_streaks(run, checked.kept_ids)
            _alert_add(run, stuck)
        if dry_run:
            transaction.set_rollback(True)
        else:
            reindex_on_commit(applier.touched_product_ids())
    return _finish(run, SyncStatus.ALERT if shrunk or stuck else SyncStatus.SUCCEEDED)


def decision_list_import(*, run: SyncRun, path: str | Path) -> SyncRun:
    """Import a province's decision list into a run created beforehand (an
    operator's upload shows that run's progress while this works)."""
    from marketplace.registry.sources import DecisionListSource

    return certificate_sync(
        client=DecisionListSource(Path(path)), reconcile_absences=False, run=run
    )


# --- photos -----------------------------------------------------------------

PHOTO_MAX_ATTEMPTS = 5
MAX_PHOTO_PIXELS = 40_000_000  # above this a "photo" is a decompression bomb, not a product shot
_PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass
class PhotoFetchResult:
    """What one photo pass did."""

    imported: int = 0
    refused: int = 0
    retry_later: int = 0
    removed: int = 0
    refusals: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"photos imported {self.imported}, refused {self.refused}, "
            f"retry later {self.retry_later}, removed {self.removed}"
        )


def photo_check(image: FetchedImage) -> str:
    """The file extension for a photo whose bytes really are the image type
    its server declared, decoded in full; otherwise `ImageRefused`.

    The client checked the declared type and size; only decoding tells a
    JPEG from an HTML page sent as image/jpeg, or a truncated file."""
    from PIL import Image

    formats = list(_PHOTO_FORMATS)
    try:
        with Image.open(io.BytesIO(image.body), formats=formats) as picture:
            kind = picture.format
            width, height = picture.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ImageRefused(f"ảnh {width}×{height} quá nhiều điểm ảnh (too many pixels)")
            picture.load()
    except ImageRefused:
        raise
    except Exception as exc:  # Pillow's decoders raise many kinds on a bad file
        raise ImageRefused(
            f"tệp không phải ảnh đọc được ({type(exc).__name__}) (not a readable image)"
        ) from None
    declared, extension = _PHOTO_FORMATS[kind]
    if declared != image.content_type:
        raise ImageRefused(
            f"tệp là {declared} nhưng máy chủ nói {image.content_type} (type mismatch)"
        )
    return extension


def _photos_dropped_remove() -> int:
    """Delete the pictures of URLs records no longer name, with their files.
    Oscar's receiver deletes sorl's thumbnails with each picture."""
    ProductImage = get_model("catalogue", "ProductImage")
    removed = 0
    for photo in RegistryPhoto.objects.filter(status=PhotoStatus.DROPPED).select_related("image"):
        name = photo.image.original.name if photo.image else ""
        with transaction.atomic():
            if photo.image_id:
                ProductImage.objects.filter(pk=photo.image_id).delete()
            RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.DROPPED).delete()
        if name:
            _file_delete(name)
        removed += 1
    return removed


def _file_delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # a file left behind costs disk, not correctness
        logger.exception("could not delete photo file %s", name)


def _photo_refuse(photo: RegistryPhoto, reason: str, result: PhotoFetchResult) -> None:
    RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        status=PhotoStatus.REFUSED,
        reason=storable(reason)[:2000],
        attempts=F("attempts") + 1,
        checked_at=timezone.now(),
    )
    result.refused += 1
    result.refusals.append(f"{photo.certificate.registry_id}: {reason}")


def _photo_retry_later(photo: RegistryPhoto, reason: str, result: PhotoFetchResult) -> None:
    """A failure that may pass (network, server): try again on the next
    pass, and give up after PHOTO_MAX_ATTEMPTS."""
    attempts = photo.attempts + 1
    if attempts >= PHOTO_MAX_ATTEMPTS:
        _photo_refuse(photo, f"bỏ sau {attempts} lần thử: {reason}", result)
        return
    RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        attempts=attempts, reason=storable(reason)[:2000], checked_at=timezone.now()
    )
    result.retry_later += 1


PHOTO_STORE_BATCH = 25  # one commit per 25 photos, not per photo (SQLite syncs each commit)


def _photo_file_save(photo: RegistryPhoto, product, image: FetchedImage, extension: str):
    """An unsaved picture of `product` whose file is already in storage."""
    ProductImage = get_model("catalogue", "ProductImage")
    picture = ProductImage(
        product=product, display_order=photo.position, caption=photo.certificate.name[:200]
    )
    name = f"ocop-{photo.certificate.registry_id}-{photo.position + 1}.{extension}"
    picture.original.save(name, ContentFile(image.body), save=False)
    return picture


def _photos_store(batch: list[tuple[RegistryPhoto, object]], result: PhotoFetchResult) -> None:
    """Write each picture and its row under a savepoint, the batch in one
    transaction. A row that changed meanwhile (dropped, or fetched by another
    pass) wins, and a picture that cannot be written waits for the next pass;
    either way its file is deleted again, and if the transaction fails every
    file of the batch is: no file is left without its picture."""
    if not batch:
        return
    stored: list[object] = []
    committed = False
    try:
        with transaction.atomic():
            for photo, picture in batch:
                try:
                    with transaction.atomic():
                        picture.save()
                        # the UPDATE's WHERE is the claim (and its row lock, until commit)
                        claimed = RegistryPhoto.objects.filter(
                            pk=photo.pk, status=PhotoStatus.PENDING, url_digest=photo.url_digest
                        ).update(
                            image=picture,
                            status=PhotoStatus.IMPORTED,
                            reason="",
                            attempts=F("attempts") + 1,
                            checked_at=timezone.now(),
                        )
                        if not claimed:
                            raise _PhotoGone
                    stored.append(picture)
                except _PhotoGone:
                    pass
                except Exception as exc:  # one odd photo must not stop the others
                    logger.exception("photo %s could not be stored", photo.url)
                    _photo_retry_later(photo, f"{type(exc).__name__}: {str(exc)[:200]}", result)
        committed = True
        result.imported += len(stored)
    finally:
        kept = {id(picture) for picture in stored} if committed else set()
        for _photo, picture in batch:
            if id(picture) not in kept:
                _file_delete(picture.original.name)


class _PhotoGone(Exception):
    """The photo's row changed while its file was being fetched."""


def photos_fetch(
    *,
    client,
    run: SyncRun | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> PhotoFetchResult:
    """Download the photos syncs recorded as pending, after those syncs
    committed; remove the pictures of URLs records dropped.

    Each photo goes through the registry client's checks (http(s), allowed
    host, declared type, size) and then Pillow's (really that type, decodes
    in full, not a pixel bomb). A refused photo is recorded with its reason
    and never fetched again for that URL; one the network failed is tried
    again on the next pass, up to 5 times. Refusals are added to `run`'s
    alert for operators, without changing its status: a bad photo never
    fails a sync or refuses a certificate. `client` is any source with
    `fetch_image` (a snapshot file has none: its photos wait for a registry
    that serves them).
    """
    result = PhotoFetchResult(removed=_photos_dropped_remove())
    fetch = getattr(client, "fetch_image", None)
    if fetch is None:
        return result
    Product = get_model("catalogue", "Product")
    pending = (
        RegistryPhoto.objects.filter(status=PhotoStatus.PENDING)
        .select_related("certificate")
        .order_by("pk")
    )
    if limit is not None:
        pending = pending[:limit]
    photos = list(pending)
    products = {}
    for product in Product.objects.filter(
        certificate_id__in={p.certificate_id for p in photos}
    ).order_by("-pk"):
        products[product.certificate_id] = product  # the oldest product wins
    max_bytes = settings.REGISTRY_IMAGE_MAX_BYTES
    hosts = settings.REGISTRY_IMAGE_HOSTS
    batch: list[tuple[RegistryPhoto, object]] = []
    try:
        for done, photo in enumerate(photos, start=1):
            if progress:
                progress(done, len(photos))
            product = products.get(photo.certificate_id)
            if product is None:
                _photo_refuse(photo, "chứng nhận chưa có sản phẩm (no product)", result)
                continue
            try:
                image = fetch(photo.url, max_bytes=max_bytes, extra_hosts=hosts)
                extension = photo_check(image)
                batch.append((photo, _photo_file_save(photo, product, image, extension)))
            except ImageRefused as exc:
                _photo_refuse(photo, str(exc), result)
            except ImageUnavailable as exc:
                _photo_retry_later(photo, str(exc), result)
            except Exception as exc:  # one odd photo must not stop the others
                logger.exception(
                    "photo %s of certificate %s failed", photo.url, photo.certificate_id
                )
                _photo_retry_later(photo, f"{type(exc).__name__}: {str(exc)[:200]}", result)
            if len(batch) >= PHOTO_STORE_BATCH:
                to_store, batch = batch, []
                _photos_store(to_store, result)
        to_store, batch = batch, []
        _photos_store(to_store, result)
    finally:
        for _photo, picture in batch:  # files of a pass cut short (Ctrl-C, a worker stopped)
            _file_delete(picture.original.name)
    if run is not None and result.refusals:
        shown = "; ".join(result.refusals[:5]) + (" …" if len(result.refusals) > 5 else "")
        _alert_add(
            run,
            f"{result.refused} ảnh sản phẩm bị từ chối, chứng nhận vẫn được đồng bộ "
            f"({result.refused} photos refused): {shown}",
        )
        run.save(update_fields=["alert"])
    logger.info("registry photos from %s: %s", getattr(client, "source", client), result.summary())
    return result


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
