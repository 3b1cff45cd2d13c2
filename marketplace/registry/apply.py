"""Applying one source's validated records: producers, certificates and
the shop products that sell them.

This is the sync's write phase, run inside its transaction in batches.
Within a source a certificate is its registry id; across sources (a
province's decision list beside the national API) it is matched by
producer, name and decision number or date, and the national record wins.
Products are created, renamed and moved to another seller through the
catalogue's services; photo URLs are noted for `photos_fetch`.
"""

from collections import defaultdict
from dataclasses import replace

from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.services import (
    ProductForCertificate,
    ProductShelves,
    product_rename,
    products_for_certificates_create,
    products_reassign,
)
from marketplace.ocop.models import Certificate, CertificateStatus, Producer, RecordSource
from marketplace.registry.models import CertificateChange, SyncRun
from marketplace.registry.photos import PhotoBook
from marketplace.registry.producer_identity import producer_values, producers_choose
from marketplace.registry.producers import producers_create
from marketplace.registry.records import CertificateData, ProducerData, certificate_match_keys

Product = get_model("catalogue", "Product")

# The record's fields a certificate keeps; each change to one is recorded
# as a CertificateChange.
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


def _certificate_keys(cert: Certificate) -> tuple[tuple, tuple]:
    producer = cert.producer
    return certificate_match_keys(
        number=cert.number,
        name=cert.name,
        producer=(producer.registry_key, producer.registry_province or ""),
        issued_on=cert.issued_on,
    )


class Applier:
    """Upserts one source's validated records; counts what it did."""

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.kind = run.source_kind
        self.now = timezone.now()
        self.shelves = ProductShelves()
        self.producers = {(p.registry_key, p.registry_province): p for p in Producer.objects.all()}
        self.touched_certificates: set[int] = set()
        self.moved_producers: set[int] = set()
        self.photos = PhotoBook(run)
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
        for producer in producers_create(new):
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
            products_for_certificates_create(
                products=[
                    ProductForCertificate(
                        certificate=cert, description=data.description, story=data.story
                    )
                    for cert, data in new_pairs
                ],
                shelves=self.shelves,
            )
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
                products_reassign(certificates=[cert], producer=producer)
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
            product_rename(certificate=cert)
        return True

    def touched_product_ids(self) -> list[int]:
        """Products whose certificate this sync created, changed or withdrew."""
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
